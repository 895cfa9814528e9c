from django.urls import path
from rest_framework.routers import DefaultRouter

from targets.api import views
from targets.api.carrier_returns import CarrierReturnViewSet
from targets.api.evaluations import CandidateViewSet, EvaluationViewSet, SchemeViewSet
from targets.api.readiness import CarrierReadinessView
from targets.api.report_runs import ReportRunViewSet

router = DefaultRouter()
router.register("target-plans", views.TargetPlanViewSet, basename="targetplan")
router.register("targets", views.TargetViewSet, basename="target")
router.register("report-runs", ReportRunViewSet, basename="reportrun")
router.register("rule-schemes", SchemeViewSet, basename="scheme")
router.register("evaluations", EvaluationViewSet, basename="evaluation")
router.register("cultivation-candidates", CandidateViewSet, basename="candidate")
router.register("carrier-returns", CarrierReturnViewSet, basename="carrierreturn")

urlpatterns = [
    path("dashboard/", views.DashboardView.as_view(), name="dashboard-data"),
    path("indicators/", views.IndicatorListView.as_view(), name="indicator-list"),
    path(
        "indicators/<slug:code>/contributors/", views.IndicatorContributorsView.as_view(), name="indicator-contributors"
    ),
    path("torch-export/", views.TorchExportView.as_view(), name="torch-export"),
    path("carrier-readiness/", CarrierReadinessView.as_view(), name="carrier-readiness"),
    *router.urls,
]
