"""Writes to enterprises and their records. Each service checks the actor's permission on the very enterprise,
runs in one transaction with the enterprise row locked, and records an audit event."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, connection, transaction
from django.db.models import Model, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import workflows
from accounts.access import ensure_allowed, ensure_allowed_to_add
from accounts.audit import changes_between, delete_with_audit, only_fields, record, save_with_audit, snapshot
from accounts.models import AuditAction, User
from accounts.phrasebook import Phrase
from accounts.roles import Role, can
from accounts.selectors import users_with_role
from accounts.services import notify
from enterprises import periods, phrases, report_workflow, selectors, uploads
from enterprises.choices import ReminderKind, ReportPeriod
from enterprises.models import (
    CorporateEvent,
    Document,
    Enterprise,
    EnterpriseMembership,
    FinancingEvent,
    Honour,
    HTEApplication,
    HTECertificate,
    OperatingReport,
    ReportDeadline,
    ReportReminder,
    TeamMember,
    TechSMERegistration,
)
from enterprises.report_rules import DUPLICATE_REPORT, REPORT_FIGURES, ensure_filer, report_problems, save_report
from enterprises.report_workflow import REPORT_WORKFLOW
from enterprises.uscc import normalise_uscc
from incubation.models import Residency

ENTERPRISE_FIELDS = (
    "name", "kind", "uscc", "registered_on", "registered_capital", "legal_representative", "address",
    "industry_field", "high_tech_field", "founder_type", "contact_name", "contact_phone", "contact_email",
    "description",
)  # fmt: skip
# What each kind of record under an enterprise holds (the enterprise itself is set by the service).
# A record an enterprise keeps: each is a row with an `enterprise` foreign key.
EnterpriseRecord = TeamMember | TechSMERegistration | HTECertificate | HTEApplication | Honour | FinancingEvent

RECORD_FIELDS: dict[type[Model], tuple[str, ...]] = {
    TeamMember: ("name", "position", "education", "is_founder", "note"),
    TechSMERegistration: ("year", "registration_no", "registered_on"),
    HTECertificate: ("certificate_no", "issued_on", "valid_years"),
    HTEApplication: ("year", "submitted_on", "outcome", "decided_on", "note"),
    Honour: ("kind", "level", "year", "certificate_no", "note"),
    FinancingEvent: ("occurred_on", "round", "amount", "investor", "note"),
    CorporateEvent: ("kind", "occurred_on", "counterparty", "board", "security_code", "note"),
}


def _clean_enterprise_data(data: dict[str, Any]) -> dict[str, Any]:
    if data.get("uscc"):
        data["uscc"] = normalise_uscc(data["uscc"])
    elif "uscc" in data:
        data["uscc"] = None  # a team: no code (NULL keeps the uniqueness of real codes)
    return data


def enterprise_create(*, by, data: Mapping[str, Any]) -> Enterprise:
    """Register a team or company. Its USCC is normalised, checked (GB 32100-2015) and unique."""
    data = _clean_enterprise_data(only_fields(data, ENTERPRISE_FIELDS))
    with transaction.atomic():
        ensure_allowed_to_add(by, Enterprise)
        enterprise = Enterprise()
        save_with_audit(instance=enterprise, by=by, data=data, fields=ENTERPRISE_FIELDS)
    return enterprise


def enterprise_register(*, by: User, data: Mapping[str, Any]) -> Enterprise:
    """An enterprise user who acts for no enterprise yet registers their own team or company: the enterprise and
    their membership are created together (one transaction, both audited), and the operating company is notified.
    Any other user is refused (PermissionDenied); a second registration says the account already has one."""
    data = _clean_enterprise_data(only_fields(data, ENTERPRISE_FIELDS))
    if not can(by, "add", "enterprises.own_registration"):
        raise PermissionDenied(_("You do not have permission to do this."))
    with transaction.atomic():
        User.objects.select_for_update().get(pk=by.pk)  # two submissions at once register one enterprise
        if EnterpriseMembership.objects.filter(user=by).exists():
            raise ValidationError(_("Your account already acts for an enterprise."))
        enterprise = Enterprise()
        save_with_audit(instance=enterprise, by=by, data=data, fields=ENTERPRISE_FIELDS)
        membership = EnterpriseMembership(enterprise=enterprise, user=by)
        save_with_audit(instance=membership, by=by, data={}, fields=("enterprise", "user"))
        notify(
            recipients=users_with_role(Role.OPERATOR),
            subject=phrases.ENTERPRISE_REGISTERED_SUBJECT(name=enterprise.name),
            body=phrases.ENTERPRISE_REGISTERED_BODY(user=by.get_full_name(), email=by.email, name=enterprise.name),
            link=reverse("enterprises:enterprise_detail", args=[enterprise.pk]),
            by=by,
        )
    return enterprise


def enterprise_update(*, enterprise: Enterprise, by, data: Mapping[str, Any]) -> Enterprise:
    data = _clean_enterprise_data(only_fields(data, ENTERPRISE_FIELDS))
    with transaction.atomic():
        enterprise = Enterprise.objects.select_for_update().get(pk=enterprise.pk)
        ensure_allowed(by, "change", enterprise)
        save_with_audit(instance=enterprise, by=by, data=data, fields=ENTERPRISE_FIELDS)
    return enterprise


def record_create(*, model: type[Model], enterprise: Enterprise, by, data: Mapping[str, Any]) -> Model:
    """Add a team member, qualification, honour or financing event to an enterprise the actor may change."""
    fields = RECORD_FIELDS[model]
    data = only_fields(data, fields)
    with transaction.atomic():
        enterprise = Enterprise.objects.select_for_update().get(pk=enterprise.pk)
        ensure_allowed_to_add(by, model)
        ensure_allowed(by, "change", enterprise)
        record = model(enterprise=enterprise)
        save_with_audit(instance=record, by=by, data=data, fields=("enterprise", *fields))
    return record


def record_update(*, record: EnterpriseRecord, by, data: Mapping[str, Any]) -> EnterpriseRecord:
    model = type(record)
    fields = RECORD_FIELDS[model]
    data = only_fields(data, fields)
    with transaction.atomic():
        Enterprise.objects.select_for_update().get(pk=record.enterprise_id)
        record = model.objects.select_for_update().get(pk=record.pk)
        ensure_allowed(by, "change", record)
        save_with_audit(instance=record, by=by, data=data, fields=fields)
    return record


def record_delete(*, record: EnterpriseRecord, by) -> None:
    model = type(record)
    with transaction.atomic():
        Enterprise.objects.select_for_update().get(pk=record.enterprise_id)
        record = model.objects.select_for_update().get(pk=record.pk)
        ensure_allowed(by, "delete", record)
        delete_with_audit(instance=record, by=by, fields=("enterprise", *RECORD_FIELDS[model]))


def membership_create(*, enterprise: Enterprise, user, by) -> EnterpriseMembership:
    """Link an enterprise user to their enterprise. A user acts for one enterprise only."""
    with transaction.atomic():
        enterprise = Enterprise.objects.select_for_update().get(pk=enterprise.pk)
        ensure_allowed_to_add(by, EnterpriseMembership)
        if EnterpriseMembership.objects.filter(user=user).exists():
            raise ValidationError(_("This user already acts for an enterprise."))
        membership = EnterpriseMembership(enterprise=enterprise, user=user)
        save_with_audit(instance=membership, by=by, data={}, fields=("enterprise", "user"))
    return membership


# --- Documents ---------------------------------------------------------------------------------------------------


def document_store(
    *, enterprise: Enterprise, upload: UploadedFile, title: str, kind: str, by,
    file_kind: uploads.FileKind | None = None,
    evidence_of: TechSMERegistration | HTECertificate | Honour | CorporateEvent | None = None,
) -> Document:  # fmt: skip
    """Store an uploaded file for an enterprise (checked by its content), optionally as evidence of one of its
    qualifications. The file gets a random name under MEDIA_ROOT; the name the user gave is kept as a label."""
    file_kind = file_kind or uploads.check_upload(upload)
    with transaction.atomic():
        ensure_allowed_to_add(by, Document)
        ensure_allowed(by, "change", enterprise)
        sent_name = upload.name or ""
        file_name = file_kind.names(sent_name)  # by what the file is, not by the extension it was sent with
        document = Document(
            enterprise=enterprise, kind=kind, title=(title or sent_name)[:200], original_name=file_name[-255:],
            content_type=file_kind.content_type, size=upload.size or 0, sha256=uploads.sha256_of(upload),
            uploaded_by=by,
        )  # fmt: skip
        if evidence_of is not None:
            if evidence_of.enterprise_id != enterprise.pk:
                raise ValidationError(_("The record belongs to another enterprise."))
            field = {TechSMERegistration: "tech_sme_registration", HTECertificate: "hte_certificate",
                     Honour: "honour", CorporateEvent: "corporate_event"}[type(evidence_of)]  # fmt: skip
            setattr(document, field, evidence_of)
        document.file.save(file_name, upload, save=False)
        try:
            document.save()
        except Exception:
            document.file.delete(save=False)
            raise
        record(actor=by, action=AuditAction.CREATE, obj=document,
               changes={"title": [None, document.title], "file": [None, sent_name[:255]]})  # fmt: skip
    return document


def document_delete(*, document: Document, by) -> None:
    """Remove a document no application refers to (an application's documents stay as they were submitted)."""
    with transaction.atomic():
        document = Document.objects.select_for_update().get(pk=document.pk)
        ensure_allowed(by, "delete", document)
        if document.applications.exists():
            raise ValidationError(_("This document belongs to an application and stays on record."))
        delete_with_audit(instance=document, by=by, fields=("title", "original_name", "kind"))
        transaction.on_commit(lambda: document.file.delete(save=False))


# --- Operating reports (经营数据填报) ---------------------------------------------------------------------------------


def _figures(data: Mapping[str, Any]) -> dict[str, Any]:
    figures = only_fields(data, REPORT_FIGURES)
    return {name: value for name, value in figures.items() if value is not None}


def report_create(
    *, enterprise: Enterprise, year: int, period: str, by, data: Mapping[str, Any],
    today: datetime.date | None = None,
) -> OperatingReport:  # fmt: skip
    """Start (save as a draft) an enterprise's report for a year or a quarter. Every problem is reported at once
    and nothing is saved; a second current report for the same period is refused, even when two are filed at once."""
    today = today or timezone.localdate()
    figures = _figures(data)
    with transaction.atomic():
        enterprise = Enterprise.objects.select_for_update().get(pk=enterprise.pk)
        ensure_allowed_to_add(by, OperatingReport)
        ensure_allowed(by, "view", enterprise)
        ensure_filer(by, enterprise)
        problems = report_problems(figures=figures, year=year, period=period, today=today)
        if period not in ReportPeriod.values:
            problems.setdefault("period", []).append(_("Choose the period the report covers."))
        if OperatingReport.objects.current().filter(enterprise=enterprise, year=year, period=period).exists():
            problems.setdefault("period", []).append(str(DUPLICATE_REPORT))
        if problems:
            raise ValidationError(problems)
        report = OperatingReport(enterprise=enterprise, year=year, period=period, created_by=by, **figures)
        report.full_clean(exclude=["created_by"], validate_constraints=False)
        save_report(report)
        record(actor=by, action=AuditAction.CREATE, obj=report,
               changes={"enterprise": [None, str(enterprise)], **snapshot_changes(report)})  # fmt: skip
    return report


def snapshot_changes(report: OperatingReport) -> dict[str, list]:
    return {
        name: [None, value] for name, value in snapshot(report, ("year", "period", "status", *REPORT_FIGURES)).items()
    }


def report_update(
    *, report: OperatingReport, by, data: Mapping[str, Any], today: datetime.date | None = None
) -> OperatingReport:
    """Change a draft's (or a returned report's) figures. A submitted or verified report is not edited: verified
    figures are corrected by a new version (report_correct)."""
    today = today or timezone.localdate()
    figures = _figures(data)
    with transaction.atomic():
        report = REPORT_WORKFLOW.lock(report)
        ensure_allowed(by, "change", report)
        ensure_filer(by, report.enterprise)
        if report.status not in report_workflow.EDITABLE:
            raise ValidationError(_("The report is “%(status)s” and can no longer be edited.")
                                  % {"status": report.get_status_display()})  # fmt: skip
        merged = {name: getattr(report, name) for name in REPORT_FIGURES} | figures
        problems = report_problems(figures=merged, year=report.year, period=report.period, today=today)
        if problems:
            raise ValidationError(problems)
        before = snapshot(report, REPORT_FIGURES)
        for name, value in figures.items():
            setattr(report, name, value)
        report.full_clean(exclude=["created_by"], validate_constraints=False)
        save_report(report)
        changes = changes_between(before, snapshot(report, REPORT_FIGURES))
        if changes:
            record(actor=by, action=AuditAction.UPDATE, obj=report, changes=changes)
    return report


def report_act(*, report: OperatingReport, move: str, by, message: str = "",
               today: datetime.date | None = None) -> OperatingReport:  # fmt: skip
    """Make one move of the report workflow (enterprises.report_workflow) on the locked row: of two staff verifying
    at once, one verifies and the other is told it has moved on. Returns the report as it now is (for `correct`,
    the new version)."""
    return workflows.perform(REPORT_WORKFLOW, obj=report, move=move, by=by, message=message, today=today)


# --- Deadlines and reminders ----------------------------------------------------------------------------------------

DEADLINE_FIELDS = ("year", "period", "due_on", "required", "note")


def deadline_save(*, by, data: Mapping[str, Any], deadline: ReportDeadline | None = None) -> ReportDeadline:
    """Set (or change) a period's deadline: the operating company's decision, audited."""
    data = only_fields(data, DEADLINE_FIELDS)
    with transaction.atomic():
        if deadline is None:
            ensure_allowed_to_add(by, ReportDeadline)
            deadline = ReportDeadline()
        else:
            deadline = ReportDeadline.objects.select_for_update().get(pk=deadline.pk)
            ensure_allowed(by, "change", deadline)
        year, period = data.get("year", deadline.year), data.get("period", deadline.period)
        if ReportDeadline.objects.filter(year=year, period=period).exclude(pk=deadline.pk).exists():
            raise ValidationError({"period": _("This period already has a deadline; edit it instead.")})
        try:
            with transaction.atomic():
                save_with_audit(instance=deadline, by=by, data=data, fields=DEADLINE_FIELDS)
        except IntegrityError as error:
            raise ValidationError({"period": _("This period already has a deadline; edit it instead.")}) from error
    return deadline


# The daily job's reminders: how close to the deadline, and how long after it (weekly) enterprises are reminded.
REMIND_DAYS_BEFORE = (14, 3)
OVERDUE_REMINDER_WEEKS = 26


def reminder_kind(*, due_on: datetime.date, today: datetime.date) -> tuple[str, int] | None:
    """Which reminder is due `today` for a deadline (kind, sequence), or None. A day the job missed is made up the
    next day: each kind covers a span of days, and is sent once."""
    days_left = (due_on - today).days
    if days_left < 0:
        week = (-days_left - 1) // 7 + 1
        return (ReminderKind.OVERDUE, week) if week <= OVERDUE_REMINDER_WEEKS else None
    if days_left <= REMIND_DAYS_BEFORE[1]:
        return ReminderKind.DUE_IMMINENT, 0
    if days_left <= REMIND_DAYS_BEFORE[0]:
        return ReminderKind.DUE_SOON, 0
    return None


def _reminder_text(*, enterprise_name: str, deadline: periods.Deadline, today: datetime.date) -> tuple[Phrase, Phrase]:
    period = phrases.REPORT_PERIOD(year=deadline.year, period=ReportPeriod(deadline.period))
    subject = phrases.REMINDER_SUBJECT(period=period)
    if deadline.due_on < today:
        body = phrases.REMINDER_OVERDUE(
            enterprise=enterprise_name, period=period, date=deadline.due_on, days=deadline.days_overdue(today)
        )
    else:
        body = phrases.REMINDER_DUE(enterprise=enterprise_name, period=period, date=deadline.due_on)
    return subject, body


def _send_reminder(*, enterprise_id: int, enterprise_name: str, deadline: periods.Deadline, kind: str,
                   sequence: int, today: datetime.date, by=None) -> ReportReminder | None:  # fmt: skip
    """Record the reminder (once: the unique key) and notify the enterprise's users; None if sent already."""
    members = list(User.objects.filter(membership__enterprise_id=enterprise_id, is_active=True).order_by("pk"))
    reminder = ReportReminder(
        enterprise_id=enterprise_id, year=deadline.year, period=deadline.period, kind=kind, sequence=sequence,
        due_on=deadline.due_on, sent_by=by, recipients=len(members),
    )  # fmt: skip
    try:
        with transaction.atomic():
            reminder.save()
    except IntegrityError:
        return None
    subject, body = _reminder_text(enterprise_name=enterprise_name, deadline=deadline, today=today)
    notify(recipients=members, subject=subject, body=body, link=reverse("enterprises:report_list"), by=by)
    record(actor=by, action=AuditAction.CREATE, obj=reminder,
           changes={"period": [None, f"{deadline.year} {deadline.period}"], "kind": [None, kind],
                    "recipients": [None, len(members)]})  # fmt: skip
    return reminder


def reminders_send(*, today: datetime.date | None = None) -> int:
    """The daily job: remind every enterprise in residency during a required period that has not filed (submitted
    or verified) its report, 14 and 3 days before the deadline and weekly once it is overdue. Idempotent: each
    reminder is a unique row, so a repeated run (or two at once: an advisory lock orders them) sends nothing twice.
    Returns how many reminders were sent."""
    today = today or timezone.localdate()
    sent = 0
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [REMINDER_LOCK_KEY])
        for row in selectors.pending_reports(today=today, within_days=REMIND_DAYS_BEFORE[0]):
            kind = reminder_kind(due_on=row.deadline.due_on, today=today)
            if kind is None:
                continue
            reminder = _send_reminder(
                enterprise_id=row.enterprise_id, enterprise_name=row.enterprise_name, deadline=row.deadline,
                kind=kind[0], sequence=kind[1], today=today,
            )  # fmt: skip
            sent += reminder is not None
    return sent


