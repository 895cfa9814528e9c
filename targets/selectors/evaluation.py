"""Judging an enterprise by a rule scheme's version: each criterion's metric (targets.metrics) against its
threshold, with one of five results (met, not met, unknown with the missing figure named, needs manual review,
not applicable), score bands added up by part, direct routes that make the score unnecessary, and the gap to
each threshold in words. Reads only: targets.services keeps the judgements as evaluations."""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Iterable, Iterator, Mapping
from decimal import Decimal
from typing import Any

from django.db.models import Count, Exists, F, Max, OuterRef, Prefetch, Q, QuerySet

from accounts.phrasebook import Phrase, in_reader_language
from enterprises.models import Enterprise, HTECertificate, TechSMERegistration
from incubation.models import Residency
from targets import phrases
from targets.choices import CriterionKind, CriterionResult, EvaluationOutcome, Operator, Unit
from targets.indicators import INDICATORS
from targets.metrics import (
    METRICS,
    SCORE_METRIC,
    JudgedFacts,
    Measure,
    load_facts,
    months_later,
    plain,
)
from targets.models import Band, Candidate, Criterion, Evaluation, FollowUp, Scheme, SchemeVersion

MET, UNMET, UNKNOWN = CriterionResult.MET, CriterionResult.UNMET, CriterionResult.UNKNOWN
MANUAL, NOT_APPLICABLE = CriterionResult.MANUAL, CriterionResult.NOT_APPLICABLE


@dataclasses.dataclass(frozen=True)
class CriterionJudgement:
    criterion: Criterion
    result: str
    value: Decimal | None = None
    since: datetime.date | None = None
    threshold: Decimal | None = None
    points: Decimal | None = None
    found: Phrase | None = None
    missing: tuple[Phrase, ...] = ()
    gap: Phrase | None = None
    sources: tuple[dict[str, Any], ...] = ()

    def as_json(self) -> dict[str, Any]:
        """As an evaluation keeps it: the criterion as it read then, its value, threshold, result and sources."""
        item = self.criterion
        return {
            "criterion": item.pk, "code": item.code, "kind": item.kind, "part": item.part, "metric": item.metric,
            "text": item.text, "text_en": item.text_en, "operator": item.operator, "unit": item.unit,
            "threshold": _text(self.threshold), "value": _text(self.value),
            "since": self.since.isoformat() if self.since else None, "result": self.result,
            "points": _text(self.points), "found": self.found.as_json() if self.found else None,
            "missing": [phrase.as_json() for phrase in self.missing],
            "gap": self.gap.as_json() if self.gap else None, "sources": list(self.sources),
        }  # fmt: skip


@dataclasses.dataclass(frozen=True)
class Judgement:
    version: SchemeVersion
    facts: Any  # EnterpriseFacts, or targets.carrier_metrics.CarrierFacts
    outcome: str
    score: Decimal | None
    readiness: Decimal
    gaps: int
    results: tuple[CriterionJudgement, ...]

    def results_json(self) -> list[dict[str, Any]]:
        return [result.as_json() for result in self.results]


def criterion_words(item: Mapping[str, Any]) -> str:
    """A kept result's criterion, in the reader's language."""
    return in_reader_language(item.get("text", ""), item.get("text_en", ""))


def _text(value: Decimal | None) -> str | None:
    return None if value is None else str(plain(value))


# ---------------------------------------------------------------------------------------------------------- versions


def version_in_force(scheme: Scheme | str, on: datetime.date) -> SchemeVersion | None:
    """The published version of a scheme in force on a date (the latest effective by then), with its criteria and
    their bands: three queries."""
    code = scheme.code if isinstance(scheme, Scheme) else scheme
    return (
        SchemeVersion.objects.select_related("scheme")
        .filter(scheme__code=code, published_at__isnull=False, effective_from__lte=on)
        .order_by("-effective_from", "-version")
        .prefetch_related(criteria_with_bands())
        .first()
    )


def criteria_with_bands() -> Prefetch:
    return Prefetch(
        "criteria", queryset=Criterion.objects.order_by("position", "id").prefetch_related(_bands()), to_attr="rules"
    )


