"""An enterprise files its annual operating report (first with a mistake: more tech staff than employees, explained
in Chinese, nothing saved), submits it; park staff verify it; the enterprise sees it locked in its history and the
reminder banner gone."""

from __future__ import annotations

import datetime
import gettext
import json
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone, translation

from accounts.roles import Role
from enterprises.models import OperatingReport, ReportDeadline
from enterprises.tests.report_factories import FIGURES, tenant
from tests.browser.journeys import session, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LAST_YEAR = timezone.localdate().year - 1
CHINESE = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture
def pending_chinese():
    """The Chinese of strings not yet in the compiled catalogue (NEW_TRANSLATIONS.json, merged into locale/ by the
    lead), added for this test behind the catalogue's own entries; once merged, this adds nothing."""
    path = Path(settings.BASE_DIR) / "NEW_TRANSLATIONS.json"
    if not path.exists():
        yield
        return
    from django.utils.translation import trans_real

    catalogue = trans_real.translation("zh-hans")._catalog
    pending: dict = {}
    for msgid, msgstr in json.loads(path.read_text("utf-8")).items():
        pending[msgid] = msgstr
        pending[(msgid, 0)] = msgstr  # a plural entry: Chinese has one form
    extra = gettext.NullTranslations()
    extra._catalog, extra.plural = pending, lambda n: 0
    catalogue._catalogs.append(extra._catalog)
    catalogue._plurals.append(extra.plural)
    try:
        yield
    finally:
        catalogue._catalogs.remove(extra._catalog)
        catalogue._plurals.remove(extra.plural)


def zh(message: str) -> str:
    with translation.override("zh-hans"):
        return translation.gettext(message)


def fill_figures(page, **changes) -> None:
    for name, value in {**FIGURES, **changes}.items():
        page.fill(f"input[name={name}]", str(value))


def test_an_enterprise_files_its_report_staff_verify_it_and_it_is_locked(browser, live_server, users, pending_chinese):
    enterprise = tenant(user=users[Role.ENTERPRISE], name="淄博云翔数据科技有限公司",
                        started_on=datetime.date(LAST_YEAR, 1, 1))  # fmt: skip
    tenant(name="淄博未报数据科技有限公司", started_on=datetime.date(LAST_YEAR, 1, 1))  # a neighbour that has not filed
    # Last year's deadline has passed: the enterprise is reminded on every page until it files.
    ReportDeadline.objects.create(
        year=LAST_YEAR, period="annual", due_on=timezone.localdate() - datetime.timedelta(days=5)
    )

    with session(browser, live_server, users[Role.ENTERPRISE].username) as page:
        banner = page.locator("#report-reminder")
        assert banner.is_visible() and f"{LAST_YEAR}" in banner.inner_text()
        assert CHINESE.search(banner.inner_text())
        shot(page, "90-report-reminder-banner")

        page.click("#nav-reports")
        page.wait_for_url(f"{live_server.url}/enterprises/reports/")
        shot(page, "91-my-operating-reports")
        page.click("a[href='/enterprises/reports/new/']")
        page.wait_for_url(f"{live_server.url}/enterprises/reports/new/")
        page.fill("input[name=year]", str(LAST_YEAR))
        page.select_option("select[name=period]", "annual")
        fill_figures(page, employees=10, tech_staff=20, college_staff=8, new_graduates=2)
        page.click("button[value=submit]")

        errors = page.locator("#report-errors")
        expected = zh("Tech staff cannot exceed the employees.")
        assert expected in errors.inner_text() and CHINESE.search(expected), "the problem is explained in Chinese"
        assert page.locator("input[name=tech_staff].is-invalid").is_visible()
        assert page.locator("input[name=tech_staff]").input_value() == "20", "what was typed is kept"
        shot(page, "92-report-form-error-in-chinese")
        assert not OperatingReport.objects.exists(), "nothing is saved on error"

        page.fill("input[name=tech_staff]", "6")
        page.click("button[value=submit]")
        page.wait_for_selector(".alert-success")
        report = OperatingReport.objects.get()
        assert page.url == f"{live_server.url}/enterprises/reports/{report.pk}/"
        assert report.status == "submitted" and report.tech_staff == 6 and report.enterprise == enterprise
        assert page.locator("#report-reminder").count() == 0, "filed: the reminder is gone"
        shot(page, "93-report-submitted")

    with session(browser, live_server, users[Role.PARK_STAFF].username) as page:
        page.click("#nav-more")
        page.click("#nav-not-filed")
        page.wait_for_url(re.compile(r".*/enterprises/reports/not-filed/.*"))
        assert page.get_by_text("淄博未报数据科技有限公司").is_visible()
        assert page.get_by_text("淄博云翔数据科技有限公司").count() == 0, "it has filed"
        shot(page, "94-staff-not-filed")

        page.goto(f"{live_server.url}/enterprises/reports/")
        page.click(f"a[href='/enterprises/reports/{report.pk}/'] >> nth=0")
        page.wait_for_url(f"{live_server.url}/enterprises/reports/{report.pk}/")
        shot(page, "95-staff-report-to-verify")
        page.click(f"form[action='/enterprises/reports/{report.pk}/verify/'] button")
        page.wait_for_selector(".alert-success")
        assert page.locator("#report-locked").is_visible()
        shot(page, "96-staff-report-verified")
    report.refresh_from_db()
    assert report.status == "verified" and report.verified_by == users[Role.PARK_STAFF]

    with session(browser, live_server, users[Role.ENTERPRISE].username) as page:
        page.goto(f"{live_server.url}/enterprises/{enterprise.pk}/reports/")
        history = page.locator("#annual-history")
        assert str(LAST_YEAR) in history.inner_text() and history.locator(".bi-lock-fill").count() == 1
        shot(page, "97-enterprise-history-locked")

        page.goto(f"{live_server.url}/enterprises/reports/{report.pk}/")
        assert page.locator("#report-locked").is_visible()
        assert page.locator(f"a[href='/enterprises/reports/{report.pk}/edit/']").count() == 0, "no edit"
        shot(page, "98-enterprise-report-locked")
        page.goto(f"{live_server.url}/enterprises/reports/{report.pk}/edit/")
        assert page.url == f"{live_server.url}/enterprises/reports/{report.pk}/", "the edit page sends back"

        page.goto(f"{live_server.url}/enterprises/{enterprise.pk}/")
        assert page.locator("#operating-figures .bi-lock-fill").count() == 1
        shot(page, "99-enterprise-page-operating-figures")
