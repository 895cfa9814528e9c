"""The permission matrix of the incubation structure: every web page and API endpoint built so far, tried by every
role and by an anonymous visitor, on the park administrator's own carrier (大数据产业园, "own") and on another
carrier (新医药产业园, "other").

The tables below restate accounts.roles.POLICY together with the park administrators' carrier scope:
- every signed-in role reads carriers, buildings, units, anchors and accreditations;
- admin and operator write everything in parks; park staff write only under their own carrier (another carrier's
  objects answer 404, a create naming another carrier through the API answers 403);
- bureau, expert and enterprise users get 403 on every edit page and every API write;
- the audit log and a carrier's history are for admin, operator, park staff and bureau;
- anonymous visitors are sent to the sign-in page (web) or refused (API).

Each write is checked by its effect: a success changes the probed row and records one audit event by the actor; a
refusal changes neither.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.urls import reverse

from accounts.roles import Role
from parks.models import Accreditation, AnchorOrganisation, Building, Carrier, FocusField, Unit
from parks.tests.factories import AccreditationFactory, AnchorFactory, BuildingFactory, UnitFactory
from tests import matrix
from tests.matrix import DENIED, EVERYONE, LOGIN, NOT_ALLOWED, NOT_FOUND, OK, OTHER, OWN, _row, role_id

pytestmark = pytest.mark.django_db

# fmt: off
#                        anonymous  admin        operator     park staff   bureau  expert  enterprise
READ              = _row(LOGIN,     OK,          OK,          OK,          OK,     OK,     OK)
AUDIT             = _row(LOGIN,     OK,          OK,          OK,          OK,     DENIED, DENIED)
WRITE_OWN         = _row(LOGIN,     OK,          OK,          OK,          DENIED, DENIED, DENIED)
WRITE_OTHER       = _row(LOGIN,     OK,          OK,          NOT_FOUND,   DENIED, DENIED, DENIED)
CREATE_OTHER      = _row(LOGIN,     OK,          OK,          DENIED,      DENIED, DENIED, DENIED)
UNSUPPORTED       = _row(LOGIN,     NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, DENIED, DENIED, DENIED)
OPERATING         = _row(LOGIN,     OK,          OK,          DENIED,      DENIED, DENIED, DENIED)
# fmt: on
# CREATE_OTHER: an API create naming another carrier (or its building) in its body is refused (403), not hidden.
# UNSUPPORTED: a method the endpoint does not offer (carriers: POST, DELETE; accreditations: DELETE). Staff, who may
#   change the resource, learn that it is not offered (405); read-only roles are refused like any other write.
# OPERATING: the operating company's own records (accreditations, focus fields): admin and operator only, anywhere.

# rules by where: own carrier or another
READ_ANYWHERE = {OWN: READ, OTHER: READ}
AUDIT_ANYWHERE = {OWN: AUDIT, OTHER: AUDIT}
WRITE = {OWN: WRITE_OWN, OTHER: WRITE_OTHER}
API_CREATE = {OWN: WRITE_OWN, OTHER: CREATE_OTHER}
API_UNSUPPORTED = {OWN: UNSUPPORTED, OTHER: UNSUPPORTED}
OPERATING_ANYWHERE = {OWN: OPERATING, OTHER: OPERATING}


# --- The structure every test works on ---------------------------------------------------------------------------


@dataclasses.dataclass
class Site:
    """One carrier's structure: a building with a unit, an empty building, an anchor, an accreditation."""

    carrier: Carrier
    anchor: AnchorOrganisation
    accreditation: Accreditation
    building: Building
    unit: Unit
    empty_building: Building
    focus_field: FocusField


def _site(carrier: Carrier, tag: str) -> Site:
    building = BuildingFactory(carrier=carrier, name=f"{tag}-一号楼")
    return Site(
        carrier=carrier,
        anchor=AnchorFactory(carrier=carrier, name=f"{tag}-依托单位"),
        accreditation=AccreditationFactory(carrier=carrier, level="municipal", awarded_on=date(2024, 5, 20)),
        building=building,
        unit=UnitFactory(building=building, code=f"{tag}-101", area_m2="120.00", stage_zone="incubator"),
        empty_building=BuildingFactory(carrier=carrier, name=f"{tag}-空楼"),
        focus_field=carrier.focus_fields.order_by("pk").first(),
    )


@pytest.fixture
def sites(users, own_park, other_park) -> dict[str, Site]:
    return {OWN: _site(own_park, "own"), OTHER: _site(other_park, "other")}