def _bands() -> Prefetch:
    return Prefetch("bands", queryset=Band.objects.order_by(F("lower").asc(nulls_first=True)), to_attr="scale")


def _rules(version: SchemeVersion) -> list[Criterion]:
    rules = getattr(version, "rules", None)
    if rules is None:
        rules = list(version.criteria.order_by("position", "id").prefetch_related(_bands()))
        version.rules = rules  # type: ignore[attr-defined]
    return rules


def band_value(bands: Iterable[Band], value: Decimal) -> Decimal | None:
    """The value of the highest band whose lower bound admits `value` (None: below every band)."""
    found = None
    for band in sorted(bands, key=lambda band: (band.lower is not None, band.lower or 0)):
        if band.lower is None or value > band.lower or (band.lower_inclusive and value == band.lower):
            found = band.value
    return found


def compares(value: Decimal, operator: str, threshold: Decimal | None) -> bool:
    if operator == Operator.YES:
        return value == 1
    if threshold is None:
        return False
    return {
        Operator.AT_LEAST: value >= threshold,
        Operator.MORE_THAN: value > threshold,
        Operator.AT_MOST: value <= threshold,
        Operator.LESS_THAN: value < threshold,
        Operator.EQUALS: value == threshold,
    }[Operator(operator)]


def _months_compare(measure: Measure, operator: str, threshold: Decimal, on: datetime.date) -> bool:
    """A duration against a number of months, by calendar date (24 months from 2024-01-31 end on 2026-01-31)."""
    if measure.since is None:
        return compares(measure.value or Decimal(0), operator, threshold)
    reached = months_later(measure.since, int(threshold))
    later = months_later(measure.since, int(threshold) + 1) if threshold != int(threshold) else reached
    return {
        Operator.AT_LEAST: on >= reached,
        Operator.MORE_THAN: on > reached,
        Operator.AT_MOST: on <= reached,
        Operator.LESS_THAN: on < reached,
        Operator.EQUALS: reached <= on < later,
    }[Operator(operator)]


# ------------------------------------------------------------------------------------------------------------ judging


def judge(version: SchemeVersion, facts: JudgedFacts) -> Judgement:
    """Every criterion of `version` for one enterprise's (or carrier's) facts. No queries once the version's criteria
    are loaded."""
    rules = _rules(version)
    measures: dict[str, Measure] = {}

    def measure_of(code: str) -> Measure:
        if code not in measures:
            measures[code] = METRICS[code].compute(facts)
        return measures[code]

    judged: dict[int, CriterionJudgement] = {}
    # Score bands first: the score is a metric of the gates that follow.
    parts: dict[str, list[tuple[Criterion, CriterionJudgement]]] = {}
    for item in rules:
        if item.kind != CriterionKind.SCORE:
            continue
        result = _judge_score(item, measure_of(item.metric))
        judged[item.pk] = result
        parts.setdefault(item.part or item.code, []).append((item, result))
    score, score_upper, unknown_parts = _score(parts)

    for item in rules:
        if item.kind == CriterionKind.SCORE:
            continue
        if item.metric == SCORE_METRIC:
            judged[item.pk] = _judge_score_gate(item, score, score_upper, unknown_parts, parts)
        else:
            judged[item.pk] = _judge_condition(item, measure_of, facts)

    routes = [judged[item.pk] for item in rules if item.kind == CriterionKind.ROUTE]
    met_routes = [route for route in routes if route.result == MET]
    if met_routes:
        for item in rules:
            if item.waived_by_route and item.kind == CriterionKind.GATE:
                judged[item.pk] = dataclasses.replace(
                    judged[item.pk],
                    result=NOT_APPLICABLE,
                    gap=None,
                    found=phrases.MET_BY_ROUTE(),
                )
    _settle_alternatives(rules, judged)
    results = tuple(judged[item.pk] for item in rules)
    gates = [result for result in results if result.criterion.kind == CriterionKind.GATE]
    relevant = [gate for gate in gates if gate.result != NOT_APPLICABLE]
    return Judgement(
        version=version,
        facts=facts,
        outcome=_outcome(gates, relevant, routes),
        score=score if parts else None,
        readiness=_readiness(gates, relevant, routes),
        gaps=sum(1 for result in relevant if result.result in (UNMET, UNKNOWN)),
        results=results,
    )


