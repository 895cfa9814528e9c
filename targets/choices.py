from django.db import models
from django.utils.translation import gettext_lazy as _


class TargetForm(models.TextChoices):
    """Which reading of an indicator a target is set on. The plan (临政办字〔2021〕41号) does not say; the portal
    shows both forms and each target names the one it is judged on (docs/indicators.md)."""

    YEARLY = "yearly", _("In the year")
    CUMULATIVE = "cumulative", _("Cumulative since the plan began")


class Comparison(models.TextChoices):
    AT_LEAST = "at_least", _("at least")
    AT_MOST = "at_most", _("at most")


class ReportKind(models.TextChoices):
    """A yearly report covers a finished year (compiled in January); an interim one the year so far."""

    YEARLY = "yearly", _("Yearly report")
    INTERIM = "interim", _("Interim report")


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    SUCCEEDED = "succeeded", _("Succeeded")
    FAILED = "failed", _("Failed")


class ReportFormat(models.TextChoices):
    HTML = "html", "HTML"
    PDF = "pdf", "PDF"
    XLSX = "xlsx", "XLSX"
