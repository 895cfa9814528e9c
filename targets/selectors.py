"""The indicator figures, computed by SQL aggregation in a constant number of queries (docs/indicators.md).

Every indicator is first written as a set of *contribution rows* (code, year, carrier, key, enterprise, num, den):
one row per thing that counts (an enterprise, an event, a report, a unit) at each carrier that qualifies it. A
figure is the sum of `num` over the distinct keys in its scope (a ratio: Σnum ÷ Σden × 100), so district-wide an
enterprise (or event) at two carriers counts once, and at each carrier it counts where its qualifying residency was.
The same rows give the contributors of a figure, so their contributions always add up to it.

Residencies are read as half-open [started_on, ended_on): a promotion on D closes the old residency on D and opens
the next on D, so on any date an enterprise is at one place at most. "Open on 31 December" means started on or
before it and not ended on or before it; "in residency at some time in Y" means started by 31 December and not
ended on or before 1 January.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal

from django.db import connection
from django.db.models import DecimalField, Q, QuerySet, Value
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.roles import carrier_scope
from enterprises.choices import HTEOutcome
from enterprises.models import (
    Enterprise,
    FinancingEvent,
    HTEApplication,
    HTECertificate,
    OperatingReport,
    TechSMERegistration,
)
from incubation.choices import RuleSetKind
from incubation.models import Allocation, Residency, RuleSet, Transition
from parks.choices import ACCREDITATION_RANK, AccreditationLevel
from parks.models import Accreditation, Building, Carrier, Unit
from targets.choices import Comparison, TargetForm
from targets.indicators import INDICATORS, Indicator
from targets.indicators import Unit as IndicatorUnit
from targets.models import Target, TargetPlan

DEFAULT_START_YEAR = 2021
CORE_CARRIER_CODE = "qizhihui"
GRADUATE_WINDOW_CODE = "graduate_window_months"

RATIOS = {"rd_intensity", "occupancy_rate"}
LEVELS = {"accreditation_level"}
# Cumulative figures that add up (or count distinct over) the yearly rows of the plan's years.
CUMULATIVE_FROM_YEARLY = {
    "tech_smes",
    "htes",
    "admissions",
    "graduations",
    "exits",
    "revenue",
    "rd_expenditure",
    "rd_intensity",
    "financing",
    "tenants_financed",
}
# Cumulative figures over their own population (every enterprise in residency since the plan began).
CUMULATIVE_OWN = {"tenants_year_end", "valid_ip", "invention_patents", "jobs"}
# occupancy_rate: the cumulative figure is the average of the year-end rates.


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


def graduate_windows(years: Sequence[int]) -> dict[int, int]:
    """year -> the graduate window (months) of the target-counting rule set in force on 31 December of the year;
    0 when none is in force (then graduates do not count). One query."""
    versions = list(
        RuleSet.objects.filter(kind=RuleSetKind.TARGET_COUNTING)
        .order_by("effective_from", "version")
        .values_list("effective_from", "criteria")
    )
    windows = {}
    for year in years:
        months = 0
        for effective_from, criteria in versions:
            if effective_from <= datetime.date(year, 12, 31):
                months = next(
                    (int(item["params"]["months"]) for item in criteria if item["code"] == GRADUATE_WINDOW_CODE), 0
                )
        windows[year] = months
    return windows


# ---------------------------------------------------------------------------------------------------------------
# The contribution rows, as SQL. Every value interpolated below is an int (years, months, ids) or a constant.

T = {
    "residency": Residency._meta.db_table,
    "transition": Transition._meta.db_table,
    "techsme": TechSMERegistration._meta.db_table,
    "hte": HTECertificate._meta.db_table,
    "financing": FinancingEvent._meta.db_table,
    "report": OperatingReport._meta.db_table,
    "allocation": Allocation._meta.db_table,
    "unit": Unit._meta.db_table,
    "building": Building._meta.db_table,
}

# In residency at some time in the year of `yrs` (joined as yrs).
_IN_YEAR = "r.started_on <= yrs.dec31 AND (r.ended_on IS NULL OR r.ended_on > yrs.jan1)"


def _open_on(alias: str, date_sql: str) -> str:
    return f"{alias}.started_on <= {date_sql} AND ({alias}.ended_on IS NULL OR {alias}.ended_on > {date_sql})"


_VERIFIED_ANNUAL = "rep.status = 'verified' AND rep.period = 'annual'"

_REPORT_YEARLY = f"""
    FROM yrs
    JOIN {T["report"]} rep ON rep.year = yrs.y AND {_VERIFIED_ANNUAL}
    JOIN {T["residency"]} r ON r.enterprise_id = rep.enterprise_id AND {_IN_YEAR}"""
_REPORT_KEY = "rep.enterprise_id::bigint * 10000 + yrs.y"
_VALID_IP = "(rep.invention_patents + rep.utility_models + rep.designs + rep.software_copyrights + rep.other_ip)"

# Yearly rows over `yrs` (y, jan1, dec31, win). Columns: code, y, carrier_id, ek, enterprise_id, num, den.
YEARLY_SQL = {
    "tenants_year_end": f"""
        SELECT 'tenants_year_end', yrs.y, r.carrier_id, r.enterprise_id::bigint, r.enterprise_id, 1::numeric, 0::numeric
        FROM yrs JOIN {T["residency"]} r ON {_open_on("r", "yrs.dec31")}""",
    "admissions": f"""
        SELECT 'admissions', yrs.y, f.carrier_id, f.enterprise_id::bigint, f.enterprise_id, 1::numeric, 0::numeric
        FROM yrs JOIN (
            SELECT DISTINCT ON (enterprise_id) enterprise_id, carrier_id, started_on
            FROM {T["residency"]} ORDER BY enterprise_id, started_on, id
        ) f ON f.started_on BETWEEN yrs.jan1 AND yrs.dec31""",
    "graduations": f"""
        SELECT 'graduations', yrs.y, fr.carrier_id, t.id::bigint, t.enterprise_id, 1::numeric, 0::numeric
        FROM yrs JOIN {T["transition"]} t ON t.kind = 'graduate' AND t.occurred_on BETWEEN yrs.jan1 AND yrs.dec31
        JOIN {T["residency"]} fr ON fr.id = t.from_residency_id""",
    "exits": f"""
        SELECT 'exits', yrs.y, fr.carrier_id, t.id::bigint, t.enterprise_id, 1::numeric, 0::numeric
        FROM yrs JOIN {T["transition"]} t ON t.kind = 'exit' AND t.occurred_on BETWEEN yrs.jan1 AND yrs.dec31
        JOIN {T["residency"]} fr ON fr.id = t.from_residency_id""",
    "tech_smes": f"""
        SELECT 'tech_smes', q.y, q.carrier_id, q.enterprise_id::bigint, q.enterprise_id, 1::numeric, 0::numeric
        FROM (
            SELECT yrs.y, r.carrier_id, r.enterprise_id
            FROM yrs JOIN {T["techsme"]} reg ON reg.year = yrs.y
            JOIN {T["residency"]} r ON r.enterprise_id = reg.enterprise_id AND {_IN_YEAR}
            UNION
            SELECT yrs.y, fr.carrier_id, t.enterprise_id
            FROM yrs JOIN {T["techsme"]} reg ON reg.year = yrs.y
            JOIN {T["transition"]} t ON t.enterprise_id = reg.enterprise_id AND t.kind = 'graduate'
                AND t.occurred_on <= yrs.dec31 AND t.occurred_on >= yrs.jan1 - make_interval(months => yrs.win)
            JOIN {T["residency"]} fr ON fr.id = t.from_residency_id
        ) q""",
    "htes": f"""
        SELECT 'htes', q.y, q.carrier_id, q.enterprise_id::bigint, q.enterprise_id, 1::numeric, 0::numeric
        FROM (
            WITH first_hte AS (
                SELECT DISTINCT ON (enterprise_id) enterprise_id, issued_on
                FROM {T["hte"]} ORDER BY enterprise_id, issued_on, id
            )
            SELECT yrs.y, r.carrier_id, h.enterprise_id
            FROM yrs JOIN first_hte h ON h.issued_on BETWEEN yrs.jan1 AND yrs.dec31
            JOIN {T["residency"]} r ON r.enterprise_id = h.enterprise_id AND {_open_on("r", "h.issued_on")}
            UNION
            SELECT yrs.y, fr.carrier_id, h.enterprise_id
            FROM yrs JOIN first_hte h ON h.issued_on BETWEEN yrs.jan1 AND yrs.dec31
            JOIN {T["transition"]} t ON t.enterprise_id = h.enterprise_id AND t.kind = 'graduate'
                AND t.occurred_on <= h.issued_on AND t.occurred_on >= h.issued_on - make_interval(months => yrs.win)
            JOIN {T["residency"]} fr ON fr.id = t.from_residency_id
        ) q""",
    "revenue": f"""
        SELECT 'revenue', yrs.y, r.carrier_id, {_REPORT_KEY}, rep.enterprise_id, rep.revenue, 0::numeric
        {_REPORT_YEARLY}""",
    "rd_expenditure": f"""
        SELECT 'rd_expenditure', yrs.y, r.carrier_id, {_REPORT_KEY}, rep.enterprise_id, rep.rd_expenditure, 0::numeric
        {_REPORT_YEARLY}""",
    "rd_intensity": f"""
        SELECT 'rd_intensity', yrs.y, r.carrier_id, {_REPORT_KEY}, rep.enterprise_id, rep.rd_expenditure, rep.revenue
        {_REPORT_YEARLY} AND rep.revenue > 0""",
    "valid_ip": f"""
        SELECT 'valid_ip', yrs.y, r.carrier_id, {_REPORT_KEY}, rep.enterprise_id, {_VALID_IP}::numeric, 0::numeric
        {_REPORT_YEARLY}""",
    "invention_patents": f"""
        SELECT 'invention_patents', yrs.y, r.carrier_id, {_REPORT_KEY}, rep.enterprise_id,
            rep.invention_patents::numeric, 0::numeric
        {_REPORT_YEARLY}""",
    "jobs": f"""
        SELECT 'jobs', yrs.y, r.carrier_id, {_REPORT_KEY}, rep.enterprise_id, rep.employees::numeric, 0::numeric
        {_REPORT_YEARLY}""",
    "financing": f"""
        SELECT 'financing', yrs.y, r.carrier_id, fe.id::bigint, fe.enterprise_id, fe.amount, 0::numeric
        FROM yrs JOIN {T["financing"]} fe ON fe.occurred_on BETWEEN yrs.jan1 AND yrs.dec31
        JOIN {T["residency"]} r ON r.enterprise_id = fe.enterprise_id AND {_open_on("r", "fe.occurred_on")}""",
    "tenants_financed": f"""
        SELECT 'tenants_financed', yrs.y, r.carrier_id, fe.enterprise_id::bigint, fe.enterprise_id, 1::numeric,
            0::numeric
        FROM yrs JOIN {T["financing"]} fe ON fe.occurred_on BETWEEN yrs.jan1 AND yrs.dec31
        JOIN {T["residency"]} r ON r.enterprise_id = fe.enterprise_id AND {_open_on("r", "fe.occurred_on")}""",
    # Not an indicator: how many verified annual reports the report-based figures rest on (for "no data").
    "_reports": f"""
        SELECT '_reports', yrs.y, r.carrier_id, {_REPORT_KEY}, rep.enterprise_id, 1::numeric, 0::numeric
        {_REPORT_YEARLY}""",
    "occupancy_rate": f"""
        SELECT 'occupancy_rate', yrs.y, b.carrier_id, a.id::bigint, r.enterprise_id, u.area_m2, 0::numeric
        FROM yrs JOIN {T["allocation"]} a ON a.period @> yrs.dec31
        JOIN {T["unit"]} u ON u.id = a.unit_id JOIN {T["building"]} b ON b.id = u.building_id
        JOIN {T["residency"]} r ON r.id = a.residency_id
        UNION ALL
        SELECT 'occupancy_rate', yrs.y, t.carrier_id, -t.carrier_id::bigint, NULL, 0::numeric, t.area
        FROM yrs CROSS JOIN (
            SELECT b.carrier_id, SUM(u.area_m2) AS area
            FROM {T["unit"]} u JOIN {T["building"]} b ON b.id = u.building_id GROUP BY b.carrier_id
        ) t""",
}

# The population of the cumulative stocks: residencies overlapping [1 January of the plan's first year, 31 Dec Y].
_CUM_POPULATION = f"""
    SELECT DISTINCT req.y, r.enterprise_id, r.carrier_id
    FROM req JOIN {T["residency"]} r
        ON r.started_on <= make_date(req.y, 12, 31) AND (r.ended_on IS NULL OR r.ended_on > make_date(req.s, 1, 1))
        AND req.s <= req.y"""
_LATEST_REPORT = f"""
    SELECT p.y, p.carrier_id, p.enterprise_id, l.*
    FROM ({_CUM_POPULATION}) p
    JOIN LATERAL (
        SELECT rep.year AS report_year, rep.invention_patents, rep.employees, {_VALID_IP} AS valid_ip
        FROM {T["report"]} rep
        WHERE rep.enterprise_id = p.enterprise_id AND {_VERIFIED_ANNUAL} AND rep.year <= p.y
        ORDER BY rep.year DESC LIMIT 1
    ) l ON TRUE"""

# Cumulative rows over `req` (y, s). Same columns.
CUMULATIVE_SQL = {
    "tenants_year_end": f"""
        SELECT 'tenants_year_end:c', p.y, p.carrier_id, p.enterprise_id::bigint, p.enterprise_id, 1::numeric, 0::numeric
        FROM ({_CUM_POPULATION}) p""",
    "valid_ip": f"""
        SELECT 'valid_ip:c', p.y, p.carrier_id, p.enterprise_id::bigint, p.enterprise_id, p.valid_ip::numeric,
            0::numeric
        FROM ({_LATEST_REPORT}) p""",
    "invention_patents": f"""
        SELECT 'invention_patents:c', p.y, p.carrier_id, p.enterprise_id::bigint, p.enterprise_id,
            p.invention_patents::numeric, 0::numeric
        FROM ({_LATEST_REPORT}) p""",
    "jobs": f"""
        SELECT 'jobs:c', p.y, p.carrier_id, p.enterprise_id::bigint, p.enterprise_id, p.employees::numeric, 0::numeric
        FROM ({_LATEST_REPORT}) p""",
}


def _int_array(values: Sequence[int]) -> str:
    return "ARRAY[" + ",".join(str(int(v)) for v in values) + "]::int[]" if values else "ARRAY[]::int[]"


def _with_clause(yearly_years: Sequence[int], requested: Sequence[int], start_year: int) -> str:
    """yrs: every year a yearly row is needed for, with its window; req: the years asked for, with the start."""
    windows = graduate_windows(yearly_years)
    years = sorted(windows)
    return f"""
        yrs AS (
            SELECT t.y, make_date(t.y, 1, 1) AS jan1, make_date(t.y, 12, 31) AS dec31, t.win
            FROM unnest({_int_array(years)}, {_int_array([windows[y] for y in years])}) AS t(y, win)
        ),
        req AS (SELECT t.y, {int(start_year)} AS s FROM unnest({_int_array(sorted(set(requested)))}) AS t(y))"""


def _yearly_span(years: Sequence[int], start_year: int) -> list[int]:
    """The years whose yearly rows the figures need: the asked years and every plan year up to the last asked."""
    last = max(years)
    return sorted(set(years) | set(range(min(start_year, last), last + 1)))


# ---------------------------------------------------------------------------------------------------------------
# Figures

# The figures of every code, year and carrier, in one statement. It reads the same contribution rows as the
# drill-downs (YEARLY_SQL, CUMULATIVE_SQL) but aggregates early, so it never holds a row per code, year and
# enterprise for every year it cumulates (over a million rows at 20,000 enterprises):
# - the report-based figures come from one row per (year, carrier, enterprise) with its report (an enterprise has
#   one current annual report a year), summed once for all six codes; the space let is one row per allocation;
# - a flow keyed by the year (a report, an event) cumulates as the sum of its yearly sums, the keys of two years
#   never being the same; a count of enterprises (num 1) cumulates as the number of enterprises whose first
#   counted year is reached;
# - the cumulative stocks read each enterprise's latest report once per year, not once per code.
# Each of these equals the sum over distinct keys that defines a figure (module docstring); targets/tests check it.
REPORT_CODES = ("revenue", "rd_expenditure", "rd_intensity", "valid_ip", "invention_patents", "jobs", "_reports")
# One row per (year, allocation) and per (year, carrier) for the space: nothing to make distinct, summed directly.
SUMMED_DIRECTLY = (*REPORT_CODES, "occupancy_rate")
YEAR_KEYED = ("graduations", "exits", "financing", "revenue", "rd_expenditure", "rd_intensity")
COUNTED_ONCE = ("tech_smes", "htes", "admissions", "tenants_financed")
assert set(YEAR_KEYED) | set(COUNTED_ONCE) == CUMULATIVE_FROM_YEARLY  # noqa: S101 -- a definition kept in step

_REPORT_SUMS = """SUM(revenue), SUM(rd_expenditure), SUM(rd_expenditure) FILTER (WHERE revenue > 0),
        SUM(revenue) FILTER (WHERE revenue > 0), SUM(valid_ip), SUM(invention_patents), SUM(employees),
        COUNT(*)::numeric"""


def _codes(codes) -> str:
    return ",".join(f"'{code}'" for code in codes)


_FIGURES_SQL = f"""
    WITH {{with_clause}},
    rep AS MATERIALIZED (
        SELECT DISTINCT yrs.y, r.carrier_id, rep.enterprise_id, rep.revenue, rep.rd_expenditure,
            {_VALID_IP}::numeric AS valid_ip, rep.invention_patents::numeric AS invention_patents,
            rep.employees::numeric AS employees
        {_REPORT_YEARLY}
    ),
    rep_sums(y, carrier_id, revenue, rd, rdi_num, rdi_den, valid_ip, inv, jobs, reports) AS (
        SELECT y, carrier_id, {_REPORT_SUMS} FROM rep GROUP BY y, carrier_id
        UNION ALL
        SELECT y, NULL, {_REPORT_SUMS}
        FROM (SELECT DISTINCT y, enterprise_id, revenue, rd_expenditure, valid_ip, invention_patents, employees
              FROM rep) d
        GROUP BY y
    ),
    occupancy(y, carrier_id, num, den) AS (
        SELECT y, carrier_id, SUM(num), SUM(den)
        FROM ({YEARLY_SQL["occupancy_rate"]}) o(code, y, carrier_id, ek, enterprise_id, num, den)
        GROUP BY y, carrier_id
    ),
    small(code, y, carrier_id, ek, enterprise_id, num, den) AS ({{small}}),
    small_c AS MATERIALIZED (SELECT DISTINCT code, y, carrier_id, ek, num, den FROM small),
    small_d AS MATERIALIZED (SELECT DISTINCT code, y, ek, num, den FROM small_c),
    yearly(code, y, carrier_id, num, den) AS MATERIALIZED (
        SELECT code, y, carrier_id, SUM(num), SUM(den) FROM small_c GROUP BY code, y, carrier_id
        UNION ALL
        SELECT code, y, NULL, SUM(num), SUM(den) FROM small_d GROUP BY code, y
        UNION ALL
        SELECT 'occupancy_rate', y, carrier_id, num, den FROM occupancy
        UNION ALL
        SELECT 'occupancy_rate', y, NULL, SUM(num), SUM(den) FROM occupancy GROUP BY y
        UNION ALL
        SELECT v.code, s.y, s.carrier_id, v.num, v.den
        FROM rep_sums s CROSS JOIN LATERAL (VALUES
            ('revenue', s.revenue, 0::numeric), ('rd_expenditure', s.rd, 0::numeric),
            ('rd_intensity', s.rdi_num, s.rdi_den), ('valid_ip', s.valid_ip, 0::numeric),
            ('invention_patents', s.inv, 0::numeric), ('jobs', s.jobs, 0::numeric),
            ('_reports', s.reports, 0::numeric)
        ) v(code, num, den)
    ),
    firsts(code, carrier_id, first_y, n) AS (
        SELECT code, carrier_id, first_y, COUNT(*) FROM (
            SELECT code, carrier_id, ek, MIN(y) AS first_y FROM small_c
            WHERE code IN ({_codes(COUNTED_ONCE)}) AND y >= {{start_year}} GROUP BY code, carrier_id, ek
        ) f GROUP BY code, carrier_id, first_y
        UNION ALL
        SELECT code, NULL, first_y, COUNT(*) FROM (
            SELECT code, ek, MIN(y) AS first_y FROM small_d
            WHERE code IN ({_codes(COUNTED_ONCE)}) AND y >= {{start_year}} GROUP BY code, ek
        ) f GROUP BY code, first_y
    ),
    pop AS MATERIALIZED ({_CUM_POPULATION}),
    latest AS MATERIALIZED (
        SELECT p.y, p.enterprise_id, l.invention_patents, l.employees, l.valid_ip
        FROM (SELECT DISTINCT y, enterprise_id FROM pop) p
        JOIN LATERAL (
            SELECT rep.invention_patents::numeric, rep.employees::numeric, {_VALID_IP}::numeric AS valid_ip
            FROM {T["report"]} rep
            WHERE rep.enterprise_id = p.enterprise_id AND {_VERIFIED_ANNUAL} AND rep.year <= p.y
            ORDER BY rep.year DESC LIMIT 1
        ) l ON TRUE
    )
    SELECT code, y, carrier_id, num, den FROM yearly
    UNION ALL
    SELECT yr.code || ':c', req.y, yr.carrier_id, SUM(yr.num), SUM(yr.den)
    FROM req JOIN yearly yr ON yr.code IN ({_codes(YEAR_KEYED)}) AND yr.y BETWEEN req.s AND req.y
    GROUP BY yr.code, req.y, yr.carrier_id
    UNION ALL
    SELECT f.code || ':c', req.y, f.carrier_id, SUM(f.n)::numeric, 0::numeric
    FROM req JOIN firsts f ON f.first_y <= req.y
    GROUP BY f.code, req.y, f.carrier_id
    UNION ALL
    SELECT 'tenants_year_end:c', y, carrier_id, COUNT(*)::numeric, 0::numeric FROM pop GROUP BY y, carrier_id
    UNION ALL
    SELECT 'tenants_year_end:c', y, NULL, COUNT(DISTINCT enterprise_id)::numeric, 0::numeric FROM pop GROUP BY y
    UNION ALL
    SELECT v.code, p.y, p.carrier_id, SUM(v.num), 0::numeric
    FROM pop p JOIN latest l ON l.y = p.y AND l.enterprise_id = p.enterprise_id
    CROSS JOIN LATERAL (VALUES ('valid_ip:c', l.valid_ip), ('invention_patents:c', l.invention_patents),
        ('jobs:c', l.employees)) v(code, num)
    GROUP BY v.code, p.y, p.carrier_id
    UNION ALL
    SELECT v.code, l.y, NULL, SUM(v.num), 0::numeric
    FROM latest l
    CROSS JOIN LATERAL (VALUES ('valid_ip:c', l.valid_ip), ('invention_patents:c', l.invention_patents),
        ('jobs:c', l.employees)) v(code, num)
    GROUP BY v.code, l.y
