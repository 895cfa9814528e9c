"""Residencies and space allocations. Each service locks what it changes (enterprise → residency → unit, always in
that order), checks the actor's permission on the very carrier, and records an audit event."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

from django.contrib.postgres.fields.ranges import DateRange
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import ensure_allowed, ensure_allowed_to_add
from accounts.audit import only_fields, record, save_with_audit
from accounts.models import AuditAction, User
from accounts.roles import GROUP_NAMES, STAFF_ROLES, Role, roles_of
from accounts.services import notify
from enterprises import uploads
from enterprises.choices import DocumentKind
from enterprises.models import Document, Enterprise
from enterprises.services import document_store
from incubation import rules, workflow
from incubation.choices import (
    ADMISSION_RULES,
    OPEN_APPLICATION_STATUSES,
    ApplicationStatus,
    ResidencyEndReason,
    RuleSetKind,
    TransitionKind,
)
from incubation.models import Allocation, Application, ApplicationEvent, Residency, Review, RuleSet, Transition
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


# --- Applications ------------------------------------------------------------------------------------------------

APPLICATION_FIELDS = (
    "project_name", "technology", "intellectual_property", "team", "market", "finances", "funding_needs",
    "funding_amount", "requested_area", "requested_space_type",
)  # fmt: skip
# What a submitted application must contain; a draft may lack any of it.
REQUIRED_TO_SUBMIT = (
    "project_name", "technology", "intellectual_property", "team", "market", "finances", "funding_needs",
    "requested_area", "requested_space_type",
)  # fmt: skip


def _locked_application(application: Application) -> Application:
    return (
        Application.objects.select_for_update(of=("self",))
        .select_related("enterprise", "carrier")
        .get(pk=application.pk)
    )


def _ensure_applicant(by, application: Application) -> None:
    """Only a member of the applying enterprise edits the form (staff comment, they do not rewrite it)."""
    if Role.ENTERPRISE not in roles_of(by) or not application.enterprise.memberships.filter(user=by).exists():
        raise PermissionDenied(_("Only the applicant can change the application."))


def _locked_for_applicant_edit(application: Application, by) -> Application:
    """The application, locked, if `by` is its applicant and it is still a draft or awaits more material."""
    application = _locked_application(application)
    ensure_allowed(by, "change", application)
    _ensure_applicant(by, application)
    if application.status not in workflow.EDITABLE:
        raise ValidationError(
            _("The application is “%(status)s”: it can only be changed as a draft or when staff ask for more "
              "material.") % {"status": application.get_status_display()}
        )  # fmt: skip
    return application


def _log_event(*, application: Application, action: str, from_status: str, by, message: str = "") -> None:
    ApplicationEvent.objects.create(
        application=application, action=action, from_status=from_status, to_status=application.status,
        message=message, by=by,
    )  # fmt: skip


def application_create(
    *, enterprise: Enterprise, carrier: Carrier, stage: str, by, data: Mapping[str, Any] | None = None
) -> Application:
    """Start a draft application of `enterprise` for `stage` at `carrier` (a pair the carrier offers)."""
    with transaction.atomic():
        Enterprise.objects.select_for_update().get(pk=enterprise.pk)
        ensure_allowed_to_add(by, Application)
        ensure_allowed(by, "change", enterprise)
        application = Application(enterprise=enterprise, carrier=carrier, stage=stage, created_by=by)
        for name, value in only_fields(data or {}, APPLICATION_FIELDS).items():
            setattr(application, name, value)
        application.full_clean(validate_constraints=False)
        if Application.objects.filter(
            enterprise=enterprise, carrier=carrier, stage=stage, status__in=OPEN_APPLICATION_STATUSES
        ).exists():
            raise ValidationError(_("This enterprise already has an open application for this stage at this carrier."))
        application.save()
        _log_event(application=application, action="create", from_status="", by=by)
        record(
            actor=by, action=AuditAction.CREATE, obj=application,
            changes={"carrier": [None, str(carrier)], "stage": [None, stage], "status": [None, application.status]},
        )  # fmt: skip
    return application


def application_update(*, application: Application, by, data: Mapping[str, Any]) -> Application:
    """Save the form's content: while a draft, or while the applicant answers a request for more material."""
    with transaction.atomic():
        application = _locked_for_applicant_edit(application, by)
        save_with_audit(instance=application, by=by, data=only_fields(data, APPLICATION_FIELDS),
                        fields=APPLICATION_FIELDS)  # fmt: skip
    return application


