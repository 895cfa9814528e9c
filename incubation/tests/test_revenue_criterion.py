"""The graduation criterion on revenue (国科发区〔2018〕300号 (c), "连续2年营业收入累计超过1000万元"), judged on
verified, current annual reports: N consecutive years adding up to more than the threshold → met; reports of the
last N years in and at or below it in total → not met; reports missing → unknown (staff judge)."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from enterprises.tests.report_factories import report, tenant
from incubation import rules
from incubation.choices import CriterionStatus, RuleSetKind

pytestmark = pytest.mark.django_db

ON = datetime.date(2026, 6, 1)
PARAMS = {"amount_wan": 1000, "years": 2}  # the 2018 rules: over 1,000 万元 (¥10 million), 2 consecutive years


@pytest.fixture
def enterprise(users):
    return tenant()


def judge(enterprise, on=ON, params=PARAMS):
    _label, check = rules.CHECKS["revenue_over_years"]
    status, found = check(enterprise, on, params)
    return status, str(found)


def reports(enterprise, revenue_by_year: dict[int, str], status: str = "verified") -> None:
    for year, revenue in revenue_by_year.items():
        report(enterprise, year=year, status=status, revenue=Decimal(revenue), high_tech_revenue=Decimal("0"))


def test_no_reports_is_unknown(enterprise):
    status, detail = judge(enterprise)
    assert status == CriterionStatus.UNKNOWN and "2024" in detail and "2025" in detail


def test_over_the_threshold_in_two_consecutive_years_is_met(enterprise):
    reports(enterprise, {2024: "1200", 2025: "1500"})
    status, detail = judge(enterprise)
    assert status == CriterionStatus.MET and "1500" in detail and "2700" in detail


def test_the_threshold_is_cumulative_over_the_years(enterprise):
    # 600 + 500 = 1,100 > 1,000 although neither year alone is over it (累计超过1000万元).
    reports(enterprise, {2024: "600", 2025: "500"})
    status, detail = judge(enterprise)
    assert status == CriterionStatus.MET and "1100" in detail


def test_an_earlier_run_of_two_years_also_counts(enterprise):
    reports(enterprise, {2021: "700", 2022: "400", 2023: "100", 2024: "300", 2025: "200"})
    assert judge(enterprise)[0] == CriterionStatus.MET  # 2021 + 2022 = 1,100


def test_years_that_are_not_consecutive_do_not_add_up(enterprise):
    reports(enterprise, {2022: "900", 2024: "900", 2025: "50"})  # 2023 missing: 2022 and 2024 are not a run
    status, detail = judge(enterprise)
    assert status == CriterionStatus.UNMET and "950" in detail


def test_exactly_the_threshold_is_not_over_it(enterprise):
    reports(enterprise, {2024: "400", 2025: "600"})
    assert judge(enterprise)[0] == CriterionStatus.UNMET


def test_one_year_in_and_over_the_other_missing_is_unknown(enterprise):
    reports(enterprise, {2025: "5000"})
    status, detail = judge(enterprise)
    assert status == CriterionStatus.UNKNOWN and "2024" in detail


@pytest.mark.parametrize("status", ["draft", "submitted", "returned", "superseded"])
def test_only_verified_reports_count(enterprise, status):
    reports(enterprise, {2024: "1200", 2025: "1500"}, status=status)
    assert judge(enterprise)[0] == CriterionStatus.UNKNOWN


def test_quarterly_reports_do_not_count(enterprise):
    for year in (2024, 2025):
        report(enterprise, year=year, period="q4", status="verified", revenue=Decimal("5000"))
    assert judge(enterprise)[0] == CriterionStatus.UNKNOWN


def test_the_threshold_and_the_years_come_from_the_rule_set(enterprise):
    reports(enterprise, {2023: "600", 2024: "700", 2025: "800"})
    assert judge(enterprise, params={"amount_wan": 2000, "years": 3})[0] == CriterionStatus.MET  # 2,100
    assert judge(enterprise, params={"amount_wan": 1400, "years": 2})[0] == CriterionStatus.MET  # 1,500
    assert judge(enterprise, params={"amount_wan": 1500, "years": 2})[0] == CriterionStatus.UNMET
    assert judge(enterprise, params={"amount_wan": 2100, "years": 3})[0] == CriterionStatus.UNMET


def test_graduation_is_satisfied_by_revenue_alone(enterprise):
    reports(enterprise, {2024: "1200", 2025: "1500"})
    evaluation = rules.evaluate(RuleSetKind.GRADUATION, enterprise, ON)
    revenue = next(result for result in evaluation.results if result.code == "revenue_over_years")
    assert revenue.status == CriterionStatus.MET and evaluation.satisfied
