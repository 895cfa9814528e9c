"""Residencies and space allocations. Each service locks what it changes (enterprise → residency → unit, always in
that order), checks the actor's permission on the very carrier, and records an audit event."""

from __future__ import annotations

import datetime

from django.contrib.postgres.fields.ranges import DateRange
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accounts.access import ensure_allowed, ensure_allowed_to_add
from accounts.audit import record, save_with_audit
from accounts.models import AuditAction
from enterprises.models import Enterprise
from incubation import rules
from incubation.choices import ADMISSION_RULES, ResidencyEndReason, RuleSetKind, TransitionKind
from incubation.models import Allocation, Residency, RuleSet, Transition
from parks.models import Carrier, Unit

RESIDENCY_FIELDS = ("enterprise", "carrier", "stage", "started_on", "planned_end_on", "agreement_no", "note")


def residency_open(
    *,
    enterprise: Enterprise,
    carrier: Carrier,
    stage: str,
    started_on: datetime.date,
    by,
    planned_end_on: datetime.date | None = None,
    agreement_no: str = "",
    note: str = "",
) -> Residency:
    """Admit an enterprise to a stage of a carrier (or record an existing tenant). An enterprise has one open
    residency at a time; the stage must be one the carrier offers."""
    with transaction.atomic():
        Enterprise.objects.select_for_update().get(pk=enterprise.pk)
        ensure_allowed_to_add(by, Residency, within=carrier)
        if Residency.objects.filter(enterprise=enterprise, ended_on__isnull=True).exists():
            raise ValidationError(_("This enterprise already has an open residency; end or move it first."))
        residency = Residency()
        save_with_audit(
            instance=residency,
            by=by,
            data={
                "enterprise": enterprise, "carrier": carrier, "stage": stage, "started_on": started_on,
                "planned_end_on": planned_end_on, "agreement_no": agreement_no, "note": note,
            },
            fields=RESIDENCY_FIELDS,
        )  # fmt: skip
    return residency


def allocation_create(
    *, residency: Residency, unit: Unit, start: datetime.date, by, end: datetime.date | None = None
) -> Allocation:
    """Let `unit` to an open residency from `start` until `end` (exclusive; default: the planned end). The unit
    must belong to the residency's carrier and be zoned for its stage; overlapping dates are refused."""
    with transaction.atomic():
        residency = Residency.objects.select_for_update().select_related("carrier", "enterprise").get(pk=residency.pk)
        ensure_allowed(by, "change", residency)
        unit = Unit.objects.select_for_update(of=("self",)).select_related("building").get(pk=unit.pk)
        end = end or residency.planned_end_on
        problems = {}
        if not residency.is_open:
            problems["residency"] = _("This residency has ended.")
        if unit.building.carrier_id != residency.carrier_id:
            problems["unit"] = _("This unit belongs to another carrier.")
        elif unit.stage_zone != residency.stage:
            problems["unit"] = _("This unit is zoned for %(zone)s, not for %(stage)s.") % {
                "zone": unit.get_stage_zone_display(), "stage": residency.get_stage_display(),
            }  # fmt: skip
        if start < residency.started_on:
            problems["start"] = _("The allocation cannot start before the residency (%(date)s).") % {
                "date": f"{residency.started_on:%Y-%m-%d}"
            }
        if end is not None and end <= start:
            problems["end"] = _("The end date must come after the start date.")
        if problems:
            raise ValidationError(problems)
        clash = _first_clash(unit, DateRange(start, end))
        if clash is not None:
            raise ValidationError({"unit": _occupied_message(clash)})
        allocation = Allocation(residency=residency, unit=unit, period=DateRange(start, end))
        try:
            with transaction.atomic():
                allocation.save()
        except IntegrityError as error:  # a concurrent allocation won the race: the exclusion constraint says so
            raise ValidationError({"unit": _("This unit is already let for part of these dates.")}) from error
        record(
            actor=by,
            action=AuditAction.CREATE,
            obj=allocation,
            changes={"unit": [None, str(unit)], "period": [None, _period_text(allocation.period)],
                     "residency": [None, str(residency)]},
        )  # fmt: skip
    return allocation


def allocation_end(*, allocation: Allocation, on: datetime.date, by) -> Allocation:
    """End an allocation on `on` (the unit is free from that day)."""
    with transaction.atomic():
        allocation = Allocation.objects.select_for_update().select_related("residency").get(pk=allocation.pk)
        ensure_allowed(by, "change", allocation.residency)
        if on <= allocation.period.lower:
            raise ValidationError({"on": _("The end date must come after the start date.")})
        if allocation.period.upper is not None and on >= allocation.period.upper:
            raise ValidationError(
                {"on": _("The allocation ends on %(date)s already.") % {"date": allocation.period.upper}}
            )
        before = _period_text(allocation.period)
        allocation.period = DateRange(allocation.period.lower, on)
        allocation.save(update_fields=["period"])
        record(actor=by, action=AuditAction.UPDATE, obj=allocation,
               changes={"period": [before, _period_text(allocation.period)]})  # fmt: skip
    return allocation


