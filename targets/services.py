"""Writes to target plans. The bureau (and the system administrator) keeps the targets; every change needs a
reason and writes a TargetRevision (before/after) and an audit event in the same transaction."""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import workflows
from accounts.access import ensure_allowed, ensure_allowed_to_add
from accounts.audit import changes_between, only_fields, record, snapshot
from accounts.models import AuditAction, User
from accounts.roles import GROUP_NAMES, Role
from accounts.services import notify
from enterprises.models import Enterprise
from enterprises.services import REMIND_DAYS_BEFORE, reminder_kind
from parks.models import Carrier
from targets import phrases, return_rules
from targets.choices import CriterionKind, Operator, RunStatus, SchemeSubject
from targets.indicators import INDICATORS
from targets.metrics import METRICS, SCORE_METRIC, load_facts
from targets.models import (
    Band,
    Candidate,
    CarrierReturn,
    Criterion,
    Evaluation,
    FollowUp,
    ReportRun,
    ReturnReminder,
    Scheme,
    SchemeVersion,
    Target,
    TargetPlan,
    TargetRevision,
)
from targets.return_rules import DUPLICATE_RETURN, RETURN_FIGURES, return_problems, save_return
from targets.return_workflow import RETURN_WORKFLOW
from targets.selectors.carrier_returns import ReturnDue, returns_due
from targets.selectors.evaluation import judge, judge_enterprises

TARGET_FIELDS = ("form", "comparison", "value", "level", "note")
FIRST_ADDABLE_YEAR = 2024

# Constraint name -> the message shown when the database refuses a row (a race the checks did not see).
CONSTRAINT_MESSAGES = {
    "target_one_per_indicator": _("This plan already has a target for this indicator, year and carrier."),
    "target_value_or_level": _("An accreditation target names a level; every other target names a value."),
    "target_value_not_negative": _("A target value cannot be negative."),
}


def _json(value: Any) -> Any:
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    if isinstance(value, Carrier):
        return value.code
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def _require_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the target is set or changed.")})
    return reason


def _save(target: Target) -> None:
    """full_clean (the model's constraints, with their messages), then save; a constraint the database still
    refuses (a concurrent write) becomes the same clear message."""
    target.full_clean()
    try:
        with transaction.atomic():
            target.save()
    except IntegrityError as error:
        message = next((text for name, text in CONSTRAINT_MESSAGES.items() if name in str(error)), None)
        if message is None:
            raise
        raise ValidationError(message) from error


def _normalise(data: Mapping[str, Any]) -> dict[str, Any]:
    """Accreditation targets name a level and no value; the others a value and no level."""
    values = dict(data)
    if values.get("indicator") == "accreditation_level" or values.get("_indicator") == "accreditation_level":
        values["value"] = None
    elif "level" in values or "value" in values:
        values["level"] = ""
    values.pop("_indicator", None)
    return values


def target_create(
    *,
    plan: TargetPlan,
    year: int,
    indicator: str,
    by,
    reason: str,
    carrier: Carrier | None = None,
    form: str = "yearly",
    comparison: str = "at_least",
    value: Decimal | None = None,
    level: str = "",
    note: str = "",
) -> Target:
    """A new target in a plan, with its first revision (None → the values) and an audit event."""
    reason = _require_reason(reason)
    if indicator not in INDICATORS:
        raise ValidationError({"indicator": _("Choose one of the indicators.")})
    with transaction.atomic():
        ensure_allowed_to_add(by, Target)
        TargetPlan.objects.select_for_update().get(pk=plan.pk)
        values = _normalise(
            {"indicator": indicator, "form": form, "comparison": comparison, "value": value, "level": level,
             "note": note}
        )  # fmt: skip
        target = Target(plan=plan, year=year, carrier=carrier, **values)
        _save(target)
        changes = {field: [None, _json(getattr(target, field))] for field in ("year", "indicator", *TARGET_FIELDS)}
        changes["carrier"] = [None, _json(carrier)]
        TargetRevision.objects.create(target=target, changes=changes, reason=reason, by=by)
        record(actor=by, action=AuditAction.CREATE, obj=target, changes={**changes, "reason": [None, reason]})
    return target


