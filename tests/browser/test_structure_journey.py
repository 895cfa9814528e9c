"""Staff sign in, see the six carriers in Chinese, open and edit one, and switch to English."""

import pytest

from accounts.roles import Role
from parks.models import Carrier
from parks.tests.factories import BuildingFactory, UnitFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CARRIER_NAMES = [
    "临淄区齐智汇科技孵化中心",
    "绿色化工产业园",
    "大数据产业园",
    "智能制造产业园",
    "新医药产业园",
    "新材料产业园",
]


def sign_in(page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "Pa55word!x")
    page.click("main form button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")


def test_staff_see_the_six_carriers_in_chinese_and_edit_one(page, live_server, users, screenshot):
    core = Carrier.objects.get(kind="core")
    UnitFactory(building=BuildingFactory(carrier=core, name="A座"), code="A201", area_m2=86, stage_zone="incubator")

    page.goto(f"{live_server.url}/")
    assert "/accounts/login/" in page.url
    assert page.locator("h1").inner_text() == "登录"
    screenshot("01-login")

    sign_in(page, live_server, users[Role.OPERATOR].username)
    cards = page.locator(".carrier-card h2")
    assert cards.count() == 6
    assert [cards.nth(i).inner_text() for i in range(6)] == CARRIER_NAMES
    assert page.locator("nav").get_by_text("载体").first.is_visible()
    screenshot("02-home-operator")

    page.click(f"text={core.name}")
    page.wait_for_url(f"{live_server.url}/parks/carriers/{core.pk}/")
    assert page.get_by_text("创业苗圃").first.is_visible()
    assert page.get_by_text("A座").is_visible()
    screenshot("03-carrier-detail")

    page.click("text=编辑载体")
    page.fill("input[name=address]", "淄博市临淄区齐智汇科技孵化中心")
    page.click("main form button[type=submit]")
    page.wait_for_url(f"{live_server.url}/parks/carriers/{core.pk}/")
    assert page.locator(".alert-success").is_visible()
    assert page.get_by_text("淄博市临淄区齐智汇科技孵化中心").first.is_visible()
    screenshot("04-carrier-saved-with-history")
    core.refresh_from_db()
    assert core.address == "淄博市临淄区齐智汇科技孵化中心"

    page.goto(f"{live_server.url}/parks/units/")
    assert page.get_by_text("A201").is_visible()
    screenshot("05-units")

    building = core.buildings.get()
    page.goto(f"{live_server.url}/parks/buildings/{building.pk}/units/add/")
    page.fill("input[name=code]", "A202")
    page.fill("input[name=area_m2]", "-5")
    page.select_option("select[name=kind]", "office")
    page.select_option("select[name=stage_zone]", "incubator")
    page.click("main form button[type=submit]")
    assert page.locator(".invalid-feedback").first.is_visible()
    assert "大于" in page.locator(".invalid-feedback").first.inner_text()  # "greater than", in Chinese
    screenshot("05b-unit-form-errors")
    assert not building.units.filter(code="A202").exists()

    with page.expect_navigation():  # the language form posts, then comes back to this page
        page.select_option("select[name=language]", "en")
    page.goto(f"{live_server.url}/parks/")
    assert page.get_by_text("Big Data Industrial Park").first.is_visible()
    screenshot("06-carriers-english")


def test_a_read_only_role_sees_no_edit_button(page, live_server, users, screenshot):
    sign_in(page, live_server, users[Role.BUREAU].username)
    core = Carrier.objects.get(kind="core")
    page.goto(f"{live_server.url}/parks/carriers/{core.pk}/")

    assert page.get_by_text("编辑载体").count() == 0
    screenshot("07-carrier-detail-bureau")

    page.goto(f"{live_server.url}/parks/carriers/{core.pk}/edit/")
    assert "403" in page.content()
    screenshot("08-forbidden")


def test_the_administrator_sees_the_audit_log_admin_and_local_api_docs(page, live_server, users, screenshot):
    outside = []
    page.on(
        "request", lambda request: outside.append(request.url) if not request.url.startswith(live_server.url) else None
    )
    sign_in(page, live_server, users[Role.ADMIN].username)

    page.goto(f"{live_server.url}/accounts/audit/")
    assert page.locator("tbody tr", has_text="登录").count() >= 1  # the administrator's own sign-in
    screenshot("09-audit-log")

    page.goto(f"{live_server.url}/parks/fields/")
    assert page.get_by_text("线控底盘").is_visible()
    screenshot("09b-focus-fields")

    page.goto(f"{live_server.url}/admin/")
    assert page.get_by_text("临淄一体化孵化平台").first.is_visible()
    screenshot("10-admin")

    page.goto(f"{live_server.url}/api/docs/")
    page.wait_for_selector(".swagger-ui .opblock", timeout=20_000)
    screenshot("11-api-docs")

    page.goto(f"{live_server.url}/no-such-page/")
    assert "404" in page.content()
    screenshot("12-not-found")
    assert outside == [], f"pages must load nothing from outside the portal: {outside}"
