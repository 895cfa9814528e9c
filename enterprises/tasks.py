import datetime

from celery import shared_task

from enterprises import services


@shared_task(name="enterprises.tasks.send_report_reminders", ignore_result=True)
def send_report_reminders(today: str | None = None) -> int:
    """Daily: remind the tenants that have not filed a required report whose deadline is near or past
    (enterprises.services.reminders_send: each reminder once, however often this runs). `today` (ISO date) is for
    re-running a missed day."""
    return services.reminders_send(today=datetime.date.fromisoformat(today) if today else None)
