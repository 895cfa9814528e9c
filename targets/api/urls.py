from django.urls import path
from rest_framework.routers import DefaultRouter

from targets.api import views

router = DefaultRouter()
router.register("target-plans", views.TargetPlanViewSet, basename="targetplan")
router.register("targets", views.TargetViewSet, basename="target")

urlpatterns = [
    path("indicators/", views.IndicatorListView.as_view(), name="indicator-list"),
    path(
        "indicators/<slug:code>/contributors/", views.IndicatorContributorsView.as_view(), name="indicator-contributors"
    ),
    path("torch-export/", views.TorchExportView.as_view(), name="torch-export"),
    *router.urls,
]