def application_attach(*, application: Application, upload, title: str, kind: str, by) -> Document:
    """Add a document (checked by its content) to an application the applicant may still edit."""
    file_kind = uploads.check_upload(upload)
    with transaction.atomic():
        application = _locked_for_applicant_edit(application, by)
        document = document_store(
            enterprise=application.enterprise, upload=upload, file_kind=file_kind, title=title, kind=kind, by=by
        )
        application.documents.add(document)
    return document


def application_detach(*, application: Application, document: Document, by) -> None:
    with transaction.atomic():
        application = _locked_for_applicant_edit(application, by)
        application.documents.remove(document)
        record(actor=by, action=AuditAction.UPDATE, obj=application,
               changes={"documents": [document.title, None]})  # fmt: skip


def application_problems(application: Application) -> dict[str, list[str]]:
    """Everything that keeps the application from being submitted, by field, all at once."""
    problems: dict[str, list[str]] = {}
    for name in REQUIRED_TO_SUBMIT:
        value = getattr(application, name)
        if value is None or (isinstance(value, str) and not value.strip()):
            label = Application._meta.get_field(name).verbose_name
            problems.setdefault(name, []).append(_("Fill in “%(field)s”.") % {"field": label})
    if application.requested_area is not None and application.requested_area <= 0:
        problems.setdefault("requested_area", []).append(_("Enter the area of space you need, in m²."))
    if not application.documents.filter(kind=DocumentKind.BUSINESS_PLAN).exists():
        problems.setdefault("documents", []).append(_("Upload the business plan."))
    enterprise = application.enterprise
    if not (enterprise.contact_name and (enterprise.contact_phone or enterprise.contact_email)):
        problems.setdefault("enterprise", []).append(
            _("Complete the enterprise profile: a contact person with a phone number or email.")
        )
    return problems


def _screen(application: Application) -> None:
    """Keep the admission criteria as evaluated when screening ends (the screening page shows them live)."""
    evaluation = rules.evaluate(ADMISSION_RULES[application.stage], application.enterprise, timezone.localdate())
    application.screening_rule_set = evaluation.rule_set
    application.screening_results = [result.as_dict() for result in evaluation.results]


def application_act(*, application: Application, move: str, by, message: str = "") -> Application:
    """Make one move of the application workflow (incubation.workflow.MOVES). The row is locked: of two people
    acting on it at once, one moves it and the other is told it has moved on."""
    chosen = workflow.MOVES.get(move)
    if chosen is None:
        raise ValidationError(_("Unknown action."))
    message = message.strip()
    with transaction.atomic():
        application = _locked_application(application)
        if not workflow.may_by_role(chosen, by):
            raise PermissionDenied(_("You do not have permission to do this."))
        ensure_allowed(by, "change", application)
        if chosen.roles == workflow.APPLICANT:
            _ensure_applicant(by, application)
        if application.status not in chosen.sources:
            raise ValidationError(
                _("The application is now “%(status)s”, so “%(action)s” no longer applies: someone may have acted "
                  "on it a moment ago. Reload the page to see its current state.")
                % {"status": application.get_status_display(), "action": chosen.label}
            )  # fmt: skip
        if chosen.needs_message and not message:
            raise ValidationError({"message": chosen.missing_message_error})
        if move in ("submit", "respond"):
            problems = application_problems(application)
            if problems:
                raise ValidationError(problems)
        if move == "send_to_review" and not application.reviews.exists():
            raise ValidationError(_("Assign at least one expert before sending the application to review."))
        if move == "close_review":
            if application.reviews.filter(submitted_at__isnull=True).exists():
                raise ValidationError(
                    _("Some experts have not submitted their scores; wait for them or remove their assignment.")
                )
        if application.status == ApplicationStatus.SCREENING and chosen.target != ApplicationStatus.MORE_INFO:
            _screen(application)
        before = application.status
        application.status = chosen.target
        now = timezone.now()
        if move == "submit":
            application.submitted_at = now
        if move in workflow.DECISIONS:
            application.decided_at = now
            application.decision_reason = message
        application.save()
        _log_event(application=application, action=move, from_status=before, by=by, message=message)
        changes = {"status": [before, application.status]}
        if message:
            changes["message"] = [None, message]
        record(actor=by, action=AuditAction.UPDATE, obj=application, changes=changes)
        _announce(application=application, move=chosen, message=message, by=by)
    return application


