"""Writes of the accounts app: self sign-up with a verified email address, and notifications (portal and mail).

Each service runs in one transaction and records an audit event there; mail goes out only after the commit.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.models import Group
from django.core import signing
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage
from django.core.validators import EmailValidator
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.audit import record
from accounts.models import AuditAction, EmailStatus, Notification, User
from accounts.phrasebook import Phrase, as_text
from accounts.roles import GROUP_NAMES, SIGN_UP_ROLE
from accounts.validators import validate_mainland_mobile
from config.celery import enqueue_on_commit

logger = logging.getLogger(__name__)

_VERIFICATION_SALT = "accounts.email-verification"
# A person may ask for another verification mail once a minute (the link itself stays valid for days).
RESEND_INTERVAL = timedelta(seconds=60)
EMAIL_MAX_LENGTH = 150  # the address is also the username (150 characters at most)


# --- Sign-up and email verification ---------------------------------------------------------------------------------


def _verification_lifetime() -> timedelta:
    return timedelta(days=settings.EMAIL_VERIFICATION_DAYS)


def normalise_email(email: str) -> str:
    """Addresses are kept in lower case: one account per address, whatever case people type."""
    return (email or "").strip().lower()


def verification_token(user: User) -> str:
    """A signed token naming the user and the address to verify; it expires after EMAIL_VERIFICATION_DAYS."""
    return signing.dumps({"user": user.pk, "email": user.email}, salt=_VERIFICATION_SALT)


def absolute_url(path: str) -> str:
    """A link for a mail: the portal's address (PORTAL_BASE_URL) and `path`; absolute links stay as they are."""
    if not path or path.startswith(("http://", "https://")):
        return path
    return f"{settings.PORTAL_BASE_URL}{path}"


def _mail_account_owner(user: User, template: str, **context) -> bool:
    """Mail `user` accounts/email/<template>.txt (subject: <template>_subject.txt). A mail server that fails is
    logged, not raised: the person can ask again."""
    context = {"user": user, "portal_name": settings.PORTAL_NAME, **context}
    subject = " ".join(render_to_string(f"accounts/email/{template}_subject.txt", context).split())
    body = render_to_string(f"accounts/email/{template}.txt", context)
    try:
        EmailMessage(subject=subject, body=body, to=[user.email]).send()
    except Exception:
        logger.exception("could not send the %s email to user %s", template, user.pk)
        return False
    return True


def _send_verification_email(user: User) -> bool:
    """Mail the verification link."""
    return _mail_account_owner(
        user,
        "verify_email",
        url=absolute_url(reverse("accounts:verify_email", args=[verification_token(user)])),
        days=settings.EMAIL_VERIFICATION_DAYS,
    )


def sign_up_problems(*, name: str, email: str, password: str | None, phone: str = "") -> dict[str, list[str]]:
    """Every problem with a sign-up's input at once ({field: messages}, {} if none): the name, the address's shape,
    the phone and the password's strength. It never looks at whether the address has an account."""
    name, email, phone = (name or "").strip(), normalise_email(email), (phone or "").strip()
    problems: dict[str, list[str]] = {}
    if not name:
        problems["name"] = [_("Please enter your name.")]
    try:
        EmailValidator()(email)
        if len(email) > EMAIL_MAX_LENGTH:
            raise ValidationError(_("An email address of at most 150 characters, please."))
    except ValidationError as error:
        problems["email"] = error.messages
    if phone:
        try:
            validate_mainland_mobile(phone)
        except ValidationError as error:
            problems["phone"] = error.messages
    if password is not None:
        try:  # judged against the account it would create, whether or not the address is taken
            password_validation.validate_password(password, User(username=email, email=email, name=name))
        except ValidationError as error:
            problems["password"] = error.messages
    return problems


def _send_account_exists_email(user: User) -> bool:
    """Tell an address's owner that someone tried to sign up with it, with a link to reset the password. At most
    one such mail per account per RESEND_INTERVAL, so the form cannot be used to flood someone's mailbox."""
    if not cache.add(f"accounts:sign-up-attempt-mail:{user.pk}", 1, timeout=int(RESEND_INTERVAL.total_seconds())):
        return False
    return _mail_account_owner(
        user,
        "account_exists",
        sign_in_url=absolute_url(reverse("accounts:login")),
        reset_url=absolute_url(reverse("accounts:password_reset")),
    )