def target_update(*, target: Target, data: Mapping[str, Any], reason: str, by) -> Target:
    """Change a target's reading, comparison, value, level or note. Nothing changed is an error; the revision
    keeps {field: [before, after]}."""
    reason = _require_reason(reason)
    unknown = set(data) - set(TARGET_FIELDS)
    if unknown:
        raise ValidationError(_("These fields cannot be changed: %(fields)s.") % {"fields": ", ".join(sorted(unknown))})
    with transaction.atomic():
        target = Target.objects.select_for_update().get(pk=target.pk)
        ensure_allowed(by, "change", target)
        values = _normalise({**data, "_indicator": target.indicator})
        changes = {}
        for field, after in values.items():
            before = getattr(target, field)
            if field == "value" and after is not None:
                after = Decimal(after)
            if before != after:
                changes[field] = [_json(before), _json(after)]
                setattr(target, field, after)
        if not changes:
            raise ValidationError(_("Nothing changed."))
        _save(target)
        TargetRevision.objects.create(target=target, changes=changes, reason=reason, by=by)
        record(actor=by, action=AuditAction.UPDATE, obj=target, changes={**changes, "reason": [None, reason]})
    return target


def plan_add_year(
    *, plan: TargetPlan, year: int, targets: Sequence[Mapping[str, Any]], reason: str, by
) -> list[Target]:
    """Extend a plan by a year (2024 onwards) with its targets, each {indicator, carrier?, form?, comparison?,
    value | level, note?}. All or nothing."""
    reason = _require_reason(reason)
    if year < FIRST_ADDABLE_YEAR:
        raise ValidationError({"year": _("Years from %(year)s onwards can be added.") % {"year": FIRST_ADDABLE_YEAR}})
    if not targets:
        raise ValidationError(_("Give at least one target for the year."))
    with transaction.atomic():
        ensure_allowed_to_add(by, Target)
        TargetPlan.objects.select_for_update().get(pk=plan.pk)
        if Target.objects.filter(plan=plan, year=year).exists():
            raise ValidationError({"year": _("The plan already has targets for %(year)s.") % {"year": year}})
        return [target_create(plan=plan, year=year, by=by, reason=reason, **dict(item)) for item in targets]


def plan_years(plan: TargetPlan) -> list[int]:
    return sorted(set(plan.targets.values_list("year", flat=True)))


def next_year(plan: TargetPlan) -> int:
    years = plan_years(plan)
    return max([*years, FIRST_ADDABLE_YEAR - 1]) + 1


# ------------------------------------------------------------------------------------- rule schemes and evaluations


@dataclasses.dataclass(frozen=True)
class EvaluationRun:
    judged: int
    recorded: int


def record_evaluations(
    *, scheme: str, year: int, on: datetime.date, enterprises: QuerySet | None = None, by=None
) -> EvaluationRun:
    """Judge every enterprise of `enterprises` (all of them by default) by the scheme's version in force on `on`,
    in one set-based pass, and keep an evaluation for each whose version or results differ from its current one
    (repeated runs on the same records keep nothing new: idempotent). The scheme's row is locked, so two runs at
    once take turns."""
    with transaction.atomic():
        locked = Scheme.objects.select_for_update().get(code=scheme)
        judgements = list(
            judge_enterprises(locked, enterprises if enterprises is not None else Enterprise.objects.all(), year=year,
                              on=on)
        )  # fmt: skip
        ids = [judgement.facts.enterprise_id for judgement in judgements]
        current = {
            row["enterprise_id"]: (row["version_id"], row["results"])
            for row in Evaluation.objects.filter(
                scheme=locked, year=year, is_current=True, enterprise_id__in=ids
            ).values("enterprise_id", "version_id", "results")
        }
        fresh = []
        for judgement in judgements:
            results = judgement.results_json()
            if current.get(judgement.facts.enterprise_id) == (judgement.version.pk, results):
                continue
            fresh.append(
                Evaluation(
                    scheme=locked,
                    version=judgement.version,
                    enterprise_id=judgement.facts.enterprise_id,
                    year=year,
                    evaluated_on=on,
                    outcome=judgement.outcome,
                    score=judgement.score,
                    readiness=judgement.readiness,
                    gaps=judgement.gaps,
                    results=results,
                    by=by if getattr(by, "is_authenticated", False) else None,
                )  # fmt: skip
            )
        replaced = [evaluation.enterprise_id for evaluation in fresh if evaluation.enterprise_id in current]
        if replaced:
            Evaluation.objects.filter(scheme=locked, year=year, is_current=True, enterprise_id__in=replaced).update(
                is_current=False
            )
        Evaluation.objects.bulk_create(fresh, batch_size=1000)
    return EvaluationRun(judged=len(judgements), recorded=len(fresh))


