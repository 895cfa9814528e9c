"""Residencies, allocations and transitions are written through the portal's services (they keep the pipeline's
rules); the admin shows them read-only. Rule sets gain new versions here; a version, once in force, never changes."""

from django.contrib import admin

from accounts.admin import AuditedModelAdmin
from incubation.models import Allocation, Residency, RuleSet, TenantImport, Transition


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Residency)
class ResidencyAdmin(ReadOnlyAdmin):
    list_display = ["enterprise", "carrier", "stage", "started_on", "planned_end_on", "ended_on", "end_reason"]
    list_filter = ["carrier", "stage", "end_reason"]
    search_fields = ["enterprise__name", "agreement_no"]
    list_select_related = ["enterprise", "carrier"]


@admin.register(Allocation)
class AllocationAdmin(ReadOnlyAdmin):
    list_display = ["unit", "residency", "period"]
    list_select_related = ["unit__building", "residency__enterprise", "residency__carrier"]
    search_fields = ["residency__enterprise__name", "unit__code"]


@admin.register(Transition)
class TransitionAdmin(ReadOnlyAdmin):
    list_display = ["enterprise", "kind", "occurred_on", "by", "override_reason"]
    list_filter = ["kind"]
    search_fields = ["enterprise__name"]
    list_select_related = ["enterprise", "by"]


@admin.register(RuleSet)
class RuleSetAdmin(AuditedModelAdmin):
    list_display = ["kind", "version", "effective_from", "combination", "source"]
    list_filter = ["kind"]

    def has_change_permission(self, request, obj=None):
        return obj is None  # versions are immutable: add a new one instead

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(TenantImport)
class TenantImportAdmin(ReadOnlyAdmin):
    """Imports are previewed and applied on the portal's pages (incubation.tenant_import); the admin only reads."""

    list_display = ["file_name", "status", "created_by", "created_at", "applied_at"]
    list_filter = ["status"]
    search_fields = ["file_name", "file_sha256"]
    list_select_related = ["created_by"]
    exclude = ["rows"]
