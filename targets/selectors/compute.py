"""The figures: every indicator, year and carrier from one statement over the contribution rows (targets.selectors.sql),
held in one value object (ComputedFigures) that every page, export and report reads."""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal

from django.db import connection

from parks.choices import ACCREDITATION_RANK, AccreditationLevel
from parks.models import Accreditation, Carrier
from targets.choices import TargetForm
from targets.indicators import INDICATORS, Indicator
from targets.indicators import Unit as IndicatorUnit
from targets.models import TargetPlan
from targets.selectors.sql import (
    _FIGURES_SQL,
    CORE_CARRIER_CODE,
    DEFAULT_START_YEAR,
    LEVELS,
    RATIOS,
    REPORT_BASED,
    SUMMED_DIRECTLY,
    YEARLY_SQL,
    _with_clause,
    _yearly_span,
)


@dataclasses.dataclass(frozen=True)
class Figure:
    indicator: Indicator
    year: int
    carrier_id: int | None  # None = district-wide
    yearly: Decimal | None  # None for accreditation_level, or a ratio with a zero denominator
    cumulative: Decimal | None
    yearly_level: str = ""  # parks.choices.AccreditationLevel value, for accreditation_level only
    cumulative_level: str = ""

    def value(self, form: str) -> Decimal | None:
        return self.cumulative if form == TargetForm.CUMULATIVE else self.yearly

    def level(self, form: str) -> str:
        return self.cumulative_level if form == TargetForm.CUMULATIVE else self.yearly_level


def current_plan() -> TargetPlan | None:
    """The plan in force: the latest by first year (plans are few; the bureau may add one)."""
    return TargetPlan.objects.order_by("-start_year", "-id").first()


def _start_year(plan: TargetPlan | None, *, lookup: bool = True) -> int:
    if plan is None and lookup:
        plan = current_plan()
    return plan.start_year if plan is not None else DEFAULT_START_YEAR


def _quantize(indicator: Indicator, value: Decimal) -> Decimal:
    if indicator.unit in (IndicatorUnit.WAN_YUAN, IndicatorUnit.PERCENT):
        return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return value.quantize(Decimal("1"), rounding=ROUND_HALF_UP)


def _accreditation_levels(years: Sequence[int]) -> tuple[dict[tuple[int, int], str], int | None]:
    """(year, carrier id) -> the highest level awarded to the carrier on or before 31 December of the year; and the
    core's id (the district-wide level). One query: the accreditation decisions are few."""
    rows = list(
        Accreditation.objects.values_list("carrier_id", "carrier__code", "level", "awarded_on").order_by("awarded_on")
    )
    core_id = Carrier.objects.filter(code=CORE_CARRIER_CODE).values_list("pk", flat=True).first()
    levels: dict[tuple[int, int], str] = {}
    for year in years:
        end = datetime.date(year, 12, 31)
        for carrier_id, _code, level, awarded_on in rows:
            if awarded_on > end:
                continue
            best = levels.get((year, carrier_id))
            if best is None or ACCREDITATION_RANK[level] > ACCREDITATION_RANK[best]:
                levels[(year, carrier_id)] = level
    return levels, core_id


def _value(sums: dict, code: str, year: int, carrier_id: int | None, *, exact: bool = False) -> Decimal | None:
    """A figure from its sums: Σnum (rounded), or for a ratio Σnum ÷ Σden × 100 (None when Σden is 0)."""
    indicator = INDICATORS[code.removesuffix(":c")]
    num, den = sums.get((code, year, carrier_id), (Decimal(0), Decimal(0)))
    if indicator.code in RATIOS:
        if not den:
            return None
        return num * 100 / den if exact else _quantize(indicator, num * 100 / den)
    return _quantize(indicator, num)


