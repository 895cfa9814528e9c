"""The bureau dashboard's figures (targets.views.DashboardView and its XLSX export), computed once per year and
scope and kept in the cache until an input changes (docs/indicators.md, "Dashboard").

The cached value holds numbers and codes only (plus the translated status reasons, so the key names the
language). Its key carries the data version, which `targets.signals.inputs_changed` bumps whenever a residency,
report, target or any other input is written: a stale entry is never read again and expires on its own.
"""

from __future__ import annotations

import datetime
import logging
import time
from decimal import Decimal

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone, translation

from incubation.selectors import FUNNEL_STEPS, pipeline_funnel_trend
from parks.models import Carrier
from targets import selectors
from targets.indicators import INDICATORS

logger = logging.getLogger(__name__)

FIRST_YEAR = selectors.DEFAULT_START_YEAR
VERSION_KEY = "targets:dashboard:version"
# The shape of the cached values: a change to what they hold (e.g. the report coverage) changes it, so an entry of
# the old shape is never read.
CACHE_SHAPE = 2
CACHE_TIMEOUT = 12 * 3600  # an entry outlives no change by more than this (and "today" moves on at midnight)
# The trends and the per-carrier table show these (every indicator is in the year's table).
TREND_INDICATORS = ("tech_smes", "htes", "tenants_year_end", "admissions", "graduations", "revenue", "rd_intensity",
                    "jobs")  # fmt: skip
CARRIER_INDICATORS = ("tenants_year_end", "admissions", "graduations", "tech_smes", "htes", "revenue", "jobs",
                      "occupancy_rate")  # fmt: skip


def data_version() -> int:
    """The current version of the dashboard's inputs (a number that only grows)."""
    version = cache.get(VERSION_KEY)
    if version is None:
        # No version yet (or Redis was flushed): start from the clock, so no old entry can match.
        cache.add(VERSION_KEY, int(time.time() * 1000), timeout=None)
        version = cache.get(VERSION_KEY)
    return int(version)


def bump_version() -> None:
    """Make every cached dashboard stale."""
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # not there: any new number will do, as nothing can be keyed by it yet
        cache.set(VERSION_KEY, int(time.time() * 1000), timeout=None)


def cache_key(*, year: int, carrier_id: int | None, today: datetime.date, version: int | None = None) -> str:
    version = data_version() if version is None else version
    scope = carrier_id if carrier_id is not None else "all"
    language = translation.get_language()
    return f"targets:dashboard:s{CACHE_SHAPE}:v{version}:{year}:{scope}:{today.isoformat()}:{language}"


def figures_key(*, year: int, version: int) -> str:
    return f"targets:dashboard:s{CACHE_SHAPE}:v{version}:figures:{year}"


def year_figures(year: int, *, version: int | None = None) -> selectors.ComputedFigures:
    """The figures of a year, district-wide and at every carrier, with the yearly figures of every year since the
    first for the trends: the one heavy computation behind every scope and language of the year's dashboard. Kept
    in the cache under the data version, so a page for another carrier or in another language, or the warm-up
    after a change, does not compute them again."""
    years = list(range(FIRST_YEAR, year + 1)) or [year]
    try:
        key = figures_key(year=year, version=data_version() if version is None else version)
        computed = cache.get(key)
    except Exception:  # Redis is down: compute rather than fail
        logger.exception("dashboard cache unavailable")
        return selectors.compute_figures(years=[year], trend_years=years)
    if computed is None:
        computed = selectors.compute_figures(years=[year], trend_years=years)
        cache.set(key, computed, CACHE_TIMEOUT)
    return computed


def _figure(figure: selectors.Figure, computed: selectors.ComputedFigures) -> dict:
    return {
        "yearly": figure.yearly,
        "cumulative": figure.cumulative,
        "yearly_level": figure.yearly_level,
        "cumulative_level": figure.cumulative_level,
        # Read from reports not all in yet (the year's are not due, or not all verified): not a final figure.
        "provisional": computed.provisional(figure.indicator.code, figure.year, figure.carrier_id),
    }


def _coverage(computed: selectors.ComputedFigures, year: int, carrier_id: int | None) -> dict:
    coverage = computed.coverage(year, carrier_id)
    return {"verified": coverage.verified, "expected": coverage.expected, "provisional": coverage.provisional}