# Version authoring: staff draft a new version from the latest, edit its criteria, and publish it. A published
# version never changes (the database refuses it); one draft per scheme at a time (constraint schemeversion_one_draft).
VERSION_FIELDS = ("title", "issuer", "document_no", "region", "effective_from", "source", "is_example", "note")
CRITERION_FIELDS = (
    "code", "kind", "part", "metric", "operator", "threshold", "unit", "threshold_metric", "waived_by_route", "text",
    "text_en",
)  # fmt: skip


@dataclasses.dataclass(frozen=True)
class BandRow:
    lower: Decimal | None
    lower_inclusive: bool
    value: Decimal


def draft_version(*, scheme: Scheme, by) -> SchemeVersion:
    """A new draft of `scheme`, a copy of its latest version (criteria and bands), numbered next, in force from
    today until someone changes the date."""
    ensure_allowed_to_add(by, SchemeVersion)
    with transaction.atomic():
        locked = Scheme.objects.select_for_update().get(pk=scheme.pk)
        if locked.versions.filter(published_at__isnull=True).exists():
            raise ValidationError(_("This scheme already has a draft version: edit or discard it first."))
        latest = locked.versions.order_by("-version").first()
        draft = SchemeVersion.objects.create(
            scheme=locked,
            version=(latest.version + 1) if latest else 1,
            effective_from=timezone.localdate(),
            created_by=by,
            **({name: getattr(latest, name) for name in VERSION_FIELDS if name != "effective_from"} if latest else {}),
        )
        if latest is not None:
            for criterion in latest.criteria.order_by("position", "id").prefetch_related("bands"):
                bands = list(criterion.bands.all())
                criterion.pk = None
                criterion.version = draft
                criterion.save()
                Band.objects.bulk_create(
                    Band(criterion=criterion, lower=band.lower, lower_inclusive=band.lower_inclusive, value=band.value)
                    for band in bands
                )
        record(
            actor=by, action=AuditAction.CREATE, obj=draft, changes={"from_version": latest.version if latest else None}
        )
    return draft


def _draft(version: SchemeVersion) -> SchemeVersion:
    locked = SchemeVersion.objects.select_for_update().get(pk=version.pk)
    if locked.published_at is not None:
        raise ValidationError(_("A published version never changes: draft a new version instead."))
    return locked


def criterion_problems(
    rows: Sequence[Mapping[str, Any]], *, subject: str = SchemeSubject.ENTERPRISE
) -> dict[int, list[str]]:
    """Every problem of a draft's criteria, by row: a metric the portal cannot compute (for the scheme's subject:
    an enterprise's metric cannot judge a carrier), a unit that is not the metric's, a comparison without a
    threshold, a score band without bands, a code used twice."""
    problems: dict[int, list[str]] = {}
    seen: set[str] = set()
    for index, row in enumerate(rows):
        found = _metric_problems(row, subject) + _threshold_problems(row)
        if row.get("code") in seen:
            found.append(_("Another criterion of this version has the code “%(code)s”.") % {"code": row.get("code")})
        seen.add(row.get("code", ""))
        if found:
            problems[index] = found
    return problems


