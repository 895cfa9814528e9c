"""Time a progress report's compilation next to the bare SQL aggregates it needs (the floor), and its renderers.

    .venv/bin/python bench/report_compile.py --year 2024 --repeat 3

Against BENCH_DATABASE_URL's (or DATABASE_URL's) database filled by bench/generate.py. The floor is what the
snapshot cannot do without: the indicator figures for the year and the prior year (one _compute), the targets'
attainment, and the contributors of every target, each fetched in full. The compile adds the per-carrier,
pipeline and accreditation queries and the Python that shapes the snapshot."""

from __future__ import annotations

import argparse
import datetime
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
if os.environ.get("BENCH_DATABASE_URL"):
    os.environ["DATABASE_URL"] = os.environ["BENCH_DATABASE_URL"]

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from targets import selectors  # noqa: E402
from targets.reporting.compile import compile_snapshot  # noqa: E402
from targets.reporting.render_html import render_html  # noqa: E402
from targets.reporting.render_pdf import render_pdf  # noqa: E402
from targets.reporting.render_xlsx import render_xlsx  # noqa: E402


def timed(function, repeat: int) -> tuple[float, float, int, object]:
    times, result, queries = [], None, 0
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            result = function()
            times.append(time.perf_counter() - start)
        queries = len(captured.captured_queries)
    return statistics.median(times), max(times), queries, result


def floor(year: int, as_of: datetime.date):
    plan = selectors.current_plan()
    computed = selectors.compute_figures(years=[year - 1, year], plan=plan)
    attainments = selectors.target_attainment(year=year, plan=plan, today=as_of, computed=computed)
    rows = 0
    for item in attainments:
        if item.target.indicator in selectors.LEVELS:
            continue
        rows += len(
            list(
                selectors.indicator_contributors(
                    code=item.target.indicator, year=year, form=item.target.form, plan=plan
                ).values_list("name", "uscc", "contribution")
            )
        )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--year", type=int, default=datetime.date.today().year - 1)  # noqa: DTZ011
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    as_of = datetime.date(args.year, 12, 31)
    floor(args.year, as_of)  # warm the database's caches once, for both
    lines = []
    p50, worst, queries, rows = timed(lambda: floor(args.year, as_of), args.repeat)
    lines.append(("SQL floor (figures, attainment, contributors)", p50, worst, queries, f"{rows} contributor rows"))
    p50, worst, queries, snapshot = timed(
        lambda: compile_snapshot(year=args.year, kind="yearly", carrier=None, as_of=as_of, language="zh-hans"),
        args.repeat,
    )
    sizes = {s["key"]: len(s["rows"]) for s in snapshot["sections"]}
    lines.append(("compile_snapshot", p50, worst, queries, f"rows per section {sizes}"))
    for name, render in (("render_html", render_html), ("render_xlsx", render_xlsx), ("render_pdf", render_pdf)):
        p50, worst, queries, output = timed(lambda render=render: render(snapshot), args.repeat)
        lines.append((name, p50, worst, queries, f"{len(output) / 1024:.0f} KiB"))
    print(f"year {args.year}, {args.repeat} runs each (median / max seconds, queries)")
    for name, p50, worst, queries, note in lines:
        print(f"{name:48} {p50:7.3f} {worst:7.3f} {queries:4}  {note}")


if __name__ == "__main__":
    main()