"""


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
    yearly_sums: dict | None = None,
    yearly_years: Sequence[int] = (),
) -> dict[int, dict[int | None, dict[str, Figure]]]:
    """year -> carrier id (None: district-wide) -> code -> Figure, for every carrier with any figure. 4 queries.
    `report_counts`, when given, is filled with (year, carrier id) -> number of verified annual reports counted.
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
                    level = levels.get((year, core_id if carrier_id is None else carrier_id), AccreditationLevel.NONE)
                    figures[code] = Figure(indicator, year, carrier_id, None, None, level, level)
                    continue
                yearly = value(code, year, carrier_id)
                if code == "occupancy_rate":
                    rates = [
                        rate
                        for y in range(start_year, year + 1)
                        if (rate := value(code, y, carrier_id, exact=True)) is not None
                    ]
                    cumulative = _quantize(indicator, sum(rates) / len(rates)) if rates else None
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
class ComputedFigures:
    """Every figure for several years, district-wide and at every carrier, from one computation (`compute_figures`).
    `report_counts`: (year, carrier id) -> the verified annual reports counted (for "no data")."""

    start_year: int
    figures: dict[int, dict[int | None, dict[str, Figure]]]
    report_counts: dict[tuple[int, int | None], int]
    yearly_sums: dict = dataclasses.field(default_factory=dict)

    def scope(self, year: int, carrier_id: int | None) -> dict[str, Figure]:
        """Every indicator for one year, district-wide (None) or at one carrier (zeros where nothing counts)."""
        return self.figures[year].get(carrier_id) or _empty_figures(year, carrier_id)

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
    yearly_sums: dict = {}
    figures = (
        _compute(
            list(years), start_year, report_counts=report_counts, yearly_sums=yearly_sums, yearly_years=trend_years
        )
        if years
        else {}
    )
    return ComputedFigures(start_year, figures, report_counts, yearly_sums)