def _metric_problems(row: Mapping[str, Any], subject: str) -> list[str]:
    found = []
    metric = METRICS.get(row.get("metric", ""))
    if metric is None:
        found.append(_("“%(metric)s” is not a metric the portal computes.") % {"metric": row.get("metric")})
    elif metric.subject != subject and metric.code != SCORE_METRIC:
        found.append(_("“%(metric)s” does not measure what this scheme judges.") % {"metric": metric.label})
    elif row.get("unit") != metric.unit:
        found.append(_("The unit of “%(metric)s” is %(unit)s.") % {"metric": metric.label, "unit": metric.unit.label})
    by = row.get("threshold_metric") or ""
    if by and by in METRICS and METRICS[by].subject != subject:
        found.append(_("“%(metric)s” does not measure what this scheme judges.") % {"metric": METRICS[by].label})
    if by and by not in METRICS:
        found.append(_("“%(metric)s” is not a metric the portal computes.") % {"metric": by})
    return found


def _threshold_problems(row: Mapping[str, Any]) -> list[str]:
    kind, operator, bands = row.get("kind"), row.get("operator") or "", row.get("bands") or []
    threshold, by = row.get("threshold"), row.get("threshold_metric") or ""
    if kind == CriterionKind.SCORE:
        found = []
        if operator or threshold is not None:
            found.append(_("A score band gives points from its bands: it has no operator or threshold."))
        if not bands:
            found.append(_("A score band needs its bands."))
        return found
    if not operator:
        return [_("Choose an operator.")]
    if operator == Operator.YES:
        return [_("A yes-or-no condition has no threshold.")] if threshold is not None or by else []
    if by:
        return [] if bands else [_("A threshold taken by bands needs its bands.")]
    return [_("Enter the threshold.")] if threshold is None else []


def update_draft(
    *, version: SchemeVersion, data: Mapping[str, Any], criteria: Sequence[Mapping[str, Any]], by
) -> SchemeVersion:
    """Replace a draft's document fields and criteria (in the order given, each with its bands). Refused, with
    every problem by row and nothing changed, if a criterion names a metric the portal cannot compute."""
    ensure_allowed(by, "change", version)
    problems = criterion_problems(criteria, subject=version.scheme.subject)
    if problems:
        raise ValidationError({"criteria": [f"{index + 1}: {'; '.join(texts)}" for index, texts in problems.items()]})
    with transaction.atomic():
        draft = _draft(version)
        before = {name: _json(getattr(draft, name)) for name in VERSION_FIELDS}
        for name in VERSION_FIELDS:
            if name in data:
                setattr(draft, name, data[name])
        draft.full_clean(exclude=["scheme", "created_by", "published_by"])
        draft.save()
        draft.criteria.all().delete()
        for position, row in enumerate(criteria, start=1):
            criterion = Criterion(
                version=draft, position=position * 10, **{name: row.get(name) for name in CRITERION_FIELDS}
            )
            criterion.part = criterion.part or ""
            criterion.operator = criterion.operator or ""
            criterion.threshold_metric = criterion.threshold_metric or ""
            criterion.text_en = criterion.text_en or ""
            criterion.full_clean(exclude=["version"])
            criterion.save()
            Band.objects.bulk_create(
                Band(criterion=criterion, lower=band.lower, lower_inclusive=band.lower_inclusive, value=band.value)
                for band in row.get("bands") or []
            )
        after = {name: _json(getattr(draft, name)) for name in VERSION_FIELDS}
        record(actor=by, action=AuditAction.UPDATE, obj=draft,
               changes={**changes_between(before, after), "criteria": [None, len(criteria)]})  # fmt: skip
    return draft


@dataclasses.dataclass(frozen=True)
class ChangedDecision:
    enterprise: str
    enterprise_id: int
    year: int
    evaluated_on: datetime.date
    was: str
    would_be: str


@dataclasses.dataclass(frozen=True)
class RetroactiveEffects:
    """What a version effective in the past would contradict: the evaluations kept since its date whose outcome it
    would change (they keep the version they used), and the frozen reports compiled since (they stay as compiled)."""

    since: datetime.date
    decisions: list[ChangedDecision]
    judged: int
    report_runs: list[ReportRun]

    def as_json(self) -> dict[str, Any]:
        return {
            "since": self.since.isoformat(),
            "judged": self.judged,
            "decisions": [
                {"enterprise": item.enterprise_id, "year": item.year, "was": item.was, "would_be": item.would_be}
                for item in self.decisions
            ],
            "report_runs": [run.pk for run in self.report_runs],
        }


