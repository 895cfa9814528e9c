"""Residencies (在孵记录: an enterprise's stay at one stage of one carrier) and space allocations (场地分配)."""

from __future__ import annotations

import functools
import operator

from django.conf import settings
from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import DateRangeField, RangeOperators
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower, Upper
from django.utils.translation import gettext_lazy as _

from accounts.access import RestrictedQuerySet
from accounts.roles import Role, carrier_lookup, roles_of, sees_every_carrier
from incubation.choices import (
    OPEN_APPLICATION_STATUSES,
    SCORING_NAMES,
    ApplicationStatus,
    Combination,
    ResidencyEndReason,
    RuleSetKind,
    SpaceOutcome,
    TransitionKind,
)
from parks.choices import Stage, UnitKind


def _scope_by_carrier(queryset, user, action: str, carrier_path: str, enterprise_path: str):
    """The operating company and the bureau (reading) see every carrier's tenants; park staff their carriers';
    an enterprise user their own enterprise's."""
    lookup = carrier_lookup(user, action, queryset.model, carrier_path)
    if lookup is not None:
        return queryset.filter(lookup)
    if Role.ENTERPRISE in roles_of(user) and action == "view":
        return queryset.filter(**{f"{enterprise_path}memberships__user": user})
    return queryset.none()


class ResidencyQuerySet(RestrictedQuerySet):
    def scope_for(self, user, action: str) -> ResidencyQuerySet:
        return _scope_by_carrier(self, user, action, "carrier__", "enterprise__")

    def current(self) -> ResidencyQuerySet:
        return self.filter(ended_on__isnull=True)