def indicator_figures(
    *, year: int, carrier: Carrier | None = None, plan: TargetPlan | None = None
) -> dict[str, Figure]:
    """Every indicator for one year, district-wide or at one carrier."""
    carrier_id = carrier.pk if carrier is not None else None
    computed = _compute([year], _start_year(plan))[year]
    return computed.get(carrier_id) or _empty_figures(year, carrier_id)


def indicator_figures_by_carrier(*, year: int, plan: TargetPlan | None = None) -> dict[int, dict[str, Figure]]:
    """carrier id -> every indicator for one year at that carrier, for every carrier."""
    computed = _compute([year], _start_year(plan))[year]
    carrier_ids = list(Carrier.objects.order_by("sort_order", "id").values_list("pk", flat=True))
    return {pk: computed.get(pk) or _empty_figures(year, pk) for pk in carrier_ids}


def indicator_trend(
    *, years: Sequence[int], carrier: Carrier | None = None, plan: TargetPlan | None = None
) -> dict[int, dict[str, Figure]]:
    """year -> every indicator, for several years at once (the same number of queries whatever the years)."""
    if not years:
        return {}
    carrier_id = carrier.pk if carrier is not None else None
    computed = _compute(list(years), _start_year(plan))
    return {year: computed[year].get(carrier_id) or _empty_figures(year, carrier_id) for year in sorted(set(years))}


