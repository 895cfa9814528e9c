"""Reads of the incubation structure: each returns exactly what its page or endpoint needs, in a fixed number of
queries whatever the number of carriers, buildings and units."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import (
    Count,
    DecimalField,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce

from parks.choices import Stage
from parks.models import Accreditation, AnchorOrganisation, Building, Carrier, FocusField, Unit

_AREA: DecimalField = DecimalField(max_digits=14, decimal_places=2)


def _subquery_total(queryset: QuerySet, field: str, output_field) -> Coalesce:
    """A correlated subquery summing `field` over `queryset` (already filtered by OuterRef), 0 when empty."""
    summed = queryset.order_by().annotate(_g=Value(1)).values("_g").annotate(total=Sum(field)).values("total")
    return Coalesce(Subquery(summed, output_field=output_field), Value(0), output_field=output_field)


def _subquery_count(queryset: QuerySet) -> Coalesce:
    counted = queryset.order_by().annotate(_g=Value(1)).values("_g").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def _current_level(outer: str = "pk") -> Subquery:
    latest = Accreditation.objects.filter(carrier=OuterRef(outer)).order_by("-awarded_on", "-id").values("level")[:1]
    return Subquery(latest)


def carrier_list(*, user, action: str = "view") -> QuerySet[Carrier]:
    """The carriers `user` may `action`, each with its space totals, counts and current accreditation level."""
    return (
        Carrier.objects.for_user(user, action)
        .annotate(
            total_area=_subquery_total(Unit.objects.filter(building__carrier=OuterRef("pk")), "area_m2", _AREA),
            unit_count=_subquery_count(Unit.objects.filter(building__carrier=OuterRef("pk"))),
            building_count=_subquery_count(Building.objects.filter(carrier=OuterRef("pk"))),
            anchor_count=_subquery_count(AnchorOrganisation.objects.filter(carrier=OuterRef("pk"))),
            accreditation_level=_current_level(),
        )
        .prefetch_related(Prefetch("focus_fields", queryset=FocusField.objects.select_related("parent")))
        .order_by("sort_order", "id")
    )


def area_by_stage(*, carriers: QuerySet[Carrier] | None = None, carrier: Carrier | None = None) -> list[dict]:
    """Area and number of units per stage zone, in pipeline order, for some carriers or one."""
    units = Unit.objects.all()
    if carrier is not None:
        units = units.filter(building__carrier=carrier)
    elif carriers is not None:
        units = units.filter(building__carrier__in=carriers.values("pk"))
    rows = {
        row["stage_zone"]: row
        for row in units.order_by().values("stage_zone").annotate(area=Sum("area_m2"), units=Count("pk"))
    }
    return [
        {
            "stage": stage,
            "label": stage.label,
            "area": rows.get(stage, {}).get("area") or Decimal(0),
            "units": rows.get(stage, {}).get("units") or 0,
        }
        for stage in Stage
    ]


def base_totals(*, carriers: QuerySet[Carrier]) -> dict:
    """Totals across the given carriers (annotated by carrier_list): area, units, buildings, anchors."""
    return carriers.order_by().aggregate(
        area=Coalesce(Sum(F("total_area")), Value(Decimal(0)), output_field=_AREA),
        units=Coalesce(Sum(F("unit_count")), Value(0)),
        buildings=Coalesce(Sum(F("building_count")), Value(0)),
        anchors=Coalesce(Sum(F("anchor_count")), Value(0)),
        carriers=Count("pk"),
    )


def building_list() -> QuerySet[Building]:
    """Buildings with their total unit area and number of units (restrict with for_user)."""
    return Building.objects.annotate(
        total_area=_subquery_total(Unit.objects.filter(building=OuterRef("pk")), "area_m2", _AREA),
        unit_count=_subquery_count(Unit.objects.filter(building=OuterRef("pk"))),
    )


def carrier_detail(*, user, pk: int) -> Carrier:
    """One carrier with everything its page shows, or Carrier.DoesNotExist if `user` may not see it."""
    buildings = building_list().prefetch_related(
        Prefetch("units", queryset=Unit.objects.order_by("floor", "code", "id"))
    )
    return (
        carrier_list(user=user)
        .prefetch_related(
            Prefetch("anchors", queryset=AnchorOrganisation.objects.order_by("sort_order", "id")),
            Prefetch("accreditations", queryset=Accreditation.objects.order_by("-awarded_on", "-id")),
            Prefetch("buildings", queryset=buildings.order_by("name", "id")),
            "staff",
        )
        .get(pk=pk)
    )


def focus_fields_by_industry(fields) -> list[tuple[FocusField, list[FocusField]]]:
    """Group already-loaded focus fields (with parents selected) under their industries, in order."""
    groups: dict[int, tuple[FocusField, list[FocusField]]] = {}
    for field in fields:
        industry = field.parent or field  # an industry has no parent (and no query is made for it)
        groups.setdefault(industry.pk, (industry, []))
        if field.parent_id is not None:
            groups[industry.pk][1].append(field)
    return sorted(groups.values(), key=lambda group: (group[0].sort_order, group[0].pk))


def focus_field_list() -> QuerySet[FocusField]:
    """Industries and their fields in order, each with the number of carriers focused on it."""
    return (
        FocusField.objects.select_related("parent")
        .annotate(carrier_count=Count("carriers", distinct=True))
        .order_by(
            Coalesce("parent__sort_order", "sort_order"),  # an industry and its fields together …
            Coalesce("parent_id", "id"),
            F("parent_id").asc(nulls_first=True),  # … the industry first
            "sort_order",
            "id",
        )
    )
