"""Writes of report runs: trigger (idempotent), claim with a lease, progress, succeed, fail, sweep, publish.

A run is claimed by one worker at a time through a lease: a random token and an expiry, extended at every progress
report. A worker that dies stops extending it; `sweep_stale_runs` (Celery beat, every few minutes) puts a run whose
lease expired back in the queue, up to MAX_ATTEMPTS attempts, then fails it with a clear error, so no run stays
"running" for ever. Every write here names its actor in the audit trail. See docs/reports.md."""

from __future__ import annotations

import datetime
import hashlib
import logging
import time
import uuid
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import OperationalError, connection, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.access import ensure_allowed
from accounts.audit import record
from accounts.models import AuditAction, User
from accounts.roles import GROUP_NAMES, Role, can
from accounts.services import notify
from config.celery import enqueue_on_commit
from parks.models import Carrier
from targets import phrases
from targets.choices import ReportKind, RunStatus
from targets.models import ReportRun
from targets.reporting.compile import compile_snapshot
from targets.reporting.render_html import render_html

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 3


class LeaseLost(Exception):
    """The worker no longer holds the run: the sweep requeued it, another worker claimed it, or it finished."""


def lease_seconds() -> int:
    return int(settings.REPORT_RUN_LEASE_SECONDS)


def _language(language: str | None) -> str:
    code = (language or translation.get_language() or settings.LANGUAGE_CODE).lower()
    return "en" if code.startswith("en") else "zh-hans"


def default_as_of(*, year: int, today: datetime.date | None = None) -> datetime.date:
    """The date a report's figures are taken at: 31 December of the year, or today while the year runs."""
    today = today or timezone.localdate()
    return min(datetime.date(year, 12, 31), today)


def _scope_lock(year: int, kind: str, carrier_id: int | None) -> None:
    """Serialise the triggers of one (year, kind, scope) for the rest of the transaction (version numbers)."""
    digest = hashlib.blake2b(f"reportrun:{year}:{kind}:{carrier_id or 0}".encode(), digest_size=8).digest()
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [int.from_bytes(digest, "big", signed=True)])


def _enqueue(run: ReportRun) -> None:
    # local import: task (service <-> task pair: targets.tasks imports this module)
    from targets.tasks import compile_report_run

    enqueue_on_commit(compile_report_run, run.pk)


def trigger_report_run(
    *,
    user,
    year: int,
    kind: str,
    carrier: Carrier | None,
    request_key: str,
    language: str | None = None,
    as_of: datetime.date | None = None,
) -> ReportRun:
    """Queue a new version of the report for (year, kind, carrier) and enqueue its compilation after the commit.

    Idempotent by `request_key`: the same key (a double click, a repeated API call, a beat run fired twice) returns
    the run it made the first time, even when two requests race. `user` None is Celery beat. Raises
    PermissionDenied for a role that may not compile reports, ValidationError for a year not yet begun or a key
    reused for another report."""
    if user is not None and not can(user, "add", ReportRun):
        raise PermissionDenied(_("You do not have permission to do this."))
    request_key = (request_key or "").strip()
    if not request_key or len(request_key) > 100:
        raise ValidationError({"request_key": _("A request key of 1 to 100 characters is required.")})
    if kind not in ReportKind.values:
        raise ValidationError({"kind": _("Unknown report kind.")})
    today = timezone.localdate()
    if not 2000 <= year <= today.year:
        raise ValidationError({"year": _("A report covers a year that has begun (%(first)s to %(last)s).")
                               % {"first": 2000, "last": today.year}})  # fmt: skip
    carrier_id = carrier.pk if carrier is not None else None

    def existing() -> ReportRun | None:
        run = ReportRun.objects.without_payload().filter(request_key=request_key).first()
        if run is not None and (run.year, run.kind, run.carrier_id) != (year, kind, carrier_id):
            raise ValidationError({"request_key": _("This request key was already used for another report.")})
        return run

    if (run := existing()) is not None:
        return run
    with transaction.atomic():
        _scope_lock(year, kind, carrier_id)
        # A concurrent request with the same key may have committed while this one waited for the lock.
        if (run := existing()) is not None:
            return run
        last = ReportRun.objects.filter(year=year, kind=kind, carrier_id=carrier_id).aggregate(v=Max("version"))["v"]
        run = ReportRun.objects.create(
            year=year,
            kind=kind,
            carrier=carrier,
            version=(last or 0) + 1,
            request_key=request_key,
            triggered_by=user,
            language=_language(language),
            as_of=as_of or default_as_of(year=year, today=today),
            status=RunStatus.QUEUED,
            step=_("Waiting for a worker"),
            enqueued_at=timezone.now(),
        )
        record(
            actor=user,
            action=AuditAction.CREATE,
            obj=run,
            changes={"year": [None, year], "kind": [None, kind], "version": [None, run.version]},
        )
        _enqueue(run)
    return run