# ---------------------------------------------------------------------------------------------------------------
# Contributors

_CONTRIBUTION_SQL = """
    WITH {with_clause},
    rows_(code, y, carrier_id, ek, enterprise_id, num, den) AS ({rows}),
    d AS (SELECT DISTINCT {y} AS y, ek, enterprise_id, num, den FROM rows_ WHERE TRUE {carrier_filter})
"""
# What each enterprise adds: Σnum, or for a ratio Σnum × its weight in the year (100 ÷ Σden, ÷ the number of years
# averaged for the cumulative occupancy rate), so the contributions add up to the figure.
_SUM_SELECT = "SELECT d.enterprise_id, SUM(d.num) AS contribution FROM d WHERE d.enterprise_id IS NOT NULL"
_WEIGHTED_SELECT = """SELECT d.enterprise_id, SUM(d.num * w.weight) AS contribution
    FROM d JOIN (SELECT * FROM unnest({years}, {weights}) AS w0(y, weight)) w ON w.y = d.y
    WHERE d.enterprise_id IS NOT NULL"""


def _contribution_rows(*, code: str, year: int, form: str, carrier_id: int | None, start_year: int) -> str:
    if code not in INDICATORS or code in LEVELS:
        raise ValueError(code)
    cumulative = form == TargetForm.CUMULATIVE
    if cumulative and code in CUMULATIVE_OWN:
        rows, yearly_years = CUMULATIVE_SQL[code], [year]
    elif cumulative:
        rows, yearly_years = YEARLY_SQL[code], list(range(start_year, year + 1))
    else:
        rows, yearly_years = YEARLY_SQL[code], [year]
    if not yearly_years:  # a year before the plan began: nothing cumulates yet
        rows, yearly_years = f"SELECT * FROM ({YEARLY_SQL[code]}) q WHERE FALSE", [year]
    carrier_filter = f"AND carrier_id = {int(carrier_id)}" if carrier_id is not None else ""
    # A cumulative figure counts each key once over the years (one enterprise, one event, one report); only the
    # averaged occupancy rate keeps the years apart.
    keep_years = not cumulative or code == "occupancy_rate"
    return _CONTRIBUTION_SQL.format(
        with_clause=_with_clause(yearly_years, [year], start_year),
        rows=rows,
        carrier_filter=carrier_filter,
        y="y" if keep_years else str(int(year)),
    )