def _settle_alternatives(rules: list[Criterion], judged: dict[int, CriterionJudgement]) -> None:
    """Conditions of one part are alternatives ("≥ 50 % of tenants applied for patents, or ≥ 30 % hold valid IP"):
    once one is met, the others are not needed."""
    parts: dict[str, list[Criterion]] = {}
    for item in rules:
        if item.kind == CriterionKind.GATE and item.part and judged[item.pk].result != NOT_APPLICABLE:
            parts.setdefault(item.part, []).append(item)
    for members in parts.values():
        if len(members) < 2 or not any(judged[item.pk].result == MET for item in members):
            continue
        for item in members:
            if judged[item.pk].result != MET:
                judged[item.pk] = dataclasses.replace(
                    judged[item.pk], result=NOT_APPLICABLE, gap=None, found=phrases.MET_BY_ALTERNATIVE()
                )


def _outcome(gates, relevant, routes) -> str:
    if not gates:  # a scheme of routes alone: any one suffices (graduation)
        return _any_of(routes)
    if any(gate.result == UNMET for gate in relevant):
        return EvaluationOutcome.NOT_QUALIFIED
    if any(gate.result == UNKNOWN for gate in relevant):
        return EvaluationOutcome.UNDETERMINED
    # Met on the records; conditions no record shows are left to a person (the result "needs manual review").
    return EvaluationOutcome.QUALIFIED


def _readiness(gates, relevant, routes) -> Decimal:
    """The share of the conditions the records decide that are met, in percent (a route met: 100)."""
    if not gates and any(route.result == MET for route in routes):
        return Decimal(100)
    counted = [result for result in (relevant or routes) if result.result != MANUAL]
    if not counted:
        return Decimal(100)
    met = sum(1 for result in counted if result.result == MET)
    return (Decimal(met) / Decimal(len(counted)) * 100).quantize(Decimal("0.01"))


def _any_of(routes: list[CriterionJudgement]) -> str:
    if any(route.result == MET for route in routes):
        return EvaluationOutcome.QUALIFIED
    if any(route.result in (UNKNOWN, MANUAL) for route in routes):
        return EvaluationOutcome.UNDETERMINED
    return EvaluationOutcome.NOT_QUALIFIED


def _judge_score(item: Criterion, measure: Measure) -> CriterionJudgement:
    metric = METRICS[item.metric]
    if metric.manual:
        return CriterionJudgement(item, MANUAL, found=measure.found)
    if measure.value is None:
        return CriterionJudgement(item, UNKNOWN, missing=measure.missing, sources=measure.sources)
    points = band_value(item.scale, measure.value) or Decimal(0)  # type: ignore[attr-defined]
    return CriterionJudgement(
        item,
        MET if points > 0 else UNMET,
        value=measure.value,
        points=points,
        found=measure.found,
        sources=measure.sources,
    )


def _score(
    parts: Mapping[str, list[tuple[Criterion, CriterionJudgement]]],
) -> tuple[Decimal, Decimal, list[str]]:
    """(the score on what is known, the most it could be, the parts whose points are not known yet). Within a part
    the best criterion counts."""
    score = upper = Decimal(0)
    unknown: list[str] = []
    for part, members in parts.items():
        known = [result.points for _item, result in members if result.points is not None]
        best = max(known, default=Decimal(0))
        possible = max(
            (max((band.value for band in item.scale), default=Decimal(0)) for item, result in members  # type: ignore[attr-defined]
             if result.points is None),
            default=Decimal(0),
        )  # fmt: skip
        score += best
        upper += max(best, possible)
        if possible > best:
            unknown.append(part)
    return score, upper, unknown


