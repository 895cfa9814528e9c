"""Writes to enterprises and their records. Each service checks the actor's permission on the very enterprise,
runs in one transaction with the enterprise row locked, and records an audit event."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Model
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from accounts.access import ensure_allowed, ensure_allowed_to_add
from accounts.audit import delete_with_audit, only_fields, record, save_with_audit
from accounts.models import AuditAction, User
from accounts.roles import Role, can
from accounts.selectors import users_with_role
from accounts.services import notify
from enterprises import uploads
from enterprises.models import (
    Document,
    Enterprise,
    EnterpriseMembership,
    FinancingEvent,
    Honour,
    HTECertificate,
    TeamMember,
    TechSMERegistration,
)
from enterprises.uscc import normalise_uscc

ENTERPRISE_FIELDS = (
    "name", "kind", "uscc", "registered_on", "registered_capital", "legal_representative", "address",
    "industry_field", "high_tech_field", "founder_type", "contact_name", "contact_phone", "contact_email",
    "description",
)  # fmt: skip
# What each kind of record under an enterprise holds (the enterprise itself is set by the service).
RECORD_FIELDS: dict[type[Model], tuple[str, ...]] = {
    TeamMember: ("name", "position", "education", "is_founder", "note"),
    TechSMERegistration: ("year", "registration_no", "registered_on"),
    HTECertificate: ("certificate_no", "issued_on", "valid_years"),
    Honour: ("kind", "level", "year", "certificate_no", "note"),
    FinancingEvent: ("occurred_on", "round", "amount", "investor", "note"),
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
        with translation.override(settings.LANGUAGE_CODE):  # staff read the portal's language, not the founder's
            notify(
                recipients=users_with_role(Role.OPERATOR),
                subject=_("New enterprise registered: %(name)s") % {"name": enterprise.name},
                body=_("%(user)s (%(email)s) signed up and registered “%(name)s”. Please check its details.")
                % {"user": by.get_full_name(), "email": by.email, "name": enterprise.name},
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


def record_update(*, record: Model, by, data: Mapping[str, Any]) -> Model:
    model = type(record)
    fields = RECORD_FIELDS[model]
    data = only_fields(data, fields)
    with transaction.atomic():
        Enterprise.objects.select_for_update().get(pk=record.enterprise_id)
        record = model.objects.select_for_update().get(pk=record.pk)
        ensure_allowed(by, "change", record)
        save_with_audit(instance=record, by=by, data=data, fields=fields)
    return record


def record_delete(*, record: Model, by) -> None:
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
    file_kind: uploads.FileKind | None = None, evidence_of: Model | None = None,
) -> Document:  # fmt: skip
    """Store an uploaded file for an enterprise (checked by its content), optionally as evidence of one of its
    qualifications. The file gets a random name under MEDIA_ROOT; the name the user gave is kept as a label."""
    file_kind = file_kind or uploads.check_upload(upload)
    with transaction.atomic():
        ensure_allowed_to_add(by, Document)
        ensure_allowed(by, "change", enterprise)
        document = Document(
            enterprise=enterprise, kind=kind, title=(title or upload.name)[:200], original_name=upload.name[:255],
            content_type=file_kind.content_type, size=upload.size, sha256=uploads.sha256_of(upload), uploaded_by=by,
        )  # fmt: skip
        if evidence_of is not None:
            if evidence_of.enterprise_id != enterprise.pk:
                raise ValidationError(_("The record belongs to another enterprise."))
            field = {TechSMERegistration: "tech_sme_registration", HTECertificate: "hte_certificate",
                     Honour: "honour"}[type(evidence_of)]  # fmt: skip
            setattr(document, field, evidence_of)
        document.file.save(upload.name, upload, save=False)
        try:
            document.save()
        except Exception:
            document.file.delete(save=False)
            raise
        record(actor=by, action=AuditAction.CREATE, obj=document,
               changes={"title": [None, document.title], "file": [None, document.original_name]})  # fmt: skip
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
