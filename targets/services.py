"""Writes to target plans. The bureau (and the system administrator) keeps the targets; every change needs a
reason and writes a TargetRevision (before/after) and an audit event in the same transaction."""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from accounts.access import ensure_allowed, ensure_allowed_to_add
from accounts.audit import record
from accounts.models import AuditAction
from enterprises.models import Enterprise
from parks.models import Carrier
from targets.indicators import INDICATORS
from targets.models import Evaluation, Scheme, Target, TargetPlan, TargetRevision
from targets.selectors.evaluation import judge_enterprises

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
