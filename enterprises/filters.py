import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from enterprises.choices import EnterpriseKind, FounderType, HighTechField, ReportPeriod, ReportStatus
from enterprises.models import Enterprise, OperatingReport, ReportDeadline
from enterprises.selectors import search_enterprises
from parks.choices import Stage
from parks.filter_fields import FocusFieldFilter
from parks.models import Carrier


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


class ReportFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", label=_("enterprise"))
    year = django_filters.NumberFilter(label=_("year"))
    period = django_filters.ChoiceFilter(choices=ReportPeriod.choices, label=_("period"))
    status = django_filters.ChoiceFilter(choices=ReportStatus.choices, label=_("status"))
    enterprise = django_filters.NumberFilter(field_name="enterprise_id", widget=forms.HiddenInput)

    class Meta:
        model = OperatingReport
        fields = ["q", "year", "period", "status", "enterprise"]

    def filter_q(self, queryset, name, value):
        return queryset.filter(enterprise__in=search_enterprises(Enterprise.objects.all(), value).values("pk"))


class DeadlineFilter(django_filters.FilterSet):
    year = django_filters.NumberFilter(label=_("year"))
    period = django_filters.ChoiceFilter(choices=ReportPeriod.choices, label=_("period"))

    class Meta:
        model = ReportDeadline
        fields = ["year", "period"]


class NotFiledFilter(forms.Form):
    """The period of the not-filed list, and who to show."""

    year = forms.IntegerField(label=_("year"), min_value=2017, max_value=2100)
    period = forms.ChoiceField(label=_("period"), choices=ReportPeriod.choices)
    q = forms.CharField(label=_("enterprise"), required=False)
    carrier = forms.ModelChoiceField(
        label=_("carrier"), queryset=Carrier.objects.order_by("sort_order"), required=False
    )
    stage = forms.ChoiceField(label=_("stage"), choices=[("", "---------"), *Stage.choices], required=False)
