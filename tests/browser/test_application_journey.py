"""The application and tenant lifecycle, through the pages as each person uses them: an entrepreneur applies to the
core's incubator; the operating company screens it and sends it to two experts, who score blind; staff approve and
admit it with a unit; later they promote the tenant to the accelerator and graduate it, and the enterprise's page
tells the whole story. Every page visited is kept as a screenshot (test-artifacts/screenshots/4x–7x)."""

import re
from decimal import Decimal

import pytest

from accounts.roles import Role
from conftest import make_user
from enterprises.models import Document
from incubation import services
from incubation.choices import ApplicationStatus as S
from incubation.models import Application, Residency, Transition
from parks.models import Carrier
from parks.tests.factories import BuildingFactory, UnitFactory
from tests.browser.journeys import applicant_enterprise, months_ago, real_pdf, session, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TEXT_FIELDS = {
    "technology": "工业设备数据采集与云端分析平台，已完成两家化工企业的试点。",
    "intellectual_property": "发明专利申请 2 项，软件著作权 5 项。",
    "team": "创始人张某，原浪潮云架构师；核心团队 8 人，均为全职。",
    "market": "面向临淄化工园区 300 余家企业，竞品以外地厂商为主。",
    "finances": "2025 年收入 120 万元；预计 2027 年收入 600 万元。",
    "funding_needs": "天使轮 300 万元，用于研发与市场推广。",
}
# The expert's scores and what their weights (30/20/20/15/15) make of them.
SCORES = {"score_technology": "90", "score_team": "80", "score_market": "70", "score_business_model": "60",
          "score_focus_fit": "100"}  # fmt: skip
WEIGHTED = "81.00"
OTHER_EXPERT_SCORES = {"score_technology": 70, "score_team": 70, "score_market": 70, "score_business_model": 70,
                       "score_focus_fit": 70}  # fmt: skip


