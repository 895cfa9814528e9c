"""The declared moves as staff meet them, in English: a move whose precondition is unmet is shown disabled with the
reason, and a promotion proposes a date the rules accept and asks what happens to the tenant's space."""

import datetime

import pytest
from django.utils import timezone

from accounts.roles import Role
from enterprises import services as enterprise_services
from incubation import services
from incubation.choices import ApplicationStatus as S
from incubation.models import Transition
from incubation.tests.factories import ApplicationFactory
from parks.models import Carrier
from parks.tests.factories import BuildingFactory, UnitFactory
from tests.browser.test_structure_journey import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_see_why_a_move_is_not_available_and_answer_the_space_question(page, live_server, users, screenshot):
    operator = users[Role.OPERATOR]
    application = ApplicationFactory(status=S.SCREENING, submitted_at=timezone.now())
    core = Carrier.objects.get(kind="core")
    enterprise = enterprise_services.enterprise_create(by=operator, data={"name": "淄博齐创新材料科技有限公司",
                                                                          "kind": "team"})  # fmt: skip
    today = timezone.localdate()
    residency = services.residency_open(enterprise=enterprise, carrier=core, stage="seedbed", started_on=today,
                                        by=operator)  # fmt: skip
    unit = UnitFactory(building=BuildingFactory(carrier=core), code="S101", stage_zone="seedbed")
    services.allocation_create(residency=residency, unit=unit, start=today, by=operator)

    sign_in(page, live_server, operator.username)
    with page.expect_navigation():  # the language form submits itself and lands on the page it was sent from
        page.select_option("select[name=language]", "en")
    page.goto(f"{live_server.url}/incubation/applications/{application.pk}/")
    assert page.locator("#actions button[data-move=send_to_review]").is_disabled()
    assert "Assign at least one expert" in page.locator("#unmet-send_to_review").inner_text()
    screenshot("90-send-to-review-disabled-english")

    page.goto(f"{live_server.url}/incubation/residencies/{residency.pk}/promote/")
    proposed = today + datetime.timedelta(days=1)
    assert page.locator("input[name=on]").input_value() == proposed.isoformat()
    assert page.get_by_text("the tenant's space", exact=False).first.is_visible()
    page.fill("textarea[name=override_reason]", "Pilot: approved by the operating company.")
    page.check("input[name=space][value=kept]")
    screenshot("91-promotion-space-question-english")
    page.click("main form button[type=submit]")
    page.wait_for_selector(".alert-success")
    transition = Transition.objects.get()
    assert (transition.occurred_on, transition.space) == (proposed, "kept")
    assert transition.to_residency.allocations.get().unit == unit
