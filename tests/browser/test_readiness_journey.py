"""Accreditation readiness on the demo data: the bureau reads every carrier against every level, with what the core
must still do for its next level, and opens the core's conditions with their records and their history; park
staff see their own carrier only; in Chinese and in English."""

import pytest
from django.core.management import call_command

from conftest import ensure_reference_data
from parks.models import Carrier
from tests.browser.conftest import close_context, new_context
from tests.browser.journeys import shot
from tests.browser.test_small_screen_journey import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("locale", ["zh-CN", "en-US"])
def test_the_bureau_reads_every_carriers_readiness_and_the_cores_conditions(browser, live_server, locale):
    ensure_reference_data()
    call_command("seed_demo", force=True, enterprises=0)
    tag = locale[:2]
    context = new_context(browser, locale)
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        sign_in(page, live_server, "bureau")
        page.goto(f"{live_server.url}/targets/readiness/")
        assert page.locator("#readiness-table tbody tr").count() == Carrier.objects.count()
        assert page.locator("#core-readiness").count() == 1
        shot(page, f"95-readiness-bureau-{tag}")
        assert page.locator("#core-open li").count() >= 1  # the core is not at the top level in the demo
        page.click("#core-readiness a[href*='/targets/readiness/']")
        page.wait_for_selector("#readiness-history")
        assert page.locator("section[id^=scheme-] .rule-results").count() >= 3
        assert page.locator("#readiness-history tbody tr").count() >= 2
        shot(page, f"96-readiness-core-{tag}")
    finally:
        close_context(context)

    context = new_context(browser, locale)
    page = context.new_page()
    try:
        sign_in(page, live_server, "park")
        page.goto(f"{live_server.url}/targets/readiness/")
        assert page.locator("#readiness-table tbody tr").count() == 1
        assert page.locator("#core-readiness").count() == 0
    finally:
        close_context(context)
