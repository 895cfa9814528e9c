"""Report runs against a real Celery worker (a subprocess on the test Redis): a triggered run is compiled and a
repeated delivery does nothing; a worker SIGKILLed mid-run leaves a run that the sweep requeues, and a new worker
finishes (or, on its last attempt, the sweep fails it): never one stuck "running"."""

import os
import signal
import time

import pytest

from accounts.models import Notification
from accounts.roles import Role
from targets.choices import RunStatus
from targets.models import ReportRun
from targets.reporting import services
from targets.tasks import compile_report_run
from targets.tests import dataset
from tests.worker import purge_queue, queued_messages, wait_for, worker_process

pytestmark = pytest.mark.django_db(transaction=True)

LEASE = "3"  # seconds: the worker extends it at every step (a step pauses PAUSE seconds in these tests)
PAUSE = "0.8"


def status(run_id):
    return ReportRun.objects.without_payload().get(pk=run_id)


@pytest.fixture
def history(users):
    built = dataset.build(users[Role.OPERATOR])
    purge_queue()  # after the build: its writes scheduled the dashboard warm-up
    return built


def test_a_worker_compiles_a_triggered_run_and_ignores_a_second_delivery(history, users, tmp_path):
    log = tmp_path / "worker.log"
    run = services.trigger_report_run(user=users[Role.BUREAU], year=2022, kind="yearly", carrier=None,
                                      request_key="worker-1", language="zh-hans")  # fmt: skip
    assert queued_messages() == 1, "the trigger sent one compile task once it committed"
    with worker_process(log, REPORT_RUN_LEASE_SECONDS=LEASE):
        wait_for(lambda: status(run.pk).status == RunStatus.SUCCEEDED, timeout=90, what="the run to succeed", log=log)
        finished = ReportRun.objects.get(pk=run.pk)
        assert finished.attempts == 1 and finished.progress == 100
        assert finished.snapshot["year"] == 2022 and finished.snapshot["language"] == "zh-hans"
        assert bytes(finished.xlsx_file)[:2] == b"PK" and b"<svg" in bytes(finished.html_file)
        assert bytes(finished.pdf_file).startswith(b"%PDF")
        assert Notification.objects.filter(recipient=users[Role.BUREAU], link=f"/targets/reports/{run.pk}/").exists()

        # A second delivery (the broker redelivering, a duplicate enqueue) finds the run finished.
        assert compile_report_run.delay(run.pk).get(timeout=60) == "skipped"
    again = ReportRun.objects.get(pk=run.pk)
    assert (again.attempts, again.finished_at, again.snapshot) == (1, finished.finished_at, finished.snapshot)
    assert ReportRun.objects.count() == 1


def _kill_mid_run(run_id, log):
    """Start a slow worker, wait until it is inside the compilation, SIGKILL it; return the run as left behind."""
    with worker_process(log, REPORT_RUN_LEASE_SECONDS=LEASE, REPORT_COMPILE_SECTION_PAUSE=PAUSE) as worker:
        wait_for(lambda: status(run_id).status == RunStatus.RUNNING and status(run_id).progress >= 25,
                 timeout=90, what="the worker to be mid-run", log=log)  # fmt: skip
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait(timeout=10)
    left = status(run_id)
    assert left.status == RunStatus.RUNNING and 25 <= left.progress < 100, "killed mid-run, it still looks running"
    return left


def test_a_killed_worker_s_run_is_requeued_by_the_sweep_and_finished_by_another(history, users, tmp_path):
    log = tmp_path / "worker.log"
    run = services.trigger_report_run(user=users[Role.BUREAU], year=2022, kind="yearly", carrier=None,
                                      request_key="killed-1")  # fmt: skip
    left = _kill_mid_run(run.pk, log)
    assert left.attempts == 1

    assert services.sweep_stale_runs()["requeued"] == 0, "the lease is still live just after the kill"
    time.sleep(float(LEASE) + 0.5)
    assert services.sweep_stale_runs() == {"requeued": 1, "failed": 0, "resent": 0}
    assert status(run.pk).status == RunStatus.QUEUED

    with worker_process(log, REPORT_RUN_LEASE_SECONDS=LEASE):
        wait_for(lambda: status(run.pk).status == RunStatus.SUCCEEDED, timeout=90, what="the retry to succeed", log=log)
    done = ReportRun.objects.get(pk=run.pk)
    assert done.attempts == 2 and done.version == 1 and done.snapshot["sections"][0]["key"] == "targets"


def test_a_killed_worker_on_the_last_attempt_leaves_a_failed_run(history, users, tmp_path):
    log = tmp_path / "worker.log"
    run = services.trigger_report_run(user=users[Role.BUREAU], year=2022, kind="yearly", carrier=None,
                                      request_key="killed-3")  # fmt: skip
    ReportRun.objects.filter(pk=run.pk).update(attempts=services.MAX_ATTEMPTS - 1)  # two attempts already lost
    left = _kill_mid_run(run.pk, log)
    assert left.attempts == services.MAX_ATTEMPTS

    time.sleep(float(LEASE) + 0.5)
    assert services.sweep_stale_runs() == {"requeued": 0, "failed": 1, "resent": 0}
    failed = status(run.pk)
    assert failed.status == RunStatus.FAILED and "3" in failed.error and failed.lease_token is None
