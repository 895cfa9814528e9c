"""The contribution rows of every indicator, as SQL (the figures, the drill-downs and the contributors read the
same rows; targets.selectors explains how a figure is made of them). Every value interpolated is an int or a
constant."""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from enterprises.models import (
    FinancingEvent,
    HTECertificate,
    OperatingReport,
    TechSMERegistration,
)
from incubation.choices import RuleSetKind
from incubation.models import Allocation, Residency, RuleSet, Transition
from parks.models import Building, Unit

DEFAULT_START_YEAR = 2021
CORE_CARRIER_CODE = "qizhihui"
GRADUATE_WINDOW_CODE = "graduate_window_months"

RATIOS = {"rd_intensity", "occupancy_rate"}
# The figures read from the tenants' verified annual operating reports.
REPORT_BASED = {"revenue", "rd_expenditure", "rd_intensity", "valid_ip", "invention_patents", "jobs"}
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
    # Not an indicator: the tenants expected to file the year's annual report (in residency at some time in the
    # year, as enterprises.selectors.not_filed reads it), against which "_reports" says how complete the
    # report-based figures are (provisional until every one is verified).
    "_tenants": f"""
        SELECT '_tenants', yrs.y, r.carrier_id, r.enterprise_id::bigint, r.enterprise_id, 1::numeric, 0::numeric
        FROM yrs JOIN {T["residency"]} r ON {_IN_YEAR}""",
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