def residency_end(*, residency: Residency, on: datetime.date, reason: str, by, note: str = "") -> Residency:
    """Close an open residency (exit, graduation, …) and every allocation still running after `on`."""
    if reason not in ResidencyEndReason.values:
        raise ValidationError({"reason": _("Choose why the residency ends.")})
    with transaction.atomic():
        Enterprise.objects.select_for_update().get(pk=residency.enterprise_id)
        residency = Residency.objects.select_for_update().get(pk=residency.pk)
        ensure_allowed(by, "change", residency)
        if not residency.is_open:
            raise ValidationError(_("This residency has ended already."))
        if on < residency.started_on:
            raise ValidationError({"on": _("The end date cannot come before the start date.")})
        for allocation in residency.allocations.select_for_update().order_by("pk"):
            if allocation.period.lower >= on:
                allocation.delete()  # not begun yet: it never happens
            elif allocation.period.upper is None or allocation.period.upper > on:
                allocation.period = DateRange(allocation.period.lower, on)
                allocation.save(update_fields=["period"])
        save_with_audit(
            instance=residency,
            by=by,
            data={"ended_on": on, "end_reason": reason, "note": note or residency.note},
            fields=("ended_on", "end_reason", "note"),
        )
    return residency


def _first_clash(unit: Unit, period: DateRange) -> Allocation | None:
    """An allocation of `unit` overlapping `period`, to name in the refusal (the constraint has the last word)."""
    return Allocation.objects.filter(unit=unit, period__overlap=period).select_related("residency__enterprise").first()


def _period_text(period: DateRange) -> str:
    upper = f"{period.upper:%Y-%m-%d}" if period.upper else "…"
    return f"{period.lower:%Y-%m-%d} – {upper}"


def _occupied_message(clash: Allocation) -> str:
    return _("This unit is let to %(enterprise)s for %(period)s; choose other dates or another unit.") % {
        "enterprise": clash.residency.enterprise,
        "period": _period_text(clash.period),
    }


# --- Pipeline moves ----------------------------------------------------------------------------------------------

PIPELINE = ["seedbed", "incubator", "accelerator", "industrial_park"]


def _judge(evaluation: rules.Evaluation, override_reason: str) -> None:
    """Refuse a move whose criteria are not met, unless staff wrote why they override them."""
    if evaluation.satisfied or override_reason.strip():
        return
    unmet = "；".join(f"{result.label}（{result.detail}）" for result in evaluation.shortfalls)
    raise ValidationError(
        {
            "override_reason": _("These criteria are not met: %(criteria)s. To proceed anyway, write why.")
            % {"criteria": unmet}
        }
    )


def _move(
    *,
    kind: str,
    residency: Residency,
    on: datetime.date,
    by,
    evaluation: rules.Evaluation,
    override_reason: str,
    end_reason: str,
    to_carrier: Carrier | None = None,
    to_stage: str | None = None,
    planned_end_on: datetime.date | None = None,
    note: str = "",
) -> Transition:
    """Close `residency` (and its allocations) on `on`, open the next one when there is one, and record the
    transition with its criteria, all in one transaction."""
    _judge(evaluation, override_reason)
    with transaction.atomic():
        Enterprise.objects.select_for_update().get(pk=residency.enterprise_id)
        residency = Residency.objects.select_for_update().select_related("carrier").get(pk=residency.pk)
        ensure_allowed(by, "change", residency)
        if not residency.is_open:
            raise ValidationError(_("This residency has ended already."))
        if on <= residency.started_on:
            raise ValidationError({"on": _("The date must come after the residency's start (%(date)s).")
                                   % {"date": f"{residency.started_on:%Y-%m-%d}"}})  # fmt: skip
        if to_carrier is not None:
            ensure_allowed(by, "change", to_carrier)
        residency_end(residency=residency, on=on, reason=end_reason, by=by, note=note)
        following = None
        if to_stage is not None:
            following = residency_open(
                enterprise=residency.enterprise, carrier=to_carrier or residency.carrier, stage=to_stage,
                started_on=on, planned_end_on=planned_end_on, by=by, note=note,
            )  # fmt: skip
        transition = Transition.objects.create(
            enterprise=residency.enterprise, kind=kind, occurred_on=on, from_residency=residency,
            to_residency=following, rule_set=evaluation.rule_set,
            criteria=[result.as_dict() for result in evaluation.results], override_reason=override_reason.strip(),
            note=note, by=by,
        )  # fmt: skip
        changes = {"kind": [None, kind], "from": [None, str(residency)], "to": [None, str(following or "")]}
        if override_reason.strip():
            changes["override_reason"] = [None, override_reason.strip()]
        record(actor=by, action=AuditAction.CREATE, obj=transition, changes=changes)
    return transition


def move_preview(
    *, kind: str, residency: Residency, on: datetime.date, to_stage: str | None = None
) -> rules.Evaluation:
    """The criteria a move would be judged by, evaluated now (for the form that asks staff to confirm it)."""
    if kind == TransitionKind.GRADUATE:
        return rules.evaluate(RuleSetKind.GRADUATION, residency.enterprise, on)
    if kind == TransitionKind.PROMOTE:
        return rules.evaluate(ADMISSION_RULES[to_stage], residency.enterprise, on)
    return rules.Evaluation(rule_set=None, results=[])


