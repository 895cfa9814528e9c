"""Target edits: a reason is required, each change writes a revision (before/after) and an audit event in one
transaction, database constraints become clear messages, and only the bureau (and the administrator) may edit."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from accounts.models import AuditEvent
from accounts.roles import Role
from targets import services
from targets.models import Target, TargetPlan, TargetRevision

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(users):
    return TargetPlan.objects.get(start_year=2021)


@pytest.fixture
def target(plan):
    return Target.objects.get(plan=plan, year=2022, indicator="tech_smes", carrier=None)


def test_update_writes_revision_and_audit(users, target):
    bureau = users[Role.BUREAU]
    services.target_update(target=target, data={"value": Decimal("12"), "note": "提高"}, reason="年中调整", by=bureau)
    target.refresh_from_db()
    assert (target.value, target.note) == (Decimal("12"), "提高")
    revision = TargetRevision.objects.get(target=target)
    assert revision.changes == {"value": ["10", "12"], "note": ["", "提高"]}
    assert (revision.reason, revision.by) == ("年中调整", bureau)
    event = AuditEvent.objects.filter(object_id=str(target.pk), action="update").get()
    assert event.actor == bureau and event.changes["reason"] == [None, "年中调整"]


def test_update_needs_a_reason_and_a_change(users, target):
    bureau = users[Role.BUREAU]
    with translation.override("en"):
        with pytest.raises(ValidationError) as error:
            services.target_update(target=target, data={"value": Decimal(12)}, reason="  ", by=bureau)
        assert error.value.message_dict == {"reason": ["Say why the target is set or changed."]}
        with pytest.raises(ValidationError, match="Nothing changed"):
            services.target_update(target=target, data={"value": Decimal(10)}, reason="无", by=bureau)
    assert not TargetRevision.objects.exists()


@pytest.mark.parametrize("role", [Role.OPERATOR, Role.PARK_STAFF, Role.EXPERT, Role.ENTERPRISE])
def test_only_the_bureau_and_the_administrator_edit(users, plan, target, role):
    with pytest.raises(PermissionDenied):
        services.target_update(target=target, data={"value": Decimal(12)}, reason="x", by=users[role])
    with pytest.raises(PermissionDenied):
        services.plan_add_year(plan=plan, year=2024, targets=[{"indicator": "htes", "value": 1}], reason="x",
                               by=users[role])  # fmt: skip
    services.target_update(target=target, data={"value": Decimal(13)}, reason="x", by=users[Role.ADMIN])
    assert TargetRevision.objects.count() == 1


def test_constraint_errors_are_clear_messages(users, plan, target):
    bureau = users[Role.BUREAU]
    with translation.override("en"):
        with pytest.raises(ValidationError) as error:
            services.target_create(plan=plan, year=2022, indicator="tech_smes", value=Decimal(3), reason="重复",
                                   by=bureau)  # fmt: skip
        assert "This plan already has a target for this indicator, year and carrier." in str(error.value)
        with pytest.raises(ValidationError) as error:
            services.target_update(target=target, data={"value": Decimal(-1)}, reason="负数", by=bureau)
        assert "A target value cannot be negative." in str(error.value)
    target.refresh_from_db()
    assert target.value == 10
    assert not TargetRevision.objects.exists()


def test_accreditation_targets_take_a_level(users, plan):
    bureau = users[Role.BUREAU]
    level = Target.objects.get(plan=plan, year=2022, indicator="accreditation_level")
    services.target_update(target=level, data={"level": "national"}, reason="争创国家级", by=bureau)
    level.refresh_from_db()
    assert (level.level, level.value) == ("national", None)
    assert TargetRevision.objects.get(target=level).changes == {"level": ["provincial", "national"]}


def test_plan_add_year_all_or_nothing(users, plan, own_park):
    bureau = users[Role.BUREAU]
    with translation.override("en"):
        with pytest.raises(ValidationError, match="from 2024 onwards"):
            services.plan_add_year(plan=plan, year=2023, targets=[{"indicator": "htes", "value": 1}], reason="x",
                                   by=bureau)  # fmt: skip
    targets = services.plan_add_year(
        plan=plan,
        year=2024,
        targets=[
            {"indicator": "tech_smes", "value": Decimal(20)},
            {"indicator": "htes", "value": Decimal(6)},
            {"indicator": "revenue", "carrier": own_park, "form": "cumulative", "value": Decimal(5000)},
        ],
        reason="方案延续至2024年",
        by=bureau,
    )
    assert [t.indicator for t in targets] == ["tech_smes", "htes", "revenue"]
    assert TargetRevision.objects.filter(target__year=2024).count() == 3
    assert services.next_year(plan) == 2025
    # A second attempt for the same year, or one with a bad row, changes nothing.
    with pytest.raises(ValidationError):
        services.plan_add_year(plan=plan, year=2024, targets=[{"indicator": "jobs", "value": 1}], reason="x", by=bureau)
    with pytest.raises(ValidationError):
        services.plan_add_year(
            plan=plan, year=2025,
            targets=[{"indicator": "jobs", "value": Decimal(1)}, {"indicator": "jobs", "value": Decimal(2)}],
            reason="x", by=bureau,
        )  # fmt: skip
    assert not Target.objects.filter(year=2025).exists()
    assert Target.objects.filter(year=2024).count() == 3
