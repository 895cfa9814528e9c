"""Measure the portal's heavy pages on the database named by DATABASE_URL (filled by bench/generate.py): each page
is requested N times in-process through Django's test client, signed in as the role that uses it. Reports the
server time (p50, p95, in ms: middleware, view, queries and template, no network) and the number of queries.

    DATABASE_URL=postgres://…/linzi_bench python bench/run.py [--repeat 30] [--json bench/results/x.json]
"""

from __future__ import annotations

import argparse
import datetime
import json
import math
import statistics
import sys
import time
from pathlib import Path

if __package__ in (None, ""):  # run as a script: python bench/run.py
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.generate import setup_django

RESULTS = Path(__file__).resolve().parent / "results"


def pages() -> list[tuple[str, str, str]]:
    """(name, signed-in user, URL) of every page measured. The enterprise page is bench_enterprise's enterprise:
    the well-populated one."""
    from django.utils import timezone

    from enterprises.models import EnterpriseMembership
    from parks.models import Carrier

    enterprise = EnterpriseMembership.objects.get(user__username="bench_enterprise").enterprise_id
    core = Carrier.objects.get(code="qizhihui").pk
    last_year = max(2021, timezone.localdate().year - 1)  # the year whose returns are filed
    return [
        ("roster", "bench_operator", "/incubation/tenants/"),
        ("roster, filtered and sorted", "bench_operator", "/incubation/tenants/?stage=incubator&sort=-months"),
        ("roster, by area, last page", "bench_operator", "/incubation/tenants/?sort=area&page=last"),
        ("roster (park staff)", "bench_park", "/incubation/tenants/"),
        ("application queue", "bench_operator", "/incubation/applications/"),
        ("application queue, ?q=科技", "bench_operator", "/incubation/applications/?q=科技"),
        ("application queue, by score", "bench_operator", "/incubation/applications/?sort=-score"),
        ("application queue (expert)", "bench_expert", "/incubation/applications/"),
        ("enterprise list", "bench_operator", "/enterprises/"),
        ("enterprise page", "bench_operator", f"/enterprises/{enterprise}/"),
        ("enterprise page (its user)", "bench_enterprise", f"/enterprises/{enterprise}/"),
        ("alerts", "bench_operator", "/incubation/alerts/"),
        ("API enterprises", "bench_operator", "/api/v1/enterprises/"),
        ("API residencies", "bench_operator", "/api/v1/residencies/"),
        ("API applications", "bench_operator", "/api/v1/applications/"),
        ("API reviews", "bench_operator", "/api/v1/reviews/"),
        ("API documents", "bench_operator", "/api/v1/documents/"),
        ("cultivation list", "bench_operator", "/targets/cultivation/"),
        (
            "cultivation list, HTE, last page",
            "bench_operator",
            "/targets/cultivation/?scheme=hte_recognition&page=last",
        ),
        ("cultivation list (park staff)", "bench_park", "/targets/cultivation/"),
        ("qualification page", "bench_operator", f"/targets/enterprises/{enterprise}/qualifications/"),
        (
            "API evaluations, ranked",
            "bench_operator",
            "/api/v1/evaluations/?scheme=tech_sme_evaluation&current=true&ordering=-readiness",
        ),
        ("accreditation readiness", "bench_bureau", f"/targets/readiness/?year={last_year}"),
        ("accreditation readiness (park staff)", "bench_park", f"/targets/readiness/?year={last_year}"),
        ("carrier readiness, five years", "bench_operator", f"/targets/readiness/{core}/?year={last_year}"),
        ("API carrier readiness", "bench_bureau", f"/api/v1/carrier-readiness/?year={last_year}"),
    ]


