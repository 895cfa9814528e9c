"""The pipeline moves of a residency (阶段变更), declared on the engine (accounts.workflows): promote, transfer,
graduate and exit each end the open residency on a date; a promotion or a transfer opens the next one in the same
transaction. Each move records a Transition with the criteria as evaluated then (and any override reason) and
what happened to the tenant's space.

    open ──promote (a later stage; admission rules of that stage)──▶ ended, next residency open
         ──transfer (the same stage at another carrier)────────────▶ ended, next residency open
         ──graduate (graduation rules)─────────────────────────────▶ ended
         ──exit (left voluntarily or removed, with the reason written)▶ ended

Moves are made by the carrier's staff (the object scope: park staff at their own carriers).
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from psycopg2.extras import DateRange

from accounts.access import ensure_allowed
from accounts.audit import record
from accounts.models import AuditAction
from accounts.roles import STAFF_ROLES, roles_of
from accounts.workflows import AuditEntry, Context, Move, Outcome, Party, Precondition, Workflow, declare
from enterprises.models import Enterprise
from incubation import rules, space
from incubation.choices import ADMISSION_RULES, ResidencyEndReason, RuleSetKind, SpaceOutcome, TransitionKind
from incubation.choices import ResidencyState as S
from incubation.models import Allocation, Residency, Transition

PIPELINE = ["seedbed", "incubator", "accelerator", "industrial_park"]
EXIT_REASONS = (ResidencyEndReason.EXITED_VOLUNTARY, ResidencyEndReason.EXITED_REMOVED)

CARRIER_STAFF = Party("carrier_staff", lambda user, residency: bool(roles_of(user) & STAFF_ROLES))


def criteria(*, kind: str, residency: Residency, on: datetime.date, to_stage: str | None = None) -> rules.Evaluation:
    """The criteria a move is judged by, evaluated for `on`: graduation rules, or the admission rules of the stage
    promoted to; transfers and exits have none."""
    if kind == TransitionKind.GRADUATE:
        return rules.evaluate(RuleSetKind.GRADUATION, residency.enterprise, on)
    if kind == TransitionKind.PROMOTE and to_stage is not None:
        return rules.evaluate(ADMISSION_RULES[to_stage], residency.enterprise, on)
    return rules.Evaluation(rule_set=None, results=[])


def earliest_move_date(residency: Residency, today: datetime.date) -> datetime.date:
    """The date a move's form proposes: today, unless the residency started today or later (a move must come
    after its start)."""
    return max(today, residency.started_on + datetime.timedelta(days=1))


def _evaluation(residency: Residency, context: Context) -> rules.Evaluation:
    if "evaluation" not in context.made:
        context.made["evaluation"] = criteria(
            kind=context.move.name, residency=residency, on=context.params["on"],
            to_stage=context.params.get("to_stage"),
        )  # fmt: skip
    return context.made["evaluation"]


def _is_later_stage(residency: Residency, context: Context) -> bool:
    to_stage = context.params.get("to_stage")
    return to_stage in PIPELINE and PIPELINE.index(to_stage) > PIPELINE.index(residency.stage)


def _unmet_criteria(residency: Residency, context: Context) -> dict:
    unmet = "；".join(f"{result.label}（{result.detail}）" for result in _evaluation(residency, context).shortfalls)
    return {"criteria": unmet}


def _space_can_stay(residency: Residency, context: Context) -> bool:
    to_carrier = context.params.get("to_carrier")
    return (
        context.params.get("space") != SpaceOutcome.KEPT or to_carrier is None or to_carrier.pk == residency.carrier_id
    )


LATER_STAGE = Precondition(
    "later_stage", _("Choose a later stage than %(stage)s."), holds=_is_later_stage, field="to_stage",
    values=lambda residency, context: {"stage": residency.get_stage_display()}, previewed=False,
)  # fmt: skip
CRITERIA_MET_OR_OVERRIDDEN = Precondition(
    "criteria_met_or_overridden", _("These criteria are not met: %(criteria)s. To proceed anyway, write why."),
    holds=lambda residency, context: (
        _evaluation(residency, context).satisfied or bool(context.params.get("override_reason", "").strip())
    ),
    field="override_reason", values=_unmet_criteria, previewed=False,
)  # fmt: skip
AFTER_START = Precondition(
    "after_start", _("The date must come after the residency's start (%(date)s)."),
    holds=lambda residency, context: context.params["on"] > residency.started_on, field="on",
    values=lambda residency, context: {"date": f"{residency.started_on:%Y-%m-%d}"}, previewed=False,
)  # fmt: skip
ANOTHER_CARRIER = Precondition(
    "another_carrier", _("Choose another carrier."),
    holds=lambda residency, context: context.params["to_carrier"].pk != residency.carrier_id, field="to_carrier",
    previewed=False,
)  # fmt: skip
EXIT_REASON = Precondition(
    "exit_reason", _("Choose why the tenant leaves."),
    holds=lambda residency, context: context.params.get("reason") in EXIT_REASONS, field="reason", previewed=False,
)  # fmt: skip
SPACE_CAN_STAY = Precondition(
    "space_can_stay", _("The space can be kept only when the tenant stays at the same carrier; choose to end it."),
    holds=_space_can_stay, field="space", previewed=False,
)  # fmt: skip


def running_allocations(residency: Residency, on: datetime.date) -> list[tuple]:
    """The tenant's space still let on or after `on`: (unit, from, until) for each allocation."""
    return [
        (allocation.unit, max(allocation.period.lower, on), allocation.period.upper)
        for allocation in residency.allocations.select_related("unit").order_by("pk")
        if allocation.period.upper is None or allocation.period.upper > on
    ]


