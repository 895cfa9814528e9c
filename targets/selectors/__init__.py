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

The package: `sql` (the contribution rows and the figures' statement), `compute` (one computation of every figure,
`compute_figures()`: the one entry the dashboard, the pages, the exports and the report compile call), `contributors`
(the enterprises behind a figure), `attainment` (each target's status) and `scope` (who sees which figures).
"""

from targets.indicators import INDICATORS
from targets.selectors.attainment import (
    PIPELINES,
    STATUS_LABELS,
    Attainment,
    Status,
    hte_pipeline,
    target_attainment,
    tech_sme_pipeline,
)
from targets.selectors.compute import (
    ComputedFigures,
    Figure,
    ReportCoverage,
    compute_figures,
    current_plan,
    indicator_figures,
    indicator_figures_by_carrier,
    indicator_trend,
)
from targets.selectors.contributors import contributions_sql, indicator_contributors
from targets.selectors.evaluation import (
    candidacy,
    cultivation_candidates,
    current_evaluation,
    enterprise_standing,
    evaluation_history,
    gap_summary,
    gaps_of,
    judge_enterprise,
    judge_enterprises,
    target_forecasts,
    version_in_force,
    with_candidacy,
)
from targets.selectors.scope import figure_scope
from targets.selectors.sql import (
    CORE_CARRIER_CODE,
    CUMULATIVE_FROM_YEARLY,
    CUMULATIVE_OWN,
    DEFAULT_START_YEAR,
    LEVELS,
    RATIOS,
    REPORT_BASED,
    graduate_windows,
)

__all__ = [
    "CORE_CARRIER_CODE",
    "CUMULATIVE_FROM_YEARLY",
    "CUMULATIVE_OWN",
    "DEFAULT_START_YEAR",
    "INDICATORS",
    "LEVELS",
    "PIPELINES",
    "RATIOS",
    "REPORT_BASED",
    "STATUS_LABELS",
    "Attainment",
    "ComputedFigures",
    "ReportCoverage",
    "Figure",
    "Status",
    "compute_figures",
    "candidacy",
    "contributions_sql",
    "cultivation_candidates",
    "current_evaluation",
    "evaluation_history",
    "current_plan",
    "enterprise_standing",
    "figure_scope",
    "gap_summary",
    "gaps_of",
    "graduate_windows",
    "hte_pipeline",
    "indicator_contributors",
    "indicator_figures",
    "indicator_figures_by_carrier",
    "indicator_trend",
    "judge_enterprise",
    "judge_enterprises",
    "target_attainment",
    "target_forecasts",
    "tech_sme_pipeline",
    "version_in_force",
    "with_candidacy",
]
