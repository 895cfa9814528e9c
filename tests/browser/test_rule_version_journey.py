"""The operating company adds a rule version from the portal, without code: drafts it from the version in force,
changes a threshold, and publishes it; the scheme's page shows both versions, the new one first."""

import datetime

import pytest
from django.utils import timezone

from accounts.roles import Role
from targets.models import SchemeVersion
from tests.browser.journeys import session, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("locale", ["zh-CN", "en-US"])
def test_staff_add_a_version_of_the_tech_sme_rules(browser, live_server, users, locale):
    tag = locale[:2]
    starts = timezone.localdate() + datetime.timedelta(days=7)
    with session(browser, live_server, users[Role.OPERATOR].username, locale) as page:
        page.goto(f"{live_server.url}/targets/rules/")
        shot(page, f"75-rule-schemes-{tag}")
        page.click("text=科技型中小企业评价" if tag == "zh" else "text=Tech-based SME evaluation")
        page.click("text=起草新版本" if tag == "zh" else "text=Draft a new version")
        page.wait_for_selector("input[name=title]")
        page.fill("input[name=effective_from]", starts.isoformat())
        page.fill("input[name=document_no]", "示例〔2026〕1号")
        employees = page.locator("fieldset", has=page.locator("input[value=employees]"))
        employees.locator("input[name$=threshold]").fill("400")
        shot(page, f"76-rule-version-edit-{tag}")
        page.click("button:has-text('保存草稿')" if tag == "zh" else "button:has-text('Save draft')")
        page.wait_for_selector("#draft")
        page.click("text=发布…" if tag == "zh" else "text=Publish…")
        page.wait_for_selector("main form button[type=submit]")
        shot(page, f"77-rule-version-publish-{tag}")
        page.click("main form button[type=submit]")
        page.wait_for_selector("#version-2")
        shot(page, f"78-rule-scheme-{tag}")
    published = SchemeVersion.objects.get(scheme__code="tech_sme_evaluation", version=2)
    assert published.is_published
    assert published.effective_from == starts
    assert published.criteria.get(code="employees").threshold == 400
