from django.urls import path

from enterprises import views

app_name = "enterprises"

urlpatterns = [
    path("", views.EnterpriseListView.as_view(), name="enterprise_list"),
    path("mine/", views.MyEnterpriseView.as_view(), name="my_enterprise"),
    path("add/", views.EnterpriseCreateView.as_view(), name="enterprise_create"),
    path("register/", views.EnterpriseRegisterView.as_view(), name="register"),
    path("<int:pk>/", views.EnterpriseDetailView.as_view(), name="enterprise_detail"),
    path("<int:pk>/edit/", views.EnterpriseUpdateView.as_view(), name="enterprise_update"),
    path("documents/<int:pk>/", views.DocumentDownloadView.as_view(), name="document_download"),
    path("documents/<int:pk>/delete/", views.DocumentDeleteView.as_view(), name="document_delete"),
    path("<int:pk>/<slug:kind>/<int:record_pk>/evidence/add/", views.EvidenceAddView.as_view(), name="evidence_add"),
    path("<int:pk>/<slug:kind>/add/", views.RecordCreateView.as_view(), name="record_create"),
    path("<int:pk>/<slug:kind>/<int:record_pk>/edit/", views.RecordUpdateView.as_view(), name="record_update"),
    path("<int:pk>/<slug:kind>/<int:record_pk>/delete/", views.RecordDeleteView.as_view(), name="record_delete"),
    # Operating reports (经营数据填报)
    path("reports/", views.ReportListView.as_view(), name="report_list"),
    path("reports/new/", views.ReportCreateView.as_view(), name="report_create"),
    path("reports/not-filed/", views.NotFiledView.as_view(), name="report_not_filed"),
    path("reports/deadlines/", views.DeadlineListView.as_view(), name="deadline_list"),
    path("reports/deadlines/add/", views.DeadlineCreateView.as_view(), name="deadline_create"),
    path("reports/deadlines/<int:pk>/edit/", views.DeadlineUpdateView.as_view(), name="deadline_update"),
    path("reports/<int:pk>/", views.ReportDetailView.as_view(), name="report_detail"),
    path("reports/<int:pk>/edit/", views.ReportUpdateView.as_view(), name="report_update"),
    path("reports/<int:pk>/<slug:move>/", views.ReportMoveView.as_view(), name="report_move"),
    path("<int:pk>/reports/", views.ReportHistoryView.as_view(), name="report_history"),
    path("<int:pk>/remind/", views.ReportRemindView.as_view(), name="report_remind"),
]