def _announce(*, application: Application, move: workflow.Move, message: str, by) -> None:
    """Tell the applicant (email and in-portal notice) when staff move their application, and the carrier's staff
    when the applicant submits, answers or withdraws. Emails go through Celery after commit."""
    link = reverse("incubation:application_detail", args=[application.pk])
    subject = _("Application #%(number)s (%(enterprise)s): %(status)s") % {
        "number": application.pk, "enterprise": application.enterprise.name,
        "status": application.get_status_display(),
    }  # fmt: skip
    body = message or _("The application is now “%(status)s”.") % {"status": application.get_status_display()}
    if move.name in workflow.APPLICANT_IS_TOLD:
        applicants = User.objects.filter(membership__enterprise=application.enterprise, is_active=True)
        notify(recipients=applicants, subject=subject, body=body, link=link, by=by)
    elif move.name in workflow.STAFF_ARE_TOLD:
        staff = (
            User.objects.filter(is_active=True)
            .filter(Q(managed_carriers=application.carrier) | Q(groups__name=GROUP_NAMES[Role.OPERATOR]))
            .distinct()
        )
        notify(recipients=staff, subject=subject, body=body, link=link, by=by)


def review_assign(*, application: Application, expert, by) -> Review:
    """Ask an expert to score the application (blind: they do not see the others' scores until they submit)."""
    with transaction.atomic():
        application = _locked_application(application)
        ensure_allowed_to_add(by, Review)
        ensure_allowed(by, "change", application)
        if application.status not in workflow.ASSIGNABLE:
            raise ValidationError(
                _("Experts can be assigned while the application is screened or under review, not when it is "
                  "“%(status)s”.") % {"status": application.get_status_display()}
            )  # fmt: skip
        if Role.EXPERT not in roles_of(expert) or not expert.is_active:
            raise ValidationError({"expert": _("Choose an active user with the expert reviewer role.")})
        if application.reviews.filter(expert=expert).exists():
            raise ValidationError({"expert": _("This expert is already assigned to this application.")})
        if application.scoring_rule_set is None:
            rubric = rules.rule_set_in_force(RuleSetKind.REVIEW_SCORING, timezone.localdate())
            if rubric is None:
                raise ValidationError(_("No scoring rubric is in force; the operating company must add one."))
            application.scoring_rule_set = rubric
            application.save(update_fields=["scoring_rule_set", "updated_at"])
        review = Review.objects.create(application=application, expert=expert, assigned_by=by)
        record(actor=by, action=AuditAction.CREATE, obj=review,
               changes={"expert": [None, str(expert)], "application": [None, str(application)]})  # fmt: skip
    return review


def review_unassign(*, review: Review, by) -> None:
    """Withdraw an assignment the expert has not yet answered."""
    with transaction.atomic():
        application = _locked_application(review.application)
        review = Review.objects.select_for_update().get(pk=review.pk)
        ensure_allowed(by, "delete", review)
        ensure_allowed(by, "change", application)
        if review.submitted_at is not None:
            raise ValidationError(_("This expert has submitted their scores; the review stays on record."))
        if application.status not in workflow.ASSIGNABLE:
            raise ValidationError(_("Assignments can be changed only while screening or under review."))
        record(actor=by, action=AuditAction.DELETE, obj=review, changes={"expert": [str(review.expert), None]})
        review.delete()


