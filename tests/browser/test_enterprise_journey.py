"""Staff register an enterprise (a mistyped code is explained), record its qualifications; an enterprise user sees
their own enterprise and nobody else's."""

from datetime import date

import pytest

from accounts.roles import Role
from enterprises import services
from enterprises.models import Enterprise, EnterpriseMembership
from tests.browser.test_structure_journey import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_register_an_enterprise_and_its_certificate(page, live_server, users, screenshot):
    sign_in(page, live_server, users[Role.OPERATOR].username)
    page.click("nav >> text=企业")
    page.wait_for_url(f"{live_server.url}/enterprises/")
    page.click("text=登记企业")

    page.fill("input[name=name]", "淄博齐创新材料科技有限公司")
    page.select_option("select[name=kind]", "company")
    page.fill("input[name=uscc]", "91310110666007217A")  # the check character should be T
    page.fill("input[name=registered_on]", "2023-03-01")
    page.click("main form button[type=submit]")
    error = page.locator(".invalid-feedback").first
    assert "校验码" in error.inner_text() and "T" in error.inner_text()
    screenshot("20-enterprise-form-uscc-error")
    assert not Enterprise.objects.exists()

    page.fill("input[name=uscc]", "91310110666007217T")
    page.click("main form button[type=submit]")
    page.wait_for_selector(".alert-success")
    enterprise = Enterprise.objects.get()
    assert page.url == f"{live_server.url}/enterprises/{enterprise.pk}/"

    page.click("#records-hte >> text=添加")
    page.fill("input[name=certificate_no]", "GR202337000123")
    page.fill("input[name=issued_on]", "2023-12-08")
    page.click("main form button[type=submit]")
    page.wait_for_url(f"{live_server.url}/enterprises/{enterprise.pk}/")
    assert page.get_by_text("2026-12-08").is_visible()  # expiry: issue date + 3 years
    screenshot("21-enterprise-detail")

    page.goto(f"{live_server.url}/enterprises/?q=齐创")
    assert page.get_by_text("淄博齐创新材料科技有限公司").is_visible()
    screenshot("22-enterprise-list-search")

    with page.expect_navigation():  # the language form posts, then comes back to this page
        page.select_option("select[name=language]", "en")
    page.goto(f"{live_server.url}/enterprises/{enterprise.pk}/")
    assert page.get_by_text("High-tech enterprise certificates").is_visible()
    screenshot("24-enterprise-detail-english")
    page.goto(f"{live_server.url}/incubation/alerts/")
    assert page.get_by_text("Incubation time nearing its limit").is_visible()
    screenshot("25-alerts-english")


def test_an_enterprise_user_sees_only_their_own_enterprise(page, live_server, users, screenshot):
    operator = users[Role.OPERATOR]
    own = services.enterprise_create(
        by=operator,
        data={
            "name": "临淄云翔数据服务有限公司",
            "kind": "company",
            "uscc": "91310115591693856A",
            "registered_on": date(2022, 3, 1),
        },
    )
    other = services.enterprise_create(by=operator, data={"name": "别家团队", "kind": "team"})
    EnterpriseMembership.objects.create(user=users[Role.ENTERPRISE], enterprise=own)

    sign_in(page, live_server, users[Role.ENTERPRISE].username)
    page.click("nav >> text=我的企业")
    page.wait_for_url(f"{live_server.url}/enterprises/{own.pk}/")
    assert page.locator("h1").inner_text().startswith("临淄云翔数据服务有限公司")
    screenshot("23-my-enterprise")

    page.goto(f"{live_server.url}/enterprises/{other.pk}/")
    assert "404" in page.content()
