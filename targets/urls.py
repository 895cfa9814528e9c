from django.urls import path

from targets import views

app_name = "targets"

urlpatterns = [
    path("plans/", views.PlanListView.as_view(), name="plans"),
    path("plans/<int:pk>/", views.PlanDetailView.as_view(), name="plan_detail"),
    path("plans/<int:pk>/add-year/", views.PlanAddYearView.as_view(), name="plan_add_year"),
    path("targets/<int:pk>/", views.TargetDetailView.as_view(), name="target_detail"),
    path("targets/<int:pk>/edit/", views.TargetEditView.as_view(), name="target_edit"),
    path("indicators/", views.IndicatorOverviewView.as_view(), name="indicators"),
    path("indicators/<slug:code>/<int:year>/", views.IndicatorDrillDownView.as_view(), name="indicator_detail"),
    path("torch-export/", views.TorchExportView.as_view(), name="torch_export"),
]
