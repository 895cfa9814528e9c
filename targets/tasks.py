from celery import shared_task

from targets import dashboard


@shared_task(name="targets.tasks.warm_dashboard", ignore_result=True, soft_time_limit=300, time_limit=360)
def warm_dashboard(year: int | None = None) -> str:
    """Compute and cache this year's district-wide dashboard unless it is cached (idempotent: a repeated delivery
    finds it cached and returns). Scheduled by targets.signals.inputs_changed after a change."""
    return dashboard.warm(year=year)
