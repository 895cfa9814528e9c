import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.roles import Role
from enterprises import services as enterprise_services
from enterprises.models import FinancingEvent, HTECertificate, TechSMERegistration
from incubation import rules, services
from incubation.choices import RuleSetKind
from incubation.models import Allocation, Residency, RuleSet, Transition
from parks.models import Carrier
from parks.tests.factories import BuildingFactory, UnitFactory

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def operator(users):
    return users[Role.OPERATOR]


@pytest.fixture
def core():
    return Carrier.objects.get(kind="core")


@pytest.fixture
def company(operator):
    return enterprise_services.enterprise_create(
        by=operator,
        data={"name": "淄博齐创新材料科技有限公司", "kind": "company", "uscc": "91310110666007217T",
              "registered_on": D(2023, 3, 1)},
    )  # fmt: skip


def in_seedbed(enterprise, core, operator):
    return services.residency_open(
        enterprise=enterprise, carrier=core, stage="seedbed", started_on=D(2023, 4, 1), by=operator
    )


def test_the_first_rule_sets_follow_the_2018_national_rules():
    graduation = rules.rule_set_in_force(RuleSetKind.GRADUATION, D(2025, 1, 1))
    assert graduation.combination == "any"
    assert {item["code"] for item in graduation.criteria} == {
        "holds_hte", "financing_over", "revenue_over_years", "merged_or_listed",
    }  # fmt: skip
    incubator = rules.rule_set_in_force(RuleSetKind.INCUBATOR_ADMISSION, D(2025, 1, 1))
    assert {"code": "registered_within_months", "params": {"months": 24}} in incubator.criteria


def test_promotion_to_the_incubator_is_judged_by_its_admission_rules(company, core, operator):
    residency = in_seedbed(company, core, operator)
    unit = UnitFactory(building=BuildingFactory(carrier=core), stage_zone="seedbed")
    services.allocation_create(residency=residency, unit=unit, start=D(2023, 4, 1), by=operator)

    # Registered 2023-03 (≤ 24 months by 2024-06) but no tech-SME registration: refused, saying which.
    with pytest.raises(ValidationError) as error:
        services.promote(residency=residency, to_stage="incubator", on=D(2024, 6, 1), by=operator)
    assert "override_reason" in error.value.message_dict
    assert Residency.objects.get().is_open and not Transition.objects.exists()

    TechSMERegistration.objects.create(enterprise=company, year=2024, registration_no="2024370305000111")
    transition = services.promote(residency=residency, to_stage="incubator", on=D(2024, 6, 1), by=operator)

    residency.refresh_from_db()
    assert residency.ended_on == D(2024, 6, 1) and residency.end_reason == "promoted"
    assert Allocation.objects.get().period.upper == D(2024, 6, 1), "the seedbed workstation is freed"
    assert transition.to_residency.stage == "incubator" and transition.to_residency.is_open
    assert [c["status"] for c in transition.criteria] == ["met", "met"]
    assert transition.rule_set.kind == "incubator_admission"


def test_an_unmet_criterion_can_be_overridden_only_with_a_written_reason(company, core, operator):
    residency = in_seedbed(company, core, operator)

    transition = services.promote(
        residency=residency, to_stage="incubator", on=D(2024, 6, 1), by=operator,
        override_reason="已提交科技型中小企业评价材料，待公示",
    )  # fmt: skip

    assert transition.override_reason.startswith("已提交")
    assert any(c["status"] == "unmet" for c in transition.criteria)
    from accounts.audit import history_of

    assert "override_reason" in history_of(transition).get().changes


def test_promotion_only_moves_forward(company, core, operator):
    residency = services.residency_open(
        enterprise=company, carrier=core, stage="accelerator", started_on=D(2024, 1, 1), by=operator
    )
    with pytest.raises(ValidationError):
        services.promote(residency=residency, to_stage="incubator", on=D(2024, 6, 1), by=operator)


def test_graduation_by_any_one_criterion(company, core, operator):
    residency = services.residency_open(
        enterprise=company, carrier=core, stage="incubator", started_on=D(2023, 4, 1), by=operator
    )
    with pytest.raises(ValidationError):
        services.graduate(residency=residency, on=D(2025, 6, 1), by=operator)

    FinancingEvent.objects.create(
        enterprise=company, occurred_on=D(2024, 5, 1), round="angel", amount=Decimal("300"), investor="甲"
    )
    FinancingEvent.objects.create(
        enterprise=company, occurred_on=D(2025, 1, 1), round="series_a", amount=Decimal("300"), investor="乙"
    )
    evaluation = services.move_preview(kind="graduate", residency=residency, on=D(2025, 6, 1))
    assert {r.code: r.status for r in evaluation.results}["financing_over"] == "met"  # 600 > 500 (万元)

    transition = services.graduate(residency=residency, on=D(2025, 6, 1), by=operator)
    assert transition.to_residency is None
    residency.refresh_from_db()
    assert residency.end_reason == "graduated"


