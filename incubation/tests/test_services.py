import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation
from psycopg2.extras import DateRange

from accounts.audit import history_of
from accounts.roles import Role
from enterprises import services as enterprise_services
from incubation import selectors, services, space
from incubation.models import Allocation, Residency
from parks.models import Carrier
from parks.tests.factories import BuildingFactory, UnitFactory

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def operator(users):
    return users[Role.OPERATOR]


@pytest.fixture
def enterprise(operator):
    return enterprise_services.enterprise_create(
        by=operator,
        data={"name": "淄博齐创新材料科技有限公司", "kind": "company", "uscc": "91310110666007217T",
              "registered_on": D(2023, 3, 1)},
    )  # fmt: skip


@pytest.fixture
def core():
    return Carrier.objects.get(kind="core")


@pytest.fixture
def incubator_unit(core):
    return UnitFactory(
        building=BuildingFactory(carrier=core), code="A201", stage_zone="incubator", area_m2=Decimal("86.5")
    )


def admit(enterprise, carrier, by, **extra):
    return services.residency_open(
        enterprise=enterprise, carrier=carrier, stage="incubator", started_on=D(2024, 1, 1),
        planned_end_on=D(2028, 1, 1), by=by, **extra,
    )  # fmt: skip


def test_admission_opens_a_residency_and_is_audited(enterprise, core, operator):
    residency = admit(enterprise, core, operator, agreement_no="QZH-2024-001")

    assert residency.is_open and residency.stage == "incubator"
    assert history_of(residency).get().changes["agreement_no"] == [None, "QZH-2024-001"]


def test_an_enterprise_has_one_open_residency(enterprise, core, operator):
    admit(enterprise, core, operator)
    with translation.override("zh-hans"), pytest.raises(ValidationError):
        admit(enterprise, Carrier.objects.get(code="big-data"), operator)
    assert Residency.objects.count() == 1
    # and the database refuses it too, whatever writes it
    with pytest.raises(IntegrityError), transaction.atomic():
        Residency.objects.create(enterprise=enterprise, carrier=core, stage="seedbed", started_on=D(2024, 2, 1))


def test_the_stage_must_be_one_the_carrier_offers(enterprise, operator):
    park = Carrier.objects.get(code="big-data")
    with pytest.raises(ValidationError) as error:
        services.residency_open(
            enterprise=enterprise, carrier=park, stage="seedbed", started_on=D(2024, 1, 1), by=operator
        )
    assert "stage" in error.value.message_dict
    assert not Residency.objects.exists()


def test_park_staff_admit_to_their_own_carrier_only(enterprise, users, own_park, other_park):
    park_staff = users[Role.PARK_STAFF]
    with pytest.raises(PermissionDenied):
        admit(enterprise, other_park, park_staff)
    assert not Residency.objects.exists()
    admit(enterprise, own_park, park_staff)
    assert Residency.objects.get().carrier == own_park


@pytest.mark.parametrize("role", [Role.BUREAU, Role.EXPERT, Role.ENTERPRISE])
def test_read_only_roles_cannot_admit(enterprise, core, users, role):
    with pytest.raises(PermissionDenied):
        admit(enterprise, core, users[role])
    assert not Residency.objects.exists()


def test_a_unit_is_never_let_twice_for_overlapping_dates(enterprise, core, operator, incubator_unit):
    first = admit(enterprise, core, operator)
    services.allocation_create(
        residency=first, unit=incubator_unit, start=D(2024, 1, 1), end=D(2025, 1, 1), by=operator
    )
    other = enterprise_services.enterprise_create(by=operator, data={"name": "另一团队", "kind": "team"})
    second = services.residency_open(
        enterprise=other, carrier=core, stage="incubator", started_on=D(2024, 6, 1), by=operator
    )

    with translation.override("zh-hans"), pytest.raises(ValidationError) as error:
        services.allocation_create(
            residency=second, unit=incubator_unit, start=D(2024, 6, 1), end=D(2024, 9, 1), by=operator
        )
    assert "淄博齐创新材料科技有限公司" in error.value.message_dict["unit"][0], "the message names who is in it"
    assert Allocation.objects.count() == 1

    # Back to back is fine: the first letting ends the day the next begins.
    services.allocation_create(
        residency=second, unit=incubator_unit, start=D(2025, 1, 1), end=D(2025, 6, 1), by=operator
    )
    assert Allocation.objects.count() == 2


