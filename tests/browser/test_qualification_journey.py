"""An enterprise sees where it stands against the tech-SME evaluation and the HTE pre-check, with the gaps in
words, and uses the what-if calculator: in Chinese and in English, with nothing saved."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from accounts.roles import Role
from enterprises.choices import ReportStatus
from enterprises.models import OperatingReport
from enterprises.tests.report_factories import report, tenant
from targets.models import Evaluation
from tests.browser.journeys import session, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("locale", ["zh-CN", "en-US"])
def test_an_enterprise_sees_its_gaps_and_uses_the_calculator(browser, live_server, users, locale):
    last_year = timezone.localdate().year - 1
    company = tenant(
        name="淄博齐创新材料科技有限公司", user=users[Role.ENTERPRISE], registered_on=datetime.date(2021, 3, 1),
        high_tech_field="new_materials",
    )  # fmt: skip
    # 12 of 40 tech staff (30 %: 20 points), R&D 30 of 1,200 (2.5 %: 10) and of costs 950 (3.2 %: 0), two
    # invention patents (30): 60 points, just at the line.
    report(company, year=last_year, status=ReportStatus.VERIFIED, by=users[Role.OPERATOR], rd_expenditure=Decimal(30),
           rd_in_china=Decimal(30), total_assets=Decimal(3000))  # fmt: skip
    tag = locale[:2]
    with session(browser, live_server, users[Role.ENTERPRISE].username, locale) as page:
        page.goto(f"{live_server.url}/enterprises/{company.pk}/")
        page.click("text=科技型中小企业评价" if tag == "zh" else "text=Tech-based SME evaluation")
        page.wait_for_selector("[data-outcome]")
        assert page.get_attribute("[data-outcome]", "data-outcome") == "qualified"
        assert page.inner_text("[data-score]") == "60"
        shot(page, f"70-qualification-tech-sme-{tag}")

        # R&D in China above all R&D is refused in words, and nothing is evaluated.
        page.fill("input[name=rd_expenditure]", "20")
        page.click("text=按这些数据评价" if tag == "zh" else "text=Evaluate these figures")
        page.wait_for_selector(
            "input[name=rd_in_china].is-invalid, #id_rd_in_china + .invalid-feedback, .invalid-feedback"
        )
        assert page.get_attribute("[data-outcome]", "data-outcome") == "qualified"
        page.fill("input[name=rd_in_china]", "20")
        page.click("text=按这些数据评价" if tag == "zh" else "text=Evaluate these figures")
        page.wait_for_selector("[data-outcome='not_qualified']")
        gap = page.inner_text("tr[data-code='score_60']")
        assert ("还需" in gap) if tag == "zh" else ("more points needed" in gap)
        shot(page, f"71-qualification-what-if-{tag}")

        page.click("text=高新技术企业认定预检" if tag == "zh" else "text=High-tech enterprise recognition pre-check")
        page.wait_for_selector("tr[data-code='rd_share']")
        rd = page.inner_text("tr[data-code='rd_share']")
        # Only last year's report: 2023 and 2024 are missing, and named.
        assert str(last_year - 1) in rd
        shot(page, f"72-qualification-hte-{tag}")
    assert OperatingReport.objects.get(enterprise=company).rd_expenditure == 30
    assert not Evaluation.objects.exists()
