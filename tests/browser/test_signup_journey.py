"""A founder signs up, follows the verification link mailed to them, and registers their team; the operating
company finds the new enterprise under the bell."""

import re

import pytest
from django.core import mail

from accounts.models import User
from accounts.roles import Role
from config.celery import app
from enterprises.models import Enterprise
from tests.browser.conftest import SCREENSHOTS, close_context, new_context
from tests.browser.test_structure_journey import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Qizhihui-Founder-2026"


@pytest.fixture
def tasks_run_inline():
    """Mail tasks run in the live server's thread, so their mails land in mail.outbox."""
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = False


def test_a_founder_signs_up_verifies_and_registers_their_team(
    page, browser, live_server, users, screenshot, tasks_run_inline
):
    operator = users[Role.OPERATOR]
    operator.email = "operator@example.cn"
    operator.save()

    page.goto(f"{live_server.url}/accounts/login/")
    page.click("text=新企业？立即注册")
    page.wait_for_url(f"{live_server.url}/accounts/signup/")
    page.fill("input[name=name]", "陈晓")
    page.fill("input[name=email]", "chen.xiao@example.cn")
    page.fill("input[name=phone]", "0533-7123456")  # a landline: a mobile number is asked for
    page.fill("input[name=password]", PASSWORD)
    page.fill("input[name=password_confirm]", PASSWORD)
    page.click("main form button[type=submit]")
    assert "11 位" in page.locator(".invalid-feedback").first.inner_text()
    assert not User.objects.filter(email="chen.xiao@example.cn").exists()
    screenshot("50-sign-up-errors")

    page.fill("input[name=phone]", "13905331234")
    page.fill("input[name=password]", PASSWORD)
    page.fill("input[name=password_confirm]", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(f"{live_server.url}/accounts/signup/sent/")
    assert page.get_by_text("chen.xiao@example.cn").is_visible()
    screenshot("51-sign-up-check-email")

    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", "chen.xiao@example.cn")
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    assert "请先确认您的电子邮箱" in page.locator(".alert-danger").inner_text()
    screenshot("52-sign-in-before-verification")

    [message] = [m for m in mail.outbox if m.to == ["chen.xiao@example.cn"]]
    path = re.search(r"https?://[^/\s]+(/accounts/signup/verify/\S+/)", message.body).group(1)
    page.goto(f"{live_server.url}{path}")
    screenshot("53-verify-email")
    page.click("main form button[type=submit]")
    page.wait_for_url(f"{live_server.url}/enterprises/register/")
    assert page.locator(".alert-success").is_visible()
    screenshot("54-enterprise-register")

    page.fill("input[name=name]", "齐智汇新材料创业团队")
    page.click("main form button[type=submit]")
    enterprise = Enterprise.objects.get(name="齐智汇新材料创业团队")
    page.wait_for_url(f"{live_server.url}/enterprises/{enterprise.pk}/")
    assert page.locator("h1").inner_text().startswith("齐智汇新材料创业团队")
    screenshot("55-own-enterprise-registered")
    assert enterprise.memberships.get().user.email == "chen.xiao@example.cn"

    # The operating company is told, in the portal and by mail.
    assert [m.subject for m in mail.outbox if m.to == ["operator@example.cn"]] == ["新企业已登记：齐智汇新材料创业团队"]
    context = new_context(browser)
    staff = context.new_page()
    try:
        sign_in(staff, live_server, operator.username)
        assert staff.locator("#nav-notifications .badge").inner_text() == "1"
        staff.click("#nav-notifications")
        staff.wait_for_url(f"{live_server.url}/accounts/notifications/")
        assert staff.get_by_text("新企业已登记：齐智汇新材料创业团队").is_visible()
        staff.screenshot(path=str(SCREENSHOTS / "56-notifications.png"), full_page=True)
        staff.click("#notifications >> text=查看")
        staff.wait_for_url(f"{live_server.url}/enterprises/{enterprise.pk}/")
        assert staff.locator("#nav-notifications .badge").count() == 0
        close_context(context)
    finally:
        context.close()
