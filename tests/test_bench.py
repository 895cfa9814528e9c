"""The benchmark (bench/) keeps working, and the pages it measures cost the same number of queries whatever the
number of rows: generated at 30 enterprises, then grown to 90, every page answers 200 with finite timings and the
same query count (the issue's "query counts do not grow with the number of rows")."""

import math
import re
from pathlib import Path

import pytest

from bench.generate import BenchGenerator
from bench.run import dashboard_pages, measure, measure_dashboard, pages, table
from conftest import ensure_reference_data
from enterprises.models import Enterprise, OperatingReport
from incubation.models import Allocation, Application, Residency, Review, Transition

pytestmark = pytest.mark.django_db


def test_the_bench_measures_every_page_and_no_query_count_grows_with_the_rows():
    ensure_reference_data()
    counts = BenchGenerator(size=30, batch=20, quiet=True).run()
    assert counts["enterprises"] == 30 and Residency.objects.exists() and Review.objects.exists()
    small = measure(repeat=2, warmup=1) + measure_dashboard(repeat=2, cold_repeat=2)

    BenchGenerator(size=60, seed=1, batch=25, quiet=True).run()  # adds to the first run: 90 enterprises
    large = measure(repeat=2, warmup=1) + measure_dashboard(repeat=2, cold_repeat=2)

    assert Enterprise.objects.count() == 90
    assert Transition.objects.exists() and Allocation.objects.exists() and Application.objects.count() > 20
    assert OperatingReport.objects.filter(period="annual", year__range=(2021, 2025)).count() > 90
    dashboard_rows = [
        f"{name} ({mode})" for name, _user, _url in dashboard_pages() for mode in ("cold", "after warm-up", "warm")
    ]
    assert [row["page"] for row in small] == [page[0] for page in pages()] + dashboard_rows
    for row in small + large:
        assert row["status"] == 200, row
        assert math.isfinite(row["p50_ms"]) and math.isfinite(row["p95_ms"]) and row["p95_ms"] > 0, row
    grown = {row["page"]: (row["queries"], big["queries"]) for row, big in zip(small, large, strict=True)}
    assert {page: n for page, n in grown.items() if n[0] != n[1]} == {}, table(small) + "\n" + table(large)
    assert {row["page"]: row["queries"] for row in small[: len(pages())]} == readme_query_counts(), (
        "bench/README.md's table of pages states other query counts than the pages cost"
    )


def readme_query_counts() -> dict[str, int]:
    """The query count bench/README.md states for each page of its first table (page name → the last column)."""
    text = (Path(__file__).resolve().parent.parent / "bench" / "README.md").read_text(encoding="utf-8")
    table = text.split("## Figures at 20,000 enterprises", 1)[1].split("\n\n")[2]
    rows = [re.split(r"\s*\|\s*", line.strip("| ")) for line in table.splitlines()[2:]]
    return {cells[0]: int(cells[-1]) for cells in rows}
