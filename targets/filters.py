"""The filter bars of targets' lists. The cultivation list's: the round (scheme and year, read by the view), the
outcome, whether staff marked the enterprise, the carrier (among those in the user's scope) and the name. The
carriers' annual returns: year, carrier and status."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.roles import carriers_in_scope
from enterprises.choices import ReportStatus
from incubation.models import Residency
from targets.choices import EvaluationOutcome, SchemeSubject
from targets.models import CarrierReturn, Evaluation, Scheme
from targets.selectors.evaluation import marked_as_candidates


class CultivationFilter(django_filters.FilterSet):
    scheme = django_filters.ModelChoiceFilter(
        label=_("Qualification"), queryset=Scheme.objects.none(), to_field_name="code", method="by_round",
        empty_label=None,
    )  # fmt: skip
    year = django_filters.NumberFilter(label=_("Round"), method="by_round")
    outcome = django_filters.ChoiceFilter(label=_("Outcome"), choices=EvaluationOutcome.choices)
    marked = django_filters.ChoiceFilter(
        label=_("Candidates"), choices=[("yes", _("Marked")), ("no", _("Not marked"))], method="by_mark"
    )
    carrier = django_filters.ModelChoiceFilter(label=_("Carrier"), queryset=None, method="by_carrier")
    q = django_filters.CharFilter(label=_("Name"), method="by_name")

    class Meta:
        model = Evaluation
        fields: list[str] = []

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        self.filters["scheme"].queryset = Scheme.objects.filter(subject=SchemeSubject.ENTERPRISE)
        self.filters["carrier"].queryset = carriers_in_scope(request.user, "view", "targets.cultivation")
        self.form.fields["year"].initial = timezone.localdate().year

    def by_round(self, queryset, name, value):
        return queryset  # the view chooses the round's evaluations

    def by_mark(self, queryset, name, value):
        return marked_as_candidates(queryset, marked=value == "yes")

    def by_carrier(self, queryset, name, value):
        return queryset.filter(
            enterprise__in=Residency.objects.filter(carrier=value, ended_on__isnull=True).values("enterprise_id")
        )

    def by_name(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(enterprise__name__icontains=value) | Q(enterprise__uscc__iexact=value))


class CarrierReturnFilter(django_filters.FilterSet):
    """The carriers' annual returns: by year, carrier (among those the reader sees) and status."""

    year = django_filters.NumberFilter(label=_("year"))
    carrier = django_filters.ModelChoiceFilter(label=_("Carrier"), queryset=None)
    status = django_filters.ChoiceFilter(label=_("status"), choices=ReportStatus.choices)

    class Meta:
        model = CarrierReturn
        fields = ["year", "carrier", "status"]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        self.filters["carrier"].queryset = carriers_in_scope(request.user, "view", CarrierReturn)
