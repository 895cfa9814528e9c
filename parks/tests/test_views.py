"""The structure's web forms, driven through the test client as the operating company: a valid edit is saved and
announced; an invalid one re-renders the form with its errors and changes nothing. The UI speaks zh-hans by default,
so the messages asserted are the Chinese ones."""

from decimal import Decimal

import pytest
from django.contrib.messages import constants as message_levels
from django.urls import reverse

from accounts.models import AuditEvent
from accounts.roles import Role
from parks.models import Building, Carrier, Unit
from parks.tests.factories import BuildingFactory, UnitFactory

pytestmark = pytest.mark.django_db

# Django's (and DRF's) own messages, as the zh-hans UI shows them: "该字段是必填项。", "确保该值大于或等于0.01。", …
REQUIRED = "必填项"
AT_LEAST = "确保该值大于或等于"
NOT_A_CHOICE = "选择一个有效的选项。"

# Ours, from locale/zh_Hans.
CARRIER_SAVED = "载体信息已保存。"
STAGE_IN_USE = "请先调整这些单元的功能分区，再移除该阶段。"
DUPLICATE_UNIT_NUMBER = "该楼宇已有相同编号的单元。"
BUILDING_NOT_EMPTY = "该楼宇仍有单元，请先删除这些单元。"
BUILDING_REMOVED = "楼宇已移除。"


@pytest.fixture
def operator(client_for, users):
    return client_for(users[Role.OPERATOR])


def carrier_form(carrier: Carrier, **changes) -> dict:
    data = {
        "name_en": carrier.name_en,
        "aim": carrier.aim,
        "aim_en": carrier.aim_en,
        "description": carrier.description,
        "address": carrier.address,
        "contact_name": carrier.contact_name,
        "contact_phone": carrier.contact_phone,
        "stages": carrier.stages,
        "focus_fields": [field.pk for field in carrier.focus_fields.all()],
    }
    return {**data, **changes}


def messages_of(response) -> list[tuple[int, str]]:
    return [(message.level, str(message)) for message in response.context["messages"]]


def assert_form_refused(response, *, field: str | None, text: str) -> None:
    """The form page came back (not a redirect), with `text` shown and the error on `field` (None: the whole form)."""
    assert response.status_code == 200
    assert "parks/form.html" in [template.name for template in response.templates]
    form = response.context["form"]
    errors = form.errors.get(field or "__all__", [])
    assert any(text in error for error in errors), form.errors
    assert text in response.content.decode()


def test_editing_a_carrier_saves_it_and_says_so(operator, own_park):
    data = carrier_form(own_park, contact_name="张伟", contact_phone="0533-7180000")

    response = operator.post(reverse("parks:carrier_update", args=[own_park.pk]), data, follow=True)

    assert response.redirect_chain == [(reverse("parks:carrier_detail", args=[own_park.pk]), 302)]
    assert messages_of(response) == [(message_levels.SUCCESS, CARRIER_SAVED)]
    assert CARRIER_SAVED in response.content.decode()
    own_park.refresh_from_db()
    assert (own_park.contact_name, own_park.contact_phone) == ("张伟", "0533-7180000")


def test_the_carrier_form_keeps_the_stages_in_pipeline_order(operator, own_park):
    data = carrier_form(own_park, stages=["industrial_park", "incubator", "seedbed"])

    operator.post(reverse("parks:carrier_update", args=[own_park.pk]), data)

    own_park.refresh_from_db()
    assert own_park.stages == ["seedbed", "incubator", "industrial_park"]


def test_a_carrier_without_any_stage_is_refused(operator, own_park):
    events = AuditEvent.objects.count()

    response = operator.post(
        reverse("parks:carrier_update", args=[own_park.pk]), carrier_form(own_park, stages=[], address="新地址")
    )

    assert_form_refused(response, field="stages", text=REQUIRED)
    own_park.refresh_from_db()
    assert (own_park.stages, own_park.address) == (["incubator", "industrial_park"], "")
    assert AuditEvent.objects.count() == events


def test_removing_a_stage_still_zoned_shows_the_service_error_on_the_field(operator, own_park):
    UnitFactory(building=BuildingFactory(carrier=own_park), stage_zone="industrial_park")
    events = AuditEvent.objects.count()

    response = operator.post(
        reverse("parks:carrier_update", args=[own_park.pk]), carrier_form(own_park, stages=["incubator"])
    )

    assert_form_refused(response, field="stages", text=STAGE_IN_USE)
    own_park.refresh_from_db()
    assert own_park.stages == ["incubator", "industrial_park"]
    assert AuditEvent.objects.count() == events


