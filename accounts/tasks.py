from celery import shared_task
from django.contrib.sessions.models import Session
from django.utils import timezone


@shared_task(name="accounts.tasks.purge_expired_sessions", ignore_result=True)
def purge_expired_sessions() -> int:
    """Delete expired sessions (idle sign-ins end after SESSION_IDLE_MINUTES). Safe to repeat."""
    deleted, _ = Session.objects.filter(expire_date__lt=timezone.now()).delete()
    return deleted