def _carry_space(following: Residency, running: list[tuple], by) -> None:
    """Let the same units to the next residency for the rest of their dates: the tenant stays where it is (the
    units were let for the stage it leaves, so their zoning is not asked again)."""
    for unit, start, end in running:
        allocation = Allocation(residency=following, unit=unit, period=DateRange(start, end))
        try:
            with transaction.atomic():
                allocation.save()
        except IntegrityError as error:  # the exclusion constraint: the unit is let to someone else meanwhile
            clash = space.first_clash(unit, allocation.period)
            message = (
                space.occupied_message(clash) if clash else gettext("This unit is already let for part of these dates.")
            )
            raise ValidationError({"space": message}) from error
        record(actor=by, action=AuditAction.CREATE, obj=allocation,
               changes={"unit": [None, str(unit)], "period": [None, space.period_text(allocation.period)],
                        "residency": [None, str(following)]})  # fmt: skip


def _planned_end(kind: str, residency: Residency, params: dict) -> datetime.date | None:
    """The next residency's planned end: as given; a transfer keeps the one agreed for the stage when none is."""
    given = params.get("planned_end_on")
    return residency.planned_end_on if given is None and kind == TransitionKind.TRANSFER else given


def close_and_open(kind: str, *, end_reason: str | None = None):
    """The transition of a pipeline move: end the residency (and its allocations, unless kept) on the date, open
    the next one when there is one, and record the Transition."""

    def transition(residency: Residency, context: Context) -> Outcome:
        params, by = context.params, context.by
        on, note = params["on"], context.message
        to_carrier = params.get("to_carrier")
        if to_carrier is not None:
            ensure_allowed(by, "change", to_carrier)
        next_stages: dict[str, str | None] = {
            TransitionKind.PROMOTE: params.get("to_stage"),
            TransitionKind.TRANSFER: residency.stage,
        }
        to_stage = next_stages.get(kind)
        running = running_allocations(residency, on)
        kept = running and to_stage is not None and params.get("space") == SpaceOutcome.KEPT
        space.residency_end(residency=residency, on=on, reason=end_reason or params["reason"], by=by, note=note)
        following = None
        if to_stage is not None:
            following = space.residency_open(
                enterprise=residency.enterprise, carrier=to_carrier or residency.carrier, stage=to_stage,
                started_on=on, planned_end_on=_planned_end(kind, residency, params), by=by, note=note,
            )  # fmt: skip
            if kept:
                _carry_space(following, running, by)
        evaluation = _evaluation(residency, context)
        override_reason = params.get("override_reason", "").strip()
        outcome = (SpaceOutcome.KEPT if kept else SpaceOutcome.ENDED) if running else ""
        transition = Transition.objects.create(
            enterprise=residency.enterprise, kind=kind, occurred_on=on, from_residency=residency,
            to_residency=following, rule_set=evaluation.rule_set,
            criteria=[result.as_dict() for result in evaluation.results], override_reason=override_reason,
            note=note, space=outcome, by=by,
        )  # fmt: skip
        changes = {"kind": [None, kind], "from": [None, str(residency)], "to": [None, str(following or "")]}
        if override_reason:
            changes["override_reason"] = [None, override_reason]
        if outcome:
            changes["space"] = [None, outcome]
        return Outcome(result=transition, audit=(AuditEntry(AuditAction.CREATE, transition, changes),))

    return transition