def _judge_score_gate(item, score, upper, unknown_parts, parts) -> CriterionJudgement:
    threshold = item.threshold
    if compares(score, item.operator, threshold):
        result, found = MET, _score_words(score, parts)
    elif unknown_parts and compares(upper, item.operator, threshold):
        missing = tuple(
            phrase for part in unknown_parts for _member, judged in parts[part] for phrase in judged.missing
        )
        return CriterionJudgement(
            item, UNKNOWN, value=score, threshold=threshold,
            found=phrases.SCORE_INCOMPLETE(points=plain(score), count=len(unknown_parts)),
            missing=missing,
        )  # fmt: skip
    else:
        result, found = UNMET, _score_words(score, parts)
    gap = None
    if result == UNMET:
        gap = METRICS[SCORE_METRIC].gap(None, Measure(value=score), item.operator, threshold)  # type: ignore[misc]
    return CriterionJudgement(item, result, value=score, threshold=threshold, found=found, gap=gap)


def _score_words(score: Decimal, parts) -> Phrase:
    return phrases.SCORE_FOUND(points=plain(score))


def _judge_condition(item: Criterion, measure_of, facts: JudgedFacts) -> CriterionJudgement:
    metric = METRICS[item.metric]
    measure = measure_of(item.metric)
    if metric.manual:
        return CriterionJudgement(item, MANUAL, found=measure.found)
    threshold = item.threshold
    sources = measure.sources
    if item.threshold_metric:
        by = measure_of(item.threshold_metric)
        if by.value is None:
            return CriterionJudgement(item, UNKNOWN, missing=by.missing + measure.missing, sources=by.sources)
        threshold = band_value(item.scale, by.value)  # type: ignore[attr-defined]
        sources = tuple(_merge(sources, by.sources))
        if threshold is None:
            return CriterionJudgement(item, NOT_APPLICABLE, found=by.found, sources=sources)
    if measure.value is None:
        return CriterionJudgement(item, UNKNOWN, threshold=threshold, missing=measure.missing, sources=sources)
    if item.unit == Unit.MONTHS and item.operator != Operator.YES:
        ok = _months_compare(measure, item.operator, threshold, facts.on)  # type: ignore[arg-type]
    else:
        ok = compares(measure.value, item.operator, threshold)
    gap = None
    if not ok and metric.gap is not None and threshold is not None:
        gap = metric.gap(facts, measure, item.operator, threshold)
    return CriterionJudgement(
        item,
        MET if ok else UNMET,
        value=measure.value,
        since=measure.since,
        threshold=threshold,
        found=measure.found,
        gap=gap,
        sources=sources,
    )


def _merge(*groups: tuple[dict[str, Any], ...]) -> list[dict[str, Any]]:
    seen: list[dict[str, Any]] = []
    for group in groups:
        for source in group:
            if source not in seen:
                seen.append(source)
    return seen


# ----------------------------------------------------------------------------------------------------- entry points


def judge_enterprises(
    scheme: Scheme | str, enterprises: QuerySet, *, year: int, on: datetime.date
) -> Iterator[Judgement]:
    """Every enterprise of `enterprises` judged by the version in force on `on`, in one set-based pass: a fixed
    number of queries whatever their number. Nothing when the scheme has no version in force."""
    version = version_in_force(scheme, on)
    if version is None:
        return
    for facts in load_facts(enterprises, year=year, on=on):
        yield judge(version, facts)


def judge_enterprise(
    scheme: Scheme | str,
    enterprise,
    *,
    year: int,
    on: datetime.date,
    figures: Mapping[str, Decimal | None] | None = None,
) -> Judgement | None:
    """One enterprise judged for the round `year`; `figures` replace the last full year's reported figures (the
    what-if calculator: nothing is saved)."""
    version = version_in_force(scheme, on)
    if version is None:
        return None
    (facts,) = load_facts(Enterprise.objects.filter(pk=enterprise.pk), year=year, on=on)
    if figures:
        facts = facts.with_figures(year - 1, figures)
    return judge(version, facts)


def current_evaluation(scheme: Scheme | str, enterprise, year: int) -> Evaluation | None:
    code = scheme.code if isinstance(scheme, Scheme) else scheme
    return (
        Evaluation.objects.select_related("version__scheme")
        .filter(scheme__code=code, enterprise=enterprise, year=year, is_current=True)
        .first()
    )


