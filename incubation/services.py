"""The incubation app's writes: the pipeline moves of residencies (promote, transfer, graduate, exit; declared in
incubation.residency_workflow), applications from draft to admission (declared in incubation.workflow) with their
documents and expert reviews, and new versions of rule sets. Workflow moves are made by the one engine
(accounts.workflows.perform); residencies and space allocations are written by incubation.space, re-exported here so
that callers have one services module. Each write runs in one transaction, locks what it changes, checks the actor's
permission on the very object (or, for a new row, the right to add one), and records an audit event. One read sits
with them: move_preview, the criteria a pipeline move would be judged by, for the form that confirms the move."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import workflows
from accounts.access import ensure_allowed, ensure_allowed_to_add
from accounts.audit import only_fields, record, save_with_audit
from accounts.models import AuditAction
from accounts.roles import STAFF_ROLES, Role, roles_of
from enterprises import uploads
from enterprises.models import Document, Enterprise
from enterprises.services import document_store
from incubation import residency_workflow, rules, space, workflow
from incubation.choices import OPEN_APPLICATION_STATUSES, ApplicationStatus, RuleSetKind, SpaceOutcome
from incubation.models import Application, ApplicationEvent, Residency, Review, RuleSet, Transition
from incubation.residency_workflow import RESIDENCY_WORKFLOW
from incubation.workflow import APPLICATION_WORKFLOW
from parks.models import Carrier, Unit

# The residency and space services, re-exported: callers have one services module.
residency_open = space.residency_open
residency_end = space.residency_end
allocation_create = space.allocation_create
allocation_end = space.allocation_end

# --- Pipeline moves (incubation.residency_workflow) ---------------------------------------------------------------


def move_preview(
    *, kind: str, residency: Residency, on: datetime.date, to_stage: str | None = None
) -> rules.Evaluation:
    """The criteria a move would be judged by, evaluated now (for the form that asks staff to confirm it)."""
    return residency_workflow.criteria(kind=kind, residency=residency, on=on, to_stage=to_stage)


def residency_move(*, residency: Residency, move: str, by, note: str = "", **params: Any) -> Transition:
    """Make one pipeline move (promote, transfer, graduate, exit) of the residency workflow: the residency closes
    on `on` (and its space with it, unless kept), the next one opens when there is one, and the Transition is
    recorded with its criteria, all in one transaction with the enterprise and the residency locked."""
    return workflows.perform(RESIDENCY_WORKFLOW, obj=residency, move=move, by=by, message=note, **params)


def promote(
    *, residency: Residency, to_stage: str, on: datetime.date, by, to_carrier: Carrier | None = None,
    planned_end_on: datetime.date | None = None, override_reason: str = "", note: str = "",
    space: str = SpaceOutcome.ENDED,
) -> Transition:  # fmt: skip
    """Move a tenant to a later stage (seedbed → incubator → accelerator → industrial park), at the same carrier
    or another that offers it, judged by the target stage's admission rules. `space`: whether the tenant keeps its
    units (at the same carrier) or their allocations end on the date."""
    return residency_move(
        residency=residency, move="promote", by=by, note=note, to_stage=to_stage, on=on, to_carrier=to_carrier,
        planned_end_on=planned_end_on, override_reason=override_reason, space=space,
    )  # fmt: skip


def transfer(
    *, residency: Residency, to_carrier: Carrier, on: datetime.date, by,
    planned_end_on: datetime.date | None = None, note: str = "",
) -> Transition:  # fmt: skip
    """Move a tenant to the same stage at another carrier (its space here ends on the date)."""
    return residency_move(
        residency=residency, move="transfer", by=by, note=note, to_carrier=to_carrier, on=on,
        planned_end_on=planned_end_on,
    )  # fmt: skip


def graduate(*, residency: Residency, on: datetime.date, by, override_reason: str = "", note: str = "") -> Transition:
    """Graduate a tenant when any one graduation criterion is met (or staff override with a written reason)."""
    return residency_move(residency=residency, move="graduate", by=by, note=note, on=on,
                          override_reason=override_reason)  # fmt: skip


def exit_tenant(*, residency: Residency, on: datetime.date, reason: str, note: str, by) -> Transition:
    """A tenant leaves (voluntarily or removed, with the reason written down); its space is free from `on`."""
    return residency_move(residency=residency, move="exit", by=by, note=note, on=on, reason=reason)


# --- Applications ------------------------------------------------------------------------------------------------

APPLICATION_FIELDS = (
    "project_name", "technology", "intellectual_property", "team", "market", "finances", "funding_needs",
    "funding_amount", "requested_area", "requested_space_type",
)  # fmt: skip


_locked_application = APPLICATION_WORKFLOW.lock


def _ensure_applicant(by, application: Application) -> None:
    """Only a member of the applying enterprise edits the form (staff comment, they do not rewrite it)."""
    if not workflow.APPLICANT_PARTY.includes(by, application):
        raise PermissionDenied(str(workflow.APPLICANT_PARTY.refusal))


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
    """A timeline entry of an application that is not a workflow move (its creation, its admission)."""
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


def application_act(*, application: Application, move: str, by, message: str = "") -> Application:
    """Make one move of the application workflow (incubation.workflow). The row is locked: of two people acting on
    it at once, one moves it and the other is told it has moved on."""
    return workflows.perform(APPLICATION_WORKFLOW, obj=application, move=move, by=by, message=message)


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
        if rubric is None:  # set when the first expert is assigned; a review without one was made by hand
            raise ValidationError(_("The application has no scoring rubric yet."))
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
        latest = RuleSet.objects.select_for_update().filter(kind=base.kind).order_by("-version").first() or base
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