@pytest.fixture
def building(own_park):
    return BuildingFactory(carrier=own_park, name="一号楼")


UNIT = {"code": "101", "floor": 1, "area_m2": "60.00", "kind": "office", "stage_zone": "incubator"}


@pytest.mark.parametrize(
    ("changes", "field", "text"),
    [
        ({"area_m2": "0"}, "area_m2", AT_LEAST),
        ({"area_m2": "-12.5"}, "area_m2", AT_LEAST),
        ({"area_m2": ""}, "area_m2", REQUIRED),
        # 大数据产业园 offers incubator and industrial-park space only: the seedbed zone is not among the choices
        ({"stage_zone": "seedbed"}, "stage_zone", NOT_A_CHOICE),
    ],
    ids=["zero area", "negative area", "no area", "zone not offered"],
)
def test_an_invalid_unit_is_not_added(operator, building, changes, field, text):
    events = AuditEvent.objects.count()

    response = operator.post(reverse("parks:unit_create", args=[building.pk]), {**UNIT, **changes})

    assert_form_refused(response, field=field, text=text)
    assert not Unit.objects.filter(building=building).exists()
    assert AuditEvent.objects.count() == events


def test_a_unit_number_already_used_in_the_building_is_refused(operator, building):
    UnitFactory(building=building, code="101", area_m2=Decimal("45.00"))
    events = AuditEvent.objects.count()

    response = operator.post(reverse("parks:unit_create", args=[building.pk]), UNIT)

    # The form leaves the building out, so the constraint is checked by the service's full_clean: a form-wide error.
    assert_form_refused(response, field=None, text=DUPLICATE_UNIT_NUMBER)
    assert list(Unit.objects.filter(building=building).values_list("code", "area_m2")) == [("101", Decimal("45.00"))]
    assert AuditEvent.objects.count() == events


def test_the_same_unit_number_in_another_building_is_fine(operator, building, own_park):
    UnitFactory(building=BuildingFactory(carrier=own_park), code="101")

    response = operator.post(reverse("parks:unit_create", args=[building.pk]), UNIT)

    assert response.status_code == 302
    assert Unit.objects.filter(building=building, code="101").exists()


@pytest.mark.parametrize(
    ("changes", "field", "text"),
    [
        ({"area_m2": "0"}, "area_m2", AT_LEAST),
        ({"stage_zone": "seedbed"}, "stage_zone", NOT_A_CHOICE),
    ],
    ids=["zero area", "zone not offered"],
)
def test_an_invalid_unit_edit_changes_nothing(operator, building, changes, field, text):
    unit = UnitFactory(building=building, code="101", area_m2=Decimal("60.00"), stage_zone="incubator")
    events = AuditEvent.objects.count()

    response = operator.post(reverse("parks:unit_update", args=[unit.pk]), {**UNIT, **changes})

    assert_form_refused(response, field=field, text=text)
    unit.refresh_from_db()
    assert (unit.area_m2, unit.stage_zone) == (Decimal("60.00"), "incubator")
    assert AuditEvent.objects.count() == events


def test_renumbering_a_unit_to_a_sibling_number_changes_nothing(operator, building):
    UnitFactory(building=building, code="101")
    unit = UnitFactory(building=building, code="102")

    response = operator.post(reverse("parks:unit_update", args=[unit.pk]), {**UNIT, "code": "101"})

    assert_form_refused(response, field=None, text=DUPLICATE_UNIT_NUMBER)
    unit.refresh_from_db()
    assert unit.code == "102"


def test_a_building_with_units_is_not_deleted(operator, building, own_park):
    UnitFactory(building=building)
    events = AuditEvent.objects.count()

    response = operator.post(reverse("parks:building_delete", args=[building.pk]), follow=True)

    assert response.redirect_chain == [(reverse("parks:carrier_detail", args=[own_park.pk]), 302)]
    assert messages_of(response) == [(message_levels.ERROR, BUILDING_NOT_EMPTY)]
    assert BUILDING_NOT_EMPTY in response.content.decode()
    assert Building.objects.filter(pk=building.pk).exists()
    assert AuditEvent.objects.count() == events


def test_an_empty_building_is_deleted_and_the_page_says_so(operator, building, own_park):
    response = operator.post(reverse("parks:building_delete", args=[building.pk]), follow=True)

    assert messages_of(response) == [(message_levels.SUCCESS, BUILDING_REMOVED)]
    assert not Building.objects.filter(pk=building.pk).exists()
