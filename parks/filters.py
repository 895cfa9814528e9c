import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from parks.choices import AccreditationLevel, AnchorKind, CarrierKind, Stage, UnitKind
from parks.filter_fields import FocusFieldFilter
from parks.models import Accreditation, AnchorOrganisation, Building, Carrier, FocusField, Unit


class CarrierFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=CarrierKind.choices, label=_("kind"))
    stage = django_filters.ChoiceFilter(choices=Stage.choices, method="filter_stage", label=_("stage"))
    focus_field = FocusFieldFilter(method="filter_focus_field", label=_("focus field"))
    q = django_filters.CharFilter(method="filter_q", label=_("search"))

    class Meta:
        model = Carrier
        fields = ["kind", "code"]

    def filter_stage(self, queryset, name, value):
        return queryset.filter(stages__contains=[value])

    def filter_focus_field(self, queryset, name, value):
        # A carrier focused on an industry covers its fields, and one focused on a field belongs to its industry.
        return queryset.filter(
            Q(focus_fields=value) | Q(focus_fields__children=value) | Q(focus_fields__parent=value)
        ).distinct()

    def filter_q(self, queryset, name, value):
        return queryset.filter(name__icontains=value) | queryset.filter(name_en__icontains=value)


class FocusFieldFilter(django_filters.FilterSet):
    industry = django_filters.ModelChoiceFilter(
        field_name="parent", queryset=FocusField.objects.filter(parent__isnull=True), label=_("industry")
    )
    industries_only = django_filters.BooleanFilter(
        field_name="parent", lookup_expr="isnull", label=_("industries only")
    )

    class Meta:
        model = FocusField
        fields = ["industry"]


class AnchorOrganisationFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=AnchorKind.choices, label=_("type"))

    class Meta:
        model = AnchorOrganisation
        fields = ["carrier", "kind"]


class AccreditationFilter(django_filters.FilterSet):
    level = django_filters.ChoiceFilter(choices=AccreditationLevel.choices, label=_("level"))
    awarded_after = django_filters.DateFilter(field_name="awarded_on", lookup_expr="gte", label=_("from date"))
    awarded_before = django_filters.DateFilter(field_name="awarded_on", lookup_expr="lte", label=_("to date"))

    class Meta:
        model = Accreditation
        fields = ["carrier", "level"]


class BuildingFilter(django_filters.FilterSet):
    class Meta:
        model = Building
        fields = ["carrier"]


class UnitFilter(django_filters.FilterSet):
    carrier = django_filters.ModelChoiceFilter(
        field_name="building__carrier", queryset=Carrier.objects.all(), label=_("carrier")
    )
    kind = django_filters.ChoiceFilter(choices=UnitKind.choices, label=_("type"))
    stage_zone = django_filters.ChoiceFilter(choices=Stage.choices, label=_("stage zone"))
    min_area = django_filters.NumberFilter(field_name="area_m2", lookup_expr="gte", label=_("minimum area (m²)"))
    max_area = django_filters.NumberFilter(field_name="area_m2", lookup_expr="lte", label=_("maximum area (m²)"))

    class Meta:
        model = Unit
        fields = ["building", "carrier", "kind", "stage_zone"]
