import pytest
from django.db import transaction

from accounts.tasks import purge_expired_sessions
from config.celery import app, enqueue_on_commit


def test_celery_is_configured_for_reliable_delivery():
    conf = app.conf
    assert conf.task_serializer == "json"
    assert conf.accept_content == ["json"]
    assert conf.task_acks_late is True
    assert conf.task_reject_on_worker_lost is True
    assert conf.task_time_limit and conf.task_soft_time_limit < conf.task_time_limit
    assert conf.worker_prefetch_multiplier == 1


def test_every_beat_entry_names_a_registered_task():
    app.loader.import_default_modules()
    for name, entry in app.conf.beat_schedule.items():
        assert entry["task"] in app.tasks, name


@pytest.mark.django_db(transaction=True)
def test_enqueue_on_commit_sends_only_after_commit(monkeypatch):
    sent = []
    monkeypatch.setattr(purge_expired_sessions, "apply_async", lambda **kwargs: sent.append(kwargs))

    with transaction.atomic():
        enqueue_on_commit(purge_expired_sessions)
        assert sent == [], "nothing may be sent before the transaction commits"
    assert len(sent) == 1


@pytest.mark.django_db(transaction=True)
def test_enqueue_on_commit_sends_nothing_when_the_transaction_rolls_back(monkeypatch):
    sent = []
    monkeypatch.setattr(purge_expired_sessions, "apply_async", lambda **kwargs: sent.append(kwargs))

    with pytest.raises(RuntimeError), transaction.atomic():
        enqueue_on_commit(purge_expired_sessions)
        raise RuntimeError("rolled back")
    assert sent == []


@pytest.mark.django_db(transaction=True)
def test_a_broker_outage_does_not_break_the_request(monkeypatch, caplog):
    def broker_down(**kwargs):
        raise ConnectionError("Redis is down")

    monkeypatch.setattr(purge_expired_sessions, "apply_async", broker_down)
    with transaction.atomic():
        enqueue_on_commit(purge_expired_sessions)
    assert "could not enqueue accounts.tasks.purge_expired_sessions" in caplog.text


@pytest.mark.django_db
def test_purge_expired_sessions_deletes_only_expired_ones():
    from datetime import timedelta

    from django.contrib.sessions.models import Session
    from django.utils import timezone

    Session.objects.create(session_key="old", session_data="", expire_date=timezone.now() - timedelta(minutes=1))
    Session.objects.create(session_key="live", session_data="", expire_date=timezone.now() + timedelta(minutes=30))

    assert purge_expired_sessions() == 1
    assert list(Session.objects.values_list("session_key", flat=True)) == ["live"]
