"""Report run services: idempotent triggers (also when two race), versions, the lease, the sweep, publishing, and the
database's refusal to change a succeeded run."""

import datetime
import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, connections, transaction
from django.utils import timezone

from accounts.models import AuditEvent, Notification
from accounts.roles import Role
from targets.choices import RunStatus
from targets.models import ReportRun
from targets.reporting import services
from targets.tasks import compile_report_run, schedule_interim_report, schedule_yearly_report
from targets.tests import dataset

pytestmark = pytest.mark.django_db

YEAR = 2022


def trigger(user, key="k1", year=YEAR, kind="yearly", carrier=None):
    return services.trigger_report_run(user=user, year=year, kind=kind, carrier=carrier, request_key=key)


def expire(run):
    ReportRun.objects.filter(pk=run.pk).update(lease_expires_at=timezone.now() - datetime.timedelta(seconds=1))


def test_trigger_queues_a_run_and_enqueues_it_after_the_commit(users, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        run = trigger(users[Role.BUREAU])
    assert (run.status, run.version, run.year, run.kind, run.carrier) == (RunStatus.QUEUED, 1, YEAR, "yearly", None)
    assert run.triggered_by == users[Role.BUREAU] and run.as_of == datetime.date(YEAR, 12, 31)
    assert len(callbacks) == 1, "one compile task is sent once the transaction commits"
    assert AuditEvent.objects.filter(object_id=str(run.pk), actor=users[Role.BUREAU]).exists()


def test_the_same_request_key_returns_the_same_run(users, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        first = trigger(users[Role.BUREAU], key="double-click")
        second = trigger(users[Role.BUREAU], key="double-click")
    assert first.pk == second.pk and ReportRun.objects.count() == 1
    assert len(callbacks) == 1


def test_a_key_reused_for_another_report_is_refused(users):
    trigger(users[Role.BUREAU], key="abc")
    with pytest.raises(ValidationError) as error:
        trigger(users[Role.BUREAU], key="abc", year=YEAR - 1)
    assert "request_key" in error.value.message_dict
    assert ReportRun.objects.count() == 1


def test_versions_increment_per_year_kind_and_scope(users, other_park):
    bureau = users[Role.BUREAU]
    assert [trigger(bureau, key=f"y{n}").version for n in range(3)] == [1, 2, 3]
    assert trigger(bureau, key="interim", kind="interim").version == 1
    assert trigger(bureau, key="park", carrier=other_park).version == 1
    assert trigger(bureau, key="2021", year=2021).version == 1


def test_who_may_trigger(users):
    for role in (Role.ADMIN, Role.OPERATOR, Role.BUREAU):
        trigger(users[role], key=f"ok-{role}")
    for role in (Role.PARK_STAFF, Role.EXPERT, Role.ENTERPRISE):
        with pytest.raises(PermissionDenied):
            trigger(users[role], key=f"no-{role}")
    assert ReportRun.objects.count() == 3


def test_a_year_not_yet_begun_is_refused(users):
    with pytest.raises(ValidationError) as error:
        trigger(users[Role.BUREAU], year=timezone.localdate().year + 1)
    assert "year" in error.value.message_dict


def _hold_scope_lock(year, kind, carrier_id):
    """A second connection holding the scope's advisory lock, so concurrent triggers all wait behind it."""
    other = connections.create_connection("default")
    other.set_autocommit(False)
    with other.cursor() as cursor:
        digest = services.hashlib.blake2b(f"reportrun:{year}:{kind}:{carrier_id or 0}".encode(), digest_size=8).digest()
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [int.from_bytes(digest, "big", signed=True)])
    return other


def _race(users, keys):
    """Trigger once per key from parallel threads, all past the first look-up and waiting for the scope lock."""
    lock = _hold_scope_lock(YEAR, "yearly", None)
    results, errors = [], []

    def worker(key):
        try:
            results.append(trigger(users[Role.BUREAU], key=key).pk)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(key,)) for key in keys]
    for thread in threads:
        thread.start()
    deadline = timezone.now() + datetime.timedelta(seconds=10)
    with connection.cursor() as cursor:  # wait until every thread waits for the lock
        while timezone.now() < deadline:
            cursor.execute("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted")
            if cursor.fetchone()[0] >= len(keys):
                break
    lock.rollback()
    lock.close()
    for thread in threads:
        thread.join(timeout=20)
    assert not errors, errors
    return results


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_triggers_with_the_same_key_make_one_run(users):
    results = _race(users, ["same-key", "same-key"])
    assert len(results) == 2 and results[0] == results[1]
    assert ReportRun.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_triggers_with_different_keys_get_consecutive_versions(users):
    _race(users, ["a", "b", "c"])
    assert sorted(ReportRun.objects.values_list("version", flat=True)) == [1, 2, 3]


