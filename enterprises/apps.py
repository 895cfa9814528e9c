from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EnterprisesConfig(AppConfig):
    """Enterprises and teams, their people, qualifications and periodic figures (issue #3 onwards)."""

    name = "enterprises"
    verbose_name = _("Enterprises")
