"""Target plans: what the district aims for, year by year and indicator by indicator, district-wide or per carrier.

The indicators themselves are defined in code (`targets.indicators`), so a target names one by its code."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.access import RestrictedQuerySet
from accounts.roles import sees_every_carrier
from parks.choices import AccreditationLevel
from targets.choices import Comparison, ReportKind, RunStatus, TargetForm
from targets.indicators import INDICATOR_CHOICES


class TargetPlan(models.Model):
    """A plan and the document it comes from, e.g. 临政办字〔2021〕41号. The bureau keeps it and may extend it."""

    name = models.CharField(_("name"), max_length=200)
    source_document = models.CharField(_("source document"), max_length=200, blank=True)
    adopted_on = models.DateField(_("adopted on"), null=True, blank=True)
    start_year = models.PositiveSmallIntegerField(
        _("first year"),
        validators=[MinValueValidator(2000), MaxValueValidator(2100)],
        help_text=_("Cumulative figures count from 1 January of this year."),
    )
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("target plan")
        verbose_name_plural = _("target plans")
        ordering = ["start_year", "id"]
        constraints = [
            models.UniqueConstraint(fields=["name"], name="targetplan_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class TargetQuerySet(RestrictedQuerySet):
    """The operating company and the bureau read every target; park staff the plan's district-wide targets and
    their own carriers' (the carriers whose figures the dashboard shows them: `selectors.figure_scope`), never
    another carrier's."""

    def scope_for(self, user, action: str):
        # local import: cycle (targets.selectors imports this module)
        from targets.selectors import figure_scope

        district, carriers = figure_scope(user)
        return self if district else self.filter(Q(carrier__isnull=True) | Q(carrier__in=carriers))


class Target(models.Model):
    """One target: for `year`, `indicator` (read in `form`) should be `comparison` `value` (or, for the
    accreditation indicator, reach `level`), district-wide (`carrier` empty) or at one carrier."""

    plan = models.ForeignKey(TargetPlan, verbose_name=_("plan"), on_delete=models.PROTECT, related_name="targets")
    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    indicator = models.CharField(_("indicator"), max_length=40, choices=INDICATOR_CHOICES)
    carrier = models.ForeignKey(
        "parks.Carrier",
        verbose_name=_("carrier"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="targets",
        help_text=_("Empty for a district-wide target."),
    )
    form = models.CharField(_("reading"), max_length=20, choices=TargetForm.choices, default=TargetForm.YEARLY)
    comparison = models.CharField(
        _("comparison"), max_length=10, choices=Comparison.choices, default=Comparison.AT_LEAST
    )
    value = models.DecimalField(_("target value"), max_digits=16, decimal_places=2, null=True, blank=True)
    level = models.CharField(_("accreditation level"), max_length=20, choices=AccreditationLevel.choices, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = TargetQuerySet.as_manager()

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        ordering = ["year", "indicator", "carrier_id", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "year", "indicator", "carrier", "form"],
                nulls_distinct=False,
                name="target_one_per_indicator",
                violation_error_message=_("This plan already has a target for this indicator, year and carrier."),
            ),
            models.CheckConstraint(
                condition=(Q(indicator="accreditation_level") & ~Q(level="") & Q(value__isnull=True))
                | (~Q(indicator="accreditation_level") & Q(level="") & Q(value__isnull=False)),
                name="target_value_or_level",
                violation_error_message=_("An accreditation target names a level; every other target names a value."),
            ),
            models.CheckConstraint(
                condition=Q(value__isnull=True) | Q(value__gte=0),
                name="target_value_not_negative",
                violation_error_message=_("A target value cannot be negative."),
            ),
        ]
        indexes = [models.Index(fields=["year", "indicator"], name="target_year_indicator_idx")]

    def __str__(self) -> str:
        return f"{self.year} {self.get_indicator_display()}"


class TargetRevision(models.Model):
    """Every change to a target, kept for ever: who, when, why, and the values before and after."""

    target = models.ForeignKey(Target, verbose_name=_("target"), on_delete=models.PROTECT, related_name="revisions")
    changes = models.JSONField(_("changes"), default=dict, help_text=_("{field: [before, after]}"))
    reason = models.TextField(_("reason"), blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("target revision")
        verbose_name_plural = _("target revisions")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.target} @ {self.at:%Y-%m-%d %H:%M}"


