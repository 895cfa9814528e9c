"""Sign-in: by username (the staff and demo accounts) or by email address (people who signed up)."""

from __future__ import annotations

from django.contrib.auth.backends import ModelBackend
from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce

from accounts.lockout import account_for_identifier
from accounts.models import Notification, User


def user_with_unread_count():
    """Users, each with `unread_notification_count`: the navigation's bell costs no query of its own."""
    unread = (
        Notification.objects.filter(recipient=OuterRef("pk"), read_at__isnull=True)
        .order_by()
        .values("recipient")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return User._default_manager.annotate(
        unread_notification_count=Coalesce(Subquery(unread, output_field=IntegerField()), 0)
    )


class PortalModelBackend(ModelBackend):
    """ModelBackend that also accepts an email address (any case) in the username box, and loads the signed-in
    user with their unread-notification count."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username and "@" in username and password is not None:
            user = account_for_identifier(username)
            if user is None:
                User().set_password(password)  # take as long as a real check: the timing reveals no address
                return None
            if user.check_password(password) and self.user_can_authenticate(user):
                return user
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)

    def get_user(self, user_id):
        user = user_with_unread_count().filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None
