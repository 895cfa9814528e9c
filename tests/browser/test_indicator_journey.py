"""The bureau reads the indicators with their definitions, drills into a figure down to the enterprises behind it,
and changes a target with a reason that shows in its history; park staff see only their carrier's figures."""

import pytest

from accounts.roles import Role
from targets.models import Target, TargetPlan
from targets.tests import dataset
from tests.browser.journeys import session, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_bureau_reads_figures_drills_down_and_changes_a_target(browser, live_server, users):
    history = dataset.build(users[Role.OPERATOR])
    plan = TargetPlan.objects.get(start_year=2021)
    target = Target.objects.get(plan=plan, year=2022, indicator="tech_smes", carrier=None)

    with session(browser, live_server, users[Role.BUREAU].username) as page:
        page.goto(f"{live_server.url}/targets/indicators/?year=2022")
        table = page.locator("#indicator-table")
        assert "Tech-based SMEs incubated" in table.inner_text() or "科技型中小企业" in table.inner_text()
        shot(page, "80-indicators-district-2022")

        page.click("#indicator-table >> a[href*='/targets/indicators/tech_smes/2022/?form=yearly']")
        page.wait_for_selector("#contributors")
        assert page.locator("#figure-yearly").inner_text().startswith("4")
        assert page.locator("#contributors tbody tr").count() == 4
        shot(page, "81-indicator-drill-down-tech-smes")

        page.goto(f"{live_server.url}/targets/indicators/occupancy_rate/2022/?form=cumulative")
        assert page.locator("#figure-cumulative").inner_text().startswith("64.29")
        shot(page, "82-indicator-drill-down-occupancy-cumulative")

        page.goto(f"{live_server.url}/targets/plans/{plan.pk}/")
        shot(page, "83-target-plan")
        page.click(f"#plan-targets a[href='/targets/targets/{target.pk}/']")
        page.click("#edit-target")
        page.fill("input[name=value]", "8")
        page.fill("textarea[name=reason]", "根据2022年实际情况调整")
        page.click("main form button[type=submit]")
        page.wait_for_selector(".alert-success")
        assert "根据2022年实际情况调整" in page.locator("#target-history").inner_text()
        shot(page, "84-target-history")

    park = history["A"]
    with session(browser, live_server, users[Role.PARK_STAFF].username) as page:
        page.goto(f"{live_server.url}/targets/indicators/?year=2022")
        options = page.locator("#id_carrier option").all_inner_texts()
        assert options == [park.display_name]
        shot(page, "85-indicators-park-staff-own-carrier")
        response = page.goto(f"{live_server.url}/targets/indicators/?year=2022&carrier={history['B'].pk}")
        assert response.status == 403
