from django.db import models
from django.utils.translation import gettext_lazy as _


class CarrierKind(models.TextChoices):
    CORE = "core", _("Core")
    PARK = "park", _("Park")


class Stage(models.TextChoices):
    """The four stages of the pipeline, in order."""

    SEEDBED = "seedbed", _("Seedbed")
    INCUBATOR = "incubator", _("Incubator")
    ACCELERATOR = "accelerator", _("Accelerator")
    INDUSTRIAL_PARK = "industrial_park", _("Industrial park")


class AnchorKind(models.TextChoices):
    ENTERPRISE = "enterprise", _("Enterprise")
    UNIVERSITY = "university", _("University")
    RESEARCH_INSTITUTE = "research_institute", _("Research institute")
    PLATFORM = "platform", _("Platform")


class AccreditationLevel(models.TextChoices):
    """Incubator accreditation. Since 2025 (工信部科〔2025〕131号) the national level has two tiers."""

    NONE = "none", _("Not accredited")
    DISTRICT = "district", _("District level")
    MUNICIPAL = "municipal", _("Municipal level")
    PROVINCIAL = "provincial", _("Provincial level")
    NATIONAL = "national", _("National level")
    NATIONAL_STANDARD = "national_standard", _("National, standard tier")
    NATIONAL_EXCELLENT = "national_excellent", _("National, excellent tier")


# Higher is better; used to say whether a carrier reached a level ("provincial or higher").
ACCREDITATION_RANK: dict[str, int] = {
    AccreditationLevel.NONE: 0,
    AccreditationLevel.DISTRICT: 1,
    AccreditationLevel.MUNICIPAL: 2,
    AccreditationLevel.PROVINCIAL: 3,
    AccreditationLevel.NATIONAL: 4,
    AccreditationLevel.NATIONAL_STANDARD: 4,
    AccreditationLevel.NATIONAL_EXCELLENT: 5,
}


class UnitKind(models.TextChoices):
    OFFICE = "office", _("Office")
    LAB = "lab", _("Laboratory")
    WORKSHOP = "workshop", _("Workshop")
    WORKSTATION = "workstation", _("Workstation")
    PUBLIC_SERVICE = "public_service", _("Public service")
