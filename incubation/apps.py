from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IncubationConfig(AppConfig):
    """Applications, reviews, residencies, space allocations, transitions and rule sets (issue #3 onwards)."""

    name = "incubation"
    verbose_name = _("Incubation")
