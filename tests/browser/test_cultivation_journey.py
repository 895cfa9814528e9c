"""Staff work the cultivation list (培育库) on the demo data: the park administrator finds the tenant six points
short, opens its evaluation, records a follow-up; the bureau reads the list and the dashboard's forecast; in Chinese
and in English."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from conftest import ensure_reference_data
from targets.models import FollowUp
from tests.browser.conftest import close_context, new_context
from tests.browser.journeys import shot
from tests.browser.test_small_screen_journey import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("locale", ["zh-CN", "en-US"])
def test_staff_work_the_cultivation_list(browser, live_server, locale):
    ensure_reference_data()
    call_command("seed_demo", force=True, enterprises=0)
    tag = locale[:2]
    context = new_context(browser, locale)
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        sign_in(page, live_server, "park")
        page.goto(f"{live_server.url}/targets/cultivation/")
        rows = page.locator("tbody tr[data-enterprise]")
        assert rows.count() >= 2
        short = page.locator("tr", has_text="淄博云岭数据服务有限公司")
        assert ("还需 6 分" in short.inner_text()) if tag == "zh" else ("6 more points needed" in short.inner_text())
        shot(page, f"80-cultivation-list-{tag}")
        short.locator("a").first.click()
        page.wait_for_selector("#cultivation")
        note = "上门辅导研发费用归集" if tag == "zh" else "Visited: R&D cost records"
        page.fill("#cultivation textarea[name=note]", note)
        page.click("#cultivation button[type=submit]:not([name=unmark])")
        page.wait_for_selector(".alert-success")
        assert note in page.inner_text("#cultivation")
        shot(page, f"81-cultivation-follow-up-{tag}")
        assert FollowUp.objects.filter(occurred_on=timezone.localdate()).count() == 3
    finally:
        close_context(context)

    context = new_context(browser, locale)
    page = context.new_page()
    try:
        sign_in(page, live_server, "bureau")
        page.goto(f"{live_server.url}/targets/cultivation/?scheme=hte_recognition")
        page.wait_for_selector("table")
        shot(page, f"82-cultivation-list-hte-bureau-{tag}")
        assert page.locator("#cultivation").count() == 0
        page.goto(f"{live_server.url}/targets/")
        page.wait_for_selector("#forecast-table")
        assert page.locator("#forecast-table tr[data-indicator=tech_smes]").count() == 1
        page.locator("#forecast").scroll_into_view_if_needed()
        shot(page, f"83-dashboard-forecast-{tag}")
    finally:
        close_context(context)
