"""The tech-SME evaluation (国科发政〔2017〕115号) as shipped: hand-computed cases at every band edge (lower bounds
inclusive), each direct route, each unknown; and the facts loaded from verified reports."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.utils import translation

from accounts.tests.factories import UserFactory
from enterprises.choices import ReportStatus
from enterprises.tests.factories import EnterpriseFactory, HTECertificateFactory
from enterprises.tests.report_factories import report
from targets.choices import CriterionResult, EvaluationOutcome
from targets.metrics import Certificate, EnterpriseFacts, YearFigures, load_facts
from targets.selectors.evaluation import judge, judge_enterprise, version_in_force

pytestmark = pytest.mark.django_db

ON = datetime.date(2026, 7, 15)
# 20 + 30 + 12 = 62 points: tech staff 30 % (20), R&D 4 % of sales (30), two class-II IP (12).
BASE = {
    "revenue": Decimal(1000), "total_costs": Decimal(1000), "rd_expenditure": Decimal(40), "employees": Decimal(100),
    "tech_staff": Decimal(30), "invention_patents": Decimal(0), "utility_models": Decimal(2), "designs": Decimal(0),
    "software_copyrights": Decimal(0), "total_assets": Decimal(5000), "high_tech_revenue": Decimal(700),
    "rd_in_china": Decimal(40),
}  # fmt: skip


def facts(certificates=(), registered_on=datetime.date(2020, 1, 1), kind="company", **changes) -> EnterpriseFacts:
    values = {**BASE, **{name: None if value is None else Decimal(str(value)) for name, value in changes.items()}}
    return EnterpriseFacts(
        enterprise_id=1, name="甲", kind=kind, registered_on=registered_on, high_tech_field="new_materials",
        year=2026, on=ON, figures={2025: YearFigures(year=2025, report_id=7, values=values)},
        certificates=tuple(certificates),
    )  # fmt: skip


@pytest.fixture
def version():
    return version_in_force("tech_sme_evaluation", ON)


def results(judgement) -> dict[str, object]:
    return {item.criterion.code: item for item in judgement.results}


def test_the_shipped_version_cites_its_document(version):
    assert version.scheme.name == "科技型中小企业评价"
    assert version.document_no == "国科发政〔2017〕115号"
    assert version.is_published
    assert version.scheme.windows.get(year=2025).closes_on == datetime.date(2025, 9, 30)


def test_a_hand_computed_enterprise_scores_62_and_qualifies(version):
    judgement = judge(version, facts())
    found = results(judgement)
    assert judgement.score == 62
    assert found["score_tech_staff"].points == 20
    assert found["score_rd_sales"].points == 30
    assert found["score_rd_costs"].points == 0
    assert found["score_ip_class_ii"].points == 12
    assert judgement.outcome == EvaluationOutcome.QUALIFIED
    assert found["score_60"].result == CriterionResult.MET
    # The good-standing declaration and the three routes are not on the records: a person checks them.
    assert found["standing"].result == CriterionResult.MANUAL
    assert found["route_award"].result == CriterionResult.MANUAL


@pytest.mark.parametrize(
    ("tech_staff", "points"),
    [(9.99, 0), (10, 4), (14.99, 4), (15, 8), (19.99, 8), (20, 12), (25, 16), (29.99, 16), (30, 20), (100, 20)],
)
def test_tech_staff_bands_include_their_lower_bound(version, tech_staff, points):
    found = results(judge(version, facts(employees=10000, tech_staff=Decimal(str(tech_staff)) * 100)))
    assert found["score_tech_staff"].points == points


@pytest.mark.parametrize(
    ("rd", "points"), [(19.99, 0), (20, 10), (29.99, 10), (30, 20), (40, 30), (50, 40), (59.99, 40), (60, 50)]
)
def test_rd_share_of_sales_bands(version, rd, points):
    found = results(judge(version, facts(rd_expenditure=rd, total_costs=1_000_000, rd_in_china=rd)))
    assert found["score_rd_sales"].points == points


@pytest.mark.parametrize(
    ("costs", "points"), [(1001, 0), (1000, 10), (667, 10), (666, 20), (500, 30), (400, 40), (334, 40), (333, 50)]
)
def test_rd_share_of_costs_bands_and_the_better_ratio_counts(version, costs, points):
    # R&D 100 at sales 100,000 (0.1 %: no points by sales); by costs 100/1000 = 10 %, 100/333 = 30.03 %.
    judgement = judge(version, facts(rd_expenditure=100, revenue=100_000, total_costs=costs, rd_in_china=100))
    found = results(judgement)
    assert found["score_rd_costs"].points == points
    assert found["score_rd_sales"].points == 0
    assert judgement.score == 20 + points + 12


@pytest.mark.parametrize(
    ("class_i", "class_ii", "points"), [(0, 0, 0), (0, 1, 6), (0, 2, 12), (0, 3, 18), (0, 4, 24), (0, 9, 24),
                                        (1, 0, 30), (1, 4, 30)],
)  # fmt: skip
def test_ip_points_take_the_better_class(version, class_i, class_ii, points):
    judgement = judge(version, facts(invention_patents=class_i, utility_models=class_ii))
    assert judgement.score == 20 + 30 + points


@pytest.mark.parametrize(("ip", "outcome"), [(1, EvaluationOutcome.NOT_QUALIFIED), (2, EvaluationOutcome.QUALIFIED)])
def test_the_score_gate_is_60_inclusive(version, ip, outcome):
    # 20 + 30 + 6 = 56; 20 + 30 + 12 = 62. And 20 + 40 (5 %) + 0 = 60 exactly qualifies:
    assert judge(version, facts(utility_models=ip)).outcome == outcome
    exactly = judge(version, facts(utility_models=0, rd_expenditure=50, rd_in_china=50))
    assert exactly.score == 60
    assert exactly.outcome == EvaluationOutcome.QUALIFIED


def test_a_score_short_says_how_many_points(version):
    judgement = judge(version, facts(utility_models=1))
    found = results(judgement)["score_60"]
    assert found.result == CriterionResult.UNMET
    with translation.override("en"):
        assert str(found.gap) == "4 more points needed."
    with translation.override("zh-hans"):
        assert str(found.gap) == "还需 4 分。"


def test_tech_staff_points_of_zero_refuse_whatever_the_score(version):
    # 9 % tech staff: 0 points there, yet 50 + 30 = 80 from R&D and IP.
    judgement = judge(version, facts(tech_staff=9, rd_expenditure=60, rd_in_china=60, invention_patents=1))
    found = results(judgement)
    assert judgement.score == 80
    assert found["score_60"].result == CriterionResult.MET
    assert found["tech_staff_points"].result == CriterionResult.UNMET
    assert judgement.outcome == EvaluationOutcome.NOT_QUALIFIED
    with translation.override("en"):
        assert str(found["tech_staff_points"].gap) == "9% → needs 10%: 1 more tech staff at the present headcount."


@pytest.mark.parametrize(
    ("figure", "limit", "code"),
    [("employees", 500, "employees"), ("revenue", 20000, "sales"), ("total_assets", 20000, "assets")],
)
def test_size_limits_are_inclusive(version, figure, limit, code):
    changes = {figure: limit}
    if figure == "employees":
        changes["tech_staff"] = limit * 3 // 10
    if figure == "revenue":
        changes.update(rd_expenditure=800, rd_in_china=800, total_costs=20000)
    assert results(judge(version, facts(**changes)))[code].result == CriterionResult.MET
    changes[figure] = limit + 1
    over = judge(version, facts(**changes))
    assert results(over)[code].result == CriterionResult.UNMET
    assert over.outcome == EvaluationOutcome.NOT_QUALIFIED
    with translation.override("en"):
        assert str(results(over)[code].gap) == "1 over the limit."


def test_a_valid_hte_certificate_qualifies_without_the_score(version):
    certificate = Certificate(
        id=3, number="GR2024", issued_on=datetime.date(2024, 12, 1), expires_on=datetime.date(2027, 12, 1)
    )
    judgement = judge(
        version, facts(certificates=[certificate], tech_staff=1, rd_expenditure=0, rd_in_china=0, utility_models=0)
    )
    found = results(judgement)
    assert found["route_hte"].result == CriterionResult.MET
    assert found["route_hte"].sources == ({"kind": "hte_certificate", "id": 3},)
    assert found["score_60"].result == CriterionResult.NOT_APPLICABLE
    assert found["tech_staff_points"].result == CriterionResult.NOT_APPLICABLE
    assert judgement.outcome == EvaluationOutcome.QUALIFIED
    # The size limits still apply to a direct route.
    assert judge(version, facts(certificates=[certificate], employees=501)).outcome == EvaluationOutcome.NOT_QUALIFIED


def test_an_expired_certificate_is_no_route(version):
    expired = Certificate(
        id=3, number="GR2022", issued_on=datetime.date(2022, 7, 15), expires_on=datetime.date(2025, 7, 15)
    )
    found = results(judge(version, facts(certificates=[expired], utility_models=0)))
    assert found["route_hte"].result == CriterionResult.UNMET


def test_missing_total_assets_is_unknown_and_named(version):
    judgement = judge(version, facts(total_assets=None))
    found = results(judgement)["assets"]
    assert found.result == CriterionResult.UNKNOWN
    assert judgement.outcome == EvaluationOutcome.UNDETERMINED
    with translation.override("en"):
        assert [str(phrase) for phrase in found.missing] == ["The 2025 report gives no total assets."]


def test_no_verified_report_leaves_the_figures_unknown(version):
    bare = EnterpriseFacts(
        enterprise_id=1, name="乙", kind="company", registered_on=datetime.date(2020, 1, 1), high_tech_field="",
        year=2026, on=ON, figures={},
    )  # fmt: skip
    judgement = judge(version, bare)
    found = results(judgement)
    assert judgement.outcome == EvaluationOutcome.UNDETERMINED
    assert found["employees"].result == CriterionResult.UNKNOWN
    assert found["score_60"].result == CriterionResult.UNKNOWN
    with translation.override("en"):
        assert str(found["employees"].missing[0]) == "No verified annual report for 2025."


def test_a_score_already_reached_is_met_while_a_part_is_unknown(version):
    # Total costs of 0: R&D / costs cannot be computed, but R&D / sales gives 50 points already.
    judgement = judge(version, facts(total_costs=0, rd_expenditure=60, rd_in_china=60))
    found = results(judgement)
    assert found["score_rd_costs"].result == CriterionResult.UNKNOWN
    assert found["score_60"].result == CriterionResult.MET


def test_a_team_is_not_a_resident_enterprise(version):
    judgement = judge(version, facts(kind="team", registered_on=None))
    assert results(judgement)["resident"].result == CriterionResult.UNMET
    assert judgement.outcome == EvaluationOutcome.NOT_QUALIFIED


@pytest.fixture(autouse=True)
def filer():
    return UserFactory()


def test_facts_come_from_verified_annual_reports_only(django_assert_max_num_queries):
    verified = EnterpriseFactory(registered_on=datetime.date(2021, 3, 1))
    report(verified, year=2025, status=ReportStatus.VERIFIED, total_assets=Decimal(3000))
    draft_only = EnterpriseFactory(registered_on=datetime.date(2021, 3, 1))
    report(draft_only, year=2025, status=ReportStatus.SUBMITTED)
    HTECertificateFactory(enterprise=verified, issued_on=datetime.date(2024, 1, 1))
    from enterprises.models import Enterprise

    with django_assert_max_num_queries(3):
        loaded = {item.enterprise_id: item for item in load_facts(Enterprise.objects.all(), year=2026, on=ON)}
    assert loaded[verified.pk].figures[2025].get("total_assets") == 3000
    assert len(loaded[verified.pk].certificates) == 1
    assert loaded[draft_only.pk].figures == {}


def test_judging_one_enterprise_with_entered_figures_saves_nothing():
    from targets.models import Evaluation

    enterprise = EnterpriseFactory(registered_on=datetime.date(2021, 3, 1))
    report(enterprise, year=2025, status=ReportStatus.VERIFIED, total_assets=Decimal(3000))
    before = judge_enterprise("tech_sme_evaluation", enterprise, year=2026, on=ON)
    after = judge_enterprise(
        "tech_sme_evaluation", enterprise, year=2026, on=ON, figures={"rd_expenditure": Decimal(0)}
    )
    assert before.score != after.score
    assert results(after)["score_rd_sales"].sources == ({"kind": "entered", "year": 2025},)
    assert not Evaluation.objects.exists()
