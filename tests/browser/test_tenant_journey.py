"""Staff register a tenant's residency, let it a unit (a taken unit is refused with the occupant's name), and see
the roster and the building's occupancy; a park's staff see only their carrier's tenants."""

from datetime import date
from decimal import Decimal

import pytest

from accounts.roles import Role
from enterprises import services as enterprise_services
from incubation import services
from parks.models import Carrier
from parks.tests.factories import BuildingFactory, UnitFactory
from tests.browser.test_structure_journey import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_admit_a_tenant_and_let_it_a_unit(page, live_server, users, screenshot):
    operator = users[Role.OPERATOR]
    core = Carrier.objects.get(kind="core")
    building = BuildingFactory(carrier=core, name="齐智汇孵化中心A座")
    taken = UnitFactory(building=building, code="A201", stage_zone="incubator", area_m2=Decimal("86.5"))
    free = UnitFactory(building=building, code="A202", stage_zone="incubator", area_m2=Decimal("92"))
    neighbour = enterprise_services.enterprise_create(by=operator, data={"name": "邻居科技团队", "kind": "team"})
    residency = services.residency_open(
        enterprise=neighbour, carrier=core, stage="incubator", started_on=date(2024, 1, 1), by=operator
    )
    services.allocation_create(residency=residency, unit=taken, start=date(2024, 1, 1), by=operator)
    newcomer = enterprise_services.enterprise_create(
        by=operator,
        data={"name": "淄博齐创新材料科技有限公司", "kind": "company", "uscc": "91310110666007217T",
              "registered_on": date(2023, 3, 1)},
    )  # fmt: skip

    sign_in(page, live_server, operator.username)
    page.goto(f"{live_server.url}/enterprises/{newcomer.pk}/")
    page.click("text=登记入驻")
    page.select_option("select[name=carrier]", str(core.pk))
    page.select_option("select[name=stage]", "incubator")
    page.fill("input[name=started_on]", "2025-03-01")
    page.fill("input[name=planned_end_on]", "2029-03-01")
    page.fill("input[name=agreement_no]", "QZH-2025-017")
    page.click("main form button[type=submit]")
    page.wait_for_selector(".alert-success")

    page.click("text=分配场地")
    page.select_option("select[name=unit]", str(taken.pk))
    page.fill("input[name=start]", "2025-03-01")
    page.click("main form button[type=submit]")
    assert "邻居科技团队" in page.locator(".invalid-feedback").first.inner_text()
    screenshot("30-allocation-refused-unit-taken")

    page.select_option("select[name=unit]", str(free.pk))
    page.click("main form button[type=submit]")
    page.wait_for_selector(".alert-success")
    assert page.get_by_text("A202").first.is_visible()
    screenshot("31-enterprise-with-residency")

    page.click("#residencies >> text=毕业")
    assert page.locator("#criteria").get_by_text("被认定为高新技术企业").is_visible()
    page.click("main form button[type=submit]")  # no criterion met and no reason written: refused
    assert page.locator(".invalid-feedback").first.is_visible()
    screenshot("31b-graduation-criteria-unmet")

    page.goto(f"{live_server.url}/incubation/tenants/")
    assert page.get_by_text("淄博齐创新材料科技有限公司").is_visible()
    screenshot("32-tenant-roster")

    page.goto(f"{live_server.url}/incubation/buildings/{building.pk}/occupancy/")
    assert page.get_by_text("邻居科技团队").is_visible()
    screenshot("33-building-occupancy")

    page.click("nav >> text=提醒")
    assert page.locator("#incubation-limit").is_visible()
    screenshot("35-alerts")

    page.click("#nav-more")
    page.click("nav >> text=规则")
    assert page.get_by_text("孵化期不超过 48 个月").is_visible()
    screenshot("36-rule-sets")


def test_park_staff_see_only_their_carriers_tenants(page, live_server, users, own_park, other_park, screenshot):
    operator = users[Role.OPERATOR]
    for name, carrier in (("本园在孵团队", own_park), ("他园在孵团队", other_park)):
        enterprise = enterprise_services.enterprise_create(by=operator, data={"name": name, "kind": "team"})
        services.residency_open(
            enterprise=enterprise, carrier=carrier, stage="incubator", started_on=date(2025, 1, 1), by=operator
        )

    sign_in(page, live_server, users[Role.PARK_STAFF].username)
    page.goto(f"{live_server.url}/incubation/tenants/")
    assert page.get_by_text("本园在孵团队").is_visible()
    assert page.get_by_text("他园在孵团队").count() == 0
    screenshot("34-tenant-roster-park-staff")
