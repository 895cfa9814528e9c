"""Writes to the incubation structure. Each service checks the actor's permission on the very object, runs in
one transaction, and records an audit event with the fields changed."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.access import ensure_allowed, ensure_allowed_to_add
from accounts.audit import delete_with_audit, only_fields, save_with_audit
from parks.models import Accreditation, AnchorOrganisation, Building, Carrier, FocusField, Unit

CARRIER_EDITABLE_FIELDS = (
    "name_en",
    "aim",
    "aim_en",
    "description",
    "address",
    "contact_name",
    "contact_phone",
    "stages",
    "focus_fields",
)
CARRIER_ADMIN_FIELDS = ("name", "code", "kind", "sort_order", "staff")
ANCHOR_FIELDS = ("name", "name_en", "kind", "sort_order")
ACCREDITATION_FIELDS = ("level", "awarded_on", "certificate_no", "authority", "note")
BUILDING_FIELDS = ("name", "address", "floors", "note")
FOCUS_FIELD_FIELDS = ("name", "name_en", "parent", "sort_order")
UNIT_FIELDS = ("code", "floor", "area_m2", "kind", "stage_zone", "note")


def _lock(model, pk: int):
    return model.objects.select_for_update().get(pk=pk)


def carrier_update(*, carrier: Carrier, by, data: Mapping[str, Any]) -> Carrier:
    """Change a carrier's description, contacts, stages and focus fields. Stages still used by a unit's zone
    cannot be removed (Carrier.clean)."""
    data = only_fields(data, CARRIER_EDITABLE_FIELDS)
    with transaction.atomic():
        carrier = _lock(Carrier, carrier.pk)
        ensure_allowed(by, "change", carrier)
        save_with_audit(instance=carrier, by=by, data=data, fields=CARRIER_EDITABLE_FIELDS)
    return carrier


def anchor_create(*, carrier: Carrier, by, data: Mapping[str, Any]) -> AnchorOrganisation:
    data = only_fields(data, ANCHOR_FIELDS)
    with transaction.atomic():
        carrier = _lock(Carrier, carrier.pk)
        ensure_allowed_to_add(by, AnchorOrganisation, within=carrier)
        anchor = AnchorOrganisation(carrier=carrier)
        save_with_audit(instance=anchor, by=by, data=data, fields=("carrier", *ANCHOR_FIELDS))
    return anchor


def anchor_update(*, anchor: AnchorOrganisation, by, data: Mapping[str, Any]) -> AnchorOrganisation:
    data = only_fields(data, ANCHOR_FIELDS)
    with transaction.atomic():
        anchor = _lock(AnchorOrganisation, anchor.pk)
        ensure_allowed(by, "change", anchor)
        save_with_audit(instance=anchor, by=by, data=data, fields=ANCHOR_FIELDS)
    return anchor


def anchor_delete(*, anchor: AnchorOrganisation, by) -> None:
    with transaction.atomic():
        anchor = _lock(AnchorOrganisation, anchor.pk)
        ensure_allowed(by, "delete", anchor)
        delete_with_audit(instance=anchor, by=by, fields=("carrier", *ANCHOR_FIELDS))


def accreditation_create(*, carrier: Carrier, by, data: Mapping[str, Any]) -> Accreditation:
    """Record an accreditation decision. The latest decision by date is the carrier's current level."""
    data = only_fields(data, ACCREDITATION_FIELDS)
    with transaction.atomic():
        carrier = _lock(Carrier, carrier.pk)
        ensure_allowed_to_add(by, Accreditation, within=carrier)
        accreditation = Accreditation(carrier=carrier)
        save_with_audit(instance=accreditation, by=by, data=data, fields=("carrier", *ACCREDITATION_FIELDS))
    return accreditation


def accreditation_update(*, accreditation: Accreditation, by, data: Mapping[str, Any]) -> Accreditation:
    data = only_fields(data, ACCREDITATION_FIELDS)
    with transaction.atomic():
        accreditation = _lock(Accreditation, accreditation.pk)
        ensure_allowed(by, "change", accreditation)
        save_with_audit(instance=accreditation, by=by, data=data, fields=ACCREDITATION_FIELDS)
    return accreditation


def building_create(*, carrier: Carrier, by, data: Mapping[str, Any]) -> Building:
    data = only_fields(data, BUILDING_FIELDS)
    with transaction.atomic():
        carrier = _lock(Carrier, carrier.pk)
        ensure_allowed_to_add(by, Building, within=carrier)
        building = Building(carrier=carrier)
        save_with_audit(instance=building, by=by, data=data, fields=("carrier", *BUILDING_FIELDS))
    return building


