"""The admin site: every write made there is in the audit trail, and only the system administrator gets in."""

import json
from decimal import Decimal

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.forms import CheckboxInput, MultiWidget

from accounts.models import AuditAction, AuditEvent, User
from accounts.roles import GROUP_NAMES, Role
from parks.choices import UnitKind
from parks.models import AnchorOrganisation, Building, Carrier, Unit
from parks.tests.factories import AnchorFactory, BuildingFactory, UnitFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "N3w-Secret!pass"


# --- posting admin forms as a browser would --------------------------------------------------------------------
def _form_data(form) -> dict:
    """The POST data a browser sends for an unbound form showing its initial values."""
    data = {}
    for name, field in form.fields.items():
        if field.disabled:
            continue
        key = form.add_prefix(name)
        value = form[name].value()
        widget = getattr(field.widget, "widget", field.widget)  # unwrap the admin's related-object wrapper
        if isinstance(widget, CheckboxInput):
            if value:
                data[key] = "on"
        elif isinstance(widget, MultiWidget):
            parts = value if isinstance(value, list | tuple) else widget.decompress(value)
            for suffix, part in zip(widget.widgets_names, parts, strict=True):
                data[f"{key}{suffix}"] = "" if part is None else str(part)
        elif isinstance(value, list | tuple):
            data[key] = [str(item) for item in value]
        else:
            data[key] = "" if value is None else str(value)
    return data


def change_form(client, url: str) -> tuple[dict, dict]:
    """GET an admin change page: (POST data from the form's and inlines' initial values, {prefix: formset})."""
    response = client.get(url)
    assert response.status_code == 200
    data = _form_data(response.context["adminform"].form)
    formsets = {}
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        formsets[formset.prefix] = formset
        data.update(_form_data(formset.management_form))
        for form in formset.forms:
            data.update(_form_data(form))
    return data, formsets


def index_of(formset, obj) -> int:
    return next(i for i, form in enumerate(formset.forms) if form.instance.pk == obj.pk)


def post_ok(client, url: str, data: dict):
    response = client.post(url, data)
    if response.status_code != 302:  # show the form errors rather than a bare status code
        context = response.context or {}
        errors = context.get("errors")
        pytest.fail(f"{url} answered {response.status_code}: {errors!r}")
    return response


def events(model, action: str, obj=None):
    found = AuditEvent.objects.filter(action=action, content_type=ContentType.objects.get_for_model(model))
    return found.filter(object_id=str(obj.pk)) if obj is not None else found


@pytest.fixture
def admin_client_(users, client_for):
    return client_for(users[Role.ADMIN])


# --- inline objects ---------------------------------------------------------------------------------------------
def test_editing_an_anchor_through_the_carriers_inline_records_its_update(admin_client_, users):
    carrier = Carrier.objects.get(code="big-data")
    anchor = AnchorFactory(carrier=carrier, name_en="Old name")
    url = f"/admin/parks/carrier/{carrier.pk}/change/"
    data, formsets = change_form(admin_client_, url)

    data[f"anchors-{index_of(formsets['anchors'], anchor)}-name_en"] = "New name"
    post_ok(admin_client_, url, data)

    anchor.refresh_from_db()
    assert anchor.name_en == "New name"
    event = events(AnchorOrganisation, AuditAction.UPDATE, anchor).get()
    assert event.changes == {"name_en": ["Old name", "New name"]}
    assert event.actor == users[Role.ADMIN]
    assert event.remote_addr == "127.0.0.1"
    # The carrier itself did not change: no event for it.
    assert not events(Carrier, AuditAction.UPDATE, carrier).exists()


def test_adding_and_deleting_an_inline_unit_on_a_building_records_both(admin_client_):
    building = BuildingFactory()
    old_unit = UnitFactory(building=building, code="A-101")
    old_pk = old_unit.pk
    url = f"/admin/parks/building/{building.pk}/change/"
    data, formsets = change_form(admin_client_, url)

    data[f"units-{index_of(formsets['units'], old_unit)}-DELETE"] = "on"
    new = int(data["units-TOTAL_FORMS"])
    data["units-TOTAL_FORMS"] = str(new + 1)
    data.update(
        {
            f"units-{new}-id": "",
            f"units-{new}-building": str(building.pk),
            f"units-{new}-code": "B-202",
            f"units-{new}-floor": "2",
            f"units-{new}-area_m2": "25.50",
            f"units-{new}-kind": UnitKind.OFFICE,
            f"units-{new}-stage_zone": building.carrier.stages[0],
            f"units-{new}-note": "",
        }
    )
    post_ok(admin_client_, url, data)

    assert not Unit.objects.filter(pk=old_pk).exists()
    new_unit = Unit.objects.get(building=building, code="B-202")
    created = events(Unit, AuditAction.CREATE, new_unit).get()
    assert created.changes["code"] == [None, "B-202"]
    assert created.changes["area_m2"] == [None, "25.50"]
    deleted = AuditEvent.objects.get(
        action=AuditAction.DELETE, content_type=ContentType.objects.get_for_model(Unit), object_id=str(old_pk)
    )
    assert deleted.object_repr == f"{building.name} A-101"
    assert deleted.changes["code"] == ["A-101", None]
    assert deleted.changes["area_m2"][1] is None
    assert not events(Building, AuditAction.UPDATE, building).exists()


