from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.validators import validate_mainland_mobile


class User(AbstractUser):
    """A person who signs in. Roles are Django groups (see accounts.roles); park staff are linked to carriers."""

    name = models.CharField(pgettext_lazy("person", "name"), max_length=60, blank=True)
    phone = models.CharField(_("mobile phone"), max_length=20, blank=True, validators=[validate_mainland_mobile])

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.name or self.username

    def get_full_name(self) -> str:
        return self.name or super().get_full_name() or self.username


class AuditAction(models.TextChoices):
    CREATE = "create", _("created")
    UPDATE = "update", _("updated")
    DELETE = "delete", _("deleted")
    LOGIN = "login", _("signed in")
    LOGIN_FAILED = "login_failed", _("sign-in failed")
    LOGOUT = "logout", _("signed out")
    PASSWORD_CHANGED = "password_changed", _("changed their password")
    PASSWORD_RESET = "password_reset", _("reset their password by email")


# Sign-ins and password events: visible in the audit log to the system administrator only.
SECURITY_ACTIONS = (
    AuditAction.LOGIN,
    AuditAction.LOGIN_FAILED,
    AuditAction.LOGOUT,
    AuditAction.PASSWORD_CHANGED,
    AuditAction.PASSWORD_RESET,
)


class AuditEventQuerySet(models.QuerySet):
    """The roles POLICY allows read the trail of changes; only the system administrator reads security events."""

    def for_user(self, user, action: str = "view"):
        from accounts.roles import Role, can, has_role

        if action != "view" or not can(user, "view", self.model):
            return self.none()
        return self if has_role(user, Role.ADMIN) else self.exclude(action__in=SECURITY_ACTIONS)


class AuditEvent(models.Model):
    """One thing a user did, written in the same transaction as the change itself. Rows are append-only:
    a database trigger refuses UPDATE and DELETE (migration 0003)."""

    occurred_at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="audit_events",
    )
    actor_repr = models.CharField(_("actor name"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=20, choices=AuditAction.choices)
    content_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.PROTECT)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    object_repr = models.CharField(_("object"), max_length=200, blank=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    remote_addr = models.GenericIPAddressField(_("IP address"), null=True, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-occurred_at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id", "-occurred_at"], name="audit_object_idx")]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.actor_repr} {self.get_action_display()} {self.object_repr}"

    def change_rows(self) -> list[tuple[str, object, object]]:
        """(field label, old, new) for each change, labelled with the field's verbose name where it has one."""
        model = self.content_type.model_class() if self.content_type_id else None
        rows = []
        for name, values in self.changes.items():
            old, new = (values + [None, None])[:2] if isinstance(values, list) else (None, values)
            if old in (None, "", []) and new in (None, "", []):
                continue  # an empty field of a new object says nothing
            label = name
            if model is not None:
                try:
                    field = model._meta.get_field(name)
                except FieldDoesNotExist:  # a field that no longer exists keeps its stored name
                    field = None
                if field is not None:
                    label = str(field.verbose_name)
                    if getattr(field, "choices", None):  # stored values read as their labels
                        labels = {str(key): value for key, value in field.flatchoices}
                        old, new = labels.get(str(old), old), labels.get(str(new), new)
            rows.append((label, old, new))
        return rows
