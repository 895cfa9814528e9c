from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.access import RestrictedQuerySet
from accounts.phrasebook import in_reader_language
from accounts.roles import carrier_lookup
from accounts.validators import validate_mainland_phone
from parks.choices import AccreditationLevel, AnchorKind, CarrierKind, Stage, UnitKind


class BilingualName(models.Model):
    """Chinese name as written in the district's documents, with an English name beside it."""

    name = models.CharField(_("name (Chinese)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=150, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return in_reader_language(self.name, self.name_en)


def _scoped_to_managed_carriers(queryset: RestrictedQuerySet, user, action: str, path: str) -> RestrictedQuerySet:
    """Writes by park staff reach only the carriers they are assigned to; every other role's scope is whole."""
    if action == "view":
        return queryset
    lookup = carrier_lookup(user, action, queryset.model, path)
    return queryset.none() if lookup is None else queryset.filter(lookup)


class FocusFieldQuerySet(RestrictedQuerySet):
    def industries(self) -> FocusFieldQuerySet:
        return self.filter(parent__isnull=True)


class FocusField(BilingualName):
    """A focus field (重点孵化领域). Top-level rows are industries; their children are fields within them."""

    parent = models.ForeignKey(
        "self",
        verbose_name=_("industry"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = FocusFieldQuerySet.as_manager()

    class Meta:
        verbose_name = _("focus field")
        verbose_name_plural = _("focus fields")
        ordering = ["parent__sort_order", "sort_order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["parent", "name"],
                name="focusfield_unique_name_in_parent",
                violation_error_message=_("A field with this name already exists in this industry."),
            ),
            models.UniqueConstraint(
                fields=["name"],
                condition=Q(parent__isnull=True),
                name="focusfield_unique_industry_name",
                violation_error_message=_("An industry with this name already exists."),
            ),
        ]

    @property
    def is_industry(self) -> bool:
        return self.parent_id is None

    def clean(self) -> None:
        # Two levels only: an industry, and fields directly under an industry.
        if self.parent_id is not None and (self.parent.parent_id is not None or self.parent_id == self.pk):
            raise ValidationError({"parent": _("Choose an industry (a top-level field) as the parent.")})
        if self.parent_id is not None and self.pk and self.children.exists():
            raise ValidationError({"parent": _("An industry with fields under it cannot become a field itself.")})


class CarrierQuerySet(RestrictedQuerySet):
    def scope_for(self, user, action: str) -> CarrierQuerySet:
        return _scoped_to_managed_carriers(self, user, action, "")


class Carrier(BilingualName):
    """An incubation carrier (载体): the core or one of the five parks."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=CarrierKind.choices)
    stages = ArrayField(
        models.CharField(max_length=20, choices=Stage.choices),
        verbose_name=_("stages offered"),
        help_text=_("The pipeline stages this carrier offers space for."),
    )
    aim = models.CharField(_("aim"), max_length=200, blank=True)
    aim_en = models.CharField(_("aim (English)"), max_length=250, blank=True)
    description = models.TextField(_("description"), blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=60, blank=True)
    contact_phone = models.CharField(
        _("contact phone"), max_length=30, blank=True, validators=[validate_mainland_phone]
    )
    focus_fields = models.ManyToManyField(
        FocusField, verbose_name=_("focus fields"), blank=True, related_name="carriers"
    )
    staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("managers"),
        blank=True,
        related_name="managed_carriers",
        help_text=_("Users with the park administrator role who manage this carrier: they may edit it and its space."),
    )
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = CarrierQuerySet.as_manager()

    class Meta:
        verbose_name = _("carrier")
        verbose_name_plural = _("carriers")
        ordering = ["sort_order", "id"]
        constraints = [
            # "一核": there is exactly one core. (That it exists at all is the reference data's job.)
            models.UniqueConstraint(
                fields=["kind"],
                condition=Q(kind=CarrierKind.CORE),
                name="carrier_one_core",
                violation_error_message=_("There is already a core carrier; the base has exactly one core."),
            ),
            models.UniqueConstraint(
                fields=["name"],
                name="carrier_unique_name",
                violation_error_message=_("A carrier with this name already exists."),
            ),
            models.CheckConstraint(
                condition=Q(stages__len__gt=0),
                name="carrier_offers_a_stage",
                violation_error_message=_("A carrier offers at least one stage."),
            ),
        ]
        indexes = [GinIndex(fields=["stages"], name="carrier_stages_gin")]

    def clean(self) -> None:
        # Stages are kept once each, in pipeline order, whoever writes them (form, API, admin).
        chosen = set(self.stages or [])
        self.stages = [stage.value for stage in Stage if stage in chosen]
        if self.pk:
            in_use = set(
                Unit.objects.filter(building__carrier=self)
                .exclude(stage_zone__in=self.stages)
                .values_list("stage_zone", flat=True)
                .distinct()
            )
            if in_use:
                raise ValidationError(
                    {
                        "stages": _("Units are still zoned for %(stages)s; rezone them before removing the stage.")
                        % {"stages": "、".join(str(Stage(stage).label) for stage in sorted(in_use))}
                    }
                )

    @property
    def display_aim(self) -> str:
        return in_reader_language(self.aim, self.aim_en)

    @property
    def is_core(self) -> bool:
        return self.kind == CarrierKind.CORE

    def stage_labels(self) -> list[str]:
        return [Stage(stage).label for stage in self.stages]


class AnchorOrganisationQuerySet(RestrictedQuerySet):
    def scope_for(self, user, action: str) -> AnchorOrganisationQuerySet:
        return _scoped_to_managed_carriers(self, user, action, "carrier__")


class AnchorOrganisation(BilingualName):
    """An organisation a carrier relies on (依托): an enterprise, a university, a research institute, a platform."""

    carrier = models.ForeignKey(Carrier, verbose_name=_("carrier"), on_delete=models.CASCADE, related_name="anchors")
    kind = models.CharField(_("type"), max_length=20, choices=AnchorKind.choices)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = AnchorOrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = _("anchor organisation")
        verbose_name_plural = _("anchor organisations")
        ordering = ["carrier__sort_order", "sort_order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["carrier", "name"],
                name="anchor_unique_name_in_carrier",
                violation_error_message=_("This carrier already has an anchor organisation of this name."),
            )
        ]


class AccreditationQuerySet(RestrictedQuerySet):
    def scope_for(self, user, action: str) -> AccreditationQuerySet:
        return _scoped_to_managed_carriers(self, user, action, "carrier__")


class Accreditation(models.Model):
    """One accreditation decision for a carrier. The latest by date is the carrier's current level."""

    carrier = models.ForeignKey(
        Carrier, verbose_name=_("carrier"), on_delete=models.CASCADE, related_name="accreditations"
    )
    level = models.CharField(_("level"), max_length=20, choices=AccreditationLevel.choices)
    awarded_on = models.DateField(_("date"))
    certificate_no = models.CharField(_("certificate number"), max_length=60, blank=True)
    authority = models.CharField(_("issuing authority"), max_length=100, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    objects = AccreditationQuerySet.as_manager()

    class Meta:
        verbose_name = _("accreditation")
        verbose_name_plural = _("accreditations")
        ordering = ["carrier__sort_order", "-awarded_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["certificate_no"],
                condition=~Q(certificate_no=""),
                name="accreditation_unique_certificate",
                violation_error_message=_("This certificate number is already recorded."),
            ),
            models.UniqueConstraint(
                fields=["carrier", "level", "awarded_on"],
                name="accreditation_unique_decision",
                violation_error_message=_("This accreditation is already recorded for this carrier and date."),
            ),
        ]
        indexes = [models.Index(fields=["carrier", "-awarded_on"], name="accreditation_latest_idx")]

    def __str__(self) -> str:
        return f"{self.carrier} · {self.get_level_display()} · {self.awarded_on:%Y-%m-%d}"


class BuildingQuerySet(RestrictedQuerySet):
    def scope_for(self, user, action: str) -> BuildingQuerySet:
        return _scoped_to_managed_carriers(self, user, action, "carrier__")


class Building(models.Model):
    carrier = models.ForeignKey(Carrier, verbose_name=_("carrier"), on_delete=models.PROTECT, related_name="buildings")
    name = models.CharField(_("name"), max_length=100)
    address = models.CharField(_("address"), max_length=200, blank=True)
    floors = models.PositiveSmallIntegerField(_("floors"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    objects = BuildingQuerySet.as_manager()

    class Meta:
        verbose_name = _("building")
        verbose_name_plural = _("buildings")
        ordering = ["carrier__sort_order", "name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["carrier", "name"],
                name="building_unique_name_in_carrier",
                violation_error_message=_("This carrier already has a building of this name."),
            )
        ]

    def __str__(self) -> str:
        return self.name


class UnitQuerySet(RestrictedQuerySet):
    def scope_for(self, user, action: str) -> UnitQuerySet:
        return _scoped_to_managed_carriers(self, user, action, "building__carrier__")


class Unit(models.Model):
    """A lettable unit of space: an office, a lab, a workshop bay, a workstation, or public service space."""

    building = models.ForeignKey(Building, verbose_name=_("building"), on_delete=models.PROTECT, related_name="units")
    code = models.CharField(_("unit number"), max_length=30)
    floor = models.SmallIntegerField(_("floor"), null=True, blank=True)
    area_m2 = models.DecimalField(
        _("area (m²)"), max_digits=10, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )
    kind = models.CharField(_("type"), max_length=20, choices=UnitKind.choices)
    stage_zone = models.CharField(_("stage zone"), max_length=20, choices=Stage.choices)
    note = models.CharField(_("note"), max_length=200, blank=True)

    objects = UnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["building__name", "floor", "code", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["building", "code"],
                name="unit_unique_code_in_building",
                violation_error_message=_("This building already has a unit with this number."),
            ),
            models.CheckConstraint(
                condition=Q(area_m2__gt=0),
                name="unit_area_positive",
                violation_error_message=_("The area must be greater than zero."),
            ),
        ]
        indexes = [models.Index(fields=["stage_zone"], name="unit_stage_zone_idx")]

    def __str__(self) -> str:
        return f"{self.building.name} {self.code}"

    def clean(self) -> None:
        # A unit is zoned for a stage its carrier offers (the core has no industrial-park zone, for instance).
        if self.building_id and self.stage_zone and self.stage_zone not in self.building.carrier.stages:
            carrier = self.building.carrier
            raise ValidationError(
                {
                    "stage_zone": _("%(carrier)s does not offer this stage; choose one of: %(stages)s.")
                    % {
                        "carrier": carrier,
                        "stages": "、".join(str(label) for label in carrier.stage_labels()),
                    }
                }
            )
