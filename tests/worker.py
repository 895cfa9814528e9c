"""A real Celery worker in a subprocess, against the test database and the test Redis, for every test that needs
one: the health check, the dashboard warm-up, the report runs and their browser journey. A subprocess can be
SIGKILLed mid-run, as a crashed or OOM-killed worker would be, and it is gone when its block ends. (An in-process
worker thread, celery.contrib.testing's start_worker, once kept a broker connection consuming after it stopped, and
the messages it took were never run: the later worker tests waited for ever.)"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[1]


def purge_queue() -> None:
    """Drop messages left in the test broker by earlier tests (their runs are gone with their database rows)."""
    from config.celery import app

    with app.connection_for_write() as broker:
        # Declared up front, so a message sent before any worker has ever started on this Redis has its queue.
        app.amqp.queues[app.conf.task_default_queue](broker.default_channel).declare()
    app.control.purge()


def queued_messages() -> int:
    """How many messages wait in the default queue of the test broker."""
    from config.celery import app

    with app.connection_for_write() as broker:
        return broker.default_channel.client.llen(app.conf.task_default_queue)


def database_url_for_tests() -> str:
    """DATABASE_URL with the test database's name: the same server however it is addressed (host and port, or the
    embedded server's socket directory in `?host=`)."""
    url = urlsplit(os.environ["DATABASE_URL"])
    return urlunsplit(url._replace(path="/" + connection.settings_dict["NAME"]))


@contextmanager
def worker_process(log: Path, **env: str) -> Iterator[subprocess.Popen]:
    """Start `celery worker` (solo pool) on the test database; stop it (SIGTERM) when the block ends, unless the
    test killed it already. `env` adds settings such as REPORT_COMPILE_SECTION_PAUSE."""
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": database_url_for_tests(),
        "REDIS_URL": settings.REDIS_URL,
        **env,
    }
    handle = log.open("ab")
    process = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
        [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=solo", "--loglevel=INFO",
         "--without-mingle", "--without-gossip", "--without-heartbeat",
         "-n", f"reportruns-{os.getpid()}-{time.time_ns()}@test"],
        cwd=ROOT, env=environment, stdout=handle, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        yield process
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        handle.close()


def wait_for(condition: Callable[[], object], *, timeout: float, what: str, log: Path | None = None) -> object:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.2)
    tail = log.read_text(errors="replace")[-3000:] if log is not None and log.exists() else ""
    try:  # a message still queued means no worker took it; none queued, that another consumer did
        from config.celery import app

        queued = queued_messages()
        consumers = sorted((app.control.inspect(timeout=1).active_queues() or {}).keys())
    except Exception as error:  # noqa: BLE001 - a diagnosis only
        queued, consumers = "?", repr(error)
    raise AssertionError(f"timed out waiting for {what} (queued: {queued}; workers: {consumers})\n{tail}")
