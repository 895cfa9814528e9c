"""The audit trail every app's services write to, in the same transaction as the change."""

from __future__ import annotations

import contextvars
import datetime
import decimal
from collections.abc import Iterable, Mapping
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import ProtectedError, RestrictedError
from django.utils.translation import gettext as _

from accounts.models import AuditAction, AuditEvent


def _plain(value: Any) -> Any:
    """A JSON-safe, human-readable form of a field value."""
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return format(value.normalize(), "f") if value == value.to_integral() else str(value)
    if isinstance(value, list | tuple | set | frozenset):
        return [_plain(item) for item in value]
    return value


def snapshot(instance: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """The current values of `fields`, many-to-many fields as sorted lists of names."""
    values: dict[str, Any] = {}
    for name in fields:
        field = instance._meta.get_field(name)
        if field.many_to_many:
            values[name] = sorted(str(obj) for obj in getattr(instance, name).all()) if instance.pk else []
        else:
            values[name] = _plain(getattr(instance, name))
    return values


def changes_between(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, list[Any]]:
    """{field: [old, new]} for each field whose value differs."""
    return {name: [before.get(name), value] for name, value in after.items() if before.get(name) != value}


# The client address of the request being served, set by accounts.middleware.AuditContextMiddleware.
current_remote_addr: contextvars.ContextVar[str | None] = contextvars.ContextVar("current_remote_addr", default=None)


def record(
    *,
    actor,
    action: str,
    obj: models.Model | None = None,
    changes: Mapping[str, Any] | None = None,
    object_repr: str | None = None,
    remote_addr: str | None = None,
) -> AuditEvent:
    """Write one audit event. Call it inside the service's transaction so the event and the change commit together."""
    is_user = actor is not None and getattr(actor, "is_authenticated", False)
    return AuditEvent.objects.create(
        actor=actor if is_user else None,
        actor_repr=(actor.get_username() if is_user else "")[:150],
        action=action,
        content_type=ContentType.objects.get_for_model(obj) if obj is not None else None,
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=(object_repr if object_repr is not None else str(obj) if obj is not None else "")[:200],
        changes=dict(changes or {}),
        remote_addr=remote_addr if remote_addr is not None else current_remote_addr.get(),
    )


def history_of(obj: models.Model, *, reader=None) -> models.QuerySet[AuditEvent]:
    """The audit events of one object, newest first, with their actors; with `reader`, only those they may read."""
    events = AuditEvent.objects.all() if reader is None else AuditEvent.objects.for_user(reader)
    return (
        events.filter(content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk))
        .select_related("actor", "content_type")
        .order_by("-occurred_at", "-id")
    )


def only_fields(data: Mapping[str, Any], allowed: Iterable[str]) -> dict[str, Any]:
    """`data` as a dict, or a ValidationError naming the fields a service does not let its caller change."""
    unknown = set(data) - set(allowed)
    if unknown:
        raise ValidationError(
            _("These fields cannot be changed here: %(fields)s") % {"fields": ", ".join(sorted(unknown))}
        )
    return dict(data)


def save_with_audit(*, instance: models.Model, by, data: Mapping[str, Any], fields: Iterable[str]) -> dict:
    """Apply `data` to `instance`, validate, save, and record what changed (create or update).

    Many-to-many values in `data` are set after the save. Returns the changes recorded ({} if nothing changed,
    in which case no event is written). Call inside the service's transaction.
    """
    fields = list(fields)
    creating = instance.pk is None
    before = {} if creating else snapshot(instance, fields)
    m2m = {}
    for name, value in data.items():
        if instance._meta.get_field(name).many_to_many:
            m2m[name] = value
        else:
            setattr(instance, name, value)
    instance.full_clean()
    instance.save()
    for name, value in m2m.items():
        getattr(instance, name).set(value)
    after = snapshot(instance, fields)
    changes = changes_between(before, after)
    if creating:
        record(actor=by, action=AuditAction.CREATE, obj=instance, changes=changes)
    elif changes:
        record(actor=by, action=AuditAction.UPDATE, obj=instance, changes=changes)
    return changes


def delete_with_audit(*, instance: models.Model, by, fields: Iterable[str]) -> None:
    """Delete `instance` and record its last values. Call inside the service's transaction. Rows that still refer
    to it (a protected foreign key) refuse with a ValidationError, never a server error."""
    last = snapshot(instance, fields)
    record(actor=by, action=AuditAction.DELETE, obj=instance, changes={k: [v, None] for k, v in last.items()})
    try:
        instance.delete()
    except (ProtectedError, RestrictedError) as error:
        raise ValidationError(
            _("%(object)s is still referred to by other records and cannot be deleted.") % {"object": instance}
        ) from error


__all__ = [
    "AuditAction",
    "changes_between",
    "delete_with_audit",
    "history_of",
    "record",
    "save_with_audit",
    "snapshot",
]