def claim(*, run_id: int) -> tuple[ReportRun, uuid.UUID] | None:
    """Take the run for this worker: (the run, its lease token), or None when there is nothing to do (finished,
    or running under another worker's live lease). A run whose lease expired is taken over, as a new attempt, while
    attempts remain (otherwise the sweep fails it)."""
    now = timezone.now()
    with transaction.atomic():
        run = ReportRun.objects.without_payload().select_for_update().filter(pk=run_id).first()
        if run is None or run.status in (RunStatus.SUCCEEDED, RunStatus.FAILED):
            return None
        if run.status == RunStatus.RUNNING and (run.lease_expires_at > now or run.attempts >= MAX_ATTEMPTS):
            return None
        token = uuid.uuid4()
        run.status = RunStatus.RUNNING
        run.attempts += 1
        run.lease_token = token
        run.lease_expires_at = now + datetime.timedelta(seconds=lease_seconds())
        run.started_at = run.started_at or now
        run.progress = 0
        with translation.override(run.language):
            run.step = _("Started (attempt %(n)s of %(max)s)") % {"n": run.attempts, "max": MAX_ATTEMPTS}
        run.save(
            update_fields=["status", "attempts", "lease_token", "lease_expires_at", "started_at", "progress", "step"]
        )
    return run, token


def record_progress(*, run_id: int, token: uuid.UUID, percent: int, step: str) -> None:
    """Record how far the run is and extend its lease. Raises LeaseLost when this worker no longer holds it."""
    updated = ReportRun.objects.filter(pk=run_id, status=RunStatus.RUNNING, lease_token=token).update(
        progress=max(0, min(int(percent), 99)),
        step=str(step)[:200],
        lease_expires_at=timezone.now() + datetime.timedelta(seconds=lease_seconds()),
    )
    if not updated:
        raise LeaseLost(run_id)


def _bureau_users():
    return User.objects.filter(is_active=True, groups__name=GROUP_NAMES[Role.BUREAU]).distinct()


def succeed(
    *, run_id: int, token: uuid.UUID, snapshot: dict[str, Any], html: bytes, xlsx: bytes, pdf: bytes
) -> ReportRun:
    """Store the snapshot and files, mark the run succeeded (the database freezes it from now on), and tell the
    bureau, in the portal and by mail. Raises LeaseLost when this worker no longer holds the run."""
    with transaction.atomic():
        run = ReportRun.objects.without_payload().select_for_update(of=("self",)).get(pk=run_id)
        if run.status != RunStatus.RUNNING or run.lease_token != token:
            raise LeaseLost(run_id)
        now = timezone.now()
        run.snapshot, run.html_file, run.xlsx_file, run.pdf_file = snapshot, html, xlsx, pdf
        run.status, run.progress, run.finished_at = RunStatus.SUCCEEDED, 100, now
        run.lease_token = run.lease_expires_at = None
        run.error = ""
        with translation.override(run.language):
            run.step = _("Done")
        # The report's title and subtitle are in the report's language; the words around them in the reader's.
        subject = phrases.RUN_READY_SUBJECT(title=snapshot["title"])
        body = phrases.RUN_READY_BODY(subtitle=snapshot["subtitle"])
        run.save()
        record(actor=None, action=AuditAction.UPDATE, obj=run, changes={"status": [RunStatus.RUNNING, run.status]})
        notify(
            recipients=_bureau_users(),
            subject=subject,
            body=body,
            link=reverse("targets:report_run_detail", args=[run.pk]),
        )
    return run


