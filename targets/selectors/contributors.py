"""The enterprises behind a figure, with their part of it: the contributions add up to the figure."""

from __future__ import annotations

from decimal import Decimal

from django.db import connection
from django.db.models import DecimalField, QuerySet, Value
from django.db.models.expressions import RawSQL

from enterprises.models import (
    Enterprise,
)
from parks.models import Carrier
from targets.choices import TargetForm
from targets.indicators import INDICATORS
from targets.models import TargetPlan
from targets.selectors.compute import _start_year
from targets.selectors.sql import CUMULATIVE_OWN, CUMULATIVE_SQL, LEVELS, RATIOS, YEARLY_SQL, _int_array, _with_clause

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
