"""Staff record an enterprise's high-tech enterprise application (高新技术企业认定申报): a decision dated before the
submission is refused on the form with nothing saved; the pending application shows with its badge."""

import pytest

from accounts.roles import Role
from enterprises.models import HTEApplication
from enterprises.tests.factories import EnterpriseFactory
from tests.browser.test_structure_journey import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_record_an_hte_application(page, live_server, users, screenshot):
    enterprise = EnterpriseFactory(name="淄博齐创新材料科技有限公司")
    sign_in(page, live_server, users[Role.OPERATOR].username)
    page.goto(f"{live_server.url}/enterprises/{enterprise.pk}/")

    page.click("#records-hte-application >> text=添加")
    page.fill("input[name=year]", "2026")
    page.fill("input[name=submitted_on]", "2026-06-10")
    page.select_option("select[name=outcome]", "rejected")
    page.fill("input[name=decided_on]", "2026-06-01")
    page.click("main form button[type=submit]")
    page.wait_for_selector(".invalid-feedback, .alert-danger")
    screenshot("60-hte-application-form-error")
    assert not HTEApplication.objects.exists()

    page.select_option("select[name=outcome]", "pending")
    page.fill("input[name=decided_on]", "")
    page.click("main form button[type=submit]")
    page.wait_for_url(f"{live_server.url}/enterprises/{enterprise.pk}/")
    application = HTEApplication.objects.get()
    assert (application.year, application.outcome, application.decided_on) == (2026, "pending", None)
    section = page.locator("#records-hte-application")
    assert section.locator(".badge.text-bg-warning").is_visible()
    assert "2026-06-10" in section.inner_text()
    section.scroll_into_view_if_needed()
    screenshot("61-enterprise-detail-hte-application")
