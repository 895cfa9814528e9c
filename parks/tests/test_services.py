from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction

from accounts.audit import history_of
from accounts.models import AuditAction, AuditEvent
from accounts.roles import Role
from parks import services
from parks.models import Building, Carrier, Unit
from parks.tests.factories import BuildingFactory, UnitFactory

pytestmark = pytest.mark.django_db


def test_carrier_update_saves_and_records_the_fields_changed(users, own_park):
    operator = users[Role.OPERATOR]
    services.carrier_update(
        carrier=own_park, by=operator, data={"address": "临淄区 人民路 1 号", "contact_name": "李强"}
    )

    own_park.refresh_from_db()
    assert own_park.address == "临淄区 人民路 1 号"
    event = history_of(own_park).get()
    assert event.actor == operator
    assert event.action == AuditAction.UPDATE
    assert event.changes == {"address": ["", "临淄区 人民路 1 号"], "contact_name": ["", "李强"]}


def test_carrier_update_records_focus_field_changes_by_name(users, own_park):
    kept = list(own_park.focus_fields.order_by("sort_order")[:2])
    services.carrier_update(carrier=own_park, by=users[Role.OPERATOR], data={"focus_fields": kept})

    change = history_of(own_park).get().changes["focus_fields"]
    assert sorted(change[1]) == sorted(f.name for f in kept)
    assert len(change[0]) == 4


def test_an_update_that_changes_nothing_writes_no_event(users, own_park):
    services.carrier_update(carrier=own_park, by=users[Role.OPERATOR], data={"aim": own_park.aim})
    assert not history_of(own_park).exists()


def test_park_staff_edit_their_own_park_but_not_another(users, own_park, other_park):
    park_staff = users[Role.PARK_STAFF]
    services.carrier_update(carrier=own_park, by=park_staff, data={"address": "A"})

    with pytest.raises(PermissionDenied):
        services.carrier_update(carrier=other_park, by=park_staff, data={"address": "B"})
    other_park.refresh_from_db()
    assert other_park.address == ""
    assert not history_of(other_park).exists()


@pytest.mark.parametrize("role", [Role.BUREAU, Role.EXPERT, Role.ENTERPRISE])
def test_read_only_roles_cannot_change_the_structure(users, own_park, role):
    with pytest.raises(PermissionDenied):
        services.carrier_update(carrier=own_park, by=users[role], data={"address": "X"})
    with pytest.raises(PermissionDenied):
        services.building_create(carrier=own_park, by=users[role], data={"name": "X"})
    assert not Building.objects.filter(name="X").exists()


def test_only_editable_fields_can_be_changed_through_the_service(users, own_park):
    with pytest.raises(ValidationError):
        services.carrier_update(carrier=own_park, by=users[Role.OPERATOR], data={"name": "改名"})
    own_park.refresh_from_db()
    assert own_park.name == "大数据产业园"


def test_a_stage_still_used_by_units_cannot_be_removed(users, own_park):
    UnitFactory(building=BuildingFactory(carrier=own_park), stage_zone="industrial_park")
    with pytest.raises(ValidationError) as error:
        services.carrier_update(carrier=own_park, by=users[Role.OPERATOR], data={"stages": ["incubator"]})
    assert "stages" in error.value.message_dict
    own_park.refresh_from_db()
    assert own_park.stages == ["incubator", "industrial_park"]


def test_unit_zone_must_be_a_stage_the_carrier_offers(users, own_park):
    building = BuildingFactory(carrier=own_park)
    with pytest.raises(ValidationError) as error:
        services.unit_create(
            building=building,
            by=users[Role.OPERATOR],
            data={"code": "S1", "area_m2": Decimal("20"), "kind": "workstation", "stage_zone": "seedbed"},
        )
    assert "stage_zone" in error.value.message_dict
    assert not Unit.objects.filter(code="S1").exists()


def test_unit_create_and_delete_are_audited(users, own_park):
    building = BuildingFactory(carrier=own_park)
    operator = users[Role.OPERATOR]
    unit = services.unit_create(
        building=building,
        by=operator,
        data={
            "code": "301",
            "area_m2": Decimal("95.50"),
            "kind": "office",
            "stage_zone": "incubator",
            "floor": 3,
        },
    )
    created = history_of(unit).get()
    assert created.action == AuditAction.CREATE
    assert created.changes["area_m2"] == [None, "95.50"]

    services.unit_delete(unit=unit, by=operator)
    assert not Unit.objects.filter(pk=unit.pk).exists()
    assert AuditEvent.objects.filter(action=AuditAction.DELETE, object_repr__endswith="301").exists()


def test_a_building_with_units_cannot_be_deleted(users, own_park):
    unit = UnitFactory(building=BuildingFactory(carrier=own_park))
    with pytest.raises(ValidationError):
        services.building_delete(building=unit.building, by=users[Role.OPERATOR])
    assert Building.objects.filter(pk=unit.building_id).exists()


def test_the_database_refuses_a_second_core():
    core = Carrier.objects.get(kind="core")
    with pytest.raises(IntegrityError), transaction.atomic():
        Carrier.objects.create(code="core2", kind="core", name="第二核心", stages=["incubator"])
    assert Carrier.objects.filter(kind="core").get() == core


def test_the_database_refuses_a_unit_without_area(own_park):
    building = BuildingFactory(carrier=own_park)
    with pytest.raises(IntegrityError), transaction.atomic():
        Unit.objects.create(building=building, code="Z", area_m2=0, kind="office", stage_zone="incubator")


def test_audit_events_cannot_be_changed_or_deleted(users, own_park):
    services.carrier_update(carrier=own_park, by=users[Role.OPERATOR], data={"address": "A"})
    event = AuditEvent.objects.get()
    with (
        pytest.raises(Exception, match="cannot be changed"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("UPDATE accounts_auditevent SET action = 'delete' WHERE id = %s", [event.pk])
    with pytest.raises(Exception, match="cannot be changed"), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).delete()
    assert AuditEvent.objects.get().action == AuditAction.UPDATE
