"""Each target's figure, attainment and status (docs/indicators.md, "Status")."""

from __future__ import annotations

import dataclasses
import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from enterprises.choices import HTEOutcome
from enterprises.models import (
    HTEApplication,
    HTECertificate,
    TechSMERegistration,
)
from incubation.models import Residency
from parks.choices import ACCREDITATION_RANK, AccreditationLevel
from parks.models import Carrier
from targets.choices import Comparison
from targets.models import Target, TargetPlan
from targets.selectors.compute import ComputedFigures, Figure, compute_figures, current_plan
from targets.selectors.sql import CORE_CARRIER_CODE, LEVELS, REPORT_BASED

# ---------------------------------------------------------------------------------------------------------------
# Attainment


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


def _judge_level(target: Target, figure: Figure, *, year_over: bool) -> tuple[str, None, str, str]:
    """(actual level, no attainment %, status, reason) for an accreditation target."""
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


def _judge(
    target: Target, figure: Figure, *, today: datetime.date, pipeline: Decimal, reports: int
) -> tuple[Decimal | str | None, Decimal | None, str, str]:
    """(actual, attainment %, status, reason) for one target."""
    year_over = target.year < today.year
    future = target.year > today.year
    if target.indicator in LEVELS:
        return _judge_level(target, figure, year_over=year_over)
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
    computed: ComputedFigures | None = None,
) -> list[Attainment]:
    """Each target of the plan for the year and scope, with its figure and status (docs/indicators.md, "Status").
    District-wide includes the core's accreditation targets (district-wide means the core). At most 9 queries.
    `computed`, when given (from `compute_figures` with the same plan, covering `year`), supplies the figures
    instead of computing them again: the result is the same."""
    plan = plan or current_plan()
    if plan is None:
        return []
    if computed is not None and (computed.start_year != plan.start_year or year not in computed.figures):
        raise ValueError("The precomputed figures do not cover this plan and year.")
    today = today or timezone.localdate()
    queryset = Target.objects.filter(plan=plan, year=year).select_related("carrier", "plan")
    if carrier is not None:
        queryset = queryset.filter(carrier=carrier)
    else:
        queryset = queryset.filter(
            Q(carrier__isnull=True) | Q(indicator="accreditation_level", carrier__code=CORE_CARRIER_CODE)
        )
    targets = list(queryset.order_by("indicator", "form", "id"))
    if not targets:
        return []
    if computed is None:
        computed = compute_figures(years=[year], plan=plan)
    report_counts = computed.report_counts
    carrier_id = carrier.pk if carrier is not None else None
    figures = computed.scope(year, carrier_id)
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
