from django.urls import path
from rest_framework.routers import DefaultRouter

from enterprises.api import reports, views

router = DefaultRouter()
router.register("enterprises", views.EnterpriseViewSet, basename="enterprise")
router.register("team-members", views.TeamMemberViewSet, basename="team-member")
router.register("tech-sme-registrations", views.TechSMERegistrationViewSet, basename="tech-sme-registration")
router.register("hte-certificates", views.HTECertificateViewSet, basename="hte-certificate")
router.register("hte-applications", views.HTEApplicationViewSet, basename="hte-application")
router.register("honours", views.HonourViewSet, basename="honour")
router.register("financing-events", views.FinancingEventViewSet, basename="financing-event")
router.register("corporate-events", views.CorporateEventViewSet, basename="corporate-event")
router.register("documents", views.DocumentViewSet, basename="document")
router.register("operating-reports", reports.OperatingReportViewSet, basename="operating-report")
router.register("report-deadlines", reports.ReportDeadlineViewSet, basename="report-deadline")

urlpatterns = [
    path("operating-reports/not-filed/", reports.NotFiledView.as_view(), name="operating-report-not-filed"),
    *router.urls,
]
