"""The HTE recognition pre-check (国科发火〔2016〕32号) as shipped: the R&D threshold by last year's sales at each
edge, registration age by calendar date, three years of figures (fewer for a young company), and unknowns."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.utils import translation

from targets.choices import CriterionResult, EvaluationOutcome
from targets.metrics import EnterpriseFacts, YearFigures, months_later, whole_months
from targets.selectors.evaluation import judge, version_in_force

pytestmark = pytest.mark.django_db

ON = datetime.date(2026, 7, 15)
YEAR = {
    "revenue": Decimal(4000), "total_costs": Decimal(3500), "rd_expenditure": Decimal(240), "rd_in_china": Decimal(240),
    "employees": Decimal(50), "tech_staff": Decimal(10), "invention_patents": Decimal(1), "utility_models": Decimal(0),
    "designs": Decimal(0), "software_copyrights": Decimal(0), "total_assets": Decimal(6000),
    "high_tech_revenue": Decimal(3000),
}  # fmt: skip


def facts(*, registered_on=datetime.date(2019, 5, 1), field="new_materials", years=(2023, 2024, 2025), on=ON, **last):
    figures = {year: YearFigures(year=year, report_id=year, values=dict(YEAR)) for year in years}
    if last:
        figures[2025] = YearFigures(
            year=2025, report_id=2025, values={**YEAR, **{k: Decimal(str(v)) for k, v in last.items()}}
        )
    return EnterpriseFacts(
        enterprise_id=1, name="丙", kind="company", registered_on=registered_on, high_tech_field=field, year=2026,
        on=on, figures=figures,
    )  # fmt: skip


@pytest.fixture
def version():
    return version_in_force("hte_recognition", ON)


def found(judgement) -> dict:
    return {item.criterion.code: item for item in judgement.results}


def test_a_company_meeting_every_recorded_condition_qualifies_on_its_records(version):
    judgement = judge(version, facts())
    assert judgement.outcome == EvaluationOutcome.QUALIFIED
    assert found(judgement)["innovation"].result == CriterionResult.MANUAL
    assert found(judgement)["rd_share"].threshold == 5
    assert judgement.gaps == 0


@pytest.mark.parametrize(
    ("sales", "needed"), [(5000, 5), (Decimal("5000.01"), 4), (20000, 4), (Decimal("20000.01"), 3)]
)
def test_the_rd_threshold_follows_last_years_sales(version, sales, needed):
    judgement = judge(version, facts(revenue=sales, high_tech_revenue=sales))
    assert found(judgement)["rd_share"].threshold == needed


def test_rd_share_is_over_three_years_and_says_what_is_missing(version):
    # 240 × 3 / 12,000 = 6 %; with 2025's R&D at 60: 540 / 12,000 = 4.5 % < 5 %.
    judgement = judge(version, facts(rd_expenditure=60, rd_in_china=60))
    rd = found(judgement)["rd_share"]
    assert rd.value == Decimal("4.5")
    assert rd.result == CriterionResult.UNMET
    assert [source["year"] for source in rd.sources] == [2023, 2024, 2025]
    with translation.override("en"):
        assert str(rd.gap) == "4.5% → needs 5%: 60 × 10k yuan more R&D expenditure at the present figures."


def test_a_young_company_counts_the_years_since_it_registered(version):
    judgement = judge(version, facts(registered_on=datetime.date(2024, 3, 1), years=(2024, 2025)))
    assert [source["year"] for source in found(judgement)["rd_share"].sources] == [2024, 2025]
    assert found(judgement)["rd_share"].result == CriterionResult.MET


def test_a_missing_year_is_named(version):
    judgement = judge(version, facts(years=(2023, 2025)))
    rd = found(judgement)["rd_share"]
    assert rd.result == CriterionResult.UNKNOWN
    assert judgement.outcome == EvaluationOutcome.UNDETERMINED
    with translation.override("en"):
        assert [str(phrase) for phrase in rd.missing] == ["No verified annual report for 2024."]


@pytest.mark.parametrize(
    ("registered_on", "result"),
    [
        (datetime.date(2025, 7, 15), CriterionResult.MET),  # a year to the day
        (datetime.date(2025, 7, 16), CriterionResult.UNMET),  # a day short
    ],
)
def test_registered_a_year_by_calendar_date(version, registered_on, result):
    judgement = judge(version, facts(registered_on=registered_on, years=(2025,)))
    assert found(judgement)["registered_a_year"].result == result


def test_month_arithmetic_is_by_calendar_date():
    assert months_later(datetime.date(2024, 2, 29), 12) == datetime.date(2025, 2, 28)
    assert months_later(datetime.date(2024, 1, 31), 24) == datetime.date(2026, 1, 31)
    assert whole_months(datetime.date(2024, 1, 31), datetime.date(2026, 1, 30)) == 23
    assert whole_months(datetime.date(2024, 1, 31), datetime.date(2026, 1, 31)) == 24


def test_no_field_on_the_profile_is_unknown_not_unmet(version):
    judgement = judge(version, facts(field=""))
    assert found(judgement)["field"].result == CriterionResult.UNKNOWN


@pytest.mark.parametrize(("share", "result"), [(60, CriterionResult.MET), (Decimal("59.99"), CriterionResult.UNMET)])
def test_high_tech_revenue_at_60_percent_inclusive(version, share, result):
    judgement = judge(version, facts(revenue=10000, high_tech_revenue=Decimal(str(share)) * 100))
    assert found(judgement)["high_tech_revenue"].result == result