def review_submit(*, review: Review, scores: Mapping[str, Any], comment: str, by) -> Review:
    """An expert's scores (0–100 per rubric criterion) and comment; the weighted score is fixed on submission."""
    with transaction.atomic():
        _locked_application(review.application)
        review = (
            Review.objects.select_for_update(of=("self",))
            .select_related("application__scoring_rule_set")
            .get(pk=review.pk)
        )
        ensure_allowed(by, "change", review)
        if review.expert_id != by.pk:
            raise PermissionDenied(_("Only the assigned expert can score."))
        if review.submitted_at is not None:
            raise ValidationError(_("You have submitted your scores already."))
        if review.application.status not in workflow.SCORABLE:
            raise ValidationError(_("The application is not under expert review now."))
        rubric = review.application.scoring_rule_set
        errors: dict[str, list[str]] = {}
        clean: dict[str, int] = {}
        for item in rules.rubric(rubric):
            value = scores.get(item.code)
            if value is None or value == "":
                errors.setdefault(item.code, []).append(_("Score “%(name)s”.") % {"name": item.name})
                continue
            try:
                number = int(value)
            except (TypeError, ValueError):
                number = -1
            if not 0 <= number <= 100 or str(number) != str(value).strip():
                errors.setdefault(item.code, []).append(_("Enter a whole number from 0 to 100."))
                continue
            clean[item.code] = number
        if not comment.strip():
            errors.setdefault("comment", []).append(_("Write a comment for the staff who decide."))
        if errors:
            raise ValidationError(errors)
        review.scores = clean
        review.comment = comment.strip()
        review.weighted_score = rules.weighted_score(rubric, clean)
        review.submitted_at = timezone.now()
        review.save()
        record(actor=by, action=AuditAction.UPDATE, obj=review,
               changes={"scores": [None, clean], "weighted_score": [None, str(review.weighted_score)]})  # fmt: skip
    return review


def application_admit(
    *, application: Application, started_on: datetime.date, by, planned_end_on: datetime.date | None = None,
    agreement_no: str = "", units: tuple[Unit, ...] | list[Unit] = (), allocation_end: datetime.date | None = None,
) -> Residency:  # fmt: skip
    """Admit an approved applicant: open its residency at the carrier and stage applied for and, if staff chose
    units, let them from the start date (overlapping lets are refused by the database)."""
    with transaction.atomic():
        application = _locked_application(application)
        ensure_allowed(by, "change", application)
        if Role.ENTERPRISE in roles_of(by) and not roles_of(by) & STAFF_ROLES:
            raise PermissionDenied(_("You do not have permission to do this."))
        if application.status != ApplicationStatus.APPROVED:
            raise ValidationError(_("Only an approved application can be admitted."))
        if application.residency_id is not None:
            raise ValidationError(_("This application has been admitted already."))
        residency = residency_open(
            enterprise=application.enterprise, carrier=application.carrier, stage=application.stage,
            started_on=started_on, planned_end_on=planned_end_on, agreement_no=agreement_no, by=by,
            note=_("Admitted on application %(number)s") % {"number": application.pk},
        )  # fmt: skip
        for unit in units:
            allocation_create(residency=residency, unit=unit, start=started_on, end=allocation_end, by=by)
        application.residency = residency
        application.save(update_fields=["residency", "updated_at"])
        _log_event(application=application, action="admit", from_status=application.status, by=by,
                   message=_("Admitted from %(date)s.") % {"date": f"{started_on:%Y-%m-%d}"})  # fmt: skip
        record(actor=by, action=AuditAction.UPDATE, obj=application, changes={"residency": [None, str(residency)]})
    return residency


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
        if base.kind == RuleSetKind.REVIEW_SCORING:
            total = sum(item["params"]["weight"] for item in criteria)
            if total != 100:
                raise ValidationError(_("The weights must add up to 100; they add up to %(total)s.") % {"total": total})
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
