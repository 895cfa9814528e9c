from rest_framework.routers import DefaultRouter

from incubation.api import views

router = DefaultRouter()
router.register("residencies", views.ResidencyViewSet, basename="residency")
router.register("allocations", views.AllocationViewSet, basename="allocation")
router.register("transitions", views.TransitionViewSet, basename="transition")

urlpatterns = router.urls

# Tenant import: upload -> preview, then confirm (incubation/api/tenant_imports.py).
from incubation.api.tenant_imports import TenantImportViewSet  # noqa: E402

router.register("tenant-imports", TenantImportViewSet, basename="tenantimport")
urlpatterns = router.urls