def contributions_sql(*, code: str, year: int, form: str, carrier_id: int | None, start_year: int) -> str:
    """SQL for (enterprise_id, contribution), one row per enterprise making up one figure. For a ratio it first
    reads the denominators (one query)."""
    base = _contribution_rows(code=code, year=year, form=form, carrier_id=carrier_id, start_year=start_year)
    if code not in RATIOS:
        return f"{base} {_SUM_SELECT} GROUP BY d.enterprise_id"
    with connection.cursor() as cursor:
        cursor.execute(f"{base} SELECT y, SUM(den) FROM d GROUP BY y HAVING SUM(den) > 0 ORDER BY y")
        totals = cursor.fetchall()
    averaged = code == "occupancy_rate" and form == TargetForm.CUMULATIVE
    weights = [Decimal(100) / total / (len(totals) if averaged else 1) for _y, total in totals]
    years = _int_array([y for y, _total in totals])
    weight_array = (
        "ARRAY[" + ",".join(f"{w:.20f}" for w in weights) + "]::numeric[]" if weights else "ARRAY[]::numeric[]"
    )
    return f"{base} {_WEIGHTED_SELECT.format(years=years, weights=weight_array)} GROUP BY d.enterprise_id"


def indicator_contributors(
    *, code: str, year: int, form: str, carrier: Carrier | None = None, plan: TargetPlan | None = None
) -> QuerySet[Enterprise]:
    """The enterprises making up a figure, annotated with `contribution` (their part of it: revenue, number of
    graduations, 1 for a count, their share in points of a ratio). The contributions add up to the figure.
    Two queries to evaluate (three for a ratio), whatever the number of enterprises. A level (accreditation) has
    no enterprises behind it: an empty queryset. An unknown code raises ValueError."""
    if code in LEVELS:
        return Enterprise.objects.none().annotate(
            contribution=Value(Decimal(0), output_field=DecimalField(max_digits=20, decimal_places=6))
        )
    sql = contributions_sql(
        code=code,
        year=year,
        form=form,
        carrier_id=carrier.pk if carrier is not None else None,
        start_year=_start_year(plan),
    )
    table = Enterprise._meta.db_table
    return Enterprise.objects.filter(pk__in=RawSQL(f"SELECT c.enterprise_id FROM ({sql}) c", [])).annotate(
        contribution=RawSQL(
            f'SELECT c.contribution FROM ({sql}) c WHERE c.enterprise_id = "{table}"."id"',
            [],
            output_field=DecimalField(max_digits=20, decimal_places=6),
        )
    )


