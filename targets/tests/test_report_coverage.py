"""What the report-based figures rest on (已填报 verified/expected), hand-counted on targets/tests/dataset.py, and the
dashboard marking them provisional on its page, its XLSX export and its API: a year whose reports are not due yet
reads 0 revenue and 0 jobs, which is not a collapse.

In residency at some time in 2022: E1, E2, E4 at A (E4 from July), E3, E7, E8, E9 at B, E4 at C (until July): 7
tenants. Verified annual reports for 2022: E1 and E4 (version 2); E2's is only submitted. In 2021: E1, E2, E4, E7,
E8, E9 in residency, E1 and E7 verified. This year: E1 (A), E3, E7, E8 (B) in residency, nothing filed yet."""

import io

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from accounts.roles import Role
from targets import selectors
from targets.selectors import ReportCoverage
from targets.tests import dataset

pytestmark = pytest.mark.django_db

URL = reverse("targets:dashboard")
EXPORT = reverse("targets:dashboard-export")
API = reverse("dashboard-data")


@pytest.fixture
def history(users):
    return dataset.build(users[Role.OPERATOR])


def test_coverage_counts_verified_reports_against_the_tenants_expected(history):
    a, b, c = history["A"].pk, history["B"].pk, history["C"].pk
    computed = selectors.compute_figures(years=[2021, 2022])
    assert computed.coverage(2022, None) == ReportCoverage(verified=2, expected=7)
    assert computed.coverage(2022, a) == ReportCoverage(verified=2, expected=3)
    assert computed.coverage(2022, b) == ReportCoverage(verified=0, expected=4)
    assert computed.coverage(2022, c) == ReportCoverage(verified=1, expected=1)
    assert computed.coverage(2021, None) == ReportCoverage(verified=2, expected=6)
    assert computed.provisional("revenue", 2022, None) and computed.provisional("jobs", 2022, b)
    assert not computed.provisional("revenue", 2022, c)  # every tenant of C has its verified report
    assert not computed.provisional("tenants_year_end", 2022, None)  # not read from reports


def _this_year(client, url, language="en"):
    with translation.override(language):
        return client.get(url + f"?year={timezone.localdate().year}", HTTP_ACCEPT_LANGUAGE=language)


def test_this_years_dashboard_marks_the_report_figures_provisional(client_for, users, history):
    client = client_for(users[Role.BUREAU])
    response = _this_year(client, URL)
    assert response.status_code == 200
    data = response.context["data"]
    assert data["reports"] == {"verified": 0, "expected": 4, "provisional": True}
    figures = {row["indicator"].code: row for row in response.context["tables"]["figures"]}
    assert figures["revenue"]["yearly"] == 0 and figures["revenue"]["provisional"]
    assert figures["jobs"]["provisional"] and not figures["tenants_year_end"]["provisional"]
    page = response.content.decode()
    assert 'id="dashboard-provisional"' in page and "0/4 reports" in page
    rows = {row["carrier"].pk: row["reports"] for row in response.context["tables"]["carrier_rows"]}
    assert rows[history["A"].pk] == {"verified": 0, "expected": 1, "provisional": True}
    chinese = _this_year(client, URL, "zh-hans").content.decode()
    assert "已填报 0/4" in chinese and "暂定" in chinese


def test_a_complete_scope_is_not_provisional(client_for, users, history):
    response = client_for(users[Role.BUREAU]).get(URL + f"?year=2022&carrier={history['C'].pk}")
    assert response.context["data"]["reports"] == {"verified": 1, "expected": 1, "provisional": False}
    assert not any(row["provisional"] for row in response.context["tables"]["figures"])
    assert 'id="dashboard-provisional"' not in response.content.decode()


def test_the_export_and_the_api_say_so_too(client_for, users, history):
    from openpyxl import load_workbook

    client = client_for(users[Role.BUREAU])
    book = load_workbook(io.BytesIO(_this_year(client, EXPORT).content))
    about = dict(book["About"].iter_rows(min_row=2, values_only=True))
    assert about["Reports verified"] == "0/4"
    header = next(book["Indicators"].iter_rows(max_row=1, values_only=True))
    assert header[-2:] == ("Provisional", "Reports verified")
    with translation.override("en"):
        revenue, tenants = (str(selectors.INDICATORS[code].label) for code in ("revenue", "tenants_year_end"))
    figures = {row[0]: row for row in book["Indicators"].iter_rows(min_row=2, values_only=True)}
    assert figures[revenue][-2:] == ("Provisional", "0/4")
    assert figures[tenants][-2:] == (None, None)

    body = _this_year(client, API).json()
    assert body["reports"] == {"verified": 0, "expected": 4, "provisional": True}
    codes = {figure["code"]: figure for figure in body["figures"]}
    assert codes["revenue"]["provisional"] and not codes["tenants_year_end"]["provisional"]
    by_carrier = {row["carrier"]: row["reports"] for row in body["carriers"]}
    assert by_carrier[history["B"].pk] == {"verified": 0, "expected": 3, "provisional": True}