def building_update(*, building: Building, by, data: Mapping[str, Any]) -> Building:
    data = only_fields(data, BUILDING_FIELDS)
    with transaction.atomic():
        building = _lock(Building, building.pk)
        ensure_allowed(by, "change", building)
        save_with_audit(instance=building, by=by, data=data, fields=BUILDING_FIELDS)
    return building


def building_delete(*, building: Building, by) -> None:
    """Delete an empty building. A building that still has units refuses: delete or move its units first."""
    with transaction.atomic():
        building = _lock(Building, building.pk)
        ensure_allowed(by, "delete", building)
        if building.units.exists():
            raise ValidationError(_("This building still has units; delete them first."))
        delete_with_audit(instance=building, by=by, fields=("carrier", *BUILDING_FIELDS))


def unit_create(*, building: Building, by, data: Mapping[str, Any]) -> Unit:
    """Add a unit to a building. Its stage zone must be a stage the building's carrier offers (Unit.clean)."""
    data = only_fields(data, UNIT_FIELDS)
    with transaction.atomic():
        # Lock order carrier -> building -> unit everywhere: the carrier's stages decide which zones are valid.
        _lock(Carrier, building.carrier_id)
        building = Building.objects.select_related("carrier").select_for_update(of=("self",)).get(pk=building.pk)
        ensure_allowed_to_add(by, Unit, within=building.carrier)
        unit = Unit(building=building)
        save_with_audit(instance=unit, by=by, data=data, fields=("building", *UNIT_FIELDS))
    return unit


def unit_update(*, unit: Unit, by, data: Mapping[str, Any]) -> Unit:
    data = only_fields(data, UNIT_FIELDS)
    with transaction.atomic():
        _lock(Carrier, unit.building.carrier_id)
        unit = Unit.objects.select_related("building__carrier").select_for_update(of=("self",)).get(pk=unit.pk)
        ensure_allowed(by, "change", unit)
        save_with_audit(instance=unit, by=by, data=data, fields=UNIT_FIELDS)
    return unit


def unit_delete(*, unit: Unit, by) -> None:
    """Delete a unit never let. A unit with allocations (current or past) stays: they are the tenants' record."""
    with transaction.atomic():
        unit = Unit.objects.select_related("building").select_for_update(of=("self",)).get(pk=unit.pk)
        ensure_allowed(by, "delete", unit)
        if unit.allocations.exists():
            raise ValidationError(
                _("This unit has been allocated to tenants; it stays on record with its allocations.")
            )
        delete_with_audit(instance=unit, by=by, fields=("building", *UNIT_FIELDS))


def accreditation_delete(*, accreditation: Accreditation, by) -> None:
    """Remove a wrongly recorded accreditation; the carrier's level falls back to the previous decision."""
    with transaction.atomic():
        accreditation = _lock(Accreditation, accreditation.pk)
        ensure_allowed(by, "delete", accreditation)
        delete_with_audit(instance=accreditation, by=by, fields=("carrier", *ACCREDITATION_FIELDS))


def focus_field_create(*, by, data: Mapping[str, Any]) -> FocusField:
    """Add an industry (no parent) or a field under an industry."""
    data = only_fields(data, FOCUS_FIELD_FIELDS)
    with transaction.atomic():
        ensure_allowed_to_add(by, FocusField)
        field = FocusField()
        save_with_audit(instance=field, by=by, data=data, fields=FOCUS_FIELD_FIELDS)
    return field


def focus_field_update(*, field: FocusField, by, data: Mapping[str, Any]) -> FocusField:
    data = only_fields(data, FOCUS_FIELD_FIELDS)
    with transaction.atomic():
        field = _lock(FocusField, field.pk)
        ensure_allowed(by, "change", field)
        save_with_audit(instance=field, by=by, data=data, fields=FOCUS_FIELD_FIELDS)
    return field


def focus_field_delete(*, field: FocusField, by) -> None:
    """Delete a focus field no carrier and no enterprise uses and with no field under it."""
    with transaction.atomic():
        field = _lock(FocusField, field.pk)
        ensure_allowed(by, "delete", field)
        if field.children.exists():
            raise ValidationError(_("This industry still has fields under it; delete or move them first."))
        if field.carriers.exists():
            raise ValidationError(
                _("Carriers still focus on this field: %(carriers)s.")
                % {"carriers": "、".join(str(carrier) for carrier in field.carriers.all())}
            )
        if enterprises := field.enterprises.count():
            raise ValidationError(
                ngettext(
                    "%(count)s enterprise is classified under this field; change its field first.",
                    "%(count)s enterprises are classified under this field; change their field first.",
                    enterprises,
                )
                % {"count": enterprises}
            )
        delete_with_audit(instance=field, by=by, fields=FOCUS_FIELD_FIELDS)
