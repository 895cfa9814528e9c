import django_filters
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.roles import Role, has_role
from enterprises.models import Enterprise, HTECertificate, TechSMERegistration
from enterprises.selectors import search_enterprises
from incubation.choices import ApplicationStatus
from incubation.models import Application, Residency
from parks.choices import Stage
from parks.filter_fields import FocusFieldFilter
from parks.models import Carrier

QUALIFICATIONS = [
    ("hte", _("valid high-tech enterprise certificate")),
    ("tech_sme", _("tech-based SME this year")),
    ("tech_sme_missing", _("not registered as a tech-based SME this year")),
    ("none", _("neither")),
]


class TenantFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(field_name="enterprise__name", lookup_expr="icontains", label=_("enterprise"))
    carrier = django_filters.ModelChoiceFilter(queryset=Carrier.objects.order_by("sort_order"), label=_("carrier"))
    stage = django_filters.ChoiceFilter(choices=Stage.choices, label=_("stage"))
    industry = FocusFieldFilter(method="filter_industry", label=_("industry field"))
    min_months = django_filters.NumberFilter(
        field_name="months_in_residence", lookup_expr="gte", label=_("months in residence, at least")
    )
    ending_within_days = django_filters.NumberFilter(method="filter_ending", label=_("planned end within (days)"))
    qualification = django_filters.ChoiceFilter(
        method="filter_qualification", label=_("qualification"), choices=QUALIFICATIONS
    )

    class Meta:
        model = Residency
        fields = ["q", "carrier", "stage", "industry", "min_months", "ending_within_days", "qualification"]

    def filter_qualification(self, queryset, name, value):
        today = timezone.localdate()
        hte = HTECertificate.objects.filter(
            enterprise=OuterRef("enterprise"), issued_on__lte=today, expires_on__gt=today
        )
        tech_sme = TechSMERegistration.objects.filter(enterprise=OuterRef("enterprise"), year=today.year)
        return {
            "hte": queryset.filter(Exists(hte)),
            "tech_sme": queryset.filter(Exists(tech_sme)),
            "tech_sme_missing": queryset.exclude(Exists(tech_sme)),
            "none": queryset.exclude(Exists(hte)).exclude(Exists(tech_sme)),
        }[value]

    def filter_industry(self, queryset, name, value):
        return queryset.filter(Q(enterprise__industry_field=value) | Q(enterprise__industry_field__parent=value))

    def filter_ending(self, queryset, name, value):
        return queryset.filter(days_to_planned_end__lte=value, days_to_planned_end__gte=0)


class ApplicationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", label=_("name or code"))
    status = django_filters.ChoiceFilter(choices=ApplicationStatus.choices, label=_("status"))
    stage = django_filters.ChoiceFilter(choices=Stage.choices, label=_("stage"))
    carrier = django_filters.ModelChoiceFilter(queryset=Carrier.objects.order_by("sort_order"), label=_("carrier"))
    industry = FocusFieldFilter(method="filter_industry", label=_("industry field"))
    submitted_from = django_filters.DateFilter(
        field_name="submitted_at__date", lookup_expr="gte", label=_("submitted from")
    )
    submitted_until = django_filters.DateFilter(
        field_name="submitted_at__date", lookup_expr="lte", label=_("submitted until")
    )

    # An expert's own: the applications whose review waits for them (the queue annotates `awaiting_my_score`).
    mine = django_filters.ChoiceFilter(
        method="filter_mine", label=_("my reviews"), choices=[("awaiting", _("awaiting my score"))]
    )

    class Meta:
        model = Application
        fields = ["q", "status", "stage", "carrier", "industry", "submitted_from", "submitted_until", "mine"]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        if request is None or not has_role(request.user, Role.EXPERT):
            del self.filters["mine"]

    def filter_mine(self, queryset, name, value):
        return queryset.filter(awaiting_my_score=True)

    def filter_q(self, queryset, name, value):
        # Fuzzy, pg_trgm-backed search on the applicant (any part of a Chinese name, a USCC prefix, or similar).
        matches = search_enterprises(Enterprise.objects.all(), value).values("pk")
        return queryset.filter(enterprise_id__in=matches)

    def filter_industry(self, queryset, name, value):
        return queryset.filter(Q(enterprise__industry_field=value) | Q(enterprise__industry_field__parent=value))
