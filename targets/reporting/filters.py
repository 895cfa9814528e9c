import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from targets.choices import ReportKind, RunStatus
from targets.models import ReportRun


class ReportRunFilter(django_filters.FilterSet):
    year = django_filters.NumberFilter(label=_("year"))
    kind = django_filters.ChoiceFilter(label=_("kind"), choices=ReportKind.choices)
    status = django_filters.ChoiceFilter(label=_("status"), choices=RunStatus.choices)
    published = django_filters.BooleanFilter(
        label=_("published"),
        field_name="published_at",
        lookup_expr="isnull",
        exclude=True,
        widget=forms.Select(choices=[("", _("All")), ("true", _("Yes")), ("false", _("No"))]),
    )

    class Meta:
        model = ReportRun
        fields = ["year", "kind", "status", "published"]
