"""The audit trail is scoped as the rest of the portal: a park administrator reads the events of objects in their
own carriers (their carrier, its units, its tenants), never another carrier's, nor people's records or sign-ins."""

import datetime

import pytest

from accounts import audit
from accounts.models import AuditAction, AuditEvent
from accounts.roles import Role
from enterprises.tests.factories import EnterpriseFactory
from incubation.models import Residency
from parks.tests.factories import BuildingFactory, UnitFactory

pytestmark = pytest.mark.django_db


def _tenant(carrier, name):
    enterprise = EnterpriseFactory(name=name)
    Residency.objects.create(
        enterprise=enterprise, carrier=carrier, stage="incubator", started_on=datetime.date(2024, 1, 1)
    )
    return enterprise


@pytest.fixture
def trail(users, own_park, other_park):
    """One change on each side of the scope line, and events about people."""
    own_tenant, other_tenant = _tenant(own_park, "本园企业"), _tenant(other_park, "他园企业")
    own_unit = UnitFactory(building=BuildingFactory(carrier=own_park))
    other_unit = UnitFactory(building=BuildingFactory(carrier=other_park))
    operator = users[Role.OPERATOR]
    events = {
        "own carrier": audit.record(
            actor=operator, action=AuditAction.UPDATE, obj=own_park, changes={"note": ["", "a"]}
        ),
        "own unit": audit.record(actor=operator, action=AuditAction.UPDATE, obj=own_unit),
        "own tenant": audit.record(actor=operator, action=AuditAction.UPDATE, obj=own_tenant),
        "other carrier": audit.record(actor=operator, action=AuditAction.UPDATE, obj=other_park),
        "other unit": audit.record(actor=operator, action=AuditAction.UPDATE, obj=other_unit),
        "other tenant": audit.record(
            actor=operator, action=AuditAction.UPDATE, obj=other_tenant, changes={"phone": ["", "13800000000"]}
        ),
        "a person's record": audit.record(
            actor=users[Role.ADMIN], action=AuditAction.UPDATE, obj=operator, changes={"phone": ["", "13900000000"]}
        ),
        "a sign-in": audit.record(actor=operator, action=AuditAction.LOGIN, obj=operator, remote_addr="203.0.113.9"),
    }
    return {name: event.pk for name, event in events.items()}


def _names(trail, pks):
    return {name for name, pk in trail.items() if pk in set(pks)}


def test_park_staff_read_only_their_own_carriers_events(users, trail):
    visible = AuditEvent.objects.for_user(users[Role.PARK_STAFF]).values_list("pk", flat=True)

    assert _names(trail, visible) == {"own carrier", "own unit", "own tenant"}


@pytest.mark.parametrize("role", [Role.OPERATOR, Role.BUREAU])
def test_those_who_oversee_every_carrier_read_every_change_but_no_sign_in(users, trail, role):
    visible = AuditEvent.objects.for_user(users[role]).values_list("pk", flat=True)

    assert _names(trail, visible) == set(trail) - {"a sign-in"}


def test_the_system_administrator_reads_everything(users, trail):
    assert _names(trail, AuditEvent.objects.for_user(users[Role.ADMIN]).values_list("pk", flat=True)) == set(trail)


def test_the_audit_log_page_shows_park_staff_no_other_carriers_event(
    client_for, users, trail, django_assert_max_num_queries
):
    client = client_for(users[Role.PARK_STAFF])
    with django_assert_max_num_queries(12):
        response = client.get("/accounts/audit/")

    assert response.status_code == 200
    shown = {event.pk for event in response.context["page_obj"].object_list}
    assert _names(trail, shown) == {"own carrier", "own unit", "own tenant"}
    page = response.content.decode()
    assert "他园企业" not in page
    assert "13800000000" not in page and "13900000000" not in page
    assert "203.0.113.9" not in page


def test_another_carriers_history_page_shows_park_staff_none_of_its_events(client_for, users, trail, other_park):
    client = client_for(users[Role.PARK_STAFF])
    response = client.get(f"/parks/carriers/{other_park.pk}/history/")

    assert response.status_code in (200, 403)
    if response.status_code == 200:
        assert list(response.context["page_obj"].object_list) == []
    detail = client.get(f"/parks/carriers/{other_park.pk}/")
    assert list(detail.context["history"]) == []


def test_the_own_carriers_history_page_still_shows_its_events(client_for, users, trail, own_park):
    response = client_for(users[Role.PARK_STAFF]).get(f"/parks/carriers/{own_park.pk}/history/")

    assert [event.pk for event in response.context["page_obj"].object_list] == [trail["own carrier"]]
