#!/usr/bin/env python3
"""Smoke test of the embedded default, as a newcomer would meet it (stdlib only).

Starts `python3 dev.py run` with no DATABASE_URL / REDIS_URL, waits for /healthz to say ok, signs in as the
demo operator over HTTP, checks the home page shows the core in Chinese, stops the portal with Ctrl-C
(SIGINT) and checks that no process it started is left behind.
"""

import http.cookiejar
import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ADDRESS = os.environ.get("SMOKE_ADDRESS", "127.0.0.1:8765")
BASE = f"http://{ADDRESS}"
DEMO_USER, DEMO_PASSWORD = "operator", "Linzi@Demo2026"


def fail(message: str) -> None:
    print(f"SMOKE FAILED: {message}", flush=True)
    raise SystemExit(1)


def leftover_processes() -> list[str]:
    """Processes whose command line names this checkout's var/ or .venv (the servers and the portal's children)."""
    found = []
    for pid_dir in Path("/proc").iterdir():
        if not pid_dir.name.isdigit() or int(pid_dir.name) == os.getpid():
            continue
        try:
            cmdline = (pid_dir / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if str(ROOT / "var") in cmdline or str(ROOT / ".venv") in cmdline:
            found.append(f"{pid_dir.name}: {cmdline.strip()}")
    return found


def main() -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE")}
    env["PORTAL_ADDRESS"] = ADDRESS
    print(f"[smoke] starting: python3 dev.py run (serving on {BASE})", flush=True)
    portal = subprocess.Popen([sys.executable, "dev.py", "run"], cwd=ROOT, env=env, start_new_session=True)
    try:
        deadline = time.monotonic() + 300
        health = None
        while time.monotonic() < deadline:
            if portal.poll() is not None:
                fail(f"the portal exited early with code {portal.returncode}")
            try:
                with urllib.request.urlopen(f"{BASE}/healthz", timeout=5) as response:
                    health = json.load(response)
                    if health["status"] == "ok":
                        break
            except urllib.error.HTTPError as error:
                health = json.load(error)
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(2)
        else:
            fail(f"/healthz never said ok; last answer: {health}")
        print(f"[smoke] /healthz: {json.dumps(health, ensure_ascii=False)}", flush=True)

        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        login_page = opener.open(f"{BASE}/accounts/login/", timeout=10).read().decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login_page).group(1)
        form = urllib.parse.urlencode(
            {"username": DEMO_USER, "password": DEMO_PASSWORD, "csrfmiddlewaretoken": token}
        ).encode()
        request = urllib.request.Request(f"{BASE}/accounts/login/", data=form, headers={"Referer": f"{BASE}/"})
        home = opener.open(request, timeout=20)
        body = home.read().decode()
        if home.geturl().rstrip("/") != BASE or "临淄区齐智汇科技孵化中心" not in body:
            fail(f"signing in as {DEMO_USER} did not reach the home page with the core (at {home.geturl()})")
        print(f"[smoke] signed in as {DEMO_USER}; the home page shows 临淄区齐智汇科技孵化中心", flush=True)
    finally:
        print("[smoke] stopping the portal with SIGINT (Ctrl-C) …", flush=True)
        if portal.poll() is None:
            os.kill(portal.pid, signal.SIGINT)
            try:
                portal.wait(timeout=90)
            except subprocess.TimeoutExpired:
                os.killpg(portal.pid, signal.SIGKILL)
                fail("the portal did not stop within 90 s of Ctrl-C")
    time.sleep(1)
    left = leftover_processes()
    if left:
        fail("processes left behind:\n  " + "\n  ".join(left))
    print(f"[smoke] stopped with code {portal.returncode}; no process left behind. OK", flush=True)


if __name__ == "__main__":
    main()
