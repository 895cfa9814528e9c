"""The Celery app: JSON only, late acknowledgement, time limits (all in settings, CELERY_* names)."""

import logging
import os
from typing import Any

from celery import Celery, Task
from celery.schedules import crontab
from django.db import transaction

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

app = Celery("linzi")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# The one place where periodic jobs are declared.
app.conf.beat_schedule = {
    "accounts.purge_expired_sessions": {
        "task": "accounts.tasks.purge_expired_sessions",
        "schedule": crontab(hour=3, minute=17),
    },
    # Notifications made while the broker was down (or whose task was lost) are mailed by this sweep.
    "accounts.send_pending_notification_emails": {
        "task": "accounts.tasks.send_pending_notification_emails",
        "schedule": crontab(minute="*/5"),
    },
    # Operating reports: tenants that have not filed are reminded 14 and 3 days before the deadline, then weekly.
    "enterprises.send_report_reminders": {
        "task": "enterprises.tasks.send_report_reminders",
        "schedule": crontab(hour=8, minute=30),
    },
    # Carriers' annual returns (docs/carrier-returns.md): carriers that have not filed are reminded on the same days.
    "targets.send_return_reminders": {
        "task": "targets.send_return_reminders",
        "schedule": crontab(hour=8, minute=40),
    },
    # Progress reports (docs/reports.md): last year's yearly report on 5 January, an interim one every month, and
    # the sweep that requeues (or fails) runs whose worker died.
    "targets.schedule_yearly_report": {
        "task": "targets.schedule_yearly_report",
        "schedule": crontab(month_of_year=1, day_of_month=5, hour=6, minute=0),
    },
    "targets.schedule_interim_report": {
        "task": "targets.schedule_interim_report",
        "schedule": crontab(day_of_month=1, hour=6, minute=30),
    },
    # Qualification engine (targets.metrics): every enterprise's tech-SME and HTE evaluation for this year's round.
    "targets.evaluate_enterprises": {
        "task": "targets.evaluate_enterprises",
        "schedule": crontab(hour=2, minute=40),
    },
    "targets.sweep_report_runs": {
        "task": "targets.sweep_report_runs",
        "schedule": crontab(minute="*/3"),
    },
}

logger = logging.getLogger(__name__)


def enqueue_on_commit(task: Task, *args: Any, **kwargs: Any) -> None:
    """Send `task` once the current transaction commits, so a worker never sees rows that are not there yet.

    If the broker cannot be reached, the error is logged and swallowed: what the user submitted is already
    committed, and the periodic jobs that own each kind of work pick it up again (they are idempotent).
    """

    def send() -> None:
        try:
            task.apply_async(args=args, kwargs=kwargs, retry=True, retry_policy={"max_retries": 2})
        except Exception:
            logger.exception("could not enqueue %s; it will be picked up by its periodic job", task.name)

    transaction.on_commit(send)
