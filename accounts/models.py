from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import Q
from django.db.models.functions import Cast, Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.access import RestrictedQuerySet
from accounts.phrasebook import render
from accounts.roles import Role, can, has_role, sees_every_carrier
from accounts.validators import validate_mainland_mobile


class User(AbstractUser):
    """A person who signs in. Roles are Django groups (see accounts.roles); park staff are linked to carriers."""

    name = models.CharField(pgettext_lazy("person", "name"), max_length=60, blank=True)
    phone = models.CharField(_("mobile phone"), max_length=20, blank=True, validators=[validate_mainland_mobile])
    # A person who signed up on the portal stays inactive until they follow the link mailed to them.
    self_registered = models.BooleanField(_("signed up on the portal"), default=False)
    email_verified_at = models.DateTimeField(_("email verified at"), null=True, blank=True)
    verification_sent_at = models.DateTimeField(_("verification email sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            # Sign-in by email needs one account per address, whatever its case.
            models.UniqueConstraint(
                Lower("email"),
                condition=~Q(email=""),
                name="user_email_unique_ci",
                violation_error_message=_("An account with this email address already exists."),
            )
        ]

    def __str__(self) -> str:
        return self.name or self.username

    def get_full_name(self) -> str:
        return self.name or super().get_full_name() or self.username

    @property
    def awaits_email_verification(self) -> bool:
        """Signed up but has not yet followed the verification link (an account switched off later has)."""
        return self.self_registered and self.email_verified_at is None


class AuditAction(models.TextChoices):
    CREATE = "create", _("created")
    UPDATE = "update", _("updated")
    DELETE = "delete", _("deleted")
    LOGIN = "login", _("signed in")
    LOGIN_FAILED = "login_failed", _("sign-in failed")
    LOGOUT = "logout", _("signed out")
    PASSWORD_CHANGED = "password_changed", _("changed their password")
    PASSWORD_RESET = "password_reset", _("reset their password by email")
    SIGN_UP = "sign_up", _("signed up")
    EMAIL_VERIFIED = "email_verified", _("verified their email address")


# Sign-ins and password events: visible in the audit log to the system administrator only.
SECURITY_ACTIONS = (
    AuditAction.LOGIN,
    AuditAction.LOGIN_FAILED,
    AuditAction.LOGOUT,
    AuditAction.PASSWORD_CHANGED,
    AuditAction.PASSWORD_RESET,
    AuditAction.SIGN_UP,
    AuditAction.EMAIL_VERIFIED,
)


def _audited_objects_in_scope(user) -> Q:
    """The events whose object lies in `user`'s scope: for each model with a scoped queryset, the rows the user may
    change (what they manage), or, where they may only read the model, the rows they may read (their tenants)."""
    scoped = [model for model in apps.get_models() if isinstance(model._default_manager.all(), RestrictedQuerySet)]
    content_types = ContentType.objects.get_for_models(*scoped)  # one query at most
    in_scope = Q(pk__in=[])
    for model in scoped:
        action = "change" if can(user, "change", model) else "view"
        if not can(user, action, model):
            continue
        keys = model._default_manager.all().for_user(user, action).order_by().values(key=Cast("pk", models.CharField()))
        in_scope |= Q(content_type=content_types[model], object_id__in=keys)
    return in_scope


class AuditEventQuerySet(models.QuerySet):
    """The roles POLICY allows read the trail of changes; only the system administrator reads security events.

    Those who oversee every carrier (the operating company, the bureau) read the whole trail of changes. A park
    administrator reads the events of objects in their own scope (their carriers, their tenants, their
    applications), as every other page of theirs is scoped: not other carriers' events, nor users' records."""

    def for_user(self, user, action: str = "view"):
        if action != "view" or not can(user, "view", self.model):
            return self.none()
        events = self if has_role(user, Role.ADMIN) else self.exclude(action__in=SECURITY_ACTIONS)
        if sees_every_carrier(user, "view", self.model):
            return events
        return events.filter(_audited_objects_in_scope(user))


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
    action = models.CharField(_("action"), max_length=20, choices=AuditAction)
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
                # A mapping (the scores of a review) reads its keys by the names the model gives them.
                key_labels = getattr(model, "audit_key_labels", {}).get(name, {})
                old, new = _keys_named(old, key_labels), _keys_named(new, key_labels)
            rows.append((label, old, new))
        return rows


def _keys_named(value: object, labels: dict) -> object:
    if not isinstance(value, dict):
        return value
    return {str(labels.get(key, key)): item for key, item in value.items()}


class EmailStatus(models.TextChoices):
    PENDING = "pending", _("waiting to be sent")
    SENT = "sent", _("sent")
    SKIPPED = "skipped", _("not sent")
    FAILED = "failed", _("failed")


class NotificationQuerySet(RestrictedQuerySet):
    """Notifications are personal: whatever their role, a user reads and marks only their own."""

    def scope_for(self, user, action: str):
        return self.filter(recipient=user)

    def unread(self):
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """Something a user should know, shown in the portal (the bell) and mailed to them once.

    The mail is sent by accounts.tasks.send_notification_email after the creating transaction commits; a periodic
    job sends again whatever is still pending (the broker was down), so each notification is mailed exactly once.
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recipient"), on_delete=models.CASCADE, related_name="notifications"
    )
    # The words in the portal's language when it was made; the phrases (accounts.phrasebook), when the portal
    # wrote them, put the words into each reader's language. Words someone typed have no phrase.
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("message"), blank=True)
    subject_phrase = models.JSONField(_("subject (code and parameters)"), null=True, blank=True)
    body_phrase = models.JSONField(_("message (code and parameters)"), null=True, blank=True)
    link = models.CharField(_("link"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    email_status = models.CharField(_("email"), max_length=10, choices=EmailStatus, default=EmailStatus.PENDING)
    email_sent_at = models.DateTimeField(_("email sent at"), null=True, blank=True)
    email_attempts = models.PositiveSmallIntegerField(_("email attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "-created_at"], name="notification_inbox_idx"),
            # The bell's unread count and the sweep of mails still to send read only these rows.
            models.Index(fields=["recipient"], condition=Q(read_at__isnull=True), name="notification_unread_idx"),
            models.Index(fields=["created_at"], condition=Q(email_status="pending"), name="notification_pending_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(email_status="sent", email_sent_at__isnull=False)
                | (~Q(email_status="sent") & Q(email_sent_at__isnull=True)),
                name="notification_sent_has_time",
            )
        ]

    def __str__(self) -> str:
        return self.subject

    @property
    def subject_text(self) -> str:
        """The subject in the active language."""
        return render(self.subject_phrase, fallback=self.subject)

    @property
    def body_text(self) -> str:
        """The message in the active language."""
        return render(self.body_phrase, fallback=self.body)

    @property
    def is_read(self) -> bool:
        return self.read_at is not None