def test_an_expired_hte_certificate_does_not_graduate(company, core, operator):
    residency = services.residency_open(
        enterprise=company, carrier=core, stage="incubator", started_on=D(2023, 4, 1), by=operator
    )
    HTECertificate.objects.create(enterprise=company, certificate_no="GR201937000001", issued_on=D(2019, 12, 1))

    evaluation = services.move_preview(kind="graduate", residency=residency, on=D(2025, 6, 1))

    assert {r.code: r.status for r in evaluation.results}["holds_hte"] == "unmet"


def test_transfer_keeps_the_stage_at_another_carrier(company, operator):
    park = Carrier.objects.get(code="big-data")
    residency = services.residency_open(
        enterprise=company,
        carrier=Carrier.objects.get(kind="core"),
        stage="incubator",
        started_on=D(2024, 1, 1),
        planned_end_on=D(2027, 1, 1),
        by=operator,
    )

    transition = services.transfer(residency=residency, to_carrier=park, on=D(2025, 1, 1), by=operator)

    assert transition.to_residency.carrier == park and transition.to_residency.stage == "incubator"
    assert transition.to_residency.planned_end_on == D(2027, 1, 1)


def test_park_staff_cannot_move_a_tenant_into_another_park(company, users, own_park, other_park, operator):
    residency = services.residency_open(
        enterprise=company, carrier=own_park, stage="incubator", started_on=D(2024, 1, 1), by=operator
    )
    with pytest.raises(PermissionDenied):  # the target carrier is not theirs
        services.transfer(residency=residency, to_carrier=other_park, on=D(2025, 1, 1), by=users[Role.PARK_STAFF])
    residency.refresh_from_db()
    assert residency.is_open and not Transition.objects.exists()


def test_exit_needs_a_reason_and_is_a_transition(company, core, operator):
    residency = in_seedbed(company, core, operator)
    with pytest.raises(ValidationError):
        services.exit_tenant(residency=residency, on=D(2024, 1, 1), reason="exited_removed", note=" ", by=operator)

    transition = services.exit_tenant(
        residency=residency, on=D(2024, 1, 1), reason="exited_removed", note="违约", by=operator
    )
    assert transition.kind == "exit" and transition.note == "违约"


def test_a_new_rule_set_version_applies_from_its_date(company, core, operator):
    residency = in_seedbed(company, core, operator)
    TechSMERegistration.objects.create(enterprise=company, year=2026, registration_no="2026370305000222")
    RuleSet.objects.create(
        kind="incubator_admission",
        version=2,
        effective_from=D(2026, 1, 1),
        combination="all",
        criteria=[
            {"code": "registered_within_months", "params": {"months": 36}},
            {"code": "tech_sme_registered", "params": {}},
        ],
    )

    # Registered 2023-03: by 2026-02 that is 35 months, over the old limit (24) and within the new one (36).
    old = services.move_preview(kind="promote", residency=residency, on=D(2025, 2, 1), to_stage="incubator")
    new = services.move_preview(kind="promote", residency=residency, on=D(2026, 2, 1), to_stage="incubator")
    assert old.rule_set.version == 1 and new.rule_set.version == 2
    assert {r.code: r.status for r in new.results}["registered_within_months"] == "met"  # 35 months ≤ 36


@pytest.mark.parametrize(
    ("rounds", "status"),
    [
        ([("strategic", "600")], "unmet"),  # a strategic investor's stake is not venture capital
        ([("other", "300"), ("angel", "300")], "unmet"),  # 300 counts: not over 500
        ([("seed", "200"), ("pre_a", "200"), ("series_b", "101")], "met"),  # 501 > 500
        ([("angel", "500")], "unmet"),  # over, not equal
    ],
    ids=["strategic-only", "other-does-not-count", "seed-pre-a-b", "exactly-the-threshold"],
)
def test_graduation_counts_only_angel_and_venture_investment(company, core, operator, rounds, status):
    residency = services.residency_open(
        enterprise=company, carrier=core, stage="incubator", started_on=D(2023, 4, 1), by=operator
    )
    for n, (round_, amount) in enumerate(rounds):
        FinancingEvent.objects.create(
            enterprise=company, occurred_on=D(2024, 5, 1 + n), round=round_, amount=Decimal(amount), investor="投资方"
        )

    evaluation = services.move_preview(kind="graduate", residency=residency, on=D(2025, 6, 1))

    assert {r.code: r.status for r in evaluation.results}["financing_over"] == status
