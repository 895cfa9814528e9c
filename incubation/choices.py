from django.db import models
from django.utils.translation import gettext_lazy as _


class ResidencyEndReason(models.TextChoices):
    """Why a residency closed. Promotions and transfers open the next residency in the same transaction."""

    PROMOTED = "promoted", _("Promoted to the next stage")
    TRANSFERRED = "transferred", _("Transferred to another carrier")
    GRADUATED = "graduated", _("Graduated")
    EXITED_VOLUNTARY = "exited_voluntary", _("Left voluntarily")
    EXITED_REMOVED = "exited_removed", _("Removed")
