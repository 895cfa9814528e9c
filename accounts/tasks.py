import logging
import smtplib
from datetime import timedelta

from celery import shared_task
from django.contrib.sessions.models import Session
from django.utils import timezone

from accounts import selectors, services

logger = logging.getLogger(__name__)

# How often a notification's mail is tried again after a transient error, and how long to wait before each try
# (seconds, doubling): 30 s, 1 min, 2 min, 4 min, 8 min; then the failure is recorded on the notification.
NOTIFICATION_MAIL_RETRIES = 5
NOTIFICATION_MAIL_BACKOFF = 30
# A notification still pending this long after it was made lost its task (the broker was down): send it again.
PENDING_GRACE = timedelta(minutes=1)
SWEEP_BATCH = 500


@shared_task(name="accounts.tasks.purge_expired_sessions", ignore_result=True)
def purge_expired_sessions() -> int:
    """Delete expired sessions (idle sign-ins end after SESSION_IDLE_MINUTES). Safe to repeat."""
    deleted, _ = Session.objects.filter(expire_date__lt=timezone.now()).delete()
    return deleted


def is_transient(error: Exception) -> bool:
    """A mail error worth another try: the server could not be reached, hung up, or answered 4xx (try later).
    A 5xx answer (no such mailbox, relaying refused, bad credentials) will not change by itself."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(400 <= code < 500 for code, _message in error.recipients.values())
    if isinstance(error, smtplib.SMTPResponseException):
        return 400 <= error.smtp_code < 500
    return isinstance(error, smtplib.SMTPServerDisconnected | smtplib.SMTPConnectError | OSError)


@shared_task(
    bind=True,
    name="accounts.tasks.send_notification_email",
    ignore_result=True,
    max_retries=NOTIFICATION_MAIL_RETRIES,
)
def send_notification_email(self, notification_id: int) -> str:
    """Mail one notification (accounts.services.notification_email_send: locked, at most once); retry transient
    mail errors with a growing wait, then record the failure on the notification."""
    try:
        return services.notification_email_send(notification_id=notification_id)
    except Exception as error:
        if is_transient(error) and self.request.retries < self.max_retries:
            raise self.retry(exc=error, countdown=NOTIFICATION_MAIL_BACKOFF * 2**self.request.retries) from error
        logger.warning("giving up mailing notification %s: %s", notification_id, error)
        services.notification_email_failed(notification_id=notification_id, error=f"{type(error).__name__}: {error}")
        return "failed"


@shared_task(name="accounts.tasks.send_pending_notification_emails", ignore_result=True)
def send_pending_notification_emails() -> int:
    """Queue the mail of every notification still pending a minute after it was made (its task was never queued,
    e.g. Redis was down when it was made). Sending is idempotent, so a notification queued twice is mailed once."""
    ids = selectors.pending_notification_ids(older_than=PENDING_GRACE, limit=SWEEP_BATCH)
    for notification_id in ids:
        send_notification_email.apply_async(args=[notification_id])
    if ids:
        logger.info("queued %d pending notification mails", len(ids))
    return len(ids)
