"""GET /healthz: is the portal able to serve? Database, Redis and at least one Celery worker, as JSON."""

import logging
import time
from collections.abc import Callable

import redis
from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from accounts.roles import Role, has_role
from config.celery import app

logger = logging.getLogger(__name__)


def check_database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return "ok"


def check_redis() -> str:
    client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2, socket_timeout=2)
    try:
        client.ping()
    finally:
        client.close()
    return "ok"


def check_celery() -> str:
    replies = app.control.ping(timeout=1.0, limit=1)  # returns as soon as one worker answers
    if not replies:
        raise HealthCheckFailure("no Celery worker answered")
    return f"ok ({len(replies)} worker{'s' if len(replies) != 1 else ''})"


class HealthCheckFailure(Exception):
    """A failure whose message is safe to show to anyone (it names no host, user or path)."""


CHECKS: dict[str, Callable[[], str]] = {
    "database": check_database,
    "redis": check_redis,
    "celery": check_celery,
}


@never_cache
@require_GET
def healthz(request):
    started = time.monotonic()
    results: dict[str, dict[str, str]] = {}
    healthy = True
    for name, check in CHECKS.items():
        try:
            results[name] = {"status": "ok", "detail": check()}
        except Exception as exc:  # any failure of a dependency is reported, never raised
            healthy = False
            logger.warning("health check %s failed: %s", name, exc)
            # The endpoint is public: exception texts (hosts, users, socket paths) go to administrators only.
            shown = isinstance(exc, HealthCheckFailure) or has_role(request.user, Role.ADMIN)
            detail = f"{type(exc).__name__}: {exc}" if shown else type(exc).__name__
            results[name] = {"status": "error", "detail": detail[:300]}
    body = {
        "status": "ok" if healthy else "error",
        "checks": results,
        "elapsed_ms": round((time.monotonic() - started) * 1000),
    }
    return JsonResponse(body, status=200 if healthy else 503)
