from django.urls import path

from targets import readiness_views, return_views, views
from targets.reporting import views as report_views

app_name = "targets"

urlpatterns = [
    path("", views.DashboardView.as_view(), name="dashboard"),
    path("dashboard.xlsx", views.DashboardExportView.as_view(), name="dashboard-export"),
    path("plans/", views.PlanListView.as_view(), name="plans"),
    path("plans/<int:pk>/", views.PlanDetailView.as_view(), name="plan_detail"),
    path("plans/<int:pk>/add-year/", views.PlanAddYearView.as_view(), name="plan_add_year"),
    path("targets/<int:pk>/", views.TargetDetailView.as_view(), name="target_detail"),
    path("targets/<int:pk>/edit/", views.TargetEditView.as_view(), name="target_edit"),
    path("indicators/", views.IndicatorOverviewView.as_view(), name="indicators"),
    path("indicators/<slug:code>/<int:year>/", views.IndicatorDrillDownView.as_view(), name="indicator_detail"),
    path(
        "enterprises/<int:pk>/qualifications/",
        views.EnterpriseQualificationView.as_view(),
        name="enterprise_qualifications",
    ),
    path("cultivation/", views.CultivationListView.as_view(), name="cultivation"),
    path("readiness/", readiness_views.ReadinessView.as_view(), name="readiness"),
    path("readiness/<int:pk>/", readiness_views.CarrierReadinessView.as_view(), name="carrier_readiness"),
    path("enterprises/<int:pk>/candidacy/", views.CandidateMarkView.as_view(), name="candidate_mark"),
    path("candidates/<int:pk>/follow-ups/", views.FollowUpCreateView.as_view(), name="follow_up_create"),
    path("rules/", views.RuleSchemeListView.as_view(), name="rule_schemes"),
    path("rules/<slug:code>/", views.RuleSchemeDetailView.as_view(), name="rule_scheme"),
    path("rules/<slug:code>/new-version/", views.VersionDraftView.as_view(), name="rule_version_draft"),
    path("rule-versions/<int:pk>/edit/", views.VersionEditView.as_view(), name="rule_version_edit"),
    path("rule-versions/<int:pk>/publish/", views.VersionPublishView.as_view(), name="rule_version_publish"),
    path("rule-versions/<int:pk>/discard/", views.VersionDiscardView.as_view(), name="rule_version_discard"),
    path("returns/", return_views.ReturnListView.as_view(), name="returns"),
    path("returns/new/", return_views.ReturnStartView.as_view(), name="return_start"),
    path("returns/<int:pk>/", return_views.ReturnDetailView.as_view(), name="return_detail"),
    path("returns/<int:pk>/edit/", return_views.ReturnUpdateView.as_view(), name="return_update"),
    path("returns/<int:pk>/<slug:move>/", return_views.ReturnMoveView.as_view(), name="return_move"),
    path("torch-export/", views.TorchExportView.as_view(), name="torch_export"),
    path("reports/", report_views.ReportRunListView.as_view(), name="report_runs"),
    path("reports/new/", report_views.ReportRunTriggerView.as_view(), name="report_run_trigger"),
    path("reports/<int:pk>/", report_views.ReportRunDetailView.as_view(), name="report_run_detail"),
    path("reports/<int:pk>/status/", report_views.ReportRunStatusView.as_view(), name="report_run_status"),
    path("reports/<int:pk>/publish/", report_views.ReportRunPublishView.as_view(), name="report_run_publish"),
    path(
        "reports/<int:pk>/download/<slug:fmt>/",
        report_views.ReportRunDownloadView.as_view(),
        name="report_run_download",
    ),
]
