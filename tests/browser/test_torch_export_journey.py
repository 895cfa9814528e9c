"""The bureau downloads the year's Torch statistics from the menu; park staff get their own carrier only."""

import io
from pathlib import Path

import openpyxl
import pytest

from accounts.roles import Role
from targets.tests import dataset
from tests.browser.journeys import session, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def download(page, year: int) -> openpyxl.Workbook:
    page.select_option("#id_year", str(year))
    with page.expect_download() as info:
        page.click("#torch-download")
    assert info.value.suggested_filename == f"火炬统计-{year}.xlsx"
    return openpyxl.load_workbook(io.BytesIO(Path(info.value.path()).read_bytes()))


def tenant_names(book) -> set[str]:
    return {row[1] for row in book["在孵企业"].iter_rows(min_row=3, values_only=True)}


def test_bureau_and_park_staff_download_the_torch_statistics(browser, live_server, users):
    history = dataset.build(users[Role.OPERATOR])

    with session(browser, live_server, users[Role.BUREAU].username) as page:
        page.goto(f"{live_server.url}/")
        page.click("#nav-more")
        page.click("a[href='/targets/torch-export/']")
        page.wait_for_selector("#torch-export")
        shot(page, "116-torch-export-bureau")
        book = download(page, 2022)
        assert book.sheetnames == ["孵化载体", "在孵企业", "说明"]
        assert len(tenant_names(book)) == 7
        incubators = [row[0] for row in book["孵化载体"].iter_rows(min_row=3, values_only=True)]
        assert incubators[0] == "全区合计"

    with session(browser, live_server, users[Role.PARK_STAFF].username) as page:
        page.goto(f"{live_server.url}/targets/torch-export/")
        assert history["A"].display_name in page.locator("main").inner_text()
        assert history["B"].display_name not in page.locator("main").inner_text()
        shot(page, "117-torch-export-park-staff")
        book = download(page, 2022)
        assert tenant_names(book) == {"指标测试企业1", "指标测试企业2", "指标测试企业4"}