# ---------------------------------------------------------------------------------------------------------------
# Attainment

REPORT_BASED = {"revenue", "rd_expenditure", "rd_intensity", "valid_ip", "invention_patents", "jobs"}


class Status:
    MET = "met"
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    MISSED = "missed"
    NO_DATA = "no_data"


STATUS_LABELS = {
    Status.MET: gettext_lazy("Met"),
    Status.ON_TRACK: gettext_lazy("On track"),
    Status.AT_RISK: gettext_lazy("At risk"),
    Status.MISSED: gettext_lazy("Missed"),
    Status.NO_DATA: gettext_lazy("No data"),
}


@dataclasses.dataclass(frozen=True)
class Attainment:
    target: Target
    figure: Figure
    actual: Decimal | str | None  # the figure in the target's form (a level code for accreditation)
    attainment: Decimal | None  # percent of target reached (None for levels)
    pipeline: Decimal  # known pipeline counted toward the status
    status: str  # "met" | "on_track" | "at_risk" | "missed" (year over, not met) | "no_data"
    status_reason: str  # one sentence, translated, why

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status])


def _in_residency_on(day: datetime.date, carrier_id: int | None) -> QuerySet[Residency]:
    """The residencies open on `day` (at the carrier when given), for a pipeline's subquery."""
    residencies = Residency.objects.filter(started_on__lte=day).filter(Q(ended_on__isnull=True) | Q(ended_on__gt=day))
    return residencies if carrier_id is None else residencies.filter(carrier_id=carrier_id)