def evaluation_history(scheme: Scheme | str, enterprise, *, limit: int = 20) -> list[Evaluation]:
    """The evaluations kept for an enterprise by a scheme, newest first, with their versions."""
    code = scheme.code if isinstance(scheme, Scheme) else scheme
    return list(
        Evaluation.objects.select_related("version")
        .filter(scheme__code=code, enterprise=enterprise)
        .order_by("-created_at", "-id")[:limit]
    )


# ------------------------------------------------------------------------------------------------ cultivation lists


def _already_holds(scheme: Scheme, year: int) -> Q:
    """The enterprises that hold what the scheme confers for the round already: no candidates for it."""
    if scheme.code == "tech_sme_evaluation":
        return Q(enterprise__in=TechSMERegistration.objects.filter(year=year).values("enterprise_id"))
    if scheme.code == "hte_recognition":  # certified through the round's year: no re-recognition due
        return Q(
            enterprise__in=HTECertificate.objects.filter(
                issued_on__lte=datetime.date(year, 1, 1), expires_on__gt=datetime.date(year, 12, 31)
            ).values("enterprise_id")
        )
    return Q(pk__in=[])


def cultivation_candidates(user, *, scheme: Scheme, year: int) -> QuerySet[Evaluation]:
    """The round's current evaluations of the enterprises `user` oversees that do not hold the qualification yet,
    ranked: those that qualify on their records first, then those that lack a figure, then those that do not
    qualify; within each the readiest first (share of conditions met), the fewest gaps, the highest score. The
    order is an index's (`evaluation_ranking_idx`): a page is read without sorting the round. Marks and follow-ups
    are added to a page's rows by `with_candidacy`."""
    return (
        Evaluation.objects.for_user(user, "view")
        .filter(scheme=scheme, year=year, is_current=True)
        .exclude(_already_holds(scheme, year))
        # The enterprise's name only for the page's rows: a join would widen every row the order reads.
        .prefetch_related(Prefetch("enterprise", queryset=Enterprise.objects.only("pk", "name", "uscc")))
        .order_by("standing", "-readiness", "gaps", F("score").desc(nulls_last=True), "pk")
    )


def marked_as_candidates(rows: QuerySet[Evaluation], *, marked: bool) -> QuerySet[Evaluation]:
    candidacy = Candidate.objects.filter(
        scheme=OuterRef("scheme"), year=OuterRef("year"), enterprise=OuterRef("enterprise")
    )
    return rows.filter(Exists(candidacy)) if marked else rows.exclude(Exists(candidacy))


def with_candidacy(rows: list[Evaluation]) -> list[Evaluation]:
    """Each row of a page with `candidate_id` (staff marked it for the round) and `last_follow_up` (the latest
    follow-up's date): one query whatever the page."""
    if not rows:
        return rows
    found = {
        (item.scheme_id, item.year, item.enterprise_id): item
        for item in Candidate.objects.filter(
            enterprise__in=[row.enterprise_id for row in rows], year__in={row.year for row in rows},
            scheme__in={row.scheme_id for row in rows},
        ).annotate(last_follow_up=Max("follow_ups__occurred_on"))
    }  # fmt: skip
    for row in rows:
        candidate = found.get((row.scheme_id, row.year, row.enterprise_id))
        row.candidate_id = candidate.pk if candidate else None  # type: ignore[attr-defined]
        row.last_follow_up = candidate.last_follow_up if candidate else None  # type: ignore[attr-defined]
    return rows


