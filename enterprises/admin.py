from django.contrib import admin

from accounts.admin import AuditedModelAdmin
from enterprises.models import (
    CorporateEvent,
    Enterprise,
    EnterpriseMembership,
    FinancingEvent,
    Honour,
    HTEApplication,
    HTECertificate,
    OperatingReport,
    ReportDeadline,
    ReportReminder,
    TeamMember,
    TechSMERegistration,
)


class TeamMemberInline(admin.TabularInline):
    model = TeamMember
    extra = 0


class TechSMEInline(admin.TabularInline):
    model = TechSMERegistration
    extra = 0


class HTEInline(admin.TabularInline):
    model = HTECertificate
    extra = 0
    readonly_fields = ["expires_on"]


class HTEApplicationInline(admin.TabularInline):
    model = HTEApplication
    extra = 0


class HonourInline(admin.TabularInline):
    model = Honour
    extra = 0


class FinancingInline(admin.TabularInline):
    model = FinancingEvent
    extra = 0


class CorporateEventInline(admin.TabularInline):
    model = CorporateEvent
    extra = 0


class MembershipInline(admin.TabularInline):
    model = EnterpriseMembership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Enterprise)
class EnterpriseAdmin(AuditedModelAdmin):
    list_display = ["name", "kind", "uscc", "registered_on", "industry_field", "is_demo"]
    list_filter = ["kind", "founder_type", "high_tech_field", "is_demo"]
    search_fields = ["name", "uscc"]
    list_select_related = ["industry_field"]
    inlines = [
        MembershipInline,
        TeamMemberInline,
        TechSMEInline,
        HTEInline,
        HTEApplicationInline,
        HonourInline,
        FinancingInline,
        CorporateEventInline,
    ]


@admin.register(OperatingReport)
class OperatingReportAdmin(admin.ModelAdmin):
    """Read-only here: reports change only through the services (filing, review, correction), which audit them."""

    list_display = ["enterprise", "year", "period", "version", "status", "revenue", "submitted_at", "verified_at"]
    list_filter = ["status", "period", "year"]
    search_fields = ["enterprise__name"]
    list_select_related = ["enterprise"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ReportDeadline)
class ReportDeadlineAdmin(AuditedModelAdmin):
    list_display = ["year", "period", "due_on", "required", "note"]
    list_filter = ["period", "required"]


@admin.register(ReportReminder)
class ReportReminderAdmin(admin.ModelAdmin):
    list_display = ["enterprise", "year", "period", "kind", "sequence", "sent_at", "sent_by", "recipients"]
    list_filter = ["kind", "period", "year"]
    search_fields = ["enterprise__name"]
    list_select_related = ["enterprise", "sent_by"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
