from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TargetsConfig(AppConfig):
    """Target plans, indicators, progress and yearly report runs (issue #4)."""

    name = "targets"
    verbose_name = _("Targets and reports")

    def ready(self) -> None:
        # The carriers' metrics join the library of targets.metrics when their module is imported.
        # local import: app registry (apps.py is imported before the models are loaded)
        from targets import carrier_metrics, signals  # noqa: F401

        signals.connect()