def dashboard_pages() -> list[tuple[str, str, str]]:
    """(name, signed-in user, URL) of the bureau dashboard's pages, each measured cold and warm."""
    from django.utils import timezone

    last_year = max(2021, timezone.localdate().year - 1)  # a whole year of reports
    return [
        ("dashboard", "bench_bureau", "/targets/"),
        ("dashboard, last year", "bench_bureau", f"/targets/?year={last_year}"),
        ("dashboard (park staff)", "bench_park", "/targets/"),
        ("dashboard XLSX", "bench_bureau", "/targets/dashboard.xlsx"),
    ]


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile (share in 0..1)."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def measure(repeat: int = 30, warmup: int = 2) -> list[dict]:
    """Every page of pages(), `repeat` times after `warmup` untimed requests: p50/p95 ms and the query count."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from accounts.models import User

    users = {user.username: user for user in User.objects.filter(username__startswith="bench_")}
    clients: dict[str, Client] = {}
    rows = []
    for name, username, url in pages():
        if username not in clients:
            clients[username] = Client(HTTP_HOST="localhost")
            clients[username].force_login(users[username])
        client = clients[username]
        timings, queries, status = [], [], None
        for attempt in range(warmup + repeat):
            ContentType.objects.clear_cache()  # count the content-type look-up every time, as a fresh process would
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                response = client.get(url)
                elapsed = (time.perf_counter() - started) * 1000
            status = response.status_code
            if attempt >= warmup:
                timings.append(elapsed)
                queries.append(len(captured.captured_queries))
        rows.append({
            "page": name, "user": username, "url": url, "status": status,
            "p50_ms": round(statistics.median(timings), 1), "p95_ms": round(percentile(timings, 0.95), 1),
            "queries": max(queries),
        })  # fmt: skip
    return rows


def measure_dashboard(repeat: int = 30, cold_repeat: int = 10, warmup: int = 1) -> list[dict]:
    """Every page of dashboard_pages(), warm (the page cached: `repeat` times after `warmup`), cold (the cache made
    stale before each request, as a change of any input does: `cold_repeat` times) and after the warm-up (stale,
    then the warm-up task a change schedules has run, untimed: the district page of this year is cached, the other
    pages find their year's figures cached: `cold_repeat` times)."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from accounts.models import User
    from targets import dashboard

    users = {user.username: user for user in User.objects.filter(username__startswith="bench_")}
    rows = []
    for name, username, url in dashboard_pages():
        client = Client(HTTP_HOST="localhost")
        client.force_login(users[username])
        client.get("/")  # the session's first save
        for mode, count in (("cold", cold_repeat), ("after warm-up", cold_repeat), ("warm", repeat)):
            timings, queries, status = [], [], None
            for attempt in range(count + (warmup if mode == "warm" else 0)):
                if mode == "cold":
                    dashboard.bump_version()
                elif mode == "after warm-up":
                    dashboard.bump_version()
                    dashboard.warm()
                ContentType.objects.clear_cache()
                with CaptureQueriesContext(connection) as captured:
                    started = time.perf_counter()
                    response = client.get(url)
                    elapsed = (time.perf_counter() - started) * 1000
                status = response.status_code
                if mode != "warm" or attempt >= warmup:
                    timings.append(elapsed)
                    queries.append(len(captured.captured_queries))
            rows.append({
                "page": f"{name} ({mode})", "user": username, "url": url, "status": status, "mode": mode,
                "p50_ms": round(statistics.median(timings), 1), "p95_ms": round(percentile(timings, 0.95), 1),
                "queries": max(queries),
            })  # fmt: skip
    return rows


def table(rows: list[dict]) -> str:
    lines = [f"{'page':<36} {'p50 ms':>8} {'p95 ms':>8} {'queries':>8}  status", "-" * 72]
    lines += [
        f"{row['page']:<36} {row['p50_ms']:>8.1f} {row['p95_ms']:>8.1f} {row['queries']:>8}  {row['status']}"
        for row in rows
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--cold-repeat", type=int, default=10, help="cold requests of each dashboard page")
    parser.add_argument("--only", choices=["pages", "dashboard"], help="measure only these")
    parser.add_argument("--json", type=Path, help="where to write the results (default: bench/results/<time>.json)")
    options = parser.parse_args(argv)
    setup_django()
    from enterprises.models import Enterprise

    rows = [] if options.only == "dashboard" else measure(repeat=options.repeat)
    if options.only != "pages":
        rows += measure_dashboard(repeat=options.repeat, cold_repeat=options.cold_repeat)
    print(table(rows))
    path = options.json or RESULTS / f"{datetime.datetime.now(datetime.UTC):%Y%m%dT%H%M%S}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        json.dumps(
            {"enterprises": Enterprise.objects.count(), "repeat": options.repeat, "pages": rows},
            ensure_ascii=False,
            indent=2,
        )  # fmt: skip
    )
    print(f"\nwritten to {path}")
    return 0 if all(row["status"] == 200 for row in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
