"""The bureau compiles the yearly progress report: it triggers the run from the archive, watches the progress bar
(htmx polling) while a real Celery worker (a subprocess) compiles it, downloads the PDF and the XLSX, and publishes
it; the archive then lists the run with who triggered it and its downloads."""

import io
import re

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from accounts.roles import Role
from targets.models import ReportRun
from targets.tests import dataset
from tests.browser.journeys import session, shot
from tests.worker import purge_queue, worker_process

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_bureau_triggers_watches_downloads_and_publishes_the_yearly_report(browser, live_server, users, tmp_path):
    dataset.build(users[Role.OPERATOR])
    purge_queue()
    log = tmp_path / "worker.log"
    # The worker pauses after each step so that the progress bar can be seen moving.
    with (
        worker_process(log, REPORT_COMPILE_SECTION_PAUSE="0.6"),
        session(browser, live_server, users[Role.BUREAU].username) as page,
    ):
        page.goto(f"{live_server.url}/targets/reports/")
        assert page.locator("#report-runs tbody tr").count() == 1  # "no run matches"
        shot(page, "110-report-runs-archive-empty")

        page.select_option("#report-trigger select[name=year]", "2022")
        page.select_option("#report-trigger select[name=kind]", "yearly")
        page.click("#trigger-report")
        page.wait_for_selector("#run-status")
        run = ReportRun.objects.get()
        assert page.url.endswith(f"/targets/reports/{run.pk}/")
        assert (run.year, run.kind, run.carrier, run.triggered_by) == (2022, "yearly", None, users[Role.BUREAU])

        page.wait_for_selector("#run-status[data-status=running]", timeout=60_000)
        # Waited for from Playwright's side: a string predicate evaluated in the page is refused by the policy.
        expect(page.locator("#run-progress")).to_have_text(re.compile(r"^\s*(2[5-9]|[3-9]\d|100)%\s*$"), timeout=60_000)
        assert page.locator("#run-step").inner_text().strip()
        shot(page, "111-report-runs-progress")

        page.wait_for_selector("#run-downloads", timeout=90_000)
        assert page.locator("#run-status").get_attribute("data-status") == "succeeded"
        assert page.locator("#run-status").get_attribute("hx-trigger") is None, "polling stops once it is done"
        shot(page, "112-report-runs-succeeded")

        with page.expect_download() as pdf_download:
            page.click("#download-pdf")
        pdf = open(pdf_download.value.path(), "rb").read()  # noqa: PTH123, SIM115
        assert pdf.startswith(b"%PDF") and pdf_download.value.suggested_filename.endswith(".pdf")

        with page.expect_download() as xlsx_download:
            page.click("#download-xlsx")
        workbook = load_workbook(io.BytesIO(open(xlsx_download.value.path(), "rb").read()))  # noqa: PTH123, SIM115
        assert len(workbook.sheetnames) == 7
        run.refresh_from_db()
        targets = run.snapshot["sections"][0]
        tech = next(i for i, row in enumerate(targets["rows"]) if row[4] == 10)  # the 2022 tech-SME target
        sheet = workbook[workbook.sheetnames[1]]
        first = 2 + len(targets["paragraphs"]) + 1
        assert sheet.cell(row=first + 1 + tech, column=6).value == 4, "the actual, as a number"

        page.click("#publish-run")
        page.wait_for_selector(".alert-success")
        assert page.locator("#publish-run").count() == 0
        shot(page, "113-report-runs-published")

        page.goto(f"{live_server.url}/targets/reports/")
        row = page.locator("#report-runs tbody tr").first
        text = row.inner_text()
        assert "2022" in text and users[Role.BUREAU].username in text
        assert row.locator("a[href$='/download/pdf/']").count() == 1
        shot(page, "114-report-runs-archive")

        # The HTML file as a reader sees it: standalone, its charts drawn without any script.
        page.set_content(bytes(ReportRun.objects.get(pk=run.pk).html_file).decode())
        assert page.locator("svg.chart").count() >= 3 and page.locator("#section-contributors tbody tr").count() >= 4
        shot(page, "115-report-runs-html-file")