def test_claim_takes_a_queued_run_once(users):
    run = trigger(users[Role.BUREAU])
    claimed = services.claim(run_id=run.pk)
    assert claimed is not None
    run.refresh_from_db()
    assert (run.status, run.attempts, run.lease_token) == (RunStatus.RUNNING, 1, claimed[1])
    assert run.lease_expires_at > timezone.now()
    assert services.claim(run_id=run.pk) is None, "a running run with a live lease is left alone"


def test_progress_extends_the_lease_and_refuses_a_lost_one(users):
    run = trigger(users[Role.BUREAU])
    _run, token = services.claim(run_id=run.pk)
    expire(run)
    services.record_progress(run_id=run.pk, token=token, percent=40, step="x")
    run.refresh_from_db()
    assert (run.progress, run.step) == (40, "x") and run.lease_expires_at > timezone.now()
    services.sweep_stale_runs(now=timezone.now() + datetime.timedelta(hours=1))  # requeued under the worker
    with pytest.raises(services.LeaseLost):
        services.record_progress(run_id=run.pk, token=token, percent=50, step="y")
    with pytest.raises(services.LeaseLost):
        services.succeed(
            run_id=run.pk, token=token, snapshot={"title": "", "subtitle": ""}, html=b"", xlsx=b"", pdf=b""
        )


def test_sweep_requeues_a_stale_run_up_to_three_attempts_then_fails_it(users, django_capture_on_commit_callbacks):
    run = trigger(users[Role.BUREAU])
    for attempt in (1, 2):
        services.claim(run_id=run.pk)
        expire(run)
        with django_capture_on_commit_callbacks() as callbacks:
            assert services.sweep_stale_runs() == {"requeued": 1, "failed": 0, "resent": 0}
        run.refresh_from_db()
        assert (run.status, run.attempts, run.lease_token) == (RunStatus.QUEUED, attempt, None)
        assert len(callbacks) == 1, "the requeued run is sent to a worker again"
    services.claim(run_id=run.pk)
    run.refresh_from_db()
    assert run.attempts == 3
    assert services.sweep_stale_runs() == {"requeued": 0, "failed": 0, "resent": 0}, "a live lease is kept"
    expire(run)
    assert services.sweep_stale_runs() == {"requeued": 0, "failed": 1, "resent": 0}
    run.refresh_from_db()
    assert run.status == RunStatus.FAILED and "3" in run.error and run.finished_at is not None
    assert services.claim(run_id=run.pk) is None


def test_sweep_resends_a_run_queued_too_long(users, django_capture_on_commit_callbacks):
    run = trigger(users[Role.BUREAU])
    assert services.sweep_stale_runs()["resent"] == 0
    with django_capture_on_commit_callbacks() as callbacks:
        counts = services.sweep_stale_runs(now=timezone.now() + datetime.timedelta(minutes=11))
    assert counts["resent"] == 1 and len(callbacks) == 1
    assert ReportRun.objects.get(pk=run.pk).status == RunStatus.QUEUED


@pytest.fixture
def succeeded(users):
    dataset.build(users[Role.OPERATOR])
    run = trigger(users[Role.BUREAU])
    assert services.execute_report_run(run_id=run.pk) == "succeeded"
    return ReportRun.objects.get(pk=run.pk)


def test_a_run_compiles_stores_its_files_and_tells_the_bureau(succeeded, users):
    run = succeeded
    assert (run.status, run.progress, run.attempts) == (RunStatus.SUCCEEDED, 100, 1)
    assert run.snapshot["version"] == 1 and run.snapshot["year"] == YEAR
    assert bytes(run.html_file).startswith(b"<!DOCTYPE html>")
    assert bytes(run.xlsx_file)[:2] == b"PK"
    assert bytes(run.pdf_file).startswith(b"%PDF")
    assert run.lease_token is None and run.finished_at is not None
    note = Notification.objects.get(recipient=users[Role.BUREAU])
    assert note.link == f"/targets/reports/{run.pk}/" and run.snapshot["title"] in note.subject
    assert not Notification.objects.filter(recipient=users[Role.OPERATOR]).exists()