# --- Probes: what a write changes, read fresh from the database ---------------------------------------------------


def value_of(target: str, field: str) -> Callable[[Site], Any]:
    """The stored `field` of the site's `target` object; None once the row is gone."""

    def probe(site: Site) -> Any:
        obj = getattr(site, target)
        return type(obj).objects.filter(pk=obj.pk).values_list(field, flat=True).first()

    return probe


def still_exists(target: str) -> Callable[[Site], Any]:
    return value_of(target, "pk")


def number_of(related: str, under: str = "carrier") -> Callable[[Site], int]:
    """How many `related` rows the site's `under` object has (anchors of the carrier, units of the building…)."""

    def probe(site: Site) -> int:
        parent = getattr(site, under)
        return getattr(type(parent).objects.get(pk=parent.pk), related).count()

    return probe


# --- Web pages: reading -----------------------------------------------------------------------------------------


def carrier_names(sites: dict[str, Site]) -> list[str]:
    return [site.carrier.name for site in sites.values()]


def unit_codes(sites: dict[str, Site]) -> list[str]:
    return [site.unit.code for site in sites.values()]


# (url name, rules, what the page shows of both carriers when it opens)
SITE_WIDE_PAGES = [
    ("home", READ, carrier_names),
    ("parks:carrier_list", READ, carrier_names),
    ("parks:unit_list", READ, unit_codes),
    ("accounts:audit_log", AUDIT, lambda sites: []),
    # Target plans and indicator figures: staff and the bureau (targets/tests/test_permissions.py has the detail).
    ("targets:plans", AUDIT, lambda sites: []),
    ("targets:indicators", AUDIT, lambda sites: []),
    # The bureau dashboard and its XLSX export: the same readers (park staff at their own carrier).
    ("targets:dashboard", AUDIT, lambda sites: []),
    ("targets:dashboard-export", AUDIT, lambda sites: []),
    # The Torch statistics export: staff and the bureau (park staff their carriers: targets/tests/test_torch_export.py).
    ("targets:torch_export", AUDIT, lambda sites: []),
]


@pytest.mark.parametrize("role", EVERYONE, ids=role_id)
@pytest.mark.parametrize(("url_name", "rule", "shows"), SITE_WIDE_PAGES, ids=[page[0] for page in SITE_WIDE_PAGES])
def test_site_wide_page(visit, sites, url_name, rule, shows, role):
    response = visit(role).get(reverse(url_name))

    matrix.assert_page(response, rule[role])
    if rule[role] == OK and shows(sites):  # (a download, such as the dashboard's XLSX, has no rows to look for)
        page = response.content.decode()
        assert all(text in page for text in shows(sites)), "every signed-in role sees both carriers' rows"


# Pages on one carrier's object: (url name, the Site attribute whose pk the URL takes, rules by where).
CARRIER_PAGES = [
    ("parks:carrier_detail", "carrier", READ_ANYWHERE),
    ("parks:carrier_history", "carrier", AUDIT_ANYWHERE),
    ("parks:carrier_update", "carrier", WRITE),
    ("parks:anchor_create", "carrier", WRITE),
    ("parks:anchor_update", "anchor", WRITE),
    ("parks:anchor_delete", "anchor", WRITE),
    ("parks:accreditation_create", "carrier", OPERATING_ANYWHERE),
    ("parks:accreditation_update", "accreditation", OPERATING_ANYWHERE),
    ("parks:accreditation_delete", "accreditation", OPERATING_ANYWHERE),
    ("parks:building_create", "carrier", WRITE),
    ("parks:building_update", "building", WRITE),
    ("parks:building_delete", "empty_building", WRITE),
    ("parks:unit_create", "building", WRITE),
    ("parks:unit_update", "unit", WRITE),
    ("parks:unit_delete", "unit", WRITE),
]


@pytest.mark.parametrize("where", [OWN, OTHER])
@pytest.mark.parametrize("role", EVERYONE, ids=role_id)
@pytest.mark.parametrize(("url_name", "target", "rules"), CARRIER_PAGES, ids=[page[0] for page in CARRIER_PAGES])
def test_carrier_page(visit, sites, url_name, target, rules, role, where):
    url = reverse(url_name, args=[getattr(sites[where], target).pk])
    matrix.assert_page(visit(role).get(url), rules[where][role])


# --- Web pages: writing -----------------------------------------------------------------------------------------


