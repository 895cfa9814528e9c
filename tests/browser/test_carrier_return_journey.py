"""The carrier's annual return (载体年报) on the demo data: the park administrator finishes 大数据产业园's draft (a
refused submission first, then every figure) and submits it; the operating company verifies it and the page shows
it locked; the bureau reads the list; in Chinese and in English."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from conftest import ensure_reference_data
from enterprises.choices import ReportStatus
from targets.models import CarrierReturn
from tests.browser.conftest import close_context, new_context
from tests.browser.journeys import shot
from tests.browser.test_small_screen_journey import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FIGURES = {
    "certified_staff": "4", "fund_size": "320", "fund_invested": "80", "fund_cases": "2",
    "fund_invested_tenants": "2", "income_rent": "190", "income_services": "55", "income_investment": "10",
    "income_subsidies": "50", "income_other": "3", "events_held": "12", "training_sessions": "5",
    "training_attendance": "160", "public_platforms": "1", "tenants_patent_applications": "0",
}  # fmt: skip


@pytest.mark.parametrize("locale", ["zh-CN", "en-US"])
def test_a_park_files_its_return_and_the_operating_company_verifies_it(browser, live_server, locale):
    ensure_reference_data()
    call_command("seed_demo", force=True, enterprises=0)
    tag, year = locale[:2], timezone.localdate().year - 1
    draft = CarrierReturn.objects.get(carrier__code="big-data", year=year)
    context = new_context(browser, locale)
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        sign_in(page, live_server, "park")
        page.goto(f"{live_server.url}/targets/returns/")
        rows = page.locator("#return-table tbody tr")
        assert rows.count() == CarrierReturn.objects.filter(carrier__code="big-data").count()  # their carrier only
        shot(page, f"90-returns-list-park-{tag}")
        page.locator("#return-table a", has_text=str(year)).first.click()
        page.wait_for_selector("#portal-figures")
        assert page.locator("#return-missing").count() == 1
        page.click(f"a[href='/targets/returns/{draft.pk}/edit/']")
        page.wait_for_selector("#return-form")
        page.fill("input[name=professional_staff]", "99")  # more than the operator's staff
        page.click("button[value=submit]")
        page.wait_for_selector("#return-errors")
        shot(page, f"91-return-form-refused-{tag}")
        assert CarrierReturn.objects.get(pk=draft.pk).status == ReportStatus.DRAFT
        page.fill("input[name=professional_staff]", "6")
        for name, value in FIGURES.items():
            page.fill(f"input[name={name}]", value)
        page.click("button[value=submit]")
        page.wait_for_selector(".alert-success")
        assert CarrierReturn.objects.get(pk=draft.pk).status == ReportStatus.SUBMITTED
        shot(page, f"92-return-submitted-{tag}")
    finally:
        close_context(context)

    context = new_context(browser, locale)
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        sign_in(page, live_server, "operator")
        page.goto(f"{live_server.url}/targets/returns/{draft.pk}/")
        page.click(f"form[action='/targets/returns/{draft.pk}/verify/'] button")
        page.wait_for_selector("#return-locked")
        assert page.inner_text("#total-income").replace(",", "") == "308"
        shot(page, f"93-return-verified-{tag}")
    finally:
        close_context(context)

    context = new_context(browser, locale)
    page = context.new_page()
    try:
        sign_in(page, live_server, "bureau")
        page.goto(f"{live_server.url}/targets/returns/?year={year}")
        page.wait_for_selector("#return-table")
        assert page.locator("a[href='/targets/returns/new/']").count() == 0  # the bureau reads, files nothing
        shot(page, f"94-returns-list-bureau-{tag}")
    finally:
        close_context(context)