def promote(
    *, residency: Residency, to_stage: str, on: datetime.date, by, to_carrier: Carrier | None = None,
    planned_end_on: datetime.date | None = None, override_reason: str = "", note: str = "",
) -> Transition:  # fmt: skip
    """Move a tenant to a later stage (seedbed → incubator → accelerator → industrial park), at the same carrier
    or another that offers it, judged by the target stage's admission rules."""
    if to_stage not in PIPELINE or PIPELINE.index(to_stage) <= PIPELINE.index(residency.stage):
        raise ValidationError(
            {"to_stage": _("Choose a later stage than %(stage)s.") % {"stage": residency.get_stage_display()}}
        )
    evaluation = move_preview(kind=TransitionKind.PROMOTE, residency=residency, on=on, to_stage=to_stage)
    return _move(
        kind=TransitionKind.PROMOTE, residency=residency, on=on, by=by, evaluation=evaluation,
        override_reason=override_reason, end_reason=ResidencyEndReason.PROMOTED, to_carrier=to_carrier,
        to_stage=to_stage, planned_end_on=planned_end_on, note=note,
    )  # fmt: skip


def transfer(
    *, residency: Residency, to_carrier: Carrier, on: datetime.date, by,
    planned_end_on: datetime.date | None = None, note: str = "",
) -> Transition:  # fmt: skip
    """Move a tenant to the same stage at another carrier."""
    if to_carrier.pk == residency.carrier_id:
        raise ValidationError({"to_carrier": _("Choose another carrier.")})
    return _move(
        kind=TransitionKind.TRANSFER, residency=residency, on=on, by=by,
        evaluation=rules.Evaluation(rule_set=None, results=[]), override_reason="",
        end_reason=ResidencyEndReason.TRANSFERRED, to_carrier=to_carrier, to_stage=residency.stage,
        planned_end_on=planned_end_on or residency.planned_end_on, note=note,
    )  # fmt: skip


def graduate(*, residency: Residency, on: datetime.date, by, override_reason: str = "", note: str = "") -> Transition:
    """Graduate a tenant when any one graduation criterion is met (or staff override with a written reason)."""
    evaluation = move_preview(kind=TransitionKind.GRADUATE, residency=residency, on=on)
    return _move(
        kind=TransitionKind.GRADUATE, residency=residency, on=on, by=by, evaluation=evaluation,
        override_reason=override_reason, end_reason=ResidencyEndReason.GRADUATED, note=note,
    )  # fmt: skip


def exit_tenant(*, residency: Residency, on: datetime.date, reason: str, note: str, by) -> Transition:
    """A tenant leaves (voluntarily or removed, with the reason written down); its space is free from `on`."""
    if reason not in (ResidencyEndReason.EXITED_VOLUNTARY, ResidencyEndReason.EXITED_REMOVED):
        raise ValidationError({"reason": _("Choose why the tenant leaves.")})
    if not note.strip():
        raise ValidationError({"note": _("Write down why the tenant leaves.")})
    return _move(
        kind=TransitionKind.EXIT, residency=residency, on=on, by=by,
        evaluation=rules.Evaluation(rule_set=None, results=[]), override_reason="", end_reason=reason, note=note,
    )  # fmt: skip


# --- Rule sets -------------------------------------------------------------------------------------------------


def rule_set_new_version(
    *, base: RuleSet, effective_from: datetime.date, params: dict[int, dict], by, source: str = "", note: str = ""
) -> RuleSet:
    """A new version of `base`'s rule set, with the criteria's thresholds changed as `params` says (criterion index
    -> {param: value}), effective from a date. Earlier versions stay as they were: past decisions keep their rules."""
    with transaction.atomic():
        ensure_allowed_to_add(by, RuleSet)
        latest = RuleSet.objects.select_for_update().filter(kind=base.kind).order_by("-version").first()
        criteria = []
        for index, item in enumerate(base.criteria):
            changed = {**item.get("params", {}), **params.get(index, {})}
            for name, value in changed.items():
                if not isinstance(value, int | float) or value < 0:
                    raise ValidationError({f"param_{index}_{name}": _("Enter a number of zero or more.")})
            criteria.append({"code": item["code"], "params": changed})
        if criteria == base.criteria:
            raise ValidationError(_("Nothing changed: a new version needs at least one different threshold."))
        rule_set = RuleSet(
            kind=base.kind, version=latest.version + 1, effective_from=effective_from, combination=base.combination,
            criteria=criteria, source=source or base.source, note=note, created_by=by,
        )  # fmt: skip
        rule_set.full_clean()
        rule_set.save()
        record(
            actor=by, action=AuditAction.CREATE, obj=rule_set,
            changes={"criteria": [base.criteria, criteria], "effective_from": [None, f"{effective_from:%Y-%m-%d}"]},
        )  # fmt: skip
    return rule_set