def fail(*, run_id: int, error: str, token: uuid.UUID | None = None) -> ReportRun | None:
    """Mark the run failed with `error` (shown on its page) and tell whoever triggered it. With `token`, only while
    this worker holds it (else LeaseLost). A finished run is left as it is (None)."""
    with transaction.atomic():
        run = ReportRun.objects.without_payload().select_for_update().get(pk=run_id)
        if run.status in (RunStatus.SUCCEEDED, RunStatus.FAILED):
            return None
        if token is not None and (run.status != RunStatus.RUNNING or run.lease_token != token):
            raise LeaseLost(run_id)
        before = run.status
        run.status, run.error, run.finished_at = RunStatus.FAILED, str(error)[:4000], timezone.now()
        run.lease_token = run.lease_expires_at = None
        with translation.override(run.language):
            run.step = _("Failed")
        subject = phrases.RUN_FAILED_SUBJECT(year=run.year, version=run.version)
        run.save()
        record(actor=None, action=AuditAction.UPDATE, obj=run, changes={"status": [before, run.status]})
        if run.triggered_by_id:
            notify(
                recipients=[run.triggered_by],
                subject=subject,
                body=run.error,
                link=reverse("targets:report_run_detail", args=[run.pk]),
            )
    return run


def release(*, run_id: int, token: uuid.UUID) -> None:
    """Give a claimed run back to the queue (a transient error: the task retries it later)."""
    ReportRun.objects.filter(pk=run_id, status=RunStatus.RUNNING, lease_token=token).update(
        status=RunStatus.QUEUED, lease_token=None, lease_expires_at=None, enqueued_at=timezone.now()
    )


def sweep_stale_runs(*, now: datetime.datetime | None = None, resend_after: int = 600) -> dict[str, int]:
    """Runs whose worker stopped (lease expired): back to the queue while attempts remain, else failed with a clear
    error. Queued runs waiting longer than `resend_after` seconds (their message lost) are enqueued again; the task
    is idempotent, so a duplicate does nothing. Returns how many runs were requeued, failed and resent."""
    now = now or timezone.now()
    counts = {"requeued": 0, "failed": 0, "resent": 0}
    with transaction.atomic():
        stale = list(
            ReportRun.objects.without_payload()
            .select_for_update(skip_locked=True)
            .filter(status=RunStatus.RUNNING, lease_expires_at__lt=now)
            .order_by("pk")
        )
        for run in stale:
            with translation.override(run.language):
                if run.attempts < MAX_ATTEMPTS:
                    run.status, run.lease_token, run.lease_expires_at = RunStatus.QUEUED, None, None
                    run.enqueued_at = now
                    run.step = _("The worker stopped; queued again (attempt %(n)s of %(max)s next)") % {
                        "n": run.attempts + 1,
                        "max": MAX_ATTEMPTS,
                    }
                    run.save(update_fields=["status", "lease_token", "lease_expires_at", "enqueued_at", "step"])
                    record(actor=None, action=AuditAction.UPDATE, obj=run,
                           changes={"status": [RunStatus.RUNNING, RunStatus.QUEUED]})  # fmt: skip
                    _enqueue(run)
                    counts["requeued"] += 1
                else:
                    error = _(
                        "The worker compiling this report stopped %(n)s times before finishing (its lease expired "
                        "each time). The run is marked failed; compile the report again."
                    ) % {"n": run.attempts}
                    counts["failed"] += 1
                    run.status, run.lease_token, run.lease_expires_at = RunStatus.FAILED, None, None
                    run.error, run.finished_at, run.step = error, now, _("Failed")
                    run.save(
                        update_fields=["status", "lease_token", "lease_expires_at", "error", "finished_at", "step"]
                    )
                    record(actor=None, action=AuditAction.UPDATE, obj=run,
                           changes={"status": [RunStatus.RUNNING, RunStatus.FAILED]})  # fmt: skip
        waiting = list(
            ReportRun.objects.without_payload()
            .select_for_update(skip_locked=True)
            .filter(status=RunStatus.QUEUED, enqueued_at__lt=now - datetime.timedelta(seconds=resend_after))
            .order_by("pk")
        )
        for run in waiting:
            run.enqueued_at = now
            run.save(update_fields=["enqueued_at"])
            _enqueue(run)
            counts["resent"] += 1
    return counts


