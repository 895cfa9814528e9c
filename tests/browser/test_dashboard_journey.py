"""The bureau opens the dashboard, changes the year, sees the charts drawn with their tables beside them, and
downloads the XLSX; the same page in English; park staff see their carrier only."""

import io

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from accounts.roles import Role
from targets.tests import dataset
from tests.browser.journeys import session, shot
from tests.browser.test_report_journey import pending_chinese  # noqa: F401 -- a fixture: this page's new Chinese

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _charts_drawn(page) -> None:
    expected = page.locator("canvas[data-chart]").count()
    assert expected >= 3  # the carriers, the funnel, the trends (and the targets when the year has any)
    expect(page.locator("canvas[data-rendered=true]")).to_have_count(expected)  # no string eval: the policy refuses it
    # A drawn chart has coloured pixels: sample the canvas Chart.js painted.
    painted = page.evaluate(
        """() => [...document.querySelectorAll('canvas[data-chart]')].map(c => {
            const data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
            let n = 0; for (let i = 3; i < data.length; i += 4) { if (data[i] > 0) n++; } return n; })"""
    )
    assert all(count > 500 for count in painted), painted


@pytest.mark.usefixtures("pending_chinese")
def test_bureau_opens_the_dashboard_changes_year_and_downloads(browser, live_server, users):
    history = dataset.build(users[Role.OPERATOR])

    with session(browser, live_server, users[Role.BUREAU].username) as page:
        page.goto(f"{live_server.url}/")
        page.click("#nav-dashboard")
        page.wait_for_selector("#dashboard-targets")
        assert page.locator("#dashboard-freshness").inner_text().startswith("数据计算于")
        _charts_drawn(page)
        shot(page, "100-dashboard-this-year")

        page.select_option("#id_year", "2022")
        page.click("#indicator-scope button[type=submit]")
        page.wait_for_url("**/targets/?year=2022*")
        _charts_drawn(page)
        targets = page.locator("#targets-table").inner_text()
        assert "40.0%" in targets  # 4 tech SMEs against a target of 10
        funnel = page.locator("#funnel-table").inner_text().split()
        assert funnel[-1] == "1"  # one graduation in 2022 (E9)
        shot(page, "101-dashboard-2022")

        page.locator("#figures-table details summary").first.click()
        assert page.locator("#figures-table details[open]").count() == 1
        with page.expect_download() as download:
            page.click("#dashboard-export")
        content = open(download.value.path(), "rb").read()  # noqa: PTH123, SIM115
        book = load_workbook(io.BytesIO(content))
        assert len(book.sheetnames) == 7
        pipeline = dict(book.worksheets[4].iter_rows(min_row=2, values_only=True))
        assert list(pipeline.values()) == [0, 1, 1, 1]

    with session(browser, live_server, users[Role.BUREAU].username, locale="en-US") as page:
        page.goto(f"{live_server.url}/targets/?year=2022")
        assert page.locator("#dashboard-freshness").inner_text().startswith("Figures computed at")
        _charts_drawn(page)
        shot(page, "102-dashboard-2022-english")

    with session(browser, live_server, users[Role.PARK_STAFF].username) as page:
        page.goto(f"{live_server.url}/targets/?year=2022")
        assert page.locator("#id_carrier option").all_inner_texts() == [history["A"].display_name]
        assert page.locator("#carriers-table tbody tr").count() == 1
        shot(page, "103-dashboard-park-staff")
