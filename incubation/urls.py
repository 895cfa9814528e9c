from django.urls import path

from incubation import views

app_name = "incubation"

# fmt: off
urlpatterns = [
    path("applications/", views.ApplicationQueueView.as_view(), name="applications"),
    path("applications/new/", views.ApplicationCreateView.as_view(), name="application_create"),
    path("applications/<int:pk>/", views.ApplicationDetailView.as_view(), name="application_detail"),
    path("applications/<int:pk>/edit/", views.ApplicationEditView.as_view(), name="application_edit"),
    path("applications/<int:pk>/documents/add/", views.ApplicationDocumentAddView.as_view(),
         name="application_document_add"),
    path("applications/<int:pk>/documents/<int:document_pk>/remove/", views.ApplicationDocumentRemoveView.as_view(),
         name="application_document_remove"),
    path("applications/<int:pk>/experts/add/", views.ReviewAssignView.as_view(), name="review_assign"),
    path("applications/<int:pk>/admit/", views.ApplicationAdmitView.as_view(), name="application_admit"),
    path("applications/<int:pk>/<slug:move>/", views.ApplicationMoveView.as_view(), name="application_move"),
    path("reviews/<int:pk>/score/", views.ReviewScoreView.as_view(), name="review_score"),
    path("reviews/<int:pk>/remove/", views.ReviewRemoveView.as_view(), name="review_remove"),
    path("tenants/", views.TenantRosterView.as_view(), name="tenant_roster"),
    path("alerts/", views.AlertsView.as_view(), name="alerts"),
    path("rules/", views.RuleSetListView.as_view(), name="rule_sets"),
    path("rules/<int:pk>/new-version/", views.RuleSetVersionCreateView.as_view(), name="rule_set_new_version"),
    path("enterprises/<int:pk>/residencies/add/", views.ResidencyCreateView.as_view(), name="residency_create"),
    path("residencies/<int:pk>/allocate/", views.AllocationCreateView.as_view(), name="allocation_create"),
    path("residencies/<int:pk>/exit/", views.ResidencyExitView.as_view(), name="residency_exit"),
    path("residencies/<int:pk>/promote/", views.PromoteView.as_view(), name="residency_promote"),
    path("residencies/<int:pk>/transfer/", views.TransferView.as_view(), name="residency_transfer"),
    path("residencies/<int:pk>/graduate/", views.GraduateView.as_view(), name="residency_graduate"),
    path("allocations/<int:pk>/end/", views.AllocationEndView.as_view(), name="allocation_end"),
    path("buildings/<int:pk>/occupancy/", views.BuildingOccupancyView.as_view(), name="building_occupancy"),
]
# fmt: on

# Roster export and tenant import
urlpatterns += [
    path("tenants/export.xlsx", views.TenantRosterExportView.as_view(), {"fmt": "xlsx"}, name="tenant_roster_xlsx"),
    path("tenants/export.csv", views.TenantRosterExportView.as_view(), {"fmt": "csv"}, name="tenant_roster_csv"),
    path("tenants/import/", views.TenantImportUploadView.as_view(), name="tenant_import"),
    path("tenants/import/template.xlsx", views.TenantImportTemplateView.as_view(), name="tenant_import_template"),
    path("tenants/import/<int:pk>/", views.TenantImportDetailView.as_view(), name="tenant_import_detail"),
]