def publish(*, run: ReportRun, by) -> ReportRun:
    """Publish a succeeded run, once. Its files never change (the database refuses); a new compile is a new
    version. Raises PermissionDenied (only the bureau publishes) or ValidationError."""
    ensure_allowed(by, "change", run)
    with transaction.atomic():
        locked = ReportRun.objects.without_payload().select_for_update().get(pk=run.pk)
        if locked.status != RunStatus.SUCCEEDED:
            raise ValidationError(_("Only a run that has succeeded can be published."))
        if locked.published_at is not None:
            raise ValidationError(_("This run is already published."))
        locked.published_at, locked.published_by = timezone.now(), by
        locked.save(update_fields=["published_at", "published_by"])
        record(
            actor=by, action=AuditAction.UPDATE, obj=locked, changes={"published_at": [None, str(locked.published_at)]}
        )
    return locked


# --- The compilation itself (called by the Celery task) ------------------------------------------------------------


def execute_report_run(*, run_id: int) -> str:
    """Claim, compile, render and store one run. Returns what happened: "skipped" (finished, or another worker
    holds it), "lost" (the lease was lost mid-way: the other holder finishes it), "succeeded" or "failed".
    Transient database errors propagate after the run is released, so the task retries it."""
    # local import: heavy (reportlab and openpyxl loaded only when rendering a report run)
    from targets.reporting.render_pdf import render_pdf
    from targets.reporting.render_xlsx import render_xlsx

    claimed = claim(run_id=run_id)
    if claimed is None:
        return "skipped"
    run, token = claimed
    pause = float(getattr(settings, "REPORT_COMPILE_SECTION_PAUSE", 0) or 0)

    def progress(percent: int, step: str) -> None:
        record_progress(run_id=run.pk, token=token, percent=percent, step=step)
        if pause:  # test-only: a window to kill the worker mid-run (docs/reports.md)
            time.sleep(pause)

    try:
        with translation.override(run.language):
            snapshot = compile_snapshot(
                year=run.year,
                kind=run.kind,
                carrier=run.carrier,
                as_of=run.as_of,
                language=run.language,
                progress=progress,
                version=run.version,
                compiled_by=(run.triggered_by.name or run.triggered_by.username) if run.triggered_by else "",
            )
            progress(88, _("Rendering HTML"))
            html = render_html(snapshot).encode()
            progress(92, _("Rendering XLSX"))
            xlsx = render_xlsx(snapshot)
            progress(95, _("Rendering PDF"))
            pdf = render_pdf(snapshot)
        succeed(run_id=run.pk, token=token, snapshot=snapshot, html=html, xlsx=xlsx, pdf=pdf)
    except LeaseLost:
        logger.warning("report run %s: lease lost, leaving it to its new holder", run.pk)
        return "lost"
    except OperationalError:
        release(run_id=run.pk, token=token)
        raise
    except Exception as error:
        logger.exception("report run %s failed", run.pk)
        try:
            fail(run_id=run.pk, token=token, error=f"{type(error).__name__}: {error}")
        except LeaseLost:
            return "lost"
        return "failed"
    return "succeeded"
