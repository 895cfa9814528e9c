#!/usr/bin/env python3
"""The newcomer's entry point. Needs only Python 3.11 and pip; everything else comes from PyPI.

    python3 dev.py run             set up, then serve the portal with demo data at http://127.0.0.1:8000
    python3 dev.py test [ARGS]     set up, then run the test suite (ARGS go to pytest)
    python3 dev.py manage ARGS     run a manage.py command against the embedded servers
    python3 dev.py services        keep the embedded PostgreSQL and Valkey up until Ctrl-C

With DATABASE_URL / REDIS_URL unset, PostgreSQL and Valkey (Redis) run embedded from pip wheels, data in var/.
"""

import hashlib
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = Path(os.environ.get("PORTAL_VENV", ROOT / ".venv"))
PYTHON = VENV / "bin" / "python"


def ensure_environment(with_dev_tools: bool) -> None:
    """Create .venv and install the pinned dependencies, unless the same lock files are installed already."""
    if sys.version_info[:2] != (3, 11):
        sys.exit(f"Python 3.11 is required (this is {sys.version.split()[0]}); run it as python3.11 dev.py …")
    locks = [ROOT / "requirements.lock"] + ([ROOT / "requirements-dev.lock"] if with_dev_tools else [])
    digest = hashlib.sha256(b"".join(lock.read_bytes() for lock in locks)).hexdigest()
    stamp = VENV / ".installed"
    installed = stamp.read_text().split() if stamp.exists() else []
    if digest in installed:
        return
    if not PYTHON.exists():
        print(f"[linzi] creating {VENV} …", flush=True)
        subprocess.check_call([sys.executable, "-m", "venv", str(VENV)])
    print("[linzi] installing pinned dependencies (first run takes a minute) …", flush=True)
    subprocess.check_call([str(PYTHON), "-m", "pip", "install", "--quiet", "--upgrade", "pip"])
    subprocess.check_call([str(PYTHON), "-m", "pip", "install", "--quiet", "-r", str(locks[-1])], cwd=ROOT)
    stamp.write_text(" ".join([*installed[-3:], digest]))


def main(argv: list[str]) -> None:
    command = argv[0] if argv else "run"
    ensure_environment(with_dev_tools=command == "test")
    # Decided here, before anything imports the `config` package (whose Celery app defaults to local settings).
    os.environ.setdefault(
        "DJANGO_SETTINGS_MODULE", "config.settings.test" if command == "test" else "config.settings.local"
    )
    os.chdir(ROOT)
    os.execv(str(PYTHON), [str(PYTHON), "-m", "config.embedded", command, *argv[1:]])


if __name__ == "__main__":
    main(sys.argv[1:])