def retroactive_effects(version: SchemeVersion) -> RetroactiveEffects | None:
    """None when the version takes effect today or later; otherwise what it would contradict (see above): each
    current evaluation kept on or after its date is judged again by it, on the facts of that evaluation's date."""
    today = timezone.localdate()
    if version.effective_from >= today:
        return None
    kept = list(
        Evaluation.objects.filter(scheme=version.scheme, is_current=True, evaluated_on__gte=version.effective_from)
        .exclude(version=version)
        .select_related("enterprise")
        .order_by("enterprise__name", "year")
    )
    decisions = []
    groups: dict[tuple[int, datetime.date], list[Evaluation]] = {}
    for evaluation in kept:
        groups.setdefault((evaluation.year, evaluation.evaluated_on), []).append(evaluation)
    for (year, on), evaluations in groups.items():
        by_id = {evaluation.enterprise_id: evaluation for evaluation in evaluations}
        for facts in load_facts(Enterprise.objects.filter(pk__in=by_id), year=year, on=on):
            evaluation = by_id[facts.enterprise_id]
            outcome = judge(version, facts).outcome
            if outcome != evaluation.outcome:
                decisions.append(ChangedDecision(
                    enterprise=evaluation.enterprise.name, enterprise_id=evaluation.enterprise_id, year=year,
                    evaluated_on=on, was=evaluation.outcome, would_be=outcome,
                ))  # fmt: skip
    runs = list(
        ReportRun.objects.filter(status=RunStatus.SUCCEEDED, as_of__gte=version.effective_from).order_by("-as_of")
    )
    return RetroactiveEffects(since=version.effective_from, decisions=decisions, judged=len(kept), report_runs=runs)


def publish_version(*, version: SchemeVersion, by, confirm_retroactive: bool = False) -> SchemeVersion:
    """Publish a draft: from its date it is the version in force, and it never changes again. A version whose date
    is in the past is refused unless the person confirms, having seen `retroactive_effects`; what they saw is kept
    with it. Evaluations already made keep the version they used."""
    ensure_allowed(by, "change", version)
    with transaction.atomic():
        draft = _draft(version)
        if not draft.criteria.exists():
            raise ValidationError(_("A version needs at least one criterion."))
        effects = retroactive_effects(draft)
        if effects is not None:
            if not confirm_retroactive:
                raise ValidationError(
                    _("This version takes effect on %(date)s, in the past: confirm it after reading what it would "
                      "contradict.") % {"date": f"{draft.effective_from:%Y-%m-%d}"},
                    code="retroactive",
                )  # fmt: skip
            draft.retroactive_confirmation = {**effects.as_json(), "confirmed_on": timezone.localdate().isoformat()}
        draft.published_at = timezone.now()
        draft.published_by = by
        try:
            with transaction.atomic():
                draft.save(update_fields=["published_at", "published_by", "retroactive_confirmation"])
        except IntegrityError:
            raise ValidationError(
                {"effective_from": _("Another published version of this scheme takes effect on the same day.")}
            ) from None
        record(actor=by, action=AuditAction.UPDATE, obj=draft, changes={"published": [None, True]})
    return draft


def discard_draft(*, version: SchemeVersion, by) -> None:
    ensure_allowed(by, "change", version)
    with transaction.atomic():
        draft = _draft(version)
        record(actor=by, action=AuditAction.DELETE, obj=draft)
        draft.delete()


# Cultivation (培育库): staff mark the candidates among the tenants they oversee, and record what they did.


def _ensure_oversees(user, enterprise: Enterprise, model) -> None:
    ensure_allowed_to_add(user, model)
    if not Enterprise.objects.for_user(user, "view").filter(pk=enterprise.pk).exists():
        raise PermissionDenied(_("You do not have permission to do this."))


