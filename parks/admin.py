from django.contrib import admin

from accounts.admin import AuditedModelAdmin
from parks.models import Accreditation, AnchorOrganisation, Building, Carrier, FocusField, Unit


class AnchorInline(admin.TabularInline):
    model = AnchorOrganisation
    extra = 0


class AccreditationInline(admin.TabularInline):
    model = Accreditation
    extra = 0


@admin.register(Carrier)
class CarrierAdmin(AuditedModelAdmin):
    list_display = ["name", "name_en", "kind", "code", "sort_order"]
    list_filter = ["kind"]
    search_fields = ["name", "name_en", "code"]
    filter_horizontal = ["focus_fields", "staff"]
    inlines = [AnchorInline, AccreditationInline]

    # The carriers are the plan's (the core and the five parks), created by migration only: never added or
    # deleted here. Their anchors and accreditations (inlines) are edited as usual, and audited.
    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(FocusField)
class FocusFieldAdmin(AuditedModelAdmin):
    list_display = ["name", "name_en", "parent", "sort_order"]
    list_filter = [("parent", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["name", "name_en"]
    list_select_related = ["parent"]


@admin.register(AnchorOrganisation)
class AnchorOrganisationAdmin(AuditedModelAdmin):
    list_display = ["name", "name_en", "kind", "carrier"]
    list_filter = ["kind", "carrier"]
    search_fields = ["name", "name_en"]
    list_select_related = ["carrier"]


@admin.register(Accreditation)
class AccreditationAdmin(AuditedModelAdmin):
    list_display = ["carrier", "level", "awarded_on", "certificate_no", "authority"]
    list_filter = ["level", "carrier"]
    search_fields = ["certificate_no"]
    date_hierarchy = "awarded_on"
    list_select_related = ["carrier"]


class UnitInline(admin.TabularInline):
    model = Unit
    extra = 0


@admin.register(Building)
class BuildingAdmin(AuditedModelAdmin):
    list_display = ["name", "carrier", "floors", "address"]
    list_filter = ["carrier"]
    search_fields = ["name", "address"]
    list_select_related = ["carrier"]
    inlines = [UnitInline]


@admin.register(Unit)
class UnitAdmin(AuditedModelAdmin):
    list_display = ["code", "building", "floor", "area_m2", "kind", "stage_zone"]
    list_filter = ["kind", "stage_zone", "building__carrier"]
    search_fields = ["code", "building__name"]
    list_select_related = ["building"]
