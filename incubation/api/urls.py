from rest_framework.routers import DefaultRouter

from incubation.api import views
from incubation.api.tenant_imports import TenantImportViewSet

router = DefaultRouter()
router.register("residencies", views.ResidencyViewSet, basename="residency")
router.register("allocations", views.AllocationViewSet, basename="allocation")
router.register("transitions", views.TransitionViewSet, basename="transition")
router.register("applications", views.ApplicationViewSet, basename="application")
router.register("reviews", views.ReviewViewSet, basename="review")

urlpatterns = router.urls

# Tenant import: upload -> preview, then confirm (incubation/api/tenant_imports.py).

router.register("tenant-imports", TenantImportViewSet, basename="tenantimport")
urlpatterns = router.urls
