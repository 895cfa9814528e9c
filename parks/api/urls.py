from rest_framework.routers import DefaultRouter

from parks.api import views

router = DefaultRouter()
router.register("carriers", views.CarrierViewSet, basename="carrier")
router.register("focus-fields", views.FocusFieldViewSet, basename="focus-field")
router.register("anchors", views.AnchorOrganisationViewSet, basename="anchor")
router.register("accreditations", views.AccreditationViewSet, basename="accreditation")
router.register("buildings", views.BuildingViewSet, basename="building")
router.register("units", views.UnitViewSet, basename="unit")

urlpatterns = router.urls
