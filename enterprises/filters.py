import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from enterprises.choices import EnterpriseKind, FounderType, HighTechField
from enterprises.models import Enterprise
from enterprises.selectors import search_enterprises
from parks.filter_fields import FocusFieldFilter


class EnterpriseFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", label=_("name or code"))
    kind = django_filters.ChoiceFilter(choices=EnterpriseKind.choices, label=_("kind"))
    industry = FocusFieldFilter(method="filter_industry", label=_("industry field"))
    high_tech_field = django_filters.ChoiceFilter(choices=HighTechField.choices, label=_("high-tech field"))
    founder_type = django_filters.ChoiceFilter(choices=FounderType.choices, label=_("founder type"))
    hte = django_filters.BooleanFilter(
        field_name="has_valid_hte",
        label=_("valid high-tech certificate"),
        widget=forms.Select(choices=[("", _("All")), ("true", _("Yes")), ("false", _("No"))]),
    )
    tech_sme_year = django_filters.NumberFilter(
        field_name="tech_sme_registrations__year", label=_("tech-based SME in year"), distinct=True
    )
    registered_after = django_filters.DateFilter(
        field_name="registered_on", lookup_expr="gte", label=_("registered from")
    )
    registered_before = django_filters.DateFilter(
        field_name="registered_on", lookup_expr="lte", label=_("registered until")
    )

    class Meta:
        model = Enterprise
        fields = ["q", "kind", "industry", "high_tech_field", "founder_type", "hte", "tech_sme_year"]

    def filter_q(self, queryset, name, value):
        return search_enterprises(queryset, value)

    def filter_industry(self, queryset, name, value):
        # An industry covers the fields under it.
        return queryset.filter(Q(industry_field=value) | Q(industry_field__parent=value))
