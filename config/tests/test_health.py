import pytest
from celery.contrib.testing.worker import start_worker

from config.celery import app

pytestmark = pytest.mark.django_db


@pytest.fixture
def celery_worker():
    """A real Celery worker (solo pool, in a thread) consuming from the test Redis."""
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10, loglevel="WARNING") as worker:
        yield worker


# The worker's Django fixup closes the thread's database connection: only a transactional test survives it.
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