# --- deletions ---------------------------------------------------------------------------------------------------
def test_the_bulk_delete_action_records_one_deletion_per_building(admin_client_):
    buildings = [BuildingFactory(), BuildingFactory()]
    pks = [building.pk for building in buildings]

    response = admin_client_.post(
        "/admin/parks/building/", {"action": "delete_selected", "_selected_action": pks, "post": "yes"}
    )

    assert response.status_code == 302
    assert not Building.objects.filter(pk__in=pks).exists()
    deleted = events(Building, AuditAction.DELETE)
    assert sorted(deleted.values_list("object_id", flat=True)) == sorted(str(pk) for pk in pks)
    by_id = {event.object_id: event for event in deleted}
    for building in buildings:
        assert by_id[str(building.pk)].changes["name"] == [building.name, None]
        assert by_id[str(building.pk)].object_repr == building.name


# --- users -------------------------------------------------------------------------------------------------------
def test_granting_a_role_and_superuser_through_the_user_form_records_both(admin_client_, users):
    target = users[Role.EXPERT]
    operators = Group.objects.get(name=GROUP_NAMES[Role.OPERATOR])
    url = f"/admin/accounts/user/{target.pk}/change/"
    data, _formsets = change_form(admin_client_, url)

    data["groups"] = [*data["groups"], str(operators.pk)]
    data["is_superuser"] = "on"
    post_ok(admin_client_, url, data)

    target.refresh_from_db()
    assert target.is_superuser
    event = events(User, AuditAction.UPDATE, target).get()
    assert event.changes == {
        "groups": [[GROUP_NAMES[Role.EXPERT]], sorted([GROUP_NAMES[Role.EXPERT], GROUP_NAMES[Role.OPERATOR]])],
        "is_superuser": [False, True],
    }


def test_a_password_changed_in_the_admin_is_recorded_without_the_hash(admin_client_, users):
    target = users[Role.ENTERPRISE]
    old_hash = target.password

    response = admin_client_.post(
        f"/admin/accounts/user/{target.pk}/password/",
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true"},
    )

    assert response.status_code == 302
    target.refresh_from_db()
    assert target.check_password(NEW_PASSWORD)
    event = events(User, AuditAction.UPDATE, target).get()
    assert event.changes == {"password": ["", "changed"]}
    recorded = json.dumps(event.changes)
    assert target.password not in recorded and old_hash not in recorded and NEW_PASSWORD not in recorded


def test_a_user_added_in_the_admin_is_recorded_with_a_password_marker_only(admin_client_):
    operators = Group.objects.get(name=GROUP_NAMES[Role.OPERATOR])

    post_ok(
        admin_client_,
        "/admin/accounts/user/add/",
        {
            "username": "newcomer",
            "name": "新同事",
            "email": "newcomer@example.com",
            "groups": [str(operators.pk)],
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
        },
    )

    user = User.objects.get(username="newcomer")
    event = events(User, AuditAction.CREATE, user).get()
    assert event.changes["username"] == [None, "newcomer"]
    assert event.changes["groups"] == [None, [GROUP_NAMES[Role.OPERATOR]]]
    assert event.changes["password"] == ["", "set"]
    assert user.password not in json.dumps(event.changes)


# --- carriers ----------------------------------------------------------------------------------------------------
def test_carriers_cannot_be_added_or_deleted_in_the_admin(admin_client_):
    carrier = Carrier.objects.get(code="big-data")
    count = Carrier.objects.count()

    assert admin_client_.get("/admin/parks/carrier/add/").status_code == 403
    assert admin_client_.post(f"/admin/parks/carrier/{carrier.pk}/delete/", {"post": "yes"}).status_code == 403
    changelist = admin_client_.get("/admin/parks/carrier/")
    assert changelist.status_code == 200
    assert "delete_selected" not in changelist.context["cl"].model_admin.get_actions(changelist.wsgi_request)
    response = admin_client_.post(
        "/admin/parks/carrier/", {"action": "delete_selected", "_selected_action": [carrier.pk], "post": "yes"}
    )
    assert response.status_code in {200, 302}
    assert Carrier.objects.count() == count
    assert not events(Carrier, AuditAction.DELETE).exists()
    assert not admin.site.get_model_admin(Carrier).has_add_permission(changelist.wsgi_request)


def test_a_units_own_change_page_records_the_fields_changed(admin_client_):
    """A plain change page (a unit's own) records the fields changed, old and new."""
    unit = UnitFactory(area_m2=Decimal("40.50"))
    url = f"/admin/parks/unit/{unit.pk}/change/"
    data, _formsets = change_form(admin_client_, url)

    data["area_m2"] = "42.25"
    post_ok(admin_client_, url, data)

    assert events(Unit, AuditAction.UPDATE, unit).get().changes == {"area_m2": ["40.50", "42.25"]}


# --- who gets in ------------------------------------------------------------------------------------------------
def test_the_system_administrator_uses_the_admin_site(admin_client_):
    assert admin_client_.get("/admin/").status_code == 200
    assert admin_client_.get("/admin/parks/carrier/").status_code == 200


@pytest.mark.parametrize("role", [Role.OPERATOR, Role.PARK_STAFF])
@pytest.mark.parametrize("path", ["/admin/", "/admin/parks/carrier/"])
def test_other_staff_are_sent_to_the_admin_login_even_with_is_staff(users, client_for, role, path):
    user = users[role]
    user.is_staff = True
    user.save(update_fields=["is_staff"])

    response = client_for(user).get(path)

    assert response.status_code == 302
    assert response["Location"] == f"/admin/login/?next={path}"
