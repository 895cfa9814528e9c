from django.contrib import admin

from accounts.admin import AuditedModelAdmin
from enterprises.models import (
    Enterprise,
    EnterpriseMembership,
    FinancingEvent,
    Honour,
    HTECertificate,
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


class HonourInline(admin.TabularInline):
    model = Honour
    extra = 0


class FinancingInline(admin.TabularInline):
    model = FinancingEvent
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
    inlines = [MembershipInline, TeamMemberInline, TechSMEInline, HTEInline, HonourInline, FinancingInline]
