from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import FieldDoesNotExist
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from accounts import audit
from accounts.models import AuditAction, AuditEvent, User


class AuditedModelAdmin(admin.ModelAdmin):
    """Admin edits leave the same audit trail as the portal's own pages."""

    def save_model(self, request, obj, form, change):
        with transaction.atomic():
            before = audit.snapshot(obj.__class__.objects.get(pk=obj.pk), form.changed_data) if change else {}
            super().save_model(request, obj, form, change)
            self._pending = (obj, change, before, [f for f in form.changed_data if f in form.fields])

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        obj, change, before, fields = getattr(self, "_pending", (form.instance, change, {}, []))
        concrete = [f for f in fields if _is_model_field(obj, f)]
        after = audit.snapshot(obj, concrete)
        changes = audit.changes_between(before, after)
        if not change or changes:
            audit.record(
                actor=request.user,
                action=AuditAction.UPDATE if change else AuditAction.CREATE,
                obj=obj,
                changes=changes,
            )

    def delete_model(self, request, obj):
        with transaction.atomic():
            audit.record(actor=request.user, action=AuditAction.DELETE, obj=obj)
            super().delete_model(request, obj)


def _is_model_field(obj, name: str) -> bool:
    try:
        obj._meta.get_field(name)
    except FieldDoesNotExist:
        return False
    return name != "password"


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ["username", "name", "email", "role_names", "is_active", "last_login"]
    list_filter = ["is_active", "groups"]
    search_fields = ["username", "name", "email"]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Personal info"), {"fields": ("name", "email", "phone")}),
        (_("Roles"), {"fields": ("groups", "is_active", "is_staff", "is_superuser")}),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
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

    @admin.display(description=_("roles"))
    def role_names(self, obj: User) -> str:
        return "、".join(group.name for group in obj.groups.all())

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("groups")


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