def test_a_second_delivery_of_a_finished_run_does_nothing(succeeded):
    before = ReportRun.objects.values("attempts", "finished_at").get(pk=succeeded.pk)
    assert compile_report_run.apply(args=[succeeded.pk]).get() == "skipped"
    assert ReportRun.objects.values("attempts", "finished_at").get(pk=succeeded.pk) == before


def test_the_database_refuses_to_change_a_succeeded_run(succeeded):
    for change in ({"snapshot": {}}, {"html_file": b"x"}, {"status": RunStatus.FAILED, "error": "x"}, {"step": "x"}):
        with pytest.raises(IntegrityError, match="never change"), transaction.atomic():
            ReportRun.objects.filter(pk=succeeded.pk).update(**change)
    with pytest.raises(IntegrityError, match="cannot be deleted"), transaction.atomic():
        ReportRun.objects.filter(pk=succeeded.pk).delete()
    assert ReportRun.objects.get(pk=succeeded.pk).snapshot == succeeded.snapshot


def test_publish_once_and_then_never_again(succeeded, users):
    run = services.publish(run=succeeded, by=users[Role.BUREAU])
    assert run.published_at is not None and run.published_by == users[Role.BUREAU]
    with pytest.raises(ValidationError):
        services.publish(run=run, by=users[Role.BUREAU])
    with pytest.raises(IntegrityError, match="published only once"), transaction.atomic():
        ReportRun.objects.filter(pk=run.pk).update(published_at=None)


def test_only_the_bureau_publishes_and_only_a_succeeded_run(succeeded, users):
    for role in (Role.OPERATOR, Role.PARK_STAFF):
        with pytest.raises(PermissionDenied):
            services.publish(run=succeeded, by=users[role])
    queued = trigger(users[Role.BUREAU], key="other")
    with pytest.raises(ValidationError):
        services.publish(run=queued, by=users[Role.BUREAU])
    assert ReportRun.objects.get(pk=succeeded.pk).published_at is None


def test_recompiling_makes_a_new_version_and_keeps_the_old(succeeded, users):
    services.publish(run=succeeded, by=users[Role.BUREAU])
    again = trigger(users[Role.BUREAU], key="again")
    assert services.execute_report_run(run_id=again.pk) == "succeeded"
    again.refresh_from_db()
    assert again.version == 2 and again.snapshot["version"] == 2
    old = ReportRun.objects.get(pk=succeeded.pk)
    assert old.snapshot == succeeded.snapshot and bytes(old.xlsx_file) == bytes(succeeded.xlsx_file)


def test_an_error_fails_the_run_with_its_message(users, monkeypatch):
    run = trigger(users[Role.OPERATOR])

    def broken(**kwargs):
        raise ValueError("no plan for this year")

    monkeypatch.setattr(services, "compile_snapshot", broken)
    assert services.execute_report_run(run_id=run.pk) == "failed"
    run.refresh_from_db()
    assert run.status == RunStatus.FAILED and run.error == "ValueError: no plan for this year"
    assert Notification.objects.filter(recipient=users[Role.OPERATOR], link=f"/targets/reports/{run.pk}/").exists()


def test_beat_compiles_last_years_report_once(users, django_capture_on_commit_callbacks):
    first = schedule_yearly_report.apply().get()
    second = schedule_yearly_report.apply().get()
    run = ReportRun.objects.get()
    assert first == second == run.pk
    assert (run.year, run.kind, run.carrier, run.triggered_by) == (timezone.localdate().year - 1, "yearly", None, None)
    assert run.language == "zh-hans"


def test_beat_compiles_an_interim_report_as_of_yesterday(users):
    schedule_interim_report.apply().get()
    run = ReportRun.objects.get()
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    assert (run.kind, run.year, run.as_of) == ("interim", yesterday.year, yesterday)


def test_beat_schedule_declares_the_report_jobs():
    from config.celery import app

    schedule = app.conf.beat_schedule
    yearly = schedule["targets.schedule_yearly_report"]["schedule"]
    assert yearly.month_of_year == {1} and yearly.day_of_month == {5} and yearly.hour == {6} and yearly.minute == {0}
    interim = schedule["targets.schedule_interim_report"]["schedule"]
    assert interim.day_of_month == {1} and interim.hour == {6} and interim.minute == {30}
    assert schedule["targets.sweep_report_runs"]["task"] == "targets.sweep_report_runs"
