"""The dashboard is warmed by a real Celery worker (a subprocess on the test Redis) after an input changes: the
change commits, one warm-up task is queued however many rows changed, and the worker leaves this year's
district-wide dashboard in the cache, which the next visit reads without computing."""

import datetime

import pytest
from django.core.cache import cache
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation

from accounts.roles import Role
from incubation.models import Residency
from targets import dashboard, signals
from targets.tests import dataset
from tests.worker import purge_queue, queued_messages, wait_for, worker_process

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_change_is_followed_by_one_warm_up_that_a_worker_runs(users, client_for, tmp_path, monkeypatch):
    monkeypatch.setattr(signals, "WARM_DELAY", 1)
    history = dataset.build(users[Role.OPERATOR])
    purge_queue()
    cache.clear()
    today = timezone.localdate()

    with transaction.atomic():  # two inputs change in one transaction: one warm-up, sent once it commits
        for name in ("E7", "E8"):
            residency = Residency.objects.get(enterprise=history[name])
            residency.note = "驾驶舱预热测试"
            residency.save()
        assert queued_messages() == 0, "nothing is sent before the commit"
    assert queued_messages() == 1

    log = tmp_path / "worker.log"
    with translation.override("zh-hans"):
        key = dashboard.cache_key(year=today.year, carrier_id=None, today=today)
    with worker_process(log):
        warmed = wait_for(lambda: cache.get(key), timeout=90, what="the worker to warm the dashboard", log=log)
    assert warmed["year"] == today.year and warmed["carrier_id"] is None
    assert timezone.now() - warmed["computed_at"] < datetime.timedelta(minutes=2)

    with translation.override("zh-hans"):
        response = client_for(users[Role.BUREAU]).get(reverse("targets:dashboard"), HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.context["data"]["computed_at"] == warmed["computed_at"], "the visit read the warmed figures"
