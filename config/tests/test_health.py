import pytest

from config.celery import app
from tests.worker import wait_for, worker_process

pytestmark = pytest.mark.django_db


@pytest.fixture
def celery_worker(tmp_path):
    """A real Celery worker (a subprocess, solo pool) consuming from the test Redis, answering pings."""
    log = tmp_path / "worker.log"
    with worker_process(log) as process:
        wait_for(lambda: app.control.ping(timeout=0.5), timeout=60, what="the worker to answer a ping", log=log)
        yield process


# The worker reads the test database from its own connection: only committed rows are there.
@pytest.mark.django_db(transaction=True)
def test_healthz_is_ok_when_database_redis_and_a_worker_answer(client, celery_worker):
    response = client.get("/healthz")

    body = response.json()
    assert response.status_code == 200, body
    assert body["status"] == "ok"
    assert {name: check["status"] for name, check in body["checks"].items()} == {
        "database": "ok",
        "redis": "ok",
        "celery": "ok",
    }


def test_healthz_answers_503_when_no_worker_is_running(client):
    response = client.get("/healthz")

    body = response.json()
    assert response.status_code == 503
    assert body["status"] == "error"
    assert body["checks"]["database"]["status"] == "ok"
    assert body["checks"]["celery"]["status"] == "error"
    assert "no Celery worker" in body["checks"]["celery"]["detail"]


def test_healthz_answers_503_when_redis_is_unreachable(client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1

    response = client.get("/healthz")

    body = response.json()
    assert response.status_code == 503
    assert body["checks"]["redis"]["status"] == "error"
    assert "Connection" in body["checks"]["redis"]["detail"]


def test_healthz_needs_no_sign_in_and_is_not_cached(client):
    response = client.get("/healthz")
    assert response.status_code in (200, 503)
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_healthz_shows_exception_details_only_to_administrators(client, settings, users):
    from accounts.roles import Role

    settings.REDIS_URL = "redis://127.0.0.1:1/0"

    anonymous = client.get("/healthz").json()["checks"]["redis"]["detail"]
    client.force_login(users[Role.ADMIN])
    administrator = client.get("/healthz").json()["checks"]["redis"]["detail"]

    assert anonymous == "ConnectionError"
    assert administrator.startswith("ConnectionError: ") and "6379" not in anonymous