def mark_candidate(*, scheme: Scheme, enterprise: Enterprise, year: int, note: str = "", by) -> Candidate:
    """Mark an enterprise as a candidate for a scheme's round. Marking it again changes nothing."""
    _ensure_oversees(by, enterprise, Candidate)
    with transaction.atomic():
        candidate, created = Candidate.objects.get_or_create(
            scheme=scheme, enterprise=enterprise, year=year, defaults={"note": note.strip(), "marked_by": by}
        )
        if created:
            record(actor=by, action=AuditAction.CREATE, obj=candidate, changes={"note": [None, candidate.note]})
    return candidate


def unmark_candidate(*, candidate: Candidate, by) -> None:
    ensure_allowed(by, "delete", candidate)
    with transaction.atomic():
        record(actor=by, action=AuditAction.DELETE, obj=candidate)
        candidate.delete()


def record_follow_up(
    *, candidate: Candidate, occurred_on: datetime.date, note: str, next_on: datetime.date | None = None, by
) -> FollowUp:
    """What staff did for a candidate. A date in the future, an empty note, or a next follow-up before this one
    is refused in words, with nothing saved."""
    ensure_allowed(by, "change", candidate)
    problems: dict[str, str] = {}
    if occurred_on > timezone.localdate():
        problems["occurred_on"] = _("A follow-up that happened cannot be in the future.")
    if not note.strip():
        problems["note"] = _("Say what was done.")
    if next_on is not None and next_on < occurred_on:
        problems["next_on"] = _("The next follow-up cannot be before this one.")
    if problems:
        raise ValidationError(problems)
    with transaction.atomic():
        follow_up = FollowUp.objects.create(
            candidate=candidate, occurred_on=occurred_on, note=note.strip(), next_on=next_on, by=by
        )
        record(actor=by, action=AuditAction.CREATE, obj=follow_up, changes={"note": [None, follow_up.note]})
    return follow_up


# --- The carrier's annual return (载体年报) ---------------------------------------------------------------------------


def _return_figures(data: Mapping[str, Any]) -> dict[str, Any]:
    """The hand-entered figures given (None clears a figure of a draft: not known yet)."""
    return only_fields(data, RETURN_FIGURES)


def return_create(
    *, carrier: Carrier, year: int, by, data: Mapping[str, Any], today: datetime.date | None = None
) -> CarrierReturn:
    """Start (save as a draft) a carrier's return for a year: its staff or the operating company. Every problem is
    reported at once and nothing is saved; a second current return for the same year is refused, even when two are
    started at once."""
    today = today or timezone.localdate()
    figures = _return_figures(data)
    with transaction.atomic():
        carrier = Carrier.objects.select_for_update().get(pk=carrier.pk)
        ensure_allowed_to_add(by, CarrierReturn)
        ensure_allowed(by, "change", carrier)  # park staff: their own carriers only
        problems = return_problems(figures=figures, year=year, today=today)
        if CarrierReturn.objects.current().filter(carrier=carrier, year=year).exists():
            problems.setdefault("year", []).append(str(DUPLICATE_RETURN))
        if problems:
            raise ValidationError(problems)
        carrier_return = CarrierReturn(carrier=carrier, year=year, created_by=by, **figures)
        carrier_return.full_clean(exclude=["created_by", "carrier"], validate_constraints=False)
        save_return(carrier_return)
        entered = snapshot(carrier_return, RETURN_FIGURES)
        changes = {"carrier": [None, str(carrier)], "year": [None, year]}
        record(actor=by, action=AuditAction.CREATE, obj=carrier_return,
               changes=changes | {name: [None, value] for name, value in entered.items()})  # fmt: skip
    return carrier_return