NOTE = _("note")

MOVES: dict[str, Move] = declare(
    Move(
        "promote", _("Promote to a later stage"), frozenset({S.OPEN}), S.ENDED, STAFF_ROLES, CARRIER_STAFF,
        message_label=NOTE, message_field="note",
        preconditions=(LATER_STAGE, CRITERIA_MET_OR_OVERRIDDEN, AFTER_START, SPACE_CAN_STAY),
        transition=close_and_open(TransitionKind.PROMOTE, end_reason=ResidencyEndReason.PROMOTED), creates=True,
        summary="Promote to a later stage",
    ),
    Move(
        "transfer", _("Transfer to another carrier"), frozenset({S.OPEN}), S.ENDED, STAFF_ROLES, CARRIER_STAFF,
        message_label=NOTE, message_field="note", preconditions=(ANOTHER_CARRIER, AFTER_START),
        transition=close_and_open(TransitionKind.TRANSFER, end_reason=ResidencyEndReason.TRANSFERRED), creates=True,
        style="secondary", summary="Transfer to a carrier",
    ),
    Move(
        "graduate", _("Graduate"), frozenset({S.OPEN}), S.ENDED, STAFF_ROLES, CARRIER_STAFF,
        message_label=NOTE, message_field="note", preconditions=(CRITERIA_MET_OR_OVERRIDDEN, AFTER_START),
        transition=close_and_open(TransitionKind.GRADUATE, end_reason=ResidencyEndReason.GRADUATED), creates=True,
        style="success", summary="Graduate",
    ),
    Move(
        "exit", _("Record exit"), frozenset({S.OPEN}), S.ENDED, STAFF_ROLES, CARRIER_STAFF, needs_message=True,
        message_label=_("explanation"), message_field="note",
        missing_message=_("Write down why the tenant leaves."), preconditions=(EXIT_REASON, AFTER_START),
        transition=close_and_open(TransitionKind.EXIT), style="danger", summary="Record an exit",
    ),
)  # fmt: skip


def _locked(residency: Residency) -> Residency:
    Enterprise.objects.select_for_update().get(pk=residency.enterprise_id)
    return Residency.objects.select_for_update().select_related("carrier").get(pk=residency.pk)


RESIDENCY_WORKFLOW = Workflow(
    name="residency",
    model=Residency,
    states=S,
    moves=MOVES,
    lock=_locked,
    moved_on=lambda residency, move: gettext("This residency has ended already."),
    state_field=None,
    state_of=lambda residency: S.OPEN if residency.is_open else S.ENDED,
)