def tech_sme_pipeline(*, year: int, carrier_id: int | None, today: datetime.date) -> Decimal:
    """Renewals pending: enterprises in residency today (at the carrier) that held a tech-SME registration for the
    year before `year` but have none for `year` yet. One query."""
    residencies = _in_residency_on(today, carrier_id)
    pending = (
        TechSMERegistration.objects.filter(year=year - 1, enterprise_id__in=residencies.values("enterprise_id"))
        .exclude(enterprise_id__in=TechSMERegistration.objects.filter(year=year).values("enterprise_id"))
        .values("enterprise_id")
        .distinct()
        .count()
    )
    return Decimal(pending)


def hte_pipeline(*, year: int, carrier_id: int | None, today: datetime.date) -> Decimal:
    """High-tech enterprise applications pending: enterprises in residency today (at the carrier) with a pending
    application for the assessment year `year` that hold no HTE certificate issued by today (a first certificate
    is what counts as cultivated, so a renewal is no gain). One query."""
    residencies = _in_residency_on(today, carrier_id)
    pending = (
        HTEApplication.objects.filter(
            year=year, outcome=HTEOutcome.PENDING, enterprise_id__in=residencies.values("enterprise_id")
        )
        .exclude(enterprise_id__in=HTECertificate.objects.filter(issued_on__lte=today).values("enterprise_id"))
        .values("enterprise_id")
        .distinct()
        .count()
    )
    return Decimal(pending)


# The indicator whose target status counts a known pipeline, and how it is computed (docs/indicators.md, "Status").
PIPELINES = {"tech_smes": tech_sme_pipeline, "htes": hte_pipeline}


def _fmt(value: Decimal | None) -> str:
    return "—" if value is None else f"{value.normalize():f}"


