"""Sign-in, sign-out and failed sign-ins are security events: they go to the audit trail (等保 2.0)."""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.utils.translation import gettext

from accounts import audit
from accounts.lockout import account_for_identifier
from accounts.models import AuditAction
from accounts.network import client_ip

_address = client_ip  # the name the receivers below use


@receiver(user_logged_in, dispatch_uid="accounts.audit_login")
def audit_login(sender, request, user, **kwargs) -> None:
    audit.record(actor=user, action=AuditAction.LOGIN, obj=user, remote_addr=_address(request))


@receiver(user_logged_out, dispatch_uid="accounts.audit_logout")
def audit_logout(sender, request, user, **kwargs) -> None:
    if user is not None:
        audit.record(actor=user, action=AuditAction.LOGOUT, obj=user, remote_addr=_address(request))


@receiver(user_login_failed, dispatch_uid="accounts.audit_login_failed")
def audit_login_failed(sender, credentials, request=None, **kwargs) -> None:
    # A password typed into the username box must not end up in the append-only trail: name only real accounts.
    username = str(credentials.get("username", ""))[:150]
    user = account_for_identifier(username)
    audit.record(
        actor=None,
        action=AuditAction.LOGIN_FAILED,
        obj=user,
        object_repr=username if user is not None else gettext("(unknown account)"),
        remote_addr=_address(request),
    )
