"""Target plans: what the district aims for, year by year and indicator by indicator, district-wide or per carrier.

The indicators themselves are defined in code (`targets.indicators`), so a target names one by its code."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.access import RestrictedQuerySet
from parks.choices import AccreditationLevel
from targets.choices import Comparison, TargetForm
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

    objects = RestrictedQuerySet.as_manager()

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