def compute(
    *, year: int, carrier: Carrier | None, today: datetime.date | None = None, version: int | None = None
) -> dict:
    """Everything the dashboard shows for a year and scope, from one figure computation (the year's figures and the
    trend years' yearly figures, cached by `year_figures`; 3 more queries for the funnel, 3 for the targets and
    pipeline, 1 for the carriers). Numbers and codes only."""
    today = today or timezone.localdate()
    years = list(range(FIRST_YEAR, year + 1)) or [year]
    carrier_id = carrier.pk if carrier is not None else None
    computed = year_figures(year, version=version)
    figures = computed.scope(year, carrier_id)
    attainments = []
    for item in selectors.target_attainment(year=year, carrier=carrier, today=today, computed=computed):
        target = item.target
        attainments.append(
            {
                "indicator": target.indicator,
                "target_id": target.pk,
                "form": target.form,
                "comparison": target.comparison,
                "target_value": target.value,
                "target_level": target.level,
                "carrier_id": target.carrier_id,
                "actual": item.actual,
                "attainment": item.attainment,
                "pipeline": item.pipeline,
                "status": item.status,
                "reason": item.status_reason,
                "provisional": computed.provisional(target.indicator, year, carrier_id),
            }
        )
    carrier_ids = list(Carrier.objects.order_by("sort_order", "id").values_list("pk", flat=True))
    funnel_trend = pipeline_funnel_trend(years=years, carrier=carrier)
    return {
        "year": year,
        "carrier_id": carrier_id,
        "computed_at": timezone.now(),
        "figures": {code: _figure(figure, computed) for code, figure in figures.items()},
        "reports": _coverage(computed, year, carrier_id),
        "attainments": attainments,
        "carriers": {
            pk: {code: _figure(computed.scope(year, pk)[code], computed) for code in CARRIER_INDICATORS}
            for pk in carrier_ids
        },
        "carrier_reports": {pk: _coverage(computed, year, pk) for pk in carrier_ids},
        "trend": {y: {code: computed.yearly(code, y, carrier_id) for code in TREND_INDICATORS} for y in years},
        "funnel": funnel_trend[year],
        "funnel_trend": funnel_trend,
    }


def dashboard_data(*, year: int, carrier: Carrier | None, today: datetime.date | None = None) -> dict:
    """The dashboard's figures for the year and scope: from the cache when the inputs have not changed since they
    were computed, else computed now and cached. `computed_at` says when."""
    today = today or timezone.localdate()
    try:
        version = data_version()
        key = cache_key(year=year, carrier_id=carrier.pk if carrier is not None else None, today=today, version=version)
        data = cache.get(key)
    except Exception:  # Redis is down: compute every time rather than fail
        logger.exception("dashboard cache unavailable")
        return compute(year=year, carrier=carrier, today=today)
    if data is None:
        data = compute(year=year, carrier=carrier, today=today, version=version)
        cache.set(key, data, CACHE_TIMEOUT)
    return data


def warm(*, year: int | None = None) -> str:
    """Compute and cache the district-wide dashboard of the year (default: this year), in the portal's default
    language and in English, unless it is cached already, then the figures of every earlier year (so any year and
    any carrier is quick to open too). Returns the key of the default language's entry."""
    today = timezone.localdate()
    year = year or today.year
    key = ""
    version = data_version()
    for language in dict.fromkeys([settings.LANGUAGE_CODE, "en"]):
        with translation.override(language):
            language_key = cache_key(year=year, carrier_id=None, today=today, version=version)
            if cache.get(language_key) is None:
                data = compute(year=year, carrier=None, today=today, version=version)
                # Cached under the version read before computing: if an input changed meanwhile, the entry is
                # already stale and the change has scheduled another warm-up.
                cache.set(language_key, data, CACHE_TIMEOUT)
            key = key or language_key
    for earlier in range(year - 1, FIRST_YEAR - 1, -1):
        if version != data_version():
            break  # an input changed meanwhile: the warm-up it scheduled takes over
        year_figures(earlier, version=version)
    return key


def as_number(value: Decimal | int | None) -> float | None:
    """A figure for Chart.js (JSON has no decimals)."""
    return None if value is None else float(value)


def tables(data: dict, *, carriers: list[Carrier]) -> dict:
    """The page's blocks as rows of values (the template formats them; the XLSX export writes them as they are),
    the per-carrier table limited to `carriers` (those the user may see)."""
    targets = []
    for item in data["attainments"]:
        indicator = INDICATORS[item["indicator"]]
        targets.append({**item, "indicator_obj": indicator})
    figures = [{"indicator": indicator, **data["figures"][code]} for code, indicator in INDICATORS.items()]
    carrier_rows = [
        {
            "carrier": carrier,
            "figures": [data["carriers"].get(carrier.pk, {}).get(code) for code in CARRIER_INDICATORS],
            "reports": data["carrier_reports"].get(carrier.pk),
        }
        for carrier in carriers
    ]
    years = sorted(data["trend"])
    return {
        "targets": targets,
        "figures": figures,
        "carrier_indicators": [INDICATORS[code] for code in CARRIER_INDICATORS],
        "carrier_rows": carrier_rows,
        "funnel": [(step, data["funnel"][step]) for step in FUNNEL_STEPS],
        "funnel_trend": [(y, [data["funnel_trend"][y][step] for step in FUNNEL_STEPS]) for y in years],
        "trend_indicators": [INDICATORS[code] for code in TREND_INDICATORS],
        "trend": [(y, [data["trend"][y][code] for code in TREND_INDICATORS]) for y in years],
    }
