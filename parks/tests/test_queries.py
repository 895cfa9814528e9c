"""Query counts of the structure's pages and API lists: bounded, and the same bound at two data sizes, so no page
runs a query per carrier, building, unit, anchor or audit event.

Every signed-in request costs 6 queries before and after the view's own (the "request overhead" below): the session,
the user, the user's groups (roles_of), and saving the session (SAVEPOINT, UPDATE, RELEASE; SESSION_SAVE_EVERY_REQUEST).
Each bound is the count measured, plus 1 of margin.
"""

from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from accounts.roles import Role
from parks import services
from parks.models import Building, Carrier, Unit
from parks.tests.factories import AccreditationFactory, AnchorFactory

pytestmark = pytest.mark.django_db

SMALL = {"carriers": 1, "buildings": 2, "units_per_building": 3, "anchors": 1, "accreditations": 1, "edits": 1}
LARGE = {"carriers": 4, "buildings": 20, "units_per_building": 30, "anchors": 3, "accreditations": 2, "edits": 12}

# url name -> bound. Measured for the operator and a park administrator alike (both: bound - 1 queries).
BOUNDS = {
    # overhead 6 + carrier totals aggregate, carriers (annotated with their totals), their focus fields, area by stage
    "home": 11,
    # overhead 6 + paginator COUNT, totals aggregate, area by stage, and the carriers with their focus fields twice:
    # once whole for the totals' carrier count (len()), once for the page
    "parks:carrier_list": 14,
    # overhead 6 + the 403/404 check, the carrier with its totals, prefetches (focus fields, anchors, accreditations,
    # buildings with their totals, their units, staff), the can-edit check, area by stage, the content type and the
    # latest audit events
    "parks:carrier_detail": 19,
    # overhead 6 + paginator COUNT, the filter form's carrier and building choices, the editable carriers, and the page
    # of units with building and carrier joined
    "parks:unit_list": 12,
    # overhead 6 + paginator COUNT, the filter form's content-type choices, the page of events (actor and content
    # type joined)
    "accounts:audit_log": 10,
    # API lists: overhead 6 + paginator COUNT + the page (+ a prefetch where noted)
    "carrier-list": 10,  # + focus fields prefetch
    "focus-field-list": 9,
    "anchor-list": 9,
    "accreditation-list": 9,
    "building-list": 9,  # buildings carry their unit totals as subqueries
    "unit-list": 9,
}


def build_structure(own_park: Carrier, size: dict, by) -> None:
    """Buildings and units spread over `size["carriers"]` parks (the park administrator's own one first), with
    anchors, accreditations and audited edits of the own park."""
    others = Carrier.objects.filter(kind="park").exclude(pk=own_park.pk).order_by("sort_order")
    carriers = [own_park, *others[: size["carriers"] - 1]]
    buildings = Building.objects.bulk_create(
        Building(carrier=carriers[n % len(carriers)], name=f"规模楼{n}", floors=6) for n in range(size["buildings"])
    )
    Unit.objects.bulk_create(
        Unit(
            building=building,
            code=f"{n:03d}",
            floor=n % 6,
            area_m2=Decimal("60.00"),
            kind="office",
            stage_zone=("incubator", "industrial_park")[n % 2],
        )
        for building in buildings
        for n in range(size["units_per_building"])
    )
    for carrier in carriers:
        AnchorFactory.create_batch(size["anchors"], carrier=carrier)
        AccreditationFactory.create_batch(size["accreditations"], carrier=carrier)
    for n in range(size["edits"]):
        services.carrier_update(
            carrier=own_park, by=by, data={"address": f"临淄区 {n} 号", "contact_name": f"联系人{n}"}
        )


@pytest.fixture(params=[SMALL, LARGE], ids=["small", "large"])
def structure(request, users, own_park):
    build_structure(own_park, request.param, by=users[Role.OPERATOR])
    return request.param


def _url(name: str, own_park: Carrier) -> str:
    return reverse(name, args=[own_park.pk]) if name == "parks:carrier_detail" else reverse(name)


@pytest.mark.parametrize("role", [Role.OPERATOR, Role.PARK_STAFF], ids=lambda role: role.value)
@pytest.mark.parametrize("url_name", list(BOUNDS))
def test_query_count_does_not_grow_with_the_structure(
    client_for, users, own_park, structure, url_name, role, django_assert_max_num_queries
):
    client = client_for(users[role])
    ContentType.objects.clear_cache()  # the carrier page looks its content type up once; count it every time

    with django_assert_max_num_queries(BOUNDS[url_name]):
        response = client.get(_url(url_name, own_park))

    assert response.status_code == 200


def test_the_large_structure_is_really_larger(users, own_park):
    """Guards the test above: the large size puts many rows on every page it measures."""
    build_structure(own_park, LARGE, by=users[Role.OPERATOR])
    assert Unit.objects.count() == LARGE["buildings"] * LARGE["units_per_building"]
    assert Building.objects.filter(carrier=own_park).count() == LARGE["buildings"] // LARGE["carriers"]
    assert Unit.objects.filter(building__carrier=own_park).count() > 50  # more than one page of the unit list