def return_update(
    *, carrier_return: CarrierReturn, by, data: Mapping[str, Any], today: datetime.date | None = None
) -> CarrierReturn:
    """Change a draft's (or a returned return's) figures; a submitted or verified one is not edited (a verified one
    is corrected by a new version)."""
    today = today or timezone.localdate()
    figures = _return_figures(data)
    with transaction.atomic():
        carrier_return = RETURN_WORKFLOW.lock(carrier_return)
        ensure_allowed(by, "change", carrier_return)
        if carrier_return.status not in return_rules.EDITABLE:
            raise ValidationError(_("The return is “%(status)s” and can no longer be edited.")
                                  % {"status": carrier_return.get_status_display()})  # fmt: skip
        merged = {name: getattr(carrier_return, name) for name in RETURN_FIGURES} | figures
        problems = return_problems(figures=merged, year=carrier_return.year, today=today)
        if problems:
            raise ValidationError(problems)
        before = snapshot(carrier_return, RETURN_FIGURES)
        for name, value in figures.items():
            setattr(carrier_return, name, value)
        carrier_return.full_clean(exclude=["created_by", "carrier"], validate_constraints=False)
        save_return(carrier_return)
        changes = changes_between(before, snapshot(carrier_return, RETURN_FIGURES))
        if changes:
            record(actor=by, action=AuditAction.UPDATE, obj=carrier_return, changes=changes)
    return carrier_return


def return_act(
    *, carrier_return: CarrierReturn, move: str, by, message: str = "", today: datetime.date | None = None
) -> CarrierReturn:
    """Make one move of the return workflow (targets.return_workflow) on the locked row. Returns the return as it
    now is (for `correct`, the new version)."""
    return workflows.perform(RETURN_WORKFLOW, obj=carrier_return, move=move, by=by, message=message, today=today)


RETURN_REMINDER_LOCK_KEY = 4_010_001  # issue #10, targets app: the return reminder job's advisory lock


def _return_reminder_recipients(carrier_id: int) -> list[User]:
    """The carrier's own staff; for a carrier without any, the operating company, who files for it."""
    staff = list(User.objects.filter(is_active=True, managed_carriers=carrier_id).order_by("pk"))
    return staff or list(User.objects.filter(is_active=True, groups__name=GROUP_NAMES[Role.OPERATOR]).order_by("pk"))


def _send_return_reminder(due: ReturnDue, *, kind: str, sequence: int, today: datetime.date) -> ReturnReminder | None:
    """Record the reminder (once: the unique key) and tell the carrier's staff; None if it was sent already."""
    recipients = _return_reminder_recipients(due.carrier.pk)
    reminder = ReturnReminder(carrier=due.carrier, year=due.deadline.year, kind=kind, sequence=sequence,
                              due_on=due.deadline.due_on, recipients=len(recipients))  # fmt: skip
    try:
        with transaction.atomic():
            reminder.save()
    except IntegrityError:
        return None
    words = {"year": due.deadline.year, "carrier": due.carrier.name, "date": due.deadline.due_on}
    if due.deadline.due_on < today:
        body = phrases.RETURN_REMINDER_OVERDUE(**words, days=due.deadline.days_overdue(today))
    else:
        body = phrases.RETURN_REMINDER_DUE(**words)
    notify(recipients=recipients, subject=phrases.RETURN_REMINDER_SUBJECT(year=due.deadline.year,
           carrier=due.carrier.name), body=body, link=reverse("targets:returns"))  # fmt: skip
    record(
        actor=None,
        action=AuditAction.CREATE,
        obj=reminder,
        changes={"year": [None, due.deadline.year], "kind": [None, kind], "recipients": [None, len(recipients)]},
    )
    return reminder


def return_reminders_send(*, today: datetime.date | None = None) -> int:
    """The daily job: remind the staff of every carrier that has not filed (submitted or verified) its return for
    last year, 14 and 3 days before the deadline and weekly once it is overdue (the operating reports' schedule,
    enterprises.services.reminder_kind). Idempotent: each reminder is a unique row, so a repeated run (or two at once:
    an advisory lock orders them) sends nothing twice. Returns how many reminders were sent."""
    today = today or timezone.localdate()
    sent = 0
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [RETURN_REMINDER_LOCK_KEY])
        for due in returns_due(today=today, within_days=REMIND_DAYS_BEFORE[0]):
            kind = reminder_kind(due_on=due.deadline.due_on, today=today)
            if kind is not None:
                sent += _send_return_reminder(due, kind=kind[0], sequence=kind[1], today=today) is not None
    return sent
