"""Admin registrations. Every write made through the admin records an AuditEvent in the same transaction as the
change, just as the portal's own services do (accounts.audit)."""

from __future__ import annotations

import copy
from collections.abc import Iterable
from typing import Any

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django.core.exceptions import FieldDoesNotExist
from django.db import models, router, transaction
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django.views.decorators.debug import sensitive_post_parameters

from accounts import audit
from accounts.models import AuditAction, AuditEvent, Notification, User
from accounts.network import client_ip

# Field names whose values never reach the audit trail (a password hash is a secret even when hashed).
NEVER_RECORDED = frozenset({"password"})
# What the trail says instead of a password: that one was set, changed or disabled, never its value.
PASSWORD_SET = ["", "set"]
PASSWORD_CHANGED = ["", "changed"]
PASSWORD_DISABLED = ["", "disabled"]

# Per-request state kept on the request (a ModelAdmin instance is shared by every thread serving the site).
_REQUEST_STATE = "_audited_admin_before"


def _before_by_object(request) -> dict[int, dict[str, Any]]:
    """{id(instance): its values before this request changed it}, for the request being served."""
    state = getattr(request, _REQUEST_STATE, None)
    if state is None:
        state = {}
        setattr(request, _REQUEST_STATE, state)
    return state


def _model_field(model: type[models.Model], name: str):
    """The model's own editable field called `name` (concrete or many-to-many), or None."""
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    if field.auto_created or getattr(field, "primary_key", False) or not (field.concrete or field.many_to_many):
        return None
    return field


def audited_names(model: type[models.Model], names: Iterable[str], only: Iterable[str] | None = None) -> list[str]:
    """The names among `names` that are model fields the trail records (never the password, never the pk)."""
    only = None if only is None else set(only)
    return [
        name
        for name in dict.fromkeys(names)
        if name not in NEVER_RECORDED and _model_field(model, name) is not None and (only is None or name in only)
    ]


def all_audited_names(model: type[models.Model], only: Iterable[str] | None = None) -> list[str]:
    """Every editable field of `model` the trail records: what a DELETE event keeps of the object's last values."""
    fields = [*model._meta.concrete_fields, *model._meta.many_to_many]
    return audited_names(model, [field.name for field in fields if field.editable], only)


class AuditedAdminMixin:
    """Audits a ModelAdmin's writes: create/update of the object (changed fields, old and new), create/update/delete
    of its inline objects, and deletions one by one or in bulk. Each event is written in the transaction of its
    change (the admin's views run in one; the hooks open their own so they are atomic wherever they are called)."""

    #: The fields recorded for the admin's own model; None records every editable model field.
    audit_fields: tuple[str, ...] | None = None

    # --- helpers ----------------------------------------------------------------------------------------------
    def _atomic(self, model: type[models.Model]):
        return transaction.atomic(using=router.db_for_write(model))

    def _record(self, request, action: str, obj: models.Model, changes: dict | None = None, **kwargs) -> None:
        audit.record(
            actor=request.user, action=action, obj=obj, changes=changes, remote_addr=client_ip(request), **kwargs
        )

    def _record_deletion(self, request, obj: models.Model, only: Iterable[str] | None = None) -> None:
        last = audit.snapshot(obj, all_audited_names(type(obj), only))
        self._record(request, AuditAction.DELETE, obj, {name: [value, None] for name, value in last.items()})

    def extra_audit_changes(self, request, obj: models.Model, form, change: bool) -> dict[str, Any]:
        """Changes to add to the object's event that are not plain field values (e.g. a password marker)."""
        return {}

    # --- the object itself ------------------------------------------------------------------------------------
    def save_model(self, request, obj, form, change):
        with self._atomic(type(obj)):
            before: dict[str, Any] = {}
            if change:
                # The form has already written the new values onto `obj`: read the stored ones, and hold the row.
                stored = type(obj)._default_manager.select_for_update(of=("self",)).get(pk=obj.pk)
                before = audit.snapshot(stored, audited_names(type(obj), form.changed_data, self.audit_fields))
            super().save_model(request, obj, form, change)
            _before_by_object(request)[id(obj)] = before

    def save_related(self, request, form, formsets, change):
        obj = form.instance
        with self._atomic(type(obj)):
            super().save_related(request, form, formsets, change)  # many-to-many values, then save_formset
            before = _before_by_object(request).pop(id(obj), {})
            names = audited_names(type(obj), form.changed_data if change else form.fields, self.audit_fields)
            changes = audit.changes_between(before, audit.snapshot(obj, names))
            changes.update(self.extra_audit_changes(request, obj, form, change))
            if not change:
                self._record(request, AuditAction.CREATE, obj, changes)
            elif changes:
                self._record(request, AuditAction.UPDATE, obj, changes)

    # --- inline objects ---------------------------------------------------------------------------------------
    def save_formset(self, request, form, formset, change):
        model = formset.model
        with self._atomic(model):
            deleting_ids = {id(f) for f in formset.deleted_forms}
            existing = [f for f in formset.initial_forms if f.instance.pk is not None]
            deleting = [f for f in existing if id(f) in deleting_ids]
            changing = [f for f in existing if id(f) not in deleting_ids and f.has_changed()]
            # The forms have already written the new values onto their instances: read the stored ones.
            pks = [f.instance.pk for f in deleting + changing]
            stored = model._default_manager.select_for_update(of=("self",)).order_by().in_bulk(pks) if pks else {}
            before = {
                f.instance.pk: audit.snapshot(stored[f.instance.pk], audited_names(model, f.changed_data))
                for f in changing
                if f.instance.pk in stored
            }
            last = {
                id(f.instance): (
                    f.instance.pk,
                    str(stored[f.instance.pk]),
                    audit.snapshot(stored[f.instance.pk], all_audited_names(model)),
                )
                for f in deleting
                if f.instance.pk in stored
            }
            form_of = {id(f.instance): f for f in formset.forms}

            super().save_formset(request, form, formset, change)

            for obj in formset.new_objects:
                inline_form = form_of.get(id(obj))
                names = audited_names(model, inline_form.fields if inline_form is not None else [])
                self._record(request, AuditAction.CREATE, obj, audit.changes_between({}, audit.snapshot(obj, names)))
            for obj, changed_data in formset.changed_objects:
                after = audit.snapshot(obj, audited_names(model, changed_data))
                changes = audit.changes_between(before.get(obj.pk, {}), after)
                if changes:
                    self._record(request, AuditAction.UPDATE, obj, changes)
            for obj in formset.deleted_objects:
                pk, representation, values = last.get(id(obj), (obj.pk, str(obj), {}))
                # Deleting cleared the instance's pk: the event names the object by the pk it had.
                gone = copy.copy(obj)
                gone.pk = pk
                self._record(
                    request,
                    AuditAction.DELETE,
                    gone,
                    {name: [value, None] for name, value in values.items()},
                    object_repr=representation,
                )

    # --- deletions --------------------------------------------------------------------------------------------
    def delete_model(self, request, obj):
        with self._atomic(type(obj)):
            self._record_deletion(request, obj, self.audit_fields)
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        """The changelist's "delete selected" action: one DELETE event per object, then the deletion."""
        model = queryset.model
        with self._atomic(model):
            objs = list(
                model._default_manager.select_for_update(of=("self",))
                .filter(pk__in=queryset.values("pk"))
                .order_by("pk")
            )
            for obj in objs:
                self._record_deletion(request, obj, self.audit_fields)
            super().delete_queryset(request, model._default_manager.filter(pk__in=[obj.pk for obj in objs]))


