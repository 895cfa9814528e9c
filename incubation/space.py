"""Residencies and space allocations (在孵记录, 场地分配). Each service locks what it changes (enterprise → residency →
unit, always in that order), checks the actor's permission on the very carrier, and records an audit event. The
pipeline moves (incubation.residency_workflow) close and open residencies through these."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from psycopg2.extras import DateRange

from accounts.access import ensure_allowed, ensure_allowed_to_add
from accounts.audit import record, save_with_audit
from accounts.models import AuditAction
from enterprises.models import Enterprise
from incubation.choices import ResidencyEndReason
from incubation.models import Allocation, Residency
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
        clash = first_clash(unit, DateRange(start, end))
        if clash is not None:
            raise ValidationError({"unit": occupied_message(clash)})
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
            changes={"unit": [None, str(unit)], "period": [None, period_text(allocation.period)],
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
        before = period_text(allocation.period)
        allocation.period = DateRange(allocation.period.lower, on)
        allocation.save(update_fields=["period"])
        record(actor=by, action=AuditAction.UPDATE, obj=allocation,
               changes={"period": [before, period_text(allocation.period)]})  # fmt: skip
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


def first_clash(unit: Unit, period: DateRange) -> Allocation | None:
    """An allocation of `unit` overlapping `period`, to name in the refusal (the constraint has the last word)."""
    return Allocation.objects.filter(unit=unit, period__overlap=period).select_related("residency__enterprise").first()


def period_text(period: DateRange) -> str:
    upper = f"{period.upper:%Y-%m-%d}" if period.upper else "…"
    return f"{period.lower:%Y-%m-%d} – {upper}"


def occupied_message(clash: Allocation) -> str:
    return _("This unit is let to %(enterprise)s for %(period)s; choose other dates or another unit.") % {
        "enterprise": clash.residency.enterprise,
        "period": period_text(clash.period),
    }