REMINDER_LOCK_KEY = 4_004_005  # issue #4, enterprises app: the reminder job's advisory lock


def reminder_send_manual(
    *, enterprise: Enterprise, year: int, period: str, by, today: datetime.date | None = None
) -> ReportReminder:
    """Staff remind one enterprise by hand (at most once a day per period: a double click sends one)."""
    today = today or timezone.localdate()
    with transaction.atomic():
        ensure_allowed_to_add(by, ReportReminder)
        start, end = periods.period_start(year, period), periods.period_end(year, period)
        in_scope = (
            Residency.objects.for_user(by, "change")
            .filter(enterprise=enterprise, started_on__lte=end)
            .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=start))
        )
        if not in_scope.exists():
            raise PermissionDenied(_("You do not have permission to do this."))
        if (
            OperatingReport.objects.current()
            .filter(enterprise=enterprise, year=year, period=period, status__in=report_workflow.FILED)
            .exists()
        ):
            raise ValidationError(_("This enterprise has filed its report for this period."))
        deadline = selectors.report_deadline(year=year, period=period)
        reminder = _send_reminder(
            enterprise_id=enterprise.pk, enterprise_name=enterprise.name, deadline=deadline,
            kind=ReminderKind.MANUAL, sequence=today.toordinal(), today=today, by=by,
        )  # fmt: skip
        if reminder is None:
            raise ValidationError(_("This enterprise has been reminded today already."))
    return reminder
