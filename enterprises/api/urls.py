from rest_framework.routers import DefaultRouter

from enterprises.api import views

router = DefaultRouter()
router.register("enterprises", views.EnterpriseViewSet, basename="enterprise")
router.register("team-members", views.TeamMemberViewSet, basename="team-member")
router.register("tech-sme-registrations", views.TechSMERegistrationViewSet, basename="tech-sme-registration")
router.register("hte-certificates", views.HTECertificateViewSet, basename="hte-certificate")
router.register("honours", views.HonourViewSet, basename="honour")
router.register("financing-events", views.FinancingEventViewSet, basename="financing-event")
router.register("documents", views.DocumentViewSet, basename="document")

urlpatterns = router.urls