def user_sign_up(*, name: str, email: str, password: str, phone: str = "") -> User | None:
    """Create an inactive enterprise user (企业用户) whose username is their email address, and mail them a link
    to verify it; returns the new account.

    The caller answers the same whether or not the address already has an account, so the page reveals no
    addresses: for an address in use, nothing is created, its owner is mailed that someone tried to sign up (with
    a link to reset their password), and None is returned. An account that was never verified and whose last link
    has expired is taken over by this sign-up instead (nobody can hold an address they cannot read)."""
    problems = sign_up_problems(name=name, email=email, password=password, phone=phone)
    if problems:
        raise ValidationError(problems)
    name, email, phone = name.strip(), normalise_email(email), (phone or "").strip()

    now = timezone.now()
    try:
        with transaction.atomic():
            existing = User.objects.select_for_update().filter(email__iexact=email).first()
            if existing is None:
                existing = User.objects.select_for_update().filter(username=email).first()
            expired = (
                existing is not None
                and existing.awaits_email_verification
                and (existing.verification_sent_at or existing.date_joined) < now - _verification_lifetime()
            )
            owner = existing if existing is not None and not expired else None
            if owner is not None:
                User().set_password(password)  # the work of a sign-up: the answer's timing reveals no address
            else:
                user = existing or User(self_registered=True)
                user.username, user.email, user.name, user.phone = email, email, name, phone
                user.is_active, user.date_joined, user.verification_sent_at = False, now, now
                user.set_password(password)
                user.full_clean(exclude=["password"])
                user.save()
                user.groups.add(Group.objects.get(name=GROUP_NAMES[SIGN_UP_ROLE]))
                record(
                    actor=user,
                    action=AuditAction.SIGN_UP,
                    obj=user,
                    changes={"email": [None, email], "name": [None, name], "phone": [None, phone]},
                )
    except IntegrityError:  # the same address signed up at the same moment: the other sign-up holds it
        return None
    if owner is not None:
        if owner.awaits_email_verification:
            user_resend_verification(email=email)  # its owner signed up and has not confirmed yet: the link again
        else:
            _send_account_exists_email(owner)
        return None
    _send_verification_email(user)
    return user


def user_verify_email(*, token: str) -> User:
    """Verify the address a token names and activate its account. A token works once, for EMAIL_VERIFICATION_DAYS,
    and only for an account still waiting (an account switched off after its verification stays off)."""
    try:
        data = signing.loads(token, salt=_VERIFICATION_SALT, max_age=_verification_lifetime())
    except signing.SignatureExpired as error:
        raise ValidationError(
            _("This verification link has expired. Ask for a new one below."), code="expired"
        ) from error
    except signing.BadSignature as error:
        raise ValidationError(_("This verification link is not valid."), code="invalid") from error
    with transaction.atomic():
        user = User.objects.select_for_update().filter(pk=data.get("user")).first()
        if user is None or normalise_email(user.email) != data.get("email"):
            raise ValidationError(_("This verification link is not valid."), code="invalid")
        if not user.awaits_email_verification:
            raise ValidationError(
                _("This email address has already been verified. Please sign in."), code="already_verified"
            )
        user.email_verified_at = timezone.now()
        user.is_active = True
        user.save(update_fields=["email_verified_at", "is_active"])
        record(actor=user, action=AuditAction.EMAIL_VERIFIED, obj=user, changes={"is_active": [False, True]})
    return user


def user_resend_verification(*, email: str) -> bool:
    """Mail a new verification link to an account that still waits for one. Says nothing about other addresses
    (the caller shows the same answer either way); at most one mail a minute per account. True if one was sent."""
    now = timezone.now()
    with transaction.atomic():
        user = (
            User.objects.select_for_update()
            .filter(email__iexact=normalise_email(email), self_registered=True, email_verified_at__isnull=True)
            .first()
        )
        if user is None or (user.verification_sent_at and user.verification_sent_at > now - RESEND_INTERVAL):
            return False
        user.verification_sent_at = now
        user.save(update_fields=["verification_sent_at"])
    return _send_verification_email(user)


# --- Notifications ------------------------------------------------------------------------------------------------


def _check_link(link: str) -> None:
    # A link is shown as an anchor and followed on "open": only a path of the portal or an http(s) address.
    if (
        link
        and not (link.startswith("/") and not link.startswith("//"))
        and not link.startswith(("https://", "http://"))
    ):
        raise ValidationError(_("A notification link must be a path of the portal or an http(s) address."))


