"""Reads of the accounts app."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import QuerySet
from django.utils import timezone

from accounts.models import EmailStatus, Notification, User
from accounts.roles import GROUP_NAMES, Role


def users_with_role(role: Role) -> QuerySet[User]:
    """The active users holding `role` (its group), e.g. the operating company's staff to notify."""
    return User.objects.filter(groups__name=GROUP_NAMES[role], is_active=True).distinct().order_by("pk")


def notifications_of(*, user) -> QuerySet[Notification]:
    """The user's own notifications, newest first: the inbox page and the API."""
    return Notification.objects.for_user(user).order_by("-created_at", "-id")


def unread_notification_count(*, user) -> int:
    """How many of the user's notifications are unread: the bell. The signed-in user usually carries it already
    (accounts.backends.PortalModelBackend loads it with the user), which costs no query."""
    if not getattr(user, "is_authenticated", False):
        return 0
    count = getattr(user, "unread_notification_count", None)
    if count is None:
        count = Notification.objects.filter(recipient=user).unread().count()
    return count


def pending_notification_ids(*, older_than: timedelta, limit: int) -> list[int]:
    """Notifications whose mail is still to be sent and which were made more than `older_than` ago, oldest first."""
    cutoff = timezone.now() - older_than
    return list(
        Notification.objects.filter(email_status=EmailStatus.PENDING, created_at__lt=cutoff)
        .order_by("created_at", "id")
        .values_list("pk", flat=True)[:limit]
    )