class Residency(models.Model):
    """An enterprise's stay at one stage of one carrier, from admission until promotion, transfer, graduation or
    exit. An enterprise has at most one open residency (the database says so)."""

    enterprise = models.ForeignKey(
        "enterprises.Enterprise", verbose_name=_("enterprise"), on_delete=models.PROTECT, related_name="residencies"
    )
    carrier = models.ForeignKey(
        "parks.Carrier", verbose_name=_("carrier"), on_delete=models.PROTECT, related_name="residencies"
    )
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices)
    started_on = models.DateField(_("start date"))
    planned_end_on = models.DateField(_("planned end date"), null=True, blank=True)
    agreement_no = models.CharField(_("agreement number"), max_length=60, blank=True)
    ended_on = models.DateField(_("end date"), null=True, blank=True)
    end_reason = models.CharField(_("reason for ending"), max_length=20, choices=ResidencyEndReason.choices, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    objects = ResidencyQuerySet.as_manager()

    class Meta:
        verbose_name = _("residency")
        verbose_name_plural = _("residencies")
        ordering = ["-started_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise"],
                condition=Q(ended_on__isnull=True),
                name="residency_one_open_per_enterprise",
                violation_error_message=_("This enterprise already has an open residency; end or move it first."),
            ),
            models.CheckConstraint(
                condition=Q(planned_end_on__isnull=True) | Q(planned_end_on__gt=models.F("started_on")),
                name="residency_planned_end_after_start",
                violation_error_message=_("The planned end date must come after the start date."),
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="residency_end_not_before_start",
                violation_error_message=_("The end date cannot come before the start date."),
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True, end_reason="") | Q(ended_on__isnull=False) & ~Q(end_reason=""),
                name="residency_end_has_reason",
                violation_error_message=_("An ended residency records why it ended."),
            ),
        ]
        indexes = [
            models.Index(fields=["carrier", "stage"], name="residency_carrier_stage_idx"),
            models.Index(fields=["started_on"], name="residency_started_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} · {self.carrier} · {self.get_stage_display()}"

    def clean(self) -> None:
        if self.carrier_id and self.stage and self.stage not in self.carrier.stages:
            raise ValidationError(
                {
                    "stage": _("%(carrier)s does not offer this stage; choose one of: %(stages)s.")
                    % {
                        "carrier": self.carrier,
                        "stages": "、".join(str(label) for label in self.carrier.stage_labels()),
                    }
                }
            )

    @property
    def is_open(self) -> bool:
        return self.ended_on is None


class AllocationQuerySet(RestrictedQuerySet):
    def scope_for(self, user, action: str) -> AllocationQuerySet:
        return _scope_by_carrier(self, user, action, "residency__carrier__", "residency__enterprise__")


class Allocation(models.Model):
    """A unit let to a residency for a period [start, end). No unit is let twice for overlapping dates: an
    exclusion constraint in the database refuses it, whatever writes it."""

    residency = models.ForeignKey(
        Residency, verbose_name=_("residency"), on_delete=models.PROTECT, related_name="allocations"
    )
    unit = models.ForeignKey("parks.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="allocations")
    period = DateRangeField(_("period"))

    objects = AllocationQuerySet.as_manager()

    class Meta:
        verbose_name = _("space allocation")
        verbose_name_plural = _("space allocations")
        ordering = ["unit_id", "period"]
        constraints = [
            ExclusionConstraint(
                name="allocation_no_overlap",
                expressions=[("unit", RangeOperators.EQUAL), ("period", RangeOperators.OVERLAPS)],
                violation_error_message=_("This unit is already let for part of these dates."),
            ),
            models.CheckConstraint(
                condition=Q(period__isempty=False) & Q(period__lower_inf=False),
                name="allocation_period_has_a_start",
                violation_error_message=_("An allocation needs a start date before its end date."),
            ),
        ]
        indexes = [models.Index(Lower("period"), Upper("period"), name="allocation_period_idx")]

    def __str__(self) -> str:
        return (
            f"{self.unit} · {self.period.lower:%Y-%m-%d}–{self.period.upper:%Y-%m-%d}"
            if self.period.upper
            else f"{self.unit} · {self.period.lower:%Y-%m-%d}–"
        )


class RuleSet(models.Model):
    """A versioned, dated set of criteria (admission to a stage, graduation), kept as data because policy changes
    (DOMAIN.md §3). `criteria` is a list of {"code": ..., "params": {...}}; incubation.rules evaluates each code.
    A new version takes effect on its date; old versions stay, so past decisions can be explained."""

    kind = models.CharField(_("kind"), max_length=30, choices=RuleSetKind.choices)
    version = models.PositiveSmallIntegerField(_("version"))
    effective_from = models.DateField(_("effective from"))
    combination = models.CharField(_("combination"), max_length=5, choices=Combination.choices)
    criteria = models.JSONField(_("criteria"), default=list)
    source = models.CharField(_("source"), max_length=200, blank=True, help_text=_("The policy document it follows."))
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, blank=True, on_delete=models.PROTECT
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("rule set")
        verbose_name_plural = _("rule sets")
        ordering = ["kind", "-effective_from", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "version"], name="ruleset_unique_version"),
            models.UniqueConstraint(
                fields=["kind", "effective_from"],
                name="ruleset_one_per_day",
                violation_error_message=_("Another version of this rule set takes effect on the same day."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} v{self.version} ({self.effective_from:%Y-%m-%d})"


class TransitionQuerySet(RestrictedQuerySet):
    def scope_for(self, user, action: str) -> TransitionQuerySet:
        return _scope_by_carrier(self, user, action, "from_residency__carrier__", "enterprise__")


class Transition(models.Model):
    """A move in the pipeline (阶段变更): promotion, transfer, graduation or exit, with the criteria as evaluated
    then and, when staff overrode an unmet criterion, their written reason."""

    enterprise = models.ForeignKey(
        "enterprises.Enterprise", verbose_name=_("enterprise"), on_delete=models.PROTECT, related_name="transitions"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=TransitionKind.choices)
    occurred_on = models.DateField(_("date"))
    from_residency = models.ForeignKey(
        Residency, verbose_name=_("from"), on_delete=models.PROTECT, related_name="transitions_out"
    )
    to_residency = models.ForeignKey(
        Residency, verbose_name=_("to"), null=True, blank=True, on_delete=models.PROTECT, related_name="transitions_in"
    )
    rule_set = models.ForeignKey(RuleSet, verbose_name=_("rule set"), null=True, blank=True, on_delete=models.PROTECT)
    criteria = models.JSONField(_("criteria as evaluated"), default=list)
    override_reason = models.TextField(_("reason for overriding unmet criteria"), blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    # Empty when the tenant had no space let at the date of the move.
    space = models.CharField(_("space"), max_length=8, choices=SpaceOutcome.choices, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT)
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    objects = TransitionQuerySet.as_manager()

    class Meta:
        verbose_name = _("transition")
        verbose_name_plural = _("transitions")
        ordering = ["-occurred_on", "-id"]

    def __str__(self) -> str:
        return f"{self.enterprise} · {self.get_kind_display()} · {self.occurred_on:%Y-%m-%d}"


class ApplicationQuerySet(RestrictedQuerySet):
    def scope_for(self, user, action: str) -> ApplicationQuerySet:
        """Staff see the applications to their carriers (the operating company all) once submitted; the bureau
        reads all submitted ones; an applicant their own enterprise's, drafts too; an expert those assigned to
        them. Drafts are the applicant's own business until they submit."""
        roles = roles_of(user)
        submitted = ~Q(status=ApplicationStatus.DRAFT)
        visible: list[Q] = []
        carriers = carrier_lookup(user, action, self.model, "carrier__")
        if carriers == Q():  # every carrier
            visible.append(submitted)
        elif carriers is not None:
            # Subqueries, not joins: an OR across joins to a carrier's staff and an enterprise's members repeats rows.
            visible.append(submitted & Q(pk__in=Application.objects.filter(carriers).values("pk")))
        if Role.ENTERPRISE in roles:
            visible.append(Q(pk__in=Application.objects.filter(enterprise__memberships__user=user).values("pk")))
        if Role.EXPERT in roles and action == "view":
            visible.append(submitted & Q(pk__in=Review.objects.filter(expert=user).values("application_id")))
        if not visible:
            return self.none()
        return self.filter(functools.reduce(operator.or_, visible))


MONEY = {"max_digits": 14, "decimal_places": 2}


class Application(models.Model):
    """An application (入驻申请) by a team or enterprise for a stage at a carrier: drafted and submitted by the
    applicant, screened against the stage's rule set, scored by experts, decided by staff, and on approval
    admitted as a Residency. incubation.workflow declares its states and moves."""

    enterprise = models.ForeignKey(
        "enterprises.Enterprise", verbose_name=_("applicant"), on_delete=models.PROTECT, related_name="applications"
    )
    carrier = models.ForeignKey(
        "parks.Carrier", verbose_name=_("carrier"), on_delete=models.PROTECT, related_name="applications"
    )
    stage = models.CharField(_("stage applied for"), max_length=20, choices=Stage.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=ApplicationStatus.choices, default=ApplicationStatus.DRAFT
    )
    # What the form asks (all but the carrier and stage may stay blank in a draft; submission checks them).
    project_name = models.CharField(_("project name"), max_length=200, blank=True)
    technology = models.TextField(_("project and technology"), blank=True)
    intellectual_property = models.TextField(_("intellectual property"), blank=True)
    team = models.TextField(_("team"), blank=True)
    market = models.TextField(_("market and competition"), blank=True)
    finances = models.TextField(_("finances"), blank=True)
    funding_needs = models.TextField(_("funding needs"), blank=True)
    funding_amount = models.DecimalField(
        _("funding sought (10k yuan)"), **MONEY, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    requested_area = models.DecimalField(
        _("space requested (m²)"),
        max_digits=8,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    requested_space_type = models.CharField(_("type of space"), max_length=20, choices=UnitKind.choices, blank=True)
    documents = models.ManyToManyField(
        "enterprises.Document", verbose_name=_("documents"), blank=True, related_name="applications"
    )
    # Screening: the admission criteria as evaluated when staff finished screening.
    screening_rule_set = models.ForeignKey(
        "RuleSet",
        verbose_name=_("admission rule set"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="screened_applications",
    )
    screening_results = models.JSONField(_("screening results"), default=list, blank=True)
    # The scoring rubric (weights) the experts score against, fixed when the first expert is assigned.
    scoring_rule_set = models.ForeignKey(
        "RuleSet",
        verbose_name=_("scoring rubric"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="scored_applications",
    )
    decision_reason = models.TextField(_("reason for the decision"), blank=True)
    residency = models.OneToOneField(
        Residency,
        verbose_name=_("residency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="application",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["-submitted_at", "-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "carrier", "stage"],
                condition=Q(status__in=OPEN_APPLICATION_STATUSES),
                name="application_one_open_per_place",
                violation_error_message=_(
                    "This enterprise already has an open application for this stage at this carrier."
                ),
            ),
            models.CheckConstraint(
                condition=Q(residency__isnull=True) | Q(status=ApplicationStatus.APPROVED),
                name="application_admitted_only_when_approved",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "carrier"], name="application_status_carrier_idx"),
            models.Index(fields=["-submitted_at"], name="application_submitted_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} · {self.carrier} · {self.get_stage_display()}"

    def clean(self) -> None:
        if self.carrier_id and self.stage and self.stage not in self.carrier.stages:
            raise ValidationError(
                {
                    "stage": _("%(carrier)s does not offer this stage; choose one of: %(stages)s.")
                    % {
                        "carrier": self.carrier,
                        "stages": "、".join(str(label) for label in self.carrier.stage_labels()),
                    }
                }
            )


class ApplicationEventQuerySet(RestrictedQuerySet):
    def scope_for(self, user, action: str) -> ApplicationEventQuerySet:
        return self.filter(application__in=Application.objects.scope_for(user, action).values("pk"))


class ApplicationEvent(models.Model):
    """One step on an application's timeline: a status change with who made it, when, and the message left for
    the applicant (a request for more material, the reason for a decision)."""

    application = models.ForeignKey(
        Application, verbose_name=_("application"), on_delete=models.CASCADE, related_name="events"
    )
    action = models.CharField(_("action"), max_length=30)
    from_status = models.CharField(_("from"), max_length=20, choices=ApplicationStatus.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=20, choices=ApplicationStatus.choices)
    message = models.TextField(_("message"), blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("at"), auto_now_add=True)

    objects = ApplicationEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("application event")
        verbose_name_plural = _("application events")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.application_id} · {self.from_status} → {self.to_status}"


class ReviewQuerySet(RestrictedQuerySet):
    def scope_for(self, user, action: str) -> ReviewQuerySet:
        """Staff who see the application see its reviews; an expert sees their own review, and the others' only
        once they have submitted theirs (blind until then). Applicants never see reviews."""
        carriers = carrier_lookup(user, action, self.model, "application__carrier__")
        if carriers == Q():
            return self.exclude(application__status=ApplicationStatus.DRAFT)
        if carriers is not None:
            return self.filter(carriers)
        if Role.EXPERT in roles_of(user):
            if action != "view":
                return self.filter(expert=user)
            submitted = Review.objects.filter(expert=user, submitted_at__isnull=False).values("application_id")
            return self.filter(Q(expert=user) | Q(application_id__in=submitted))
        return self.none()


class Review(models.Model):
    """One expert's review of one application: scores per criterion of the scoring rubric (0–100), a comment,
    and the weighted score, fixed when the expert submits."""

    application = models.ForeignKey(
        Application, verbose_name=_("application"), on_delete=models.CASCADE, related_name="reviews"
    )
    expert = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("expert"), on_delete=models.PROTECT, related_name="reviews"
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("assigned by"), on_delete=models.PROTECT, related_name="+"
    )
    assigned_at = models.DateTimeField(_("assigned at"), auto_now_add=True)
    scores = models.JSONField(_("scores"), default=dict, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    weighted_score = models.DecimalField(_("weighted score"), max_digits=5, decimal_places=2, null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)

    objects = ReviewQuerySet.as_manager()

    # The audit trail reads the keys of `scores` by these names (accounts.models.AuditEvent.change_rows).
    audit_key_labels = {"scores": SCORING_NAMES}

    class Meta:
        verbose_name = _("expert review")
        verbose_name_plural = _("expert reviews")
        ordering = ["assigned_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "expert"],
                name="review_one_per_expert",
                violation_error_message=_("This expert is already assigned to this application."),
            ),
            models.CheckConstraint(
                condition=Q(submitted_at__isnull=True) | Q(weighted_score__gte=0, weighted_score__lte=100),
                name="review_submitted_has_score",
                violation_error_message=_("A submitted review has a weighted score between 0 and 100."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application} · {self.expert}"


class TenantImportStatus(models.TextChoices):
    DRAFT = "draft", _("Preview, not applied")
    APPLIED = "applied", _("Applied")


class TenantImportQuerySet(RestrictedQuerySet):
    def scope_for(self, user, action: str) -> TenantImportQuerySet:
        # The operating company sees every import; park staff the ones they uploaded (their rows are their carriers').
        if sees_every_carrier(user, action, self.model):
            return self
        return self.filter(created_by=user)


class TenantImport(models.Model):
    """An uploaded roster of existing tenants, parsed and checked row by row (the preview). Confirming applies
    exactly the rows stored here, once; the file itself is not kept, only its name and SHA-256."""

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    file_name = models.CharField(_("file name"), max_length=255)
    file_sha256 = models.CharField(_("SHA-256 of the file"), max_length=64, db_index=True)
    rows = models.JSONField(_("rows"), default=list)
    counts = models.JSONField(_("counts"), default=dict)
    status = models.CharField(_("status"), max_length=10, choices=TenantImportStatus, default=TenantImportStatus.DRAFT)
    applied_at = models.DateTimeField(_("applied at"), null=True, blank=True)
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("applied by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = TenantImportQuerySet.as_manager()

    class Meta:
        verbose_name = _("tenant import")
        verbose_name_plural = _("tenant imports")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status=TenantImportStatus.DRAFT, applied_at__isnull=True)
                | Q(status=TenantImportStatus.APPLIED, applied_at__isnull=False),
                name="tenantimport_applied_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.created_at:%Y-%m-%d %H:%M})" if self.created_at else self.file_name

    @property
    def has_errors(self) -> bool:
        return bool(self.counts.get("error"))