def notify(
    *, recipients: Iterable[User], subject: str | Phrase, body: str | Phrase, link: str = "", by=None
) -> list[Notification]:
    """Tell each active recipient (once, however often they are listed) `subject` and `body`, in the portal and by
    mail. `link` is a path of the portal (/incubation/applications/3/) or an absolute address. Call it inside the
    caller's transaction: the rows commit with it, and the mails are queued only after the commit (a broker that
    is down loses nothing: accounts.tasks.send_pending_notification_emails sends them later). What the portal says
    is given as a Phrase (accounts.phrasebook): each reader reads it in their language, and the words are kept in
    the portal's language besides; words someone wrote (a comment, an error) are given as text and kept as written.
    `by` is the user who caused the notification (None for the system); it is named in the audit trail."""
    # local import: task (service <-> task pair: accounts.tasks imports this module)
    from accounts.tasks import send_notification_email

    with translation.override(settings.LANGUAGE_CODE):
        subject_words, subject_phrase = as_text(subject)
        body_words, body_phrase = as_text(body)
    subject_words = subject_words.strip()
    if not subject_words:
        raise ValidationError(_("A notification needs a subject."))
    _check_link(link)
    targets: dict[int, User] = {}
    for user in recipients:
        if user is not None and user.is_active and user.pk not in targets:
            targets[user.pk] = user
    with transaction.atomic():
        notifications = Notification.objects.bulk_create(
            Notification(
                recipient=user,
                subject=subject_words[:200],
                body=body_words,
                subject_phrase=subject_phrase,
                body_phrase=body_phrase,
                link=link,
            )  # fmt: skip
            for user in targets.values()
        )
        for notification in notifications:
            record(
                actor=by,
                action=AuditAction.CREATE,
                obj=notification,
                changes={"recipient": [None, str(notification.recipient)], "subject": [None, notification.subject]},
            )
            enqueue_on_commit(send_notification_email, notification.pk)
    return notifications


# Marking a notification read is the reader's own bookkeeping, not a change to anyone's records: no audit event.
def notification_mark_read(*, notification: Notification, by: User) -> Notification:
    """Mark one of `by`'s own notifications read (a notification of someone else: PermissionDenied)."""
    with transaction.atomic():
        locked = Notification.objects.for_user(by, "change").select_for_update().filter(pk=notification.pk).first()
        if locked is None:
            raise PermissionDenied(_("You do not have permission to do this."))
        if locked.read_at is None:
            locked.read_at = timezone.now()
            locked.save(update_fields=["read_at"])
    return locked


def notifications_mark_all_read(*, by: User) -> int:
    """Mark every unread notification of `by` read; returns how many were."""
    return Notification.objects.for_user(by, "change").unread().update(read_at=timezone.now())


def notification_email_send(*, notification_id: int) -> str:
    """Mail one notification to its recipient, at most once: the row is locked, and a notification already sent,
    skipped or failed is left alone. A recipient without an address is skipped, with the reason recorded. An error
    of the mail server is recorded on the row (attempts, last error) and raised, for the task to retry or give up.
    Returns the notification's email status."""
    error: Exception | None = None
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update(of=("self",))
            .select_related("recipient")
            .filter(pk=notification_id)
            .first()
        )
        if notification is None:
            return "missing"
        if notification.email_status != EmailStatus.PENDING:
            return notification.email_status
        recipient = notification.recipient
        reason = (
            "the recipient has no email address"
            if not recipient.email
            else "the recipient's account is inactive"
            if not recipient.is_active
            else ""
        )
        if reason:
            notification.email_status = EmailStatus.SKIPPED
            notification.last_error = reason
            notification.save(update_fields=["email_status", "last_error"])
            return notification.email_status
        notification.email_attempts += 1
        context = {
            "notification": notification,
            "url": absolute_url(notification.link),
            "user": recipient,
            "portal_name": settings.PORTAL_NAME,
        }
        with translation.override(settings.LANGUAGE_CODE):  # mail is read outside the portal: its language
            message = EmailMessage(
                subject=notification.subject_text,
                body=render_to_string("accounts/email/notification.txt", context),
                to=[recipient.email],
            )
        try:
            message.send()
        except Exception as exc:  # recorded here, judged (retry or give up) by the task
            error = exc
            notification.last_error = f"{type(exc).__name__}: {exc}"[:1000]
        else:
            notification.email_status = EmailStatus.SENT
            notification.email_sent_at = timezone.now()
            notification.last_error = ""
        notification.save(update_fields=["email_status", "email_sent_at", "email_attempts", "last_error"])
    if error is not None:
        raise error
    return notification.email_status


def notification_email_failed(*, notification_id: int, error: str) -> None:
    """Give up mailing a notification: it stays in the portal, marked failed with the last error."""
    with transaction.atomic():
        notification = Notification.objects.select_for_update().filter(pk=notification_id).first()
        if notification is None or notification.email_status != EmailStatus.PENDING:
            return
        notification.email_status = EmailStatus.FAILED
        notification.last_error = error[:1000]
        notification.save(update_fields=["email_status", "last_error"])