def _judge(
    target: Target, figure: Figure, *, today: datetime.date, pipeline: Decimal, reports: int
) -> tuple[Decimal | str | None, Decimal | None, str, str]:
    """(actual, attainment %, status, reason) for one target."""
    year_over = target.year < today.year
    future = target.year > today.year
    if target.indicator in LEVELS:
        actual_level = figure.level(target.form) or AccreditationLevel.NONE
        names = dict(AccreditationLevel.choices)
        params = {"actual": names.get(actual_level, actual_level), "target": names.get(target.level, target.level)}
        if ACCREDITATION_RANK[actual_level] >= ACCREDITATION_RANK[target.level]:
            return actual_level, None, Status.MET, _("Reached %(actual)s; the target is %(target)s.") % params
        if year_over:
            return (
                actual_level,
                None,
                Status.MISSED,
                _("The year is over and the level was %(actual)s; the target was %(target)s.") % params,
            )
        return (
            actual_level,
            None,
            Status.AT_RISK,
            _("Currently %(actual)s; %(target)s is still to be reached.") % params,
        )
    actual = figure.value(target.form)
    goal = target.value if target.value is not None else Decimal(0)
    if actual is None or (target.indicator in REPORT_BASED and not reports and not (actual or 0)):
        reason = (
            _("No figure: no verified annual reports for %(year)s yet.")
            if target.indicator in REPORT_BASED
            else _("No figure: there is nothing to divide by for %(year)s.")
        )
        return actual, None, Status.NO_DATA, reason % {"year": target.year}
    attainment = (actual * 100 / goal).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP) if goal else None
    at_most = target.comparison == Comparison.AT_MOST
    met = actual <= goal if at_most else actual >= goal
    params = {"actual": _fmt(actual), "target": _fmt(goal), "pipeline": _fmt(pipeline)}
    if met and not (at_most and not year_over):
        return actual, attainment, Status.MET, _("%(actual)s reached against a target of %(target)s.") % params
    if year_over:
        return (
            actual,
            attainment,
            Status.MISSED,
            _("The year is over: %(actual)s against a target of %(target)s.") % params,
        )
    if at_most:
        if met:
            return actual, attainment, Status.ON_TRACK, _("%(actual)s so far, within the limit of %(target)s.") % params
        return actual, attainment, Status.AT_RISK, _("%(actual)s so far, over the limit of %(target)s.") % params
    if future:
        fraction = Decimal(0)
    else:
        start = datetime.date(target.year, 1, 1)
        days = (datetime.date(target.year, 12, 31) - start).days + 1
        fraction = Decimal((today - start).days + 1) / Decimal(days)
    expected = (goal * fraction).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    params |= {"expected": _fmt(expected), "percent": f"{fraction * 100:.0f}"}
    if future:
        if actual + pipeline >= goal:
            return (
                actual,
                attainment,
                Status.ON_TRACK,
                _("The year has not begun; %(pipeline)s in the pipeline already covers the target of %(target)s.")
                % params,
            )
        return (
            actual,
            attainment,
            Status.AT_RISK,
            _("The year has not begun; %(pipeline)s in the pipeline against a target of %(target)s.") % params,
        )
    if actual + pipeline >= expected:
        return (
            actual,
            attainment,
            Status.ON_TRACK,
            _(
                "%(actual)s so far plus %(pipeline)s in the pipeline, against %(expected)s expected by now "
                "(%(percent)s%% of the year gone)."
            )
            % params,
        )
    return (
        actual,
        attainment,
        Status.AT_RISK,
        _(
            "Only %(actual)s so far plus %(pipeline)s in the pipeline, against %(expected)s expected by now "
            "(%(percent)s%% of the year gone)."
        )
        % params,
    )


def target_attainment(
    *,
    year: int,
    carrier: Carrier | None = None,
    plan: TargetPlan | None = None,
    today: datetime.date | None = None,
    returned_figures: dict[str, Figure] | None = None,
    computed: ComputedFigures | None = None,
) -> list[Attainment]:
    """Each target of the plan for the year and scope, with its figure and status (docs/indicators.md, "Status").
    District-wide includes the core's accreditation targets (district-wide means the core). At most 9 queries.
    `returned_figures`, when given, is filled with the scope's figures (so a page need not compute them twice).
    `computed`, when given (from `compute_figures` with the same plan, covering `year`), supplies the figures
    instead of computing them again: the result is the same."""
    plan = plan or current_plan()
    if plan is None:
        return []
    if computed is not None and (computed.start_year != plan.start_year or year not in computed.figures):
        raise ValueError("The precomputed figures do not cover this plan and year.")
    today = today or timezone.localdate()
    targets = Target.objects.filter(plan=plan, year=year).select_related("carrier", "plan")
    if carrier is not None:
        targets = targets.filter(carrier=carrier)
    else:
        targets = targets.filter(
            Q(carrier__isnull=True) | Q(indicator="accreditation_level", carrier__code=CORE_CARRIER_CODE)
        )
    targets = list(targets.order_by("indicator", "form", "id"))
    if not targets:
        return []
    if computed is None:
        report_counts: dict = {}
        computed = ComputedFigures(
            plan.start_year, _compute([year], plan.start_year, report_counts=report_counts), report_counts
        )
    report_counts = computed.report_counts
    carrier_id = carrier.pk if carrier is not None else None
    figures = computed.scope(year, carrier_id)
    if returned_figures is not None:
        returned_figures.update(figures)
    pipelines = {
        indicator: compute(year=year, carrier_id=carrier_id, today=today)
        for indicator, compute in PIPELINES.items()
        if year >= today.year and any(t.indicator == indicator for t in targets)
    }
    result = []
    for target in targets:
        figure = figures[target.indicator]
        if target.indicator in LEVELS and target.carrier_id is not None and carrier is None:
            figure = computed.scope(year, target.carrier_id)[target.indicator]
        own_pipeline = pipelines.get(target.indicator, Decimal(0))
        actual, attainment, status, reason = _judge(
            target, figure, today=today, pipeline=own_pipeline, reports=report_counts.get((year, carrier_id), 0)
        )
        result.append(Attainment(target, figure, actual, attainment, own_pipeline, status, str(reason)))
    return result


# ---------------------------------------------------------------------------------------------------------------
# Who sees which figures


def figure_scope(user) -> tuple[bool, QuerySet[Carrier]]:
    """(may see district-wide figures, the carriers whose figures the user may see) on the indicator pages: the
    operating company and the bureau every carrier, park staff only theirs, the others none (PAGES
    "targets.indicators")."""
    return carrier_scope(user, "targets.indicators")