def gaps_of(results: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The conditions a kept evaluation found not met or unknown, each with its gap or its missing figures."""
    return [
        item for item in results if item.get("kind") == CriterionKind.GATE and item.get("result") in (UNMET, UNKNOWN)
    ]


def candidacy(scheme: Scheme, enterprise, year: int) -> Candidate | None:
    return (
        Candidate.objects.filter(scheme=scheme, enterprise=enterprise, year=year)
        .select_related("marked_by")
        .prefetch_related(Prefetch("follow_ups", queryset=FollowUp.objects.select_related("by")))
        .first()
    )


def enterprise_standing(enterprise, *, year: int) -> list[Evaluation]:
    """An enterprise's current evaluations for the round, one per scheme: what its home page shows."""
    return list(
        Evaluation.objects.filter(enterprise=enterprise, year=year, is_current=True)
        .select_related("scheme", "version")
        .order_by("scheme__position", "scheme__code")
    )


@dataclasses.dataclass(frozen=True)
class GapSummary:
    """What a kept evaluation lacks, for a list: the conditions not met with their gaps, and each missing figure
    once, however many conditions it leaves unknown."""

    unmet: list[dict[str, Any]]
    missing: list[dict[str, Any]]
    unknown_count: int

    @property
    def empty(self) -> bool:
        return not self.unmet and not self.missing


def gap_summary(results: list[dict[str, Any]]) -> GapSummary:
    gaps = gaps_of(results)
    missing: list[dict[str, Any]] = []
    for item in gaps:
        for phrase in item.get("missing") or []:
            if phrase not in missing:
                missing.append(phrase)
    return GapSummary(
        unmet=[item for item in gaps if item.get("result") == UNMET],
        missing=missing,
        unknown_count=sum(1 for item in gaps if item.get("result") == UNKNOWN),
    )


# ---------------------------------------------------------------------------------------------------- the forecast

# The targets the engine forecasts, and the scheme whose evaluations say who could still make it this year.
FORECAST_SCHEMES = {"tech_smes": "tech_sme_evaluation", "htes": "hte_recognition"}


@dataclasses.dataclass(frozen=True)
class TargetForecast:
    """A target of this year against what the engine sees: already counted, the tenants that qualify on their
    records but are not counted yet, those it cannot tell yet (a figure missing, no condition failed), and the
    shortfall even if every qualifying tenant makes it."""

    indicator: str
    scheme: Scheme
    target: Decimal
    actual: Decimal
    qualified: int
    undetermined: int

    @property
    def label(self):
        return INDICATORS[self.indicator].label

    @property
    def expected(self) -> Decimal:
        return self.actual + self.qualified

    @property
    def shortfall(self) -> Decimal:
        return max(Decimal(0), self.target - self.expected)

    @property
    def makes_it(self) -> bool:
        return self.shortfall == 0


def target_forecasts(rows: Iterable[Mapping[str, Any]], *, year: int, carrier=None) -> list[TargetForecast]:
    """The forecast of each yearly tech-SME and HTE target of `rows` (the dashboard's target rows), counting the
    tenants in residence (at `carrier`, or anywhere) by the round's current evaluations: two queries at most."""
    wanted = [
        row for row in rows
        if row["indicator"] in FORECAST_SCHEMES and row.get("form") == "yearly" and row.get("target_value") is not None
    ]  # fmt: skip
    if not wanted:
        return []
    schemes = {scheme.code: scheme for scheme in Scheme.objects.filter(code__in=FORECAST_SCHEMES.values())}
    tenants = Residency.objects.filter(ended_on__isnull=True)
    if carrier is not None:
        tenants = tenants.filter(carrier=carrier)
    counts: dict[tuple[str, str], int] = {}
    for scheme in schemes.values():
        for row in (
            Evaluation.objects.filter(scheme=scheme, year=year, is_current=True)
            .filter(enterprise__in=tenants.values("enterprise_id"))
            .exclude(_already_holds(scheme, year))
            .values("outcome")
            .annotate(n=Count("pk"))
        ):
            counts[(scheme.code, row["outcome"])] = row["n"]
    forecasts = []
    for row in wanted:
        scheme = schemes.get(FORECAST_SCHEMES[row["indicator"]])
        if scheme is None:
            continue
        forecasts.append(TargetForecast(
            indicator=row["indicator"], scheme=scheme, target=Decimal(row["target_value"]),
            actual=Decimal(row["actual"] or 0),
            qualified=counts.get((scheme.code, EvaluationOutcome.QUALIFIED), 0),
            undetermined=counts.get((scheme.code, EvaluationOutcome.UNDETERMINED), 0),
        ))  # fmt: skip
    return forecasts