class ReportRunQuerySet(RestrictedQuerySet):
    def scope_for(self, user, action: str):
        """Park staff see the runs of their own carriers only (never the district-wide ones)."""
        if sees_every_carrier(user, action, self.model):
            return self
        return self.filter(carrier__staff=user)

    def without_payload(self):
        """The run without its snapshot and files: what a list needs."""
        return self.defer("snapshot", "html_file", "pdf_file", "xlsx_file")


class ReportRun(models.Model):
    """One compilation of a progress report (年度报告) for a year, a kind and a scope, in its own version.

    A Celery task compiles it (targets.tasks.compile_report_run) and freezes the figures and their contributors into
    `snapshot`, from which the three files are rendered. Once it has succeeded the database refuses any change to its
    snapshot and files (trigger `reportrun_immutable`, migration 0003); it may be published once. Re-compiling makes a
    new version. See docs/reports.md."""

    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    kind = models.CharField(_("kind"), max_length=10, choices=ReportKind.choices, default=ReportKind.YEARLY)
    carrier = models.ForeignKey(
        "parks.Carrier",
        verbose_name=_("carrier"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="report_runs",
        help_text=_("Empty for the whole district."),
    )
    version = models.PositiveIntegerField(_("version"))
    status = models.CharField(_("status"), max_length=10, choices=RunStatus.choices, default=RunStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress"), default=0)
    step = models.CharField(_("step"), max_length=200, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    lease_token = models.UUIDField(_("lease token"), null=True, blank=True, editable=False)
    lease_expires_at = models.DateTimeField(_("lease expires at"), null=True, blank=True)
    request_key = models.CharField(_("request key"), max_length=100, unique=True)
    triggered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("triggered by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Empty when Celery beat triggered it."),
    )
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES, default="zh-hans")
    as_of = models.DateField(_("as of"))
    snapshot = models.JSONField(_("snapshot"), null=True, blank=True, editable=False)
    html_file = models.BinaryField(_("HTML file"), null=True, blank=True, editable=False)
    pdf_file = models.BinaryField(_("PDF file"), null=True, blank=True, editable=False)
    xlsx_file = models.BinaryField(_("XLSX file"), null=True, blank=True, editable=False)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    enqueued_at = models.DateTimeField(_("enqueued at"), null=True, blank=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = ReportRunQuerySet.as_manager()

    class Meta:
        verbose_name = _("report run")
        verbose_name_plural = _("report runs")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "kind", "carrier", "version"],
                nulls_distinct=False,
                name="reportrun_one_per_version",
                violation_error_message=_("This report already has a run of this version."),
            ),
            models.CheckConstraint(condition=Q(progress__lte=100), name="reportrun_progress_percent"),
            models.CheckConstraint(condition=Q(version__gte=1), name="reportrun_version_positive"),
            models.CheckConstraint(
                condition=~Q(status="succeeded")
                | (
                    Q(snapshot__isnull=False)
                    & Q(html_file__isnull=False)
                    & Q(pdf_file__isnull=False)
                    & Q(xlsx_file__isnull=False)
                    & Q(finished_at__isnull=False)
                    & Q(progress=100)
                ),
                name="reportrun_succeeded_has_files",
            ),
            models.CheckConstraint(
                condition=~Q(status="failed") | (~Q(error="") & Q(finished_at__isnull=False)),
                name="reportrun_failed_has_error",
            ),
            models.CheckConstraint(
                condition=Q(published_at__isnull=True) | Q(status="succeeded"),
                name="reportrun_only_succeeded_published",
            ),
            models.CheckConstraint(
                condition=~Q(status="running") | (Q(lease_token__isnull=False) & Q(lease_expires_at__isnull=False)),
                name="reportrun_running_has_lease",
            ),
        ]
        indexes = [
            models.Index(fields=["year", "kind"], name="reportrun_year_kind_idx"),
            models.Index(fields=["status", "lease_expires_at"], name="reportrun_status_lease_idx"),
            models.Index(fields=["-created_at"], name="reportrun_created_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.get_kind_display()} v{self.version}"

    @property
    def scope_name(self) -> str:
        return self.carrier.display_name if self.carrier_id else str(_("Whole district"))

    @property
    def is_active(self) -> bool:
        return self.status in (RunStatus.QUEUED, RunStatus.RUNNING)
