"""Who sees what of the applications: a park's staff screen an application to their park (and see no other park's),
and the district bureau reads the queue, the application, the enterprise and the roster without a single action
button, and is refused (403) when it posts to a move or opens a move's form. Screenshots: 80–89."""

from decimal import Decimal

import pytest
from django.utils import timezone

from accounts.roles import Role
from conftest import make_user
from incubation import services
from incubation.choices import ApplicationStatus as S
from incubation.models import Application
from incubation.tests.factories import ApplicationFactory, pdf_upload
from parks.models import Carrier
from parks.tests.factories import BuildingFactory, UnitFactory
from tests.browser.journeys import applicant_enterprise, csrf_post, session, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def submitted_application(user, *, carrier: Carrier, name: str, field: str) -> Application:
    """A complete application of a new enterprise `user` acts for, submitted by them."""
    enterprise = applicant_enterprise(user, name=name, field=field)
    application = ApplicationFactory(enterprise=enterprise, carrier=carrier, created_by=user)
    services.application_attach(application=application, upload=pdf_upload(), title="", kind="business_plan", by=user)
    return services.application_act(application=application, move="submit", by=user)


def test_park_staff_screen_an_application_to_their_park(browser, live_server, users, own_park, other_park):
    staff, expert = users[Role.PARK_STAFF], users[Role.EXPERT]
    application = submitted_application(users[Role.ENTERPRISE], carrier=own_park, name="淄博数智云科技有限公司",
                                        field="大数据")  # fmt: skip
    elsewhere = submitted_application(
        make_user("pharma1", Role.ENTERPRISE),
        carrier=other_park, name="淄博新药研发有限公司", field="生物制药",
    )  # fmt: skip

    with session(browser, live_server, staff.username) as page:
        page.click("nav >> text=入驻申请")
        assert page.get_by_text(elsewhere.enterprise.name).count() == 0  # another park's application
        page.select_option("select[name=status]", "submitted")
        page.fill("input[name=q]", "数智")
        page.click("main form[role=search] button[type=submit]")
        page.wait_for_url("**/incubation/applications/?*q=*")
        rows = page.locator("tbody tr")
        assert rows.count() == 1 and application.enterprise.name in rows.first.inner_text()
        shot(page, "80-park-staff-queue-filtered")

        rows.first.get_by_role("link", name=application.enterprise.name).click()
        page.get_by_role("link", name="开始形式审查").click()
        page.click("main form button[type=submit]")
        page.wait_for_selector(".alert-success")
        statuses = page.locator("#screening .badge").all_inner_texts()
        assert statuses and set(statuses) <= {"满足", "未满足", "待确认"}
        page.select_option("#assign select[name=expert]", str(expert.pk))
        page.click("#assign button[type=submit]")
        page.wait_for_selector(".alert-success")
        page.get_by_role("link", name="送专家评审").click()
        page.click("main form button[type=submit]")
        page.wait_for_selector(".alert-success")
        assert "专家评审" in page.locator("h1").inner_text()
        shot(page, "81-park-staff-sent-to-review")
    application.refresh_from_db()
    assert application.status == S.EXPERT_REVIEW and application.reviews.get().expert == expert


def test_the_bureau_reads_everything_and_can_do_nothing(browser, live_server, users):
    operator = users[Role.OPERATOR]
    core = Carrier.objects.get(kind="core")
    unit = UnitFactory(building=BuildingFactory(carrier=core, name="齐智汇孵化中心A座"), code="A108",
                       stage_zone="incubator", area_m2=Decimal("60"))  # fmt: skip
    application = submitted_application(users[Role.ENTERPRISE], carrier=core, name="淄博智造云科技有限公司",
                                        field="云计算")  # fmt: skip
    for move, message in (("start_screening", ""), ("to_decision", ""), ("approve", "同意入驻")):
        services.application_act(application=application, move=move, by=operator, message=message)
    residency = services.application_admit(application=application, started_on=timezone.localdate(), by=operator,
                                           units=[unit], agreement_no="QZH-2026-008")  # fmt: skip
    enterprise = application.enterprise

    with session(browser, live_server, users[Role.BUREAU].username) as page:
        page.click("nav >> text=入驻申请")
        assert page.get_by_text(enterprise.name).is_visible()
        assert page.get_by_text("新建申请").count() == 0
        shot(page, "85-bureau-queue")

        page.get_by_role("link", name=enterprise.name).click()
        assert page.locator("#actions a, #actions button").count() == 0
        assert page.locator("#assign").count() == 0
        assert "同意入驻" in page.locator("#timeline").inner_text()
        shot(page, "86-bureau-application")

        page.goto(f"{live_server.url}/enterprises/{enterprise.pk}/")
        assert page.locator("#residencies").get_by_text("A108").is_visible()
        for action in ("编辑企业", "晋级", "毕业", "转移", "分配场地", "登记退出", "添加"):
            assert page.locator("main").get_by_text(action, exact=True).count() == 0, action
        shot(page, "87-bureau-enterprise")

        page.goto(f"{live_server.url}/incubation/tenants/")
        assert page.get_by_text(enterprise.name).is_visible()
        shot(page, "88-bureau-tenant-roster")

        reject = f"{live_server.url}/incubation/applications/{application.pk}/reject/"
        assert csrf_post(page, reject, {"message": "不同意"}).status == 403
        promote = f"{live_server.url}/incubation/residencies/{residency.pk}/promote/"
        refused = csrf_post(page, promote, {"to_stage": "accelerator", "on": timezone.localdate().isoformat(),
                                            "override_reason": "试试"})  # fmt: skip
        assert refused.status == 403
        for url in (reject, promote, f"{live_server.url}/incubation/applications/{application.pk}/admit/"):
            response = page.goto(url)
            assert response.status == 403, url
        shot(page, "89-bureau-move-form-forbidden")
    application.refresh_from_db()
    residency.refresh_from_db()
    assert application.status == S.APPROVED and residency.is_open
