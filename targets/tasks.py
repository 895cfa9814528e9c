"""Celery tasks of the targets app: compile a report run, the sweep that rescues runs whose worker died, and the
scheduled yearly and interim reports (beat schedule: config/celery.py)."""

from __future__ import annotations

import datetime

from celery import shared_task
from django.db import InterfaceError, OperationalError
from django.utils import timezone

from targets import dashboard, services
from targets.choices import ReportKind
from targets.reporting.services import execute_report_run, sweep_stale_runs, trigger_report_run
from targets.services import record_evaluations


@shared_task(
    name="targets.compile_report_run",
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(OperationalError, InterfaceError),
    retry_backoff=30,
    max_retries=3,
)
def compile_report_run(self, run_id: int) -> str:
    """Compile one run. Idempotent: a repeated delivery of a finished run, or of one another worker holds, does
    nothing."""
    return execute_report_run(run_id=run_id)


@shared_task(name="targets.sweep_report_runs")
def sweep_report_runs() -> dict[str, int]:
    return sweep_stale_runs()


@shared_task(name="targets.schedule_yearly_report")
def schedule_yearly_report() -> int:
    """The previous year's district-wide yearly report (beat, every 5 January). Once per year, however often
    beat fires."""
    year = timezone.localdate().year - 1
    run = trigger_report_run(
        user=None, year=year, kind=ReportKind.YEARLY, carrier=None, request_key=f"beat:yearly:{year}",
        language="zh-hans",
    )  # fmt: skip
    return run.pk


@shared_task(name="targets.schedule_interim_report")
def schedule_interim_report() -> int:
    """The district-wide interim report of the year so far, as of yesterday (beat, the 1st of every month)."""
    as_of = timezone.localdate() - datetime.timedelta(days=1)
    run = trigger_report_run(
        user=None, year=as_of.year, kind=ReportKind.INTERIM, carrier=None, request_key=f"beat:interim:{as_of}",
        language="zh-hans", as_of=as_of,
    )  # fmt: skip
    return run.pk


@shared_task(name="targets.warm_dashboard", ignore_result=True, soft_time_limit=300, time_limit=360)
def warm_dashboard(year: int | None = None) -> str:
    """Compute and cache this year's district-wide dashboard unless it is cached (idempotent: a repeated delivery
    finds it cached and returns). Scheduled by targets.signals.inputs_changed after a change."""
    return dashboard.warm(year=year)


# The schemes evaluated for every enterprise each night: the rounds of the current year.
NIGHTLY_SCHEMES = ("tech_sme_evaluation", "hte_recognition")


@shared_task(
    name="targets.evaluate_enterprises",
    acks_late=True,
    autoretry_for=(OperationalError, InterfaceError),
    retry_backoff=60,
    max_retries=3,
)
def evaluate_enterprises(scheme: str | None = None, year: int | None = None) -> dict[str, int]:
    """Keep every enterprise's evaluation by each nightly scheme (or one) for this year's round current (beat,
    nightly). Idempotent: a run on unchanged records keeps nothing new."""
    today = timezone.localdate()
    recorded = {}
    for code in (scheme,) if scheme else NIGHTLY_SCHEMES:
        run = record_evaluations(scheme=code, year=year or today.year, on=today)
        recorded[code] = run.recorded
    return recorded


@shared_task(name="targets.send_return_reminders", ignore_result=True)
def send_return_reminders(today: str | None = None) -> int:
    """Daily: remind the staff of the carriers that have not filed last year's annual return when its deadline is
    near or past (targets.services.return_reminders_send: each reminder once, however often this runs). `today`
    (ISO date) is for a run by hand."""
    return services.return_reminders_send(today=datetime.date.fromisoformat(today) if today else None)