class AuditedModelAdmin(AuditedAdminMixin, admin.ModelAdmin):
    """Admin edits leave the same audit trail as the portal's own pages."""


# Groups are the roles: created and given their permissions by code (accounts.roles.sync_role_groups), not by hand.
if admin.site.is_registered(Group):
    admin.site.unregister(Group)


@admin.register(User)
class UserAdmin(AuditedAdminMixin, DjangoUserAdmin):
    list_display = ["username", "name", "email", "role_names", "is_active", "email_verified_at", "last_login"]
    list_filter = ["is_active", "groups", "self_registered"]
    search_fields = ["username", "name", "email"]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Personal info"), {"fields": ("name", "email", "phone")}),
        (_("Roles"), {"fields": ("groups", "is_active", "is_staff", "is_superuser")}),
        (_("Important dates"), {"fields": ("last_login", "date_joined", "email_verified_at")}),
    )
    readonly_fields = ["email_verified_at"]
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("username", "name", "email", "groups", "password1", "password2"),
            },
        ),
    )
    filter_horizontal = ["groups"]
    # What the trail records of a user: roles (groups, by name), access flags and contact details. Never the hash.
    audit_fields = ("username", "name", "email", "phone", "groups", "is_active", "is_staff", "is_superuser")

    @admin.display(description=_("roles"))
    def role_names(self, obj: User) -> str:
        return "、".join(group.name for group in obj.groups.all())

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("groups")

    def extra_audit_changes(self, request, obj, form, change):
        # The add form sets a password (unless password-based sign-in is disabled): say so, without the hash.
        if not change and obj.has_usable_password():
            return {"password": PASSWORD_SET}
        return {}

    @method_decorator(sensitive_post_parameters())
    def user_change_password(self, request, id, form_url=""):
        if request.method != "POST":
            return super().user_change_password(request, id, form_url)
        with self._atomic(self.model):
            user = self.get_object(request, unquote(id))
            old_hash = None
            if user is not None:
                old_hash = (
                    self.model._default_manager.select_for_update().values_list("password", flat=True).get(pk=user.pk)
                )
            response = super().user_change_password(request, id, form_url)
            if user is not None:
                user.refresh_from_db(fields=["password"])
                if user.password != old_hash:  # a new hash differs even for the same password (fresh salt)
                    marker = PASSWORD_CHANGED if user.has_usable_password() else PASSWORD_DISABLED
                    self._record(request, AuditAction.UPDATE, user, {"password": marker})
        return response


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["occurred_at", "actor_repr", "action", "content_type", "object_repr", "remote_addr"]
    list_filter = ["action", "content_type"]
    search_fields = ["actor_repr", "object_repr"]
    date_hierarchy = "occurred_at"
    list_select_related = ["content_type"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """Read-only: which notifications were made, and whether their mail went out (a failure shows its last error)."""

    list_display = ["created_at", "recipient", "subject", "read_at", "email_status", "email_attempts", "last_error"]
    list_filter = ["email_status"]
    search_fields = ["subject", "recipient__username", "recipient__name"]
    date_hierarchy = "created_at"
    list_select_related = ["recipient"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