def _compute(
    years: Sequence[int],
    start_year: int,
    *,
    report_counts: dict | None = None,
    expected_reports: dict | None = None,
    yearly_sums: dict | None = None,
    yearly_years: Sequence[int] = (),
) -> dict[int, dict[int | None, dict[str, Figure]]]:
    """year -> carrier id (None: district-wide) -> code -> Figure, for every carrier with any figure. 4 queries.
    `report_counts`, when given, is filled with (year, carrier id) -> number of verified annual reports counted;
    `expected_reports` with (year, carrier id) -> number of tenants expected to file one (in residency in the year).
    `yearly_sums`, when given, is filled with (code, year, carrier id) -> (Σnum, Σden) of the yearly figures of
    every year computed: `years`, the plan's years up to the last, and `yearly_years` (for a trend: the yearly
    figures cost little; the cumulative ones are computed for `years` only)."""
    years = sorted(set(years))
    span = sorted(set(_yearly_span(years, start_year)) | set(yearly_years))
    sql = _FIGURES_SQL.format(
        with_clause=_with_clause(span, years, start_year),
        small=" UNION ALL ".join(sql for code, sql in YEARLY_SQL.items() if code not in SUMMED_DIRECTLY),
        start_year=int(start_year),
    )
    with connection.cursor() as cursor:
        cursor.execute(sql)
        raw = cursor.fetchall()
    sums: dict[tuple[str, int, int | None], tuple[Decimal, Decimal]] = {
        (code, year, carrier_id): (num or Decimal(0), den or Decimal(0)) for code, year, carrier_id, num, den in raw
    }
    if report_counts is not None:
        report_counts.update({(y, c): int(num) for (code, y, c), (num, _den) in sums.items() if code == "_reports"})
    if expected_reports is not None:
        expected_reports.update({(y, c): int(num) for (code, y, c), (num, _den) in sums.items() if code == "_tenants"})
    if yearly_sums is not None:
        yearly_sums.update({key: sum_ for key, sum_ in sums.items() if not key[0].endswith(":c")})
        yearly_sums[("_span", 0, None)] = span
    levels, core_id = _accreditation_levels(years)
    carrier_ids: set[int | None] = {None} | {key[2] for key in sums if key[2] is not None}
    carrier_ids |= {carrier_id for (_year, carrier_id) in levels}

    def value(code: str, year: int, carrier_id: int | None, *, exact: bool = False) -> Decimal | None:
        return _value(sums, code, year, carrier_id, exact=exact)

    result: dict[int, dict[int | None, dict[str, Figure]]] = {}
    for year in years:
        per_carrier: dict[int | None, dict[str, Figure]] = {}
        for carrier_id in carrier_ids:
            figures = {}
            for code, indicator in INDICATORS.items():
                if code in LEVELS:
                    level_carrier = core_id if carrier_id is None else carrier_id
                    level = (
                        levels.get((year, level_carrier), AccreditationLevel.NONE)
                        if level_carrier is not None
                        else AccreditationLevel.NONE
                    )
                    figures[code] = Figure(indicator, year, carrier_id, None, None, level, level)
                    continue
                yearly = value(code, year, carrier_id)
                if code == "occupancy_rate":
                    rates = [
                        rate
                        for y in range(start_year, year + 1)
                        if (rate := value(code, y, carrier_id, exact=True)) is not None
                    ]
                    cumulative = _quantize(indicator, sum(rates, Decimal(0)) / len(rates)) if rates else None
                else:
                    cumulative = value(f"{code}:c", year, carrier_id)
                figures[code] = Figure(indicator, year, carrier_id, yearly, cumulative)
            per_carrier[carrier_id] = figures
        result[year] = per_carrier
    return result


def _empty_figures(year: int, carrier_id: int | None) -> dict[str, Figure]:
    figures = {}
    for code, indicator in INDICATORS.items():
        if code in LEVELS:
            figures[code] = Figure(indicator, year, carrier_id, None, None, AccreditationLevel.NONE, "none")
        elif code in RATIOS:
            figures[code] = Figure(indicator, year, carrier_id, None, None)
        else:
            figures[code] = Figure(indicator, year, carrier_id, Decimal(0), Decimal(0))
    return figures


@dataclasses.dataclass(frozen=True)
class ReportCoverage:
    """What the report-based figures of a year and scope rest on: the verified annual reports counted, against the
    tenants expected to file one (in residency at some time in the year). Until every one is in, those figures are
    provisional: a year whose reports are not due yet reads 0, not a collapse."""

    verified: int
    expected: int

    @property
    def provisional(self) -> bool:
        return self.verified < self.expected