def carrier_form(site: Site) -> dict:
    carrier = site.carrier
    return {
        "name_en": carrier.name_en,
        "aim": carrier.aim,
        "aim_en": carrier.aim_en,
        "description": carrier.description,
        "address": "齐鲁大道 1 号",
        "contact_name": carrier.contact_name,
        "contact_phone": carrier.contact_phone,
        "stages": carrier.stages,
        "focus_fields": [field.pk for field in carrier.focus_fields.all()],
    }


@dataclasses.dataclass(frozen=True)
class WebWrite:
    url_name: str
    target: str  # the Site attribute whose pk the URL takes
    data: Callable[[Site], dict]
    probe: Callable[[Site], Any]
    rules: dict = dataclasses.field(default_factory=lambda: WRITE)


WEB_WRITES = [
    WebWrite("parks:carrier_update", "carrier", carrier_form, value_of("carrier", "address")),
    WebWrite(
        "parks:anchor_create",
        "carrier",
        lambda site: {"name": "新依托单位", "name_en": "", "kind": "university", "sort_order": 0},
        number_of("anchors"),
    ),
    WebWrite(
        "parks:anchor_update",
        "anchor",
        lambda site: {"name": "更名依托单位", "name_en": "", "kind": "platform", "sort_order": 0},
        value_of("anchor", "name"),
    ),
    WebWrite("parks:anchor_delete", "anchor", lambda site: {}, still_exists("anchor")),
    WebWrite(
        "parks:accreditation_create",
        "carrier",
        lambda site: {"level": "provincial", "awarded_on": "2025-06-30", "certificate_no": f"LZ-{site.carrier.pk}"},
        number_of("accreditations"),
        OPERATING_ANYWHERE,
    ),
    WebWrite(
        "parks:accreditation_update",
        "accreditation",
        lambda site: {"level": "municipal", "awarded_on": "2024-05-20", "note": "已复核"},
        value_of("accreditation", "note"),
        OPERATING_ANYWHERE,
    ),
    WebWrite(
        "parks:accreditation_delete",
        "accreditation",
        lambda site: {},
        still_exists("accreditation"),
        OPERATING_ANYWHERE,
    ),
    WebWrite("parks:building_create", "carrier", lambda site: {"name": "新建楼", "floors": 6}, number_of("buildings")),
    WebWrite(
        "parks:building_update", "building", lambda site: {"name": "更名楼", "floors": 7}, value_of("building", "name")
    ),
    WebWrite("parks:building_delete", "empty_building", lambda site: {}, still_exists("empty_building")),
    WebWrite(
        "parks:unit_create",
        "building",
        lambda site: {"code": "N-201", "floor": 2, "area_m2": "55.00", "kind": "lab", "stage_zone": "incubator"},
        number_of("units", under="building"),
    ),
    WebWrite(
        "parks:unit_update",
        "unit",
        lambda site: {"code": site.unit.code, "area_m2": "88.50", "kind": "office", "stage_zone": "incubator"},
        value_of("unit", "area_m2"),
    ),
    WebWrite("parks:unit_delete", "unit", lambda site: {}, still_exists("unit")),
]


@pytest.mark.parametrize("where", [OWN, OTHER])
@pytest.mark.parametrize("role", EVERYONE, ids=role_id)
@pytest.mark.parametrize("write", WEB_WRITES, ids=[write.url_name for write in WEB_WRITES])
def test_web_write(visit, users, sites, write, role, where):
    site = sites[where]
    outcome = write.rules[where][role]
    client = visit(role)
    before, events_before = write.probe(site), matrix.last_event_id()

    response = client.post(reverse(write.url_name, args=[getattr(site, write.target).pk]), write.data(site))

    matrix.assert_form_post(response, outcome)
    matrix.assert_effect(
        outcome=outcome,
        probe=write.probe,
        site=site,
        before=before,
        events_before=events_before,
        actor=users.get(role),
    )


# --- API: reading -----------------------------------------------------------------------------------------------

# basename, the Site attribute read by retrieve, the list filter that selects the site's rows
API_RESOURCES = [
    ("carrier", "carrier", lambda site: {"code": site.carrier.code}),
    ("focus-field", "focus_field", lambda site: {}),  # the 32 reference rows fit on one page
    ("anchor", "anchor", lambda site: {"carrier": site.carrier.pk}),
    ("accreditation", "accreditation", lambda site: {"carrier": site.carrier.pk}),
    ("building", "building", lambda site: {"carrier": site.carrier.pk}),
    ("unit", "unit", lambda site: {"carrier": site.carrier.pk}),
]


