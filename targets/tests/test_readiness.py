"""Accreditation readiness: a carrier's figures for the accreditation metrics computed by hand (the portal's records
and its verified return), alternatives ("or") among conditions, the version in force by date, unknown without a
verified return, metrics that belong to another subject refused when saved, the pages' permissions with other
carriers' ids, and bounded queries."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.roles import Role
from enterprises.choices import ReportStatus
from enterprises.tests.factories import FinancingEventFactory, TechSMERegistrationFactory
from enterprises.tests.report_factories import report, tenant
from parks.models import Carrier
from parks.tests.factories import BuildingFactory, UnitFactory
from targets import services
from targets.carrier_metrics import load_carrier_facts
from targets.choices import CriterionResult as R
from targets.choices import EvaluationOutcome, SchemeSubject
from targets.metrics import metric_choices
from targets.models import Scheme
from targets.selectors.evaluation import judge, version_in_force
from targets.selectors.readiness import carrier_readiness

pytestmark = pytest.mark.django_db

DEC31 = datetime.date(2025, 12, 31)
RETURN = {
    "operator_staff": 3, "professional_staff": 2, "certified_staff": 1, "mentors": 2,
    "fund_size": Decimal("600"), "fund_invested": Decimal("50"), "fund_cases": 3, "fund_invested_tenants": 1,
    "income_rent": Decimal("100"), "income_services": Decimal("40"), "income_investment": Decimal("10"),
    "income_subsidies": Decimal("0"), "income_other": Decimal("0"),
    "events_held": 4, "training_sessions": 2, "training_attendance": 40, "public_platforms": 1,
    "tenants_patent_applications": 6,
}  # fmt: skip


def verified_return(carrier, users, year, **changes):
    by = users[Role.OPERATOR]
    draft = services.return_create(carrier=carrier, year=year, by=by, data=RETURN | changes, today=DEC31)
    submitted = services.return_act(carrier_return=draft, move="submit", by=by)
    return services.return_act(carrier_return=submitted, move="verify", by=by)


@pytest.fixture
def park(users, own_park):
    """大数据产业园 at the end of 2025: 2,500 m², 12 tenants (five registered tech SMEs), four of which grew their
    revenue by more than 20 %, two grew by 10 %, six filed nothing; verified returns for 2024 and 2025."""
    UnitFactory(building=BuildingFactory(carrier=own_park), area_m2=Decimal("2500"))
    tenants = [tenant(carrier_code="big-data", started_on=datetime.date(2023, 3, 1)) for _ in range(12)]
    for enterprise in tenants[:4]:
        report(enterprise, year=2024, status=ReportStatus.VERIFIED, revenue=Decimal("1000"))
        report(enterprise, year=2025, status=ReportStatus.VERIFIED, revenue=Decimal("1300"))
    for enterprise in tenants[4:6]:
        report(enterprise, year=2024, status=ReportStatus.VERIFIED, revenue=Decimal("1000"),
               rd_expenditure=Decimal("150"))  # fmt: skip
        report(enterprise, year=2025, status=ReportStatus.VERIFIED, revenue=Decimal("1100"),
               rd_expenditure=Decimal("165"))  # fmt: skip
    for enterprise in tenants[:5]:
        TechSMERegistrationFactory(enterprise=enterprise, year=2025)
    verified_return(own_park, users, 2024)
    verified_return(own_park, users, 2025)
    own_park.tenants_list = tenants
    return own_park


def facts_of(carrier, year=2025, on=DEC31):
    (facts,) = load_carrier_facts([carrier], year=year, on=on)
    return facts


def results(scheme: str, facts, on=DEC31) -> dict:
    judgement = judge(version_in_force(scheme, on), facts)
    return judgement, {item.criterion.code: item for item in judgement.results}


def test_the_figures_by_hand(park):
    facts = facts_of(park)
    assert (facts.tenants, facts.growing, facts.without_reports, facts.tech_smes) == (12, 4, 6, 5)
    assert facts.return_years == 2 and facts.carrier_return["total_income"] == Decimal("150.00")
    judgement, by_code = results("accreditation_municipal", facts)
    assert by_code["area"].result == R.MET and by_code["area"].value == Decimal("2500.00")
    assert by_code["tenants"].result == R.MET and by_code["tenants"].value == 12
    assert by_code["mentors"].result == R.UNMET and by_code["mentors"].value == 2
    assert str(by_code["mentors"].gap) == "创业导师：还需 1。"
    assert by_code["fund"].result == R.MET
    assert by_code["legal"].result == R.MANUAL
    assert judgement.outcome == EvaluationOutcome.NOT_QUALIFIED and judgement.readiness == Decimal("75.00")

    _judgement, miit = results("accreditation_national", facts)  # 2025-12-31: the MIIT 标准级 version
    assert miit["growth"].value == Decimal("33.33") and miit["growth"].result == R.MET  # 4 of 12
    assert miit["non_rent"].value == Decimal("33.33") and miit["non_rent"].result == R.MET  # 50 of 150
    assert miit["fund_equity"].value == Decimal("8.33") and miit["fund_equity"].result == R.UNMET  # 1 of 12
    assert "还需 1" in str(miit["fund_equity"].gap)  # 2 of 12 = 16.67 % ≥ 10 %
    assert miit["financed"].value == 0 and miit["financed"].result == R.UNMET  # neither alternative met
    assert miit["statistics"].result == R.MET and miit["statistics"].value == 2


def test_one_met_alternative_is_enough(park):
    for enterprise in park.tenants_list[:3]:
        FinancingEventFactory(enterprise=enterprise, occurred_on=datetime.date(2025, 6, 1))
    judgement, miit = results("accreditation_national", facts_of(park))
    assert miit["financed"].value == 25 and miit["financed"].result == R.MET  # 3 of 12
    assert miit["fund_equity"].result == R.NOT_APPLICABLE and miit["fund_equity"].gap is None
    assert judgement.outcome == EvaluationOutcome.QUALIFIED  # the legal-person check is left to a person


def test_a_year_before_july_2025_is_judged_by_the_2018_rules(park):
    version = version_in_force("accreditation_national", datetime.date(2024, 12, 31))
    assert version.document_no == "国科发区〔2018〕300号"
    _judgement, rules = results("accreditation_national", facts_of(park, 2024, datetime.date(2024, 12, 31)),
                                on=datetime.date(2024, 12, 31))  # fmt: skip
    assert rules["area"].result == R.UNMET and str(rules["area"].gap) == "还需 7500 平方米。"
    assert rules["mentors_per_10"].value == Decimal("1.67") and rules["mentors_per_10"].result == R.MET  # 2 × 10 / 12
    assert rules["staff_share"].value == Decimal("66.67") and rules["staff_share"].result == R.UNMET  # 2 of 3
    # 6 of 12 tenants applied for patents (50 %), and the 6 with a verified 2024 report hold IP (50 % ≥ 30 %).
    assert rules["patents"].value == 50 and rules["patents"].result == R.MET
    assert rules["ip"].value == 50 and rules["ip"].result == R.MET
    assert version_in_force("accreditation_national", DEC31).document_no == "工信部科〔2025〕131号"


def test_without_a_verified_return_its_figures_are_unknown_and_say_so(users, own_park):
    UnitFactory(building=BuildingFactory(carrier=own_park), area_m2=Decimal("2500"))
    for _ in range(10):
        tenant(carrier_code="big-data", started_on=datetime.date(2024, 3, 1))
    services.return_create(carrier=own_park, year=2025, by=users[Role.OPERATOR], data=RETURN, today=DEC31)  # a draft
    judgement, by_code = results("accreditation_municipal", facts_of(own_park))
    assert by_code["mentors"].result == R.UNKNOWN and by_code["fund"].result == R.UNKNOWN
    assert [str(phrase) for phrase in by_code["mentors"].missing] == ["2025 年没有已核实的载体年报。"]
    assert judgement.outcome == EvaluationOutcome.UNDETERMINED


def test_a_carrier_scheme_names_only_carrier_metrics(users):
    carrier_metrics = {code for code, _label in metric_choices(SchemeSubject.CARRIER)}
    enterprise_metrics = {code for code, _label in metric_choices(SchemeSubject.ENTERPRISE)}
    assert "carrier_tenants" in carrier_metrics and "carrier_tenants" not in enterprise_metrics
    assert "annual_sales" in enterprise_metrics and "annual_sales" not in carrier_metrics
    scheme = Scheme.objects.get(code="accreditation_municipal")
    draft = services.draft_version(scheme=scheme, by=users[Role.OPERATOR])
    row = {"code": "sales", "kind": "gate", "part": "", "metric": "annual_sales", "operator": "ge",
           "threshold": Decimal(1), "unit": "wan_yuan", "threshold_metric": "", "waived_by_route": False,
           "text": "营业收入", "text_en": "Sales", "bands": []}  # fmt: skip
    with pytest.raises(ValidationError, match="不是本规则评价对象的指标"):
        services.update_draft(version=draft, data={}, criteria=[row], by=users[Role.OPERATOR])
    assert draft.criteria.count() == version_in_force(scheme, DEC31).criteria.count()  # nothing changed


@pytest.mark.parametrize(
    ("role", "overview", "rows", "own", "other"),
    [(Role.BUREAU, 200, 6, 200, 200), (Role.OPERATOR, 200, 6, 200, 200), (Role.ADMIN, 200, 6, 200, 200),
     (Role.PARK_STAFF, 200, 1, 200, 404), (Role.EXPERT, 403, 0, 403, 403), (Role.ENTERPRISE, 403, 0, 403, 403),
     (None, 302, 0, 302, 302)],
)  # fmt: skip
def test_who_reads_readiness(visit, users, own_park, other_park, role, overview, rows, own, other):
    client = visit(role)
    page = client.get(reverse("targets:readiness"), {"year": 2025})
    assert page.status_code == overview
    if overview == 200:
        assert len(page.context["rows"]) == rows
        assert ("core-readiness" in page.content.decode()) == (rows == 6)  # the core's targets: for who reads it
    assert client.get(reverse("targets:carrier_readiness", args=[own_park.pk])).status_code == own
    assert client.get(reverse("targets:carrier_readiness", args=[other_park.pk])).status_code == other


@pytest.mark.parametrize("size", [2, 20])
def test_the_pages_cost_the_same_queries_at_two_sizes(client_for, users, own_park, size, django_assert_max_num_queries):
    UnitFactory(building=BuildingFactory(carrier=own_park), area_m2=Decimal("900"))
    for carrier in Carrier.objects.all():
        for _ in range(size):
            enterprise = tenant(carrier_code=carrier.code, started_on=datetime.date(2024, 3, 1))
            report(enterprise, year=2025, status=ReportStatus.VERIFIED)
    verified_return(own_park, users, 2025, tenants_patent_applications=0)
    client = client_for(users[Role.BUREAU])
    with django_assert_max_num_queries(30):
        assert client.get(reverse("targets:readiness"), {"year": 2025}).status_code == 200
    with django_assert_max_num_queries(110):  # one year's figures for each year of the plan (2021–2025)
        assert client.get(reverse("targets:carrier_readiness", args=[own_park.pk]), {"year": 2025}).status_code == 200


def test_the_bureau_sees_what_the_core_must_still_do(users):
    core = Carrier.objects.get(code="qizhihui")
    (row,) = carrier_readiness(carriers=[core], year=2025, today=datetime.date(2026, 12, 4))
    assert row.held == "none" and row.next_level.scheme.code == "accreditation_municipal"
    assert [item.scheme.code for item in row.levels] == [
        "accreditation_municipal",
        "accreditation_provincial",
        "accreditation_national",
        "accreditation_beijing_2026",
    ]


@pytest.mark.parametrize(
    ("role", "listed", "own", "other"),
    [(Role.BUREAU, 6, 200, 200), (Role.OPERATOR, 6, 200, 200), (Role.PARK_STAFF, 1, 200, 404),
     (Role.EXPERT, None, 403, 403), (Role.ENTERPRISE, None, 403, 403), (None, None, 403, 403)],
)  # fmt: skip
def test_the_api_answers_as_the_pages_do(visit, users, own_park, other_park, role, listed, own, other):
    client = visit(role)
    answer = client.get("/api/v1/carrier-readiness/", {"year": 2025})
    if listed is None:
        assert answer.status_code == 403
    else:
        assert answer.status_code == 200 and len(answer.json()) == listed
    assert client.get("/api/v1/carrier-readiness/", {"year": 2025, "carrier": own_park.pk}).status_code == own
    assert client.get("/api/v1/carrier-readiness/", {"year": 2025, "carrier": other_park.pk}).status_code == other


def test_the_api_gives_each_condition_with_its_gap(client_for, users, park):
    client = client_for(users[Role.OPERATOR])
    (row,) = client.get("/api/v1/carrier-readiness/", {"year": 2025, "carrier": park.pk}).json()
    assert row["code"] == "big-data" and row["held"] == "none" and row["next_level"] == "accreditation_municipal"
    municipal = next(level for level in row["levels"] if level["scheme"] == "accreditation_municipal")
    assert municipal["outcome"] == "not_qualified" and municipal["readiness"] == "75.00" and municipal["is_example"]
    mentors = next(item for item in municipal["results"] if item["code"] == "mentors")
    assert (mentors["value"], mentors["threshold"], mentors["result"]) == ("2", "3", "unmet")
    assert mentors["gap"] == "创业导师：还需 1。"
    assert mentors["sources"][0]["kind"] == "carrier_return"
    assert client.get("/api/v1/carrier-readiness/", {"year": "20x5"}).status_code == 400
    assert client.get("/api/v1/carrier-readiness/", {"year": 2017}).status_code == 400


@pytest.mark.parametrize("size", [2, 20])
def test_the_api_costs_the_same_queries_at_two_sizes(client_for, users, size, django_assert_max_num_queries):
    for carrier in Carrier.objects.all():
        for _ in range(size):
            tenant(carrier_code=carrier.code, started_on=datetime.date(2024, 3, 1))
    with django_assert_max_num_queries(50):  # the indicator figures computed cold (no cache yet) included
        assert client_for(users[Role.BUREAU]).get("/api/v1/carrier-readiness/", {"year": 2025}).status_code == 200
