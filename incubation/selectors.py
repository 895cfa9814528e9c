"""Reads of tenants and space, each in a bounded number of queries."""

from __future__ import annotations

import datetime

from dateutil.relativedelta import relativedelta
from django.contrib.postgres.fields.ranges import DateRange
from django.db.models import (
    DecimalField,
    Exists,
    F,
    Func,
    IntegerField,
    OuterRef,
    Prefetch,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.roles import Role, can, has_role
from enterprises.models import HTECertificate, TechSMERegistration
from incubation import rules
from incubation.models import Allocation, Residency
from parks.models import Building, Unit

_AREA = DecimalField(max_digits=14, decimal_places=2)


class MonthsBetween(Func):
    """Whole months from the first date to the second (PostgreSQL age())."""

    output_field = IntegerField()

    def as_sql(self, compiler, connection, **extra_context):
        start_sql, start_params = compiler.compile(self.source_expressions[0])
        end_sql, end_params = compiler.compile(self.source_expressions[1])
        age = f"age({end_sql}, {start_sql})"
        return (
            f"(EXTRACT(YEAR FROM {age}) * 12 + EXTRACT(MONTH FROM {age}))::integer",
            (*end_params, *start_params, *end_params, *start_params),
        )


class DaysBetween(Func):
    """Days from the first date to the second (in PostgreSQL, date - date is an integer)."""

    output_field = IntegerField()

    def as_sql(self, compiler, connection, **extra_context):
        start_sql, start_params = compiler.compile(self.source_expressions[0])
        end_sql, end_params = compiler.compile(self.source_expressions[1])
        return f"({end_sql} - {start_sql})", (*end_params, *start_params)


def tenant_roster(*, user, today: datetime.date | None = None) -> QuerySet[Residency]:
    """The open residencies `user` may see: enterprise, carrier, stage, months in residence, area let today."""
    today = today or timezone.localdate()
    let_today = Allocation.objects.filter(residency=OuterRef("pk"), period__contains=today)
    area = let_today.order_by().annotate(_g=Value(1)).values("_g").annotate(total=Sum("unit__area_m2")).values("total")
    return (
        Residency.objects.for_user(user)
        .current()
        .select_related("enterprise", "enterprise__industry_field", "carrier")
        .annotate(
            months_in_residence=MonthsBetween(F("started_on"), Value(today)),
            days_to_planned_end=DaysBetween(Value(today), F("planned_end_on")),
            area_let=Coalesce(Subquery(area, output_field=_AREA), Value(0), output_field=_AREA),
        )
    )


def residencies_of(*, user, enterprise_id: int) -> QuerySet[Residency]:
    """An enterprise's residencies, newest first, with their allocations and units."""
    return (
        Residency.objects.for_user(user)
        .filter(enterprise_id=enterprise_id)
        .select_related("carrier")
        .prefetch_related(
            Prefetch("allocations", queryset=Allocation.objects.select_related("unit__building").order_by("period"))
        )
        .order_by("-started_on", "-id")
    )


def occupancy_buildings(*, user) -> QuerySet[Building]:
    """The buildings whose lettings `user` may see: every building for the operating company and the bureau, the
    buildings of their own carriers for park staff, none for anyone else (accounts.roles: incubation.occupancy)."""
    if not can(user, "view", "incubation.occupancy"):
        return Building.objects.none()
    if has_role(user, Role.PARK_STAFF) and not has_role(user, Role.ADMIN, Role.OPERATOR, Role.BUREAU):
        return Building.objects.for_user(user, "change")
    return Building.objects.all()


def building_occupancy(*, building: Building, today: datetime.date | None = None) -> list[dict]:
    """Each unit of a building with who occupies it today and until when, and its next letting (free between)."""
    today = today or timezone.localdate()
    units = list(building.units.order_by("floor", "code", "id"))
    allocations = (
        Allocation.objects.filter(unit__building=building, period__overlap=DateRange(today, None))
        .select_related("residency__enterprise")
        .order_by("unit_id", "period")
    )
    by_unit: dict[int, list[Allocation]] = {}
    for allocation in allocations:
        by_unit.setdefault(allocation.unit_id, []).append(allocation)
    rows = []
    for unit in units:
        lettings = by_unit.get(unit.pk, [])
        current = next((a for a in lettings if today in a.period), None)
        upcoming = [a for a in lettings if a.period.lower > today]
        rows.append({"unit": unit, "current": current, "upcoming": upcoming})
    return rows


def occupancy_totals(*, units: QuerySet[Unit], today: datetime.date | None = None) -> dict:
    """Area of the given units and the part let today (for the occupancy rate)."""
    today = today or timezone.localdate()
    total = units.aggregate(area=Coalesce(Sum("area_m2"), Value(0), output_field=_AREA))["area"]
    let = units.filter(allocations__period__contains=today).aggregate(
        area=Coalesce(Sum("area_m2"), Value(0), output_field=_AREA)
    )["area"]
    return {"area": total, "let": let, "rate": (let / total * 100) if total else None}


def incubation_limit_alerts(*, user, today: datetime.date | None = None) -> QuerySet[Residency]:
    """Incubator tenants whose time is within the notice period of the limit (or past it), per the rule set in
    force: 48 months with six months' notice under the 2018 rules."""
    today = today or timezone.localdate()
    period = rules.incubation_period(today)
    if period is None:
        return Residency.objects.none()
    limit, notice = period
    since = today - relativedelta(months=limit - notice)
    return (
        tenant_roster(user=user, today=today)
        .filter(stage="incubator", started_on__lte=since)
        .order_by("started_on", "pk")
    )


def hte_expiry_alerts(*, user, today: datetime.date | None = None, within_days: int = 90) -> QuerySet[HTECertificate]:
    """High-tech certificates of current tenants that expire within `within_days` with no newer certificate."""
    today = today or timezone.localdate()
    tenants = Residency.objects.for_user(user).current().values("enterprise_id")
    newer = HTECertificate.objects.filter(enterprise=OuterRef("enterprise"), issued_on__gt=OuterRef("issued_on"))
    return (
        HTECertificate.objects.filter(
            enterprise_id__in=tenants,
            expires_on__gt=today,
            expires_on__lte=today + datetime.timedelta(days=within_days),
        )
        .exclude(Exists(newer))
        .select_related("enterprise")
        .order_by("expires_on", "pk")
    )


def tech_sme_renewal_alerts(*, user, today: datetime.date | None = None) -> QuerySet[Residency]:
    """Current tenants registered as tech-based SMEs last year but not yet this year."""
    today = today or timezone.localdate()
    registered = TechSMERegistration.objects.filter(enterprise=OuterRef("enterprise"))
    return (
        tenant_roster(user=user, today=today)
        .filter(Exists(registered.filter(year=today.year - 1)))
        .exclude(Exists(registered.filter(year=today.year)))
        .order_by("enterprise__name", "pk")
    )


def tenant_roster_for_export(roster: QuerySet[Residency], *, today: datetime.date) -> QuerySet[Residency]:
    """The roster's rows (as filtered and sorted) with what the export adds: the units let today and the
    enterprise's current qualifications (tech-based SME registrations of this year and last, valid high-tech
    certificates). Three prefetches, whatever the number of rows."""
    return roster.prefetch_related(
        Prefetch(
            "allocations",
            queryset=Allocation.objects.filter(period__contains=today)
            .select_related("unit__building")
            .order_by("unit__building__name", "unit__code"),
            to_attr="units_let_today",
        ),
        Prefetch(
            "enterprise__tech_sme_registrations",
            queryset=TechSMERegistration.objects.filter(year__gte=today.year - 1).order_by("-year"),
            to_attr="recent_tech_sme",
        ),
        Prefetch(
            "enterprise__hte_certificates",
            queryset=HTECertificate.objects.filter(issued_on__lte=today, expires_on__gt=today).order_by("-issued_on"),
            to_attr="valid_hte",
        ),
    )