def test_the_database_refuses_overlaps_whatever_writes_them(enterprise, core, operator, incubator_unit):
    residency = admit(enterprise, core, operator)
    Allocation.objects.create(residency=residency, unit=incubator_unit, period=DateRange(D(2024, 1, 1), D(2025, 1, 1)))
    with pytest.raises(IntegrityError), transaction.atomic():
        Allocation.objects.create(residency=residency, unit=incubator_unit, period=DateRange(D(2024, 12, 1), None))


def test_a_lost_race_is_a_clear_refusal_not_an_error(enterprise, core, operator, incubator_unit, monkeypatch):
    """Two staff allocating the same unit at once: the one whose check ran before the other's insert still gets
    the exclusion constraint's refusal, as a ValidationError."""
    residency = admit(enterprise, core, operator)
    Allocation.objects.create(residency=residency, unit=incubator_unit, period=DateRange(D(2024, 1, 1), D(2025, 1, 1)))
    monkeypatch.setattr(space, "first_clash", lambda unit, period: None)  # the check saw nothing

    with pytest.raises(ValidationError) as error:
        services.allocation_create(residency=residency, unit=incubator_unit, start=D(2024, 3, 1), by=operator)
    assert "unit" in error.value.message_dict
    assert Allocation.objects.count() == 1


def test_the_unit_must_be_the_carriers_and_zoned_for_the_stage(enterprise, core, operator):
    residency = admit(enterprise, core, operator)
    elsewhere = UnitFactory(building=BuildingFactory(carrier=Carrier.objects.get(code="big-data")))
    accelerator = UnitFactory(building=BuildingFactory(carrier=core), stage_zone="accelerator")

    for unit in (elsewhere, accelerator):
        with pytest.raises(ValidationError) as error:
            services.allocation_create(residency=residency, unit=unit, start=D(2024, 1, 1), by=operator)
        assert "unit" in error.value.message_dict
    assert not Allocation.objects.exists()


def test_exit_closes_the_residency_and_frees_its_space(enterprise, core, operator, incubator_unit):
    residency = admit(enterprise, core, operator)
    running = services.allocation_create(residency=residency, unit=incubator_unit, start=D(2024, 1, 1), by=operator)
    later_unit = UnitFactory(building=incubator_unit.building, stage_zone="incubator")
    services.allocation_create(residency=residency, unit=later_unit, start=D(2026, 1, 1), by=operator)

    services.residency_end(residency=residency, on=D(2025, 3, 1), reason="exited_voluntary", note="搬迁", by=operator)

    residency.refresh_from_db()
    running.refresh_from_db()
    assert residency.ended_on == D(2025, 3, 1) and residency.end_reason == "exited_voluntary"
    assert running.period.upper == D(2025, 3, 1)
    assert not Allocation.objects.filter(unit=later_unit).exists(), "a letting that had not begun never happens"


def test_roster_months_and_area_let(enterprise, core, operator, incubator_unit):
    residency = admit(enterprise, core, operator)
    services.allocation_create(residency=residency, unit=incubator_unit, start=D(2024, 1, 1), by=operator)

    row = selectors.tenant_roster(user=operator, today=D(2025, 3, 15)).get()

    assert row.months_in_residence == 14
    assert row.area_let == Decimal("86.50")
    assert row.days_to_planned_end == (D(2028, 1, 1) - D(2025, 3, 15)).days


def test_park_staff_see_the_tenants_of_their_carriers_only(enterprise, users, own_park, other_park, operator):
    admit(enterprise, other_park, operator)
    park_staff = users[Role.PARK_STAFF]

    assert not selectors.tenant_roster(user=park_staff).exists()
    from enterprises.models import Enterprise

    assert not Enterprise.objects.for_user(park_staff).exists()

    other = enterprise_services.enterprise_create(by=operator, data={"name": "本园团队", "kind": "team"})
    admit(other, own_park, operator)
    assert list(selectors.tenant_roster(user=park_staff).values_list("enterprise__name", flat=True)) == ["本园团队"]
    assert list(Enterprise.objects.for_user(park_staff)) == [other]


def test_the_occupancy_rate_is_a_percentage_to_one_place(enterprise, core, operator, incubator_unit):
    """86.5 m² let of 86.5 + 2 × 100 m²: 30.191… %, shown as 30.2, not with 28 digits."""
    for code in ("A202", "A203"):
        UnitFactory(building=incubator_unit.building, code=code, stage_zone="incubator", area_m2=Decimal("100"))
    residency = admit(enterprise, core, operator)
    Allocation.objects.create(residency=residency, unit=incubator_unit, period=DateRange(D(2024, 1, 1), None))
    totals = selectors.occupancy_totals(units=incubator_unit.building.units.all(), today=D(2025, 1, 1))
    assert str(totals["rate"]) == "30.2"
