import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.roles import Role
from enterprises import services as enterprise_services
from enterprises.tests.factories import EnterpriseFactory
from incubation import services
from incubation.models import Allocation, Residency
from parks.models import Carrier
from parks.tests.factories import BuildingFactory, UnitFactory

pytestmark = pytest.mark.django_db
D = datetime.date


def make_tenants(operator, carrier, count: int, start_number: int = 0, *, companies: bool = False):
    """`count` teams (or registered companies, which may hold qualifications) in residence at `carrier`'s incubator,
    each with one unit let."""
    building = BuildingFactory(carrier=carrier)
    residencies = []
    for n in range(start_number, start_number + count):
        enterprise = (
            EnterpriseFactory(name=f"在孵企业{n:03d}")
            if companies
            else enterprise_services.enterprise_create(by=operator, data={"name": f"在孵团队{n:03d}", "kind": "team"})
        )
        residency = services.residency_open(
            enterprise=enterprise, carrier=carrier, stage="incubator", started_on=D(2024, 1, 1),
            planned_end_on=D(2028, 1, 1), by=operator,
        )  # fmt: skip
        unit = UnitFactory(building=building, stage_zone="incubator", area_m2=Decimal("50"))
        services.allocation_create(residency=residency, unit=unit, start=D(2024, 1, 1), by=operator)
        residencies.append(residency)
    return residencies


@pytest.fixture
def tenants(users, own_park, other_park):
    operator = users[Role.OPERATOR]
    return {"own": make_tenants(operator, own_park, 2), "other": make_tenants(operator, other_park, 2, 100)}


@pytest.mark.parametrize(
    ("role", "sees"),
    [
        (Role.ADMIN, 4),
        (Role.OPERATOR, 4),
        (Role.BUREAU, 4),
        (Role.PARK_STAFF, 2),
    ],
)
def test_the_roster_lists_the_tenants_the_role_may_see(client_for, users, tenants, role, sees):
    response = client_for(users[role]).get(reverse("incubation:tenant_roster"))
    assert response.status_code == 200
    assert response.context["page_obj"].paginator.count == sees


def test_the_roster_is_refused_to_experts(client_for, users, tenants):
    assert client_for(users[Role.EXPERT]).get(reverse("incubation:tenant_roster")).status_code == 403


def test_occupancy_shows_tenants_to_staff_and_bureau_not_to_enterprises(client_for, users, tenants):
    building = tenants["own"][0].allocations.get().unit.building
    url = reverse("incubation:building_occupancy", args=[building.pk])
    for role in (Role.OPERATOR, Role.BUREAU, Role.PARK_STAFF):
        response = client_for(users[role]).get(url)
        assert response.status_code == 200, role
        assert "在孵团队000" in response.content.decode()
    assert client_for(users[Role.ENTERPRISE]).get(url).status_code == 403
    other_building = tenants["other"][0].allocations.get().unit.building
    url = reverse("incubation:building_occupancy", args=[other_building.pk])
    assert client_for(users[Role.PARK_STAFF]).get(url).status_code == 404


def test_api_allocation_of_a_taken_unit_is_refused_with_the_occupant(client_for, users, tenants):
    taken = tenants["own"][0].allocations.get().unit
    newcomer = tenants["own"][1]
    client = client_for(users[Role.OPERATOR])

    response = client.post(
        reverse("allocation-list"),
        {"residency": newcomer.pk, "unit": taken.pk, "start": "2024-06-01", "end": "2024-09-01"},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )

    assert response.status_code == 400
    assert "在孵团队000" in response.json()["unit"][0]
    assert Allocation.objects.filter(unit=taken).count() == 1


def test_api_park_staff_cannot_touch_another_parks_residency(client_for, users, tenants):
    client = client_for(users[Role.PARK_STAFF])
    other = tenants["other"][0]

    response = client.post(
        reverse("residency-exit", args=[other.pk]),
        {"on": "2025-01-01", "reason": "exited_voluntary", "note": "x"},
        content_type="application/json",
    )

    assert response.status_code == 404
    other.refresh_from_db()
    assert other.is_open


def test_api_exit_closes_the_residency(client_for, users, tenants):
    residency = tenants["own"][0]
    response = client_for(users[Role.PARK_STAFF]).post(
        reverse("residency-exit", args=[residency.pk]),
        {"on": "2025-01-01", "reason": "exited_removed", "note": "违反入驻协议"},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    residency.refresh_from_db()
    assert residency.ended_on == D(2025, 1, 1)
    assert residency.allocations.get().period.upper == D(2025, 1, 1)


@pytest.mark.parametrize("role", [Role.BUREAU, Role.EXPERT, Role.ENTERPRISE])
def test_api_read_only_roles_cannot_admit(client_for, users, tenants, role):
    enterprise = tenants["own"][0].enterprise
    services.residency_end(
        residency=tenants["own"][0], on=D(2025, 1, 1), reason="exited_voluntary", by=users[Role.OPERATOR]
    )
    response = client_for(users[role]).post(
        reverse("residency-list"),
        {"enterprise": enterprise.pk, "carrier": Carrier.objects.get(kind="core").pk, "stage": "incubator",
         "started_on": "2025-02-01"},
        content_type="application/json",
    )  # fmt: skip
    assert response.status_code == 403
    assert not Residency.objects.filter(enterprise=enterprise, ended_on__isnull=True).exists()


def test_web_admission_and_allocation_from_the_enterprise_page(client_for, users):
    operator = users[Role.OPERATOR]
    core = Carrier.objects.get(kind="core")
    unit = UnitFactory(building=BuildingFactory(carrier=core), code="A301", stage_zone="accelerator")
    enterprise = enterprise_services.enterprise_create(by=operator, data={"name": "加速团队", "kind": "team"})
    client = client_for(operator)

    response = client.post(
        reverse("incubation:residency_create", args=[enterprise.pk]),
        {"carrier": core.pk, "stage": "accelerator", "started_on": "2025-01-01", "planned_end_on": "2027-01-01"},
    )
    assert response.status_code == 302
    residency = Residency.objects.get(enterprise=enterprise)

    response = client.post(
        reverse("incubation:allocation_create", args=[residency.pk]), {"unit": unit.pk, "start": "2025-01-01"}
    )
    assert response.status_code == 302
    page = client.get(reverse("enterprises:enterprise_detail", args=[enterprise.pk])).content.decode()
    assert "A301" in page and "2027-01-01" in page


@pytest.mark.parametrize("size", [2, 30])
def test_roster_and_occupancy_query_counts_do_not_grow(
    client_for, users, own_park, size, django_assert_max_num_queries
):
    residencies = make_tenants(users[Role.OPERATOR], own_park, size)
    building = residencies[0].allocations.get().unit.building
    client = client_for(users[Role.OPERATOR])
    with django_assert_max_num_queries(12):  # session, user, groups, count, page, filter menus, session save
        assert client.get(reverse("incubation:tenant_roster")).status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(reverse("incubation:building_occupancy", args=[building.pk])).status_code == 200
    with django_assert_max_num_queries(10):
        assert client.get(reverse("residency-list")).status_code == 200
