"""Sign-in lockout (django-axes), keyed by the account a sign-in names rather than by the string typed.

A person may type their username or their email address, in any case and with spaces around it: every one of those
spellings is the same account, so every failure counts against that account (its username is the lockout key).
A name that matches no account is keyed by its normalised form, so case variants of an unknown name count as one.
A second layer counts the failures from one client address, over every name, with its own (higher) limit: an
office behind one NAT address is not locked by one person's typos, but a guesser spraying many accounts is.
"""

from __future__ import annotations

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.models import AccessAttempt
from axes.signals import user_locked_out
from django.conf import settings
from django.db.models import Sum

from accounts.models import User


def normalise_identifier(identifier: str | None) -> str:
    """The form of a typed username or email address that case and surrounding spaces do not change."""
    return (identifier or "").strip().lower()


def account_for_identifier(identifier: str | None) -> User | None:
    """The account a sign-in names: its exact username first, then (for an address) the email in any case, then the
    username in any case. The sign-in backend and the lockout both ask this, so they can never disagree."""
    identifier = (identifier or "").strip()
    if not identifier:
        return None
    accounts = User._default_manager
    user = accounts.filter(username=identifier).first()
    if user is None and "@" in identifier:
        user = accounts.filter(email__iexact=identifier).order_by("pk").first()
    if user is None:
        user = accounts.filter(username__iexact=identifier).order_by("pk").first()
    return user


def lockout_key(request, credentials: dict | None = None) -> str | None:
    """AXES_USERNAME_CALLABLE: the resolved account's username, or the normalised name for an unknown one."""
    typed = (credentials or {}).get("username")
    if typed is None and request is not None:
        typed = getattr(request, "POST", {}).get("username")
    if typed is None:
        return None
    user = account_for_identifier(typed)
    return user.get_username() if user is not None else normalise_identifier(typed)


class PortalLockoutHandler(AxesDatabaseHandler):
    """Axes' database handler with the per-address limit (LOGIN_ADDRESS_FAILURE_LIMIT) as a second layer."""

    @staticmethod
    def address_failures(request) -> int:
        """Failed sign-ins from the request's client address within the lockout period, whatever name they tried."""
        address = getattr(request, "axes_ip_address", None)
        if not address:
            return 0
        attempts = AccessAttempt.objects.filter(ip_address=address)
        if settings.AXES_COOLOFF_TIME is not None:
            attempts = attempts.filter(attempt_time__gte=get_cool_off_threshold(request))
        return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0

    def address_locked(self, request) -> bool:
        limit = settings.LOGIN_ADDRESS_FAILURE_LIMIT
        return bool(limit) and self.address_failures(request) >= limit

    def is_locked(self, request, credentials: dict | None = None) -> bool:
        return super().is_locked(request, credentials) or self.address_locked(request)

    def user_login_failed(self, sender, credentials: dict, request=None, **kwargs):
        super().user_login_failed(sender, credentials, request, **kwargs)
        if request is not None and not request.axes_locked_out and self.address_locked(request):
            request.axes_locked_out = True
            request.axes_credentials = credentials
            user_locked_out.send(
                "axes", request=request, username=lockout_key(request, credentials), ip_address=request.axes_ip_address
            )