@dataclasses.dataclass(frozen=True)
class ComputedFigures:
    """Every figure for several years, district-wide and at every carrier, from one computation (`compute_figures`).
    `report_counts`: (year, carrier id) -> the verified annual reports counted (for "no data")."""

    start_year: int
    figures: dict[int, dict[int | None, dict[str, Figure]]]
    report_counts: dict[tuple[int, int | None], int]
    yearly_sums: dict = dataclasses.field(default_factory=dict)
    expected_reports: dict[tuple[int, int | None], int] = dataclasses.field(default_factory=dict)

    def scope(self, year: int, carrier_id: int | None) -> dict[str, Figure]:
        """Every indicator for one year, district-wide (None) or at one carrier (zeros where nothing counts)."""
        return self.figures[year].get(carrier_id) or _empty_figures(year, carrier_id)

    def coverage(self, year: int, carrier_id: int | None) -> ReportCoverage:
        """The verified annual reports the year's report-based figures rest on, against the tenants expected."""
        return ReportCoverage(
            self.report_counts.get((year, carrier_id), 0), self.expected_reports.get((year, carrier_id), 0)
        )

    def provisional(self, code: str, year: int, carrier_id: int | None) -> bool:
        """Is the indicator's figure read from reports not all in yet?"""
        return code in REPORT_BASED and self.coverage(year, carrier_id).provisional

    def yearly(self, code: str, year: int, carrier_id: int | None) -> Decimal | None:
        """The yearly figure of an indicator (not a level) for any year computed (`years` or `trend_years` of
        compute_figures), as Figure.yearly would have it. KeyError for a year not computed."""
        if code in LEVELS or year not in self.yearly_sums.get(("_span", 0, None), ()):
            raise KeyError((code, year))
        return _value(self.yearly_sums, code, year, carrier_id)


def compute_figures(
    *, years: Sequence[int], plan: TargetPlan | None = None, trend_years: Sequence[int] = ()
) -> ComputedFigures:
    """Every indicator for each of `years`, district-wide and per carrier, in one computation (4 queries, whatever
    the years): a page that needs a trend and the year's attainment computes once and reads both from it. The
    figures are the same as `indicator_figures` gives for each year on its own. `trend_years` adds the yearly
    figures (only: `ComputedFigures.yearly`) of more years, at a fraction of the cost of a whole year."""
    start_year = _start_year(plan)
    report_counts: dict = {}
    expected_reports: dict = {}
    yearly_sums: dict = {}
    figures = (
        _compute(
            list(years),
            start_year,
            report_counts=report_counts,
            expected_reports=expected_reports,
            yearly_sums=yearly_sums,
            yearly_years=trend_years,
        )
        if years
        else {}
    )
    return ComputedFigures(start_year, figures, report_counts, yearly_sums, expected_reports)


def indicator_figures(
    *, year: int, carrier: Carrier | None = None, plan: TargetPlan | None = None
) -> dict[str, Figure]:
    """Every indicator for one year, district-wide or at one carrier."""
    return compute_figures(years=[year], plan=plan).scope(year, carrier.pk if carrier is not None else None)


def indicator_figures_by_carrier(*, year: int, plan: TargetPlan | None = None) -> dict[int, dict[str, Figure]]:
    """carrier id -> every indicator for one year at that carrier, for every carrier."""
    computed = compute_figures(years=[year], plan=plan)
    carrier_ids = list(Carrier.objects.order_by("sort_order", "id").values_list("pk", flat=True))
    return {pk: computed.scope(year, pk) for pk in carrier_ids}


def indicator_trend(
    *, years: Sequence[int], carrier: Carrier | None = None, plan: TargetPlan | None = None
) -> dict[int, dict[str, Figure]]:
    """year -> every indicator, for several years at once (the same number of queries whatever the years)."""
    computed = compute_figures(years=years, plan=plan)
    carrier_id = carrier.pk if carrier is not None else None
    return {year: computed.scope(year, carrier_id) for year in sorted(set(years))}