@pytest.mark.parametrize("where", [OWN, OTHER])
@pytest.mark.parametrize("role", EVERYONE, ids=role_id)
@pytest.mark.parametrize(("basename", "target", "filters"), API_RESOURCES, ids=[r[0] for r in API_RESOURCES])
def test_api_list(visit, sites, basename, target, filters, role, where):
    site = sites[where]
    response = visit(role).get(reverse(f"{basename}-list"), filters(site))

    if READ[role] == OK:
        assert response.status_code == 200
        assert getattr(site, target).pk in [row["id"] for row in response.json()["results"]]
    else:
        matrix.assert_api_refused(response, READ[role])


@pytest.mark.parametrize("where", [OWN, OTHER])
@pytest.mark.parametrize("role", EVERYONE, ids=role_id)
@pytest.mark.parametrize(("basename", "target", "filters"), API_RESOURCES, ids=[r[0] for r in API_RESOURCES])
def test_api_retrieve(visit, sites, basename, target, filters, role, where):
    obj = getattr(sites[where], target)
    response = visit(role).get(reverse(f"{basename}-detail", args=[obj.pk]))

    if READ[role] == OK:
        assert response.status_code == 200
        assert response.json()["id"] == obj.pk
    else:
        matrix.assert_api_refused(response, READ[role])


# --- API: writing -----------------------------------------------------------------------------------------------


def carrier_json(site: Site) -> dict:
    form = carrier_form(site)
    return {**form, "address": "齐鲁大道 2 号"}


# Here a matrix.ApiWrite's target is the name of the Site attribute whose pk the URL takes (None: the list route).
API_WRITES = [
    # carriers: change only; the reference structure is neither created nor deleted through the API
    matrix.ApiWrite("carrier", "put", "carrier", carrier_json, value_of("carrier", "address"), WRITE),
    matrix.ApiWrite(
        "carrier", "patch", "carrier", lambda s: {"contact_name": "王敏"}, value_of("carrier", "contact_name"), WRITE
    ),
    matrix.ApiWrite(
        "carrier",
        "post",
        None,
        lambda s: {"code": "new-park", "kind": "park", "name": "新园", "stages": ["incubator"], "focus_fields": []},
        lambda s: Carrier.objects.count(),
        API_UNSUPPORTED,
    ),
    matrix.ApiWrite("carrier", "delete", "carrier", lambda s: {}, still_exists("carrier"), API_UNSUPPORTED),
    # anchors
    matrix.ApiWrite(
        "anchor",
        "post",
        None,
        lambda s: {"carrier": s.carrier.pk, "name": "接口依托单位", "kind": "research_institute"},
        number_of("anchors"),
        API_CREATE,
    ),
    matrix.ApiWrite(
        "anchor",
        "put",
        "anchor",
        lambda s: {"name": "接口更名单位", "name_en": "Renamed", "kind": "platform", "sort_order": 3},
        value_of("anchor", "name"),
        WRITE,
    ),
    matrix.ApiWrite("anchor", "patch", "anchor", lambda s: {"sort_order": 9}, value_of("anchor", "sort_order"), WRITE),
    matrix.ApiWrite("anchor", "delete", "anchor", lambda s: {}, still_exists("anchor"), WRITE),
    # accreditations: the operating company's records, for every carrier
    matrix.ApiWrite(
        "accreditation",
        "post",
        None,
        lambda s: {"carrier": s.carrier.pk, "level": "provincial", "awarded_on": "2025-07-01"},
        number_of("accreditations"),
        OPERATING_ANYWHERE,
    ),
    matrix.ApiWrite(
        "accreditation",
        "put",
        "accreditation",
        lambda s: {"level": "provincial", "awarded_on": "2024-05-20", "authority": "山东省科技厅"},
        value_of("accreditation", "level"),
        OPERATING_ANYWHERE,
    ),
    matrix.ApiWrite(
        "accreditation",
        "patch",
        "accreditation",
        lambda s: {"note": "复核"},
        value_of("accreditation", "note"),
        OPERATING_ANYWHERE,
    ),
    matrix.ApiWrite(
        "accreditation", "delete", "accreditation", lambda s: {}, still_exists("accreditation"), OPERATING_ANYWHERE
    ),
    # buildings
    matrix.ApiWrite(
        "building",
        "post",
        None,
        lambda s: {"carrier": s.carrier.pk, "name": "接口新楼", "floors": 4},
        number_of("buildings"),
        API_CREATE,
    ),
    matrix.ApiWrite(
        "building",
        "put",
        "building",
        lambda s: {"name": "接口更名楼", "address": "", "floors": 8, "note": ""},
        value_of("building", "name"),
        WRITE,
    ),
    matrix.ApiWrite("building", "patch", "building", lambda s: {"floors": 12}, value_of("building", "floors"), WRITE),
    matrix.ApiWrite("building", "delete", "empty_building", lambda s: {}, still_exists("empty_building"), WRITE),
    # units
    matrix.ApiWrite(
        "unit",
        "post",
        None,
        lambda s: {
            "building": s.building.pk,
            "code": "A-1",
            "area_m2": "30.00",
            "kind": "lab",
            "stage_zone": "incubator",
        },
        number_of("units", under="building"),
        API_CREATE,
    ),
    matrix.ApiWrite(
        "unit",
        "put",
        "unit",
        lambda s: {"code": "A-2", "floor": 2, "area_m2": "40.00", "kind": "office", "stage_zone": "incubator"},
        value_of("unit", "code"),
        WRITE,
    ),
    matrix.ApiWrite("unit", "patch", "unit", lambda s: {"area_m2": "77.00"}, value_of("unit", "area_m2"), WRITE),
    matrix.ApiWrite("unit", "delete", "unit", lambda s: {}, still_exists("unit"), WRITE),
]