def test_an_application_from_draft_to_graduation(browser, live_server, users, tmp_path):
    core = Carrier.objects.get(kind="core")
    applicant = users[Role.ENTERPRISE]
    enterprise = applicant_enterprise(applicant)
    operator, expert = users[Role.OPERATOR], users[Role.EXPERT]
    other_expert = make_user("expert2", Role.EXPERT, name="李专家")
    building = BuildingFactory(carrier=core, name="齐智汇孵化中心B座")
    unit = UnitFactory(building=building, code="B305", stage_zone="incubator", area_m2=Decimal("120"))
    UnitFactory(building=building, code="B101", stage_zone="accelerator", area_m2=Decimal("300"))
    pdf = real_pdf(tmp_path)

    # 1. The entrepreneur: a draft, a refused submission listing everything missing, the completed form, the plan.
    with session(browser, live_server, applicant.username) as page:
        page.click("nav >> text=我的申请")
        page.wait_for_url(f"{live_server.url}/incubation/applications/")
        assert page.locator("h1").inner_text() == "我的申请"
        assert page.get_by_text("您还没有申请").is_visible()
        assert page.locator("form[role=search]").count() == 0  # an applicant's few applications need no filters
        shot(page, "40-my-applications-empty")

        page.click("main >> text=新建申请")
        place = f"{core.pk}:incubator"
        option = page.locator(f"select[name=place] option[value='{place}']")
        assert option.inner_text().startswith("★ ")  # the core's industries include cloud computing
        assert page.locator("select[name=place] option").nth(1).inner_text().startswith("★ ")  # suggestions first
        page.select_option("select[name=place]", place)
        page.fill("input[name=project_name]", "工业数据中台")
        shot(page, "41-apply-form")
        page.click("main form button[type=submit]")
        page.wait_for_selector(".alert-success")
        application = Application.objects.get()
        assert page.url == f"{live_server.url}/incubation/applications/{application.pk}/"
        assert page.locator("#problems").is_visible()
        shot(page, "42-application-draft")

        page.get_by_role("link", name="提交", exact=True).click()
        page.click("main form button[type=submit]")
        assert page.get_by_text("提交前还需要：").is_visible()
        errors = page.locator("main .alert-danger").inner_text()
        for missing in ("请填写“项目与技术”", "请填写“团队”", "请填写“申请面积", "请上传商业计划书"):
            assert missing in errors, f"{missing} not in {errors}"
        shot(page, "43-submit-refused-everything-missing")
        application.refresh_from_db()
        assert application.status == S.DRAFT

        page.goto(f"{live_server.url}/incubation/applications/{application.pk}/")
        page.click("#actions >> text=编辑")
        for name, text in TEXT_FIELDS.items():
            page.fill(f"textarea[name={name}]", text)
        page.fill("input[name=funding_amount]", "300")
        page.fill("input[name=requested_area]", "120")
        page.select_option("select[name=requested_space_type]", "office")
        shot(page, "44-application-edit")
        page.click("main form button[type=submit]")
        page.wait_for_selector(".alert-success")

        page.click("#documents >> text=上传")
        page.select_option("select[name=kind]", "business_plan")
        page.set_input_files("input[name=file]", str(pdf))
        shot(page, "45-upload-business-plan")
        page.click("main form button[type=submit]")
        page.wait_for_selector(".alert-success")
        assert page.locator("#documents").get_by_text("商业计划书").first.is_visible()
        assert page.locator("#problems").count() == 0  # nothing is missing any more
        shot(page, "46-application-complete")

        page.get_by_role("link", name="提交", exact=True).click()
        shot(page, "47-submit-confirm")
        page.click("main form button[type=submit]")
        page.wait_for_selector(".alert-success")
        assert "已提交" in page.locator("h1").inner_text()
        assert page.locator("#timeline li").count() >= 2  # created, submitted
        assert "已提交" in page.locator("#timeline").inner_text()
        shot(page, "48-application-submitted")
    application.refresh_from_db()
    assert application.status == S.SUBMITTED

    # 2. The operating company screens it, assigns two experts and sends it to review.
    with session(browser, live_server, operator.username) as page:
        page.click("nav >> text=入驻申请")
        page.select_option("select[name=status]", "submitted")
        page.fill("input[name=q]", "云翔数据")
        page.click("main form[role=search] button[type=submit]")
        page.wait_for_url(re.compile(r".*status=submitted.*"))
        rows = page.locator("tbody tr")
        assert rows.count() == 1 and enterprise.name in rows.first.inner_text()
        shot(page, "50-queue-filtered")

        rows.first.get_by_role("link", name=enterprise.name).click()
        page.wait_for_url(f"{live_server.url}/incubation/applications/{application.pk}/")
        assert page.locator("#screening").is_visible()  # the criteria, evaluated now, before screening starts
        shot(page, "51-application-staff-submitted")

        page.get_by_role("link", name="开始形式审查").click()
        shot(page, "52-start-screening-confirm")
        page.click("main form button[type=submit]")
        page.wait_for_selector(".alert-success")
        screening = page.locator("#screening")
        badges = screening.locator(".badge")
        assert badges.filter(has_text=re.compile("^满足$")).count() == 1  # registered 20 months ago
        assert badges.filter(has_text=re.compile("^未满足$")).count() == 1  # no tech-SME registration
        assert "入驻条件" in screening.inner_text()
        # Before an expert is assigned, 送专家评审 is shown disabled, with what is missing.
        assert page.locator("#actions button[data-move=send_to_review]").is_disabled()
        assert "请至少指派一位专家" in page.locator("#unmet-send_to_review").inner_text()
        shot(page, "52b-send-to-review-needs-an-expert")
        page.select_option("#assign select[name=expert]", str(expert.pk))
        page.click("#assign button[type=submit]")
        page.wait_for_selector(".alert-success")
        page.select_option("#assign select[name=expert]", str(other_expert.pk))
        page.click("#assign button[type=submit]")
        page.wait_for_selector(".alert-success")
        assert page.locator("#reviews tbody tr").count() == 2
        shot(page, "53-screening-criteria-and-experts")

        page.get_by_role("link", name="送专家评审").click()
        page.click("main form button[type=submit]")
        page.wait_for_selector(".alert-success")
        assert "专家评审" in page.locator("h1").inner_text()
        shot(page, "54-sent-to-expert-review")

    # The other expert has scored already; our expert must not see those scores before scoring.
    services.review_submit(review=application.reviews.get(expert=other_expert), scores=OTHER_EXPERT_SCORES,
                           comment="技术一般，团队稳定。", by=other_expert)  # fmt: skip

    # 3. The expert sees only their assignment, reads the business plan and scores.
    unassigned = Application.objects.create(
        enterprise=applicant_enterprise(make_user("other-applicant", Role.ENTERPRISE), name="别家申请企业"),
        carrier=core, stage="incubator", created_by=operator,
    )  # fmt: skip
    with session(browser, live_server, expert.username) as page:
        page.click("nav >> text=我的评审")
        rows = page.locator("tbody tr")
        assert rows.count() == 1 and enterprise.name in rows.first.inner_text()
        assert page.get_by_text(unassigned.enterprise.name).count() == 0
        shot(page, "55-expert-assignments")

        rows.first.get_by_role("link", name=enterprise.name).click()
        assert page.locator(f"main a[href$='/enterprises/{enterprise.pk}/']").count() == 0  # not theirs to open
        reviews = page.locator("#reviews")
        assert "70" not in reviews.inner_text() and "技术一般" not in reviews.inner_text()  # blind
        shot(page, "56-expert-application-before-scoring")

        page.get_by_role("link", name="评审打分").first.click()
        link = page.locator("main a", has_text="商业计划书").first
        response = page.request.get(live_server.url + link.get_attribute("href"))
        assert response.status == 200 and response.headers["content-type"] == "application/pdf"
        assert response.body() == pdf.read_bytes()
        for name, value in SCORES.items():
            page.fill(f"input[name={name}]", value)
        page.fill("textarea[name=comment]", "技术扎实，市场清晰，建议入驻。")
        shot(page, "57-expert-score-form")
        page.click("main form button[type=submit]")
        page.wait_for_selector(".alert-success")
        reviews = page.locator("#reviews")
        assert WEIGHTED in reviews.inner_text() and "70.00" in reviews.inner_text()  # now both are shown
        shot(page, "58-expert-after-scoring")

    # 4. Staff see both experts' scores and their average, close the review, approve and admit with a unit.
    with session(browser, live_server, operator.username) as page:
        page.goto(f"{live_server.url}/incubation/applications/{application.pk}/")
        reviews = page.locator("#reviews")
        assert WEIGHTED in reviews.inner_text() and "70.00" in reviews.inner_text()
        assert "75.50" in reviews.locator(".card-header").inner_text()  # (81 + 70) / 2
        shot(page, "60-staff-sees-expert-scores")

        page.get_by_role("link", name="结束评审").click()
        page.click("main form button[type=submit]")
        page.wait_for_selector(".alert-success")
        assert "待决定" in page.locator("h1").inner_text()
        shot(page, "61-awaiting-decision")

        page.get_by_role("link", name="通过", exact=True).click()
        page.click("main form button[type=submit]")  # a decision needs its reason
        assert page.locator(".invalid-feedback").first.is_visible()
        page.fill("textarea[name=message]", "评审平均分 75.5，同意入驻孵化器。")
        shot(page, "62-approve-with-reason")
        page.click("main form button[type=submit]")
        page.wait_for_selector(".alert-success")
        assert "已通过" in page.locator("h1").inner_text()
        shot(page, "63-approved")

        page.get_by_role("link", name="办理入驻").click()
        page.fill("input[name=started_on]", months_ago(12))
        page.fill("input[name=agreement_no]", "QZH-2025-031")
        page.check(f"input[name=units][value='{unit.pk}']")
        assert page.locator("input[name=units]").count() == 1  # only the unit zoned for the incubator
        shot(page, "64-admit-form")
        page.click("main form button[type=submit]")
        page.wait_for_selector(".alert-success")
        assert "起入驻临淄区齐智汇科技孵化中心" in page.locator("main").inner_text()
        assert page.locator("#timeline").get_by_text("已入驻").is_visible()
        shot(page, "65-admitted")
    application.refresh_from_db()
    residency = application.residency
    assert residency.allocations.get().unit == unit

    # The applicant sees the decision and its reason, never the experts' scores or comments.
    with session(browser, live_server, applicant.username) as page:
        page.goto(f"{live_server.url}/incubation/applications/{application.pk}/")
        assert "已通过" in page.locator("h1").inner_text()
        assert "同意入驻孵化器" in page.locator("#timeline").inner_text()
        assert page.locator("#reviews").count() == 0
        content = page.content()
        assert WEIGHTED not in content and "75.50" not in content and "建议入驻" not in content
        assert "技术一般" not in content
        shot(page, "66-applicant-sees-decision")
        page.goto(f"{live_server.url}/incubation/applications/")
        assert "75.50" not in page.content()
        assert page.locator("thead").get_by_text("专家").count() == 0  # nor how many experts have scored
        shot(page, "67-applicant-list")

        # The same page in English, chosen with the navigation bar's language selector.
        page.goto(f"{live_server.url}/incubation/applications/{application.pk}/")
        with page.expect_navigation():  # the language form posts, then comes back to this page
            page.select_option("select[name=language]", "en")
        assert "Approved" in page.locator("h1").inner_text()
        assert page.locator("#timeline").get_by_text("Timeline").is_visible()
        assert page.locator("#timeline").get_by_text("Admitted").is_visible()
        assert page.get_by_text("Project and technology").is_visible()
        shot(page, "68-application-english")

    # 5. Later: staff promote the tenant to the core's accelerator, then graduate it, overriding unmet criteria.
    with session(browser, live_server, operator.username) as page:
        page.goto(f"{live_server.url}/enterprises/{enterprise.pk}/")
        page.click("#residencies >> text=晋级")
        assert page.locator("#criteria").get_by_text("孵化器毕业企业").is_visible()
        page.select_option("select[name=to_stage]", "accelerator")
        page.fill("input[name=on]", months_ago(3))
        page.click("main form button[type=submit]")  # unknown: needs a reason
        assert page.locator(".invalid-feedback").first.is_visible()
        shot(page, "70-promote-needs-reason")
        page.fill("textarea[name=override_reason]", "营收增长快，属高成长企业，经运营公司研究同意进入加速器。")
        page.check("input[name=space][value=kept]")  # the tenant stays in B305
        page.click("main form button[type=submit]")
        page.wait_for_selector(".alert-success")
        assert page.locator("#residencies").get_by_text("加速器").first.is_visible()
        shot(page, "71-promoted")

        page.click("#residencies >> text=毕业")
        assert page.locator("#criteria").get_by_text("被认定为高新技术企业").is_visible()
        page.fill("textarea[name=override_reason]", "已被上市公司收购，材料见附件。")
        shot(page, "72-graduate-with-override")
        page.click("main form button[type=submit]")
        page.wait_for_selector(".alert-success")
        timeline = page.locator("#timeline").inner_text()
        for chapter in ("已提交", "已通过", "晋级", "毕业", "B305"):
            assert chapter in timeline, f"{chapter} missing from the enterprise's timeline: {timeline}"
        shot(page, "73-enterprise-whole-story")

    transitions = Transition.objects.filter(enterprise=enterprise).order_by("occurred_on")
    assert list(transitions.values_list("kind", flat=True)) == ["promote", "graduate"]
    assert list(transitions.values_list("space", flat=True)) == ["kept", "ended"]
    assert not Residency.objects.filter(enterprise=enterprise, ended_on__isnull=True).exists()
    assert Document.objects.filter(enterprise=enterprise, kind="business_plan").count() == 1