@pytest.mark.parametrize("where", [OWN, OTHER])
@pytest.mark.parametrize("role", EVERYONE, ids=role_id)
@pytest.mark.parametrize("write", API_WRITES, ids=[write.id for write in API_WRITES])
def test_api_write(visit, users, sites, write, role, where):
    site = sites[where]
    outcome = write.rules[where][role]
    client = visit(role)
    before, events_before = write.probe(site), matrix.last_event_id()

    response = getattr(client, write.method)(write.url(site), data=write.payload(site), content_type="application/json")

    matrix.assert_api_write(response, write, outcome)
    matrix.assert_effect(
        outcome=outcome,
        probe=write.probe,
        site=site,
        before=before,
        events_before=events_before,
        actor=users.get(role),
    )


@pytest.mark.parametrize("role", EVERYONE, ids=role_id)
def test_api_focus_field_writes_belong_to_the_operating_company(visit, sites, role):
    client = visit(role)
    count = FocusField.objects.count()
    industry = FocusField.objects.industries().first()

    response = client.post(
        reverse("focus-field-list"), data={"name": "新领域", "parent": industry.pk}, content_type="application/json"
    )

    if OPERATING[role] == OK:
        assert response.status_code == 201, response.content.decode()
        assert FocusField.objects.filter(name="新领域", parent=industry).exists()
    else:
        matrix.assert_api_refused(response, OPERATING[role])
        assert FocusField.objects.count() == count


@pytest.mark.parametrize("role", EVERYONE, ids=role_id)
@pytest.mark.parametrize(
    ("url_name", "rules"),
    [("parks:focus_field_list", READ), ("parks:focus_field_create", OPERATING)],
    ids=["focus_field_list", "focus_field_create"],
)
def test_focus_field_pages(visit, sites, url_name, rules, role):
    matrix.assert_page(visit(role).get(reverse(url_name)), rules[role])


@pytest.mark.parametrize("role", EVERYONE, ids=role_id)
@pytest.mark.parametrize("url_name", ["parks:focus_field_update", "parks:focus_field_delete"])
def test_focus_field_object_pages(visit, sites, url_name, role):
    field = FocusField.objects.exclude(parent=None).first()
    matrix.assert_page(visit(role).get(reverse(url_name, args=[field.pk])), OPERATING[role])


# An update cannot move an object to another carrier: the parent is read-only once created.
@pytest.mark.parametrize(
    ("basename", "target", "parent_field", "payload"),
    [
        ("anchor", "anchor", "carrier", lambda other: {"carrier": other.carrier.pk}),
        ("building", "building", "carrier", lambda other: {"carrier": other.carrier.pk}),
        ("unit", "unit", "building", lambda other: {"building": other.building.pk}),
    ],
    ids=["anchor", "building", "unit"],
)
def test_park_staff_cannot_move_their_objects_to_another_carrier(visit, sites, basename, target, parent_field, payload):
    obj = getattr(sites[OWN], target)
    client = visit(Role.PARK_STAFF)

    response = client.patch(
        reverse(f"{basename}-detail", args=[obj.pk]), data=payload(sites[OTHER]), content_type="application/json"
    )

    assert response.status_code == 200
    obj.refresh_from_db()
    assert getattr(obj, f"{parent_field}_id") == getattr(sites[OWN], parent_field).pk
