"""Target plans: what the district aims for, year by year and indicator by indicator, district-wide or per carrier.

The indicators themselves are defined in code (`targets.indicators`), so a target names one by its code."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.access import RestrictedQuerySet
from accounts.phrasebook import in_reader_language
from accounts.roles import sees_every_carrier
from enterprises.choices import ReminderKind, ReportStatus
from enterprises.models import Enterprise
from parks.choices import AccreditationLevel
from targets.choices import (
    Comparison,
    CriterionKind,
    EvaluationOutcome,
    Operator,
    ReportKind,
    RunStatus,
    SchemeSubject,
    TargetForm,
    Unit,
)
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


class Scheme(models.Model):
    """A rule scheme (评价、认定、毕业、准入、认定标准): what is judged, of whom. Its rules live in its versions, each
    issued by a document and in force from a date; a scheme's code never changes once evaluations name it."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    subject = models.CharField(_("judges"), max_length=10, choices=SchemeSubject.choices)
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("name in English"), max_length=100, blank=True)
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("rule scheme")
        verbose_name_plural = _("rule schemes")
        ordering = ["position", "code"]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return in_reader_language(self.name, self.name_en)


class SchemeVersion(models.Model):
    """One version of a scheme's rules, as a document issued them. A draft may be edited; once published the
    database refuses any change to it, its criteria and their bands (migration 0005), so an evaluation made by it
    can always be explained. The version in force on a date is the latest published one effective by then."""

    scheme = models.ForeignKey(Scheme, verbose_name=_("scheme"), on_delete=models.PROTECT, related_name="versions")
    version = models.PositiveSmallIntegerField(_("version"))
    title = models.CharField(_("document title"), max_length=200)
    issuer = models.CharField(_("issuer"), max_length=100)
    document_no = models.CharField(_("document number"), max_length=60, blank=True)
    region = models.CharField(_("region"), max_length=60, help_text=_("Where it applies, e.g. 全国, 山东省, 淄博市."))
    effective_from = models.DateField(_("effective from"))
    source = models.CharField(
        _("source"), max_length=300, blank=True, help_text=_("Where the rules were taken from: a link or a citation.")
    )
    is_example = models.BooleanField(
        _("example to be confirmed"),
        default=False,
        help_text=_("The official figures were not found: an example (待确认) for staff to confirm or correct."),
    )
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("published by"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+", help_text=_("Empty for the versions the portal ships with."),
    )  # fmt: skip
    # What the publisher was shown and confirmed when the version took effect in the past (empty otherwise).
    retroactive_confirmation = models.JSONField(_("confirmed retroactive effect"), default=dict, blank=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("rule version")
        verbose_name_plural = _("rule versions")
        ordering = ["scheme__position", "scheme__code", "-effective_from", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "version"], name="schemeversion_unique_number"),
            models.UniqueConstraint(
                fields=["scheme", "effective_from"],
                condition=Q(published_at__isnull=False),
                name="schemeversion_one_per_day",
                violation_error_message=_("Another published version of this scheme takes effect on the same day."),
            ),
            models.UniqueConstraint(
                fields=["scheme"],
                condition=Q(published_at__isnull=True),
                name="schemeversion_one_draft",
                violation_error_message=_("This scheme already has a draft version: edit or discard it first."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.scheme} v{self.version} ({self.effective_from:%Y-%m-%d})"

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


class Criterion(models.Model):
    """A criterion as data: a metric the portal computes (targets.metrics), an operator, a threshold in a unit,
    and the words a person reads. A score criterion gives the points of the band its value falls in; within a
    `part` the best criterion counts (the tech-SME R&D points take the better of two ratios). A threshold may
    instead come from bands over another metric (the HTE R&D ratio by the last year's sales)."""

    version = models.ForeignKey(
        SchemeVersion, verbose_name=_("version"), on_delete=models.CASCADE, related_name="criteria"
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    code = models.SlugField(_("code"), max_length=60)
    kind = models.CharField(_("kind"), max_length=10, choices=CriterionKind.choices)
    part = models.SlugField(
        _("part"),
        max_length=40,
        blank=True,
        help_text=_("Score criteria of one part: the best counts. Conditions of one part: any one of them suffices."),
    )
    metric = models.CharField(_("metric"), max_length=60)
    operator = models.CharField(_("operator"), max_length=3, choices=Operator.choices, blank=True)
    threshold = models.DecimalField(_("threshold"), max_digits=14, decimal_places=4, null=True, blank=True)
    unit = models.CharField(pgettext_lazy("measure", "unit"), max_length=10, choices=Unit.choices)
    threshold_metric = models.CharField(
        _("threshold by"), max_length=60, blank=True,
        help_text=_("The threshold comes from the bands over this metric instead of being fixed."),
    )  # fmt: skip
    waived_by_route = models.BooleanField(
        _("met by a direct route"), default=False, help_text=_("A direct route met makes this condition unnecessary.")
    )
    text = models.CharField(_("text"), max_length=300)
    text_en = models.CharField(_("text in English"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["version", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="criterion_unique_code"),
            models.CheckConstraint(
                condition=Q(kind=CriterionKind.SCORE, operator="", threshold__isnull=True)
                | (~Q(kind=CriterionKind.SCORE) & ~Q(operator="")),
                name="criterion_score_has_bands_others_an_operator",
                violation_error_message=_("A score band gives points and has no operator; other criteria need one."),
            ),
            models.CheckConstraint(
                condition=Q(operator=Operator.YES, threshold__isnull=True)
                | Q(operator="")
                | (~Q(threshold_metric="") & Q(threshold__isnull=True))
                | (~Q(operator__in=["", Operator.YES]) & Q(threshold_metric="") & Q(threshold__isnull=False)),
                name="criterion_threshold_fits_operator",
                violation_error_message=_(
                    "A comparison needs a threshold (or bands that give it); a yes-or-no condition has none."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.display_text

    @property
    def display_text(self) -> str:
        return in_reader_language(self.text, self.text_en)


class Band(models.Model):
    """A band of a criterion's scale: from `lower` (inclusive unless said; empty: from the bottom) up to the next
    band, the criterion gives `value` (points, or the threshold when the criterion's threshold comes by bands)."""

    criterion = models.ForeignKey(
        Criterion, verbose_name=_("criterion"), on_delete=models.CASCADE, related_name="bands"
    )
    lower = models.DecimalField(_("from"), max_digits=14, decimal_places=4, null=True, blank=True)
    lower_inclusive = models.BooleanField(_("including the lower bound"), default=True)
    value = models.DecimalField(_("points or threshold"), max_digits=14, decimal_places=4)

    class Meta:
        verbose_name = _("band")
        verbose_name_plural = _("bands")
        ordering = ["criterion", models.F("lower").asc(nulls_first=True)]
        constraints = [
            models.UniqueConstraint(
                fields=["criterion", "lower"], nulls_distinct=False, name="band_one_per_lower_bound"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.lower} → {self.value}"


class FilingWindow(models.Model):
    """When a scheme's applications are taken in a year (the tech-SME 评价 window changes every year: data)."""

    scheme = models.ForeignKey(Scheme, verbose_name=_("scheme"), on_delete=models.PROTECT, related_name="windows")
    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"))
    source = models.CharField(_("source"), max_length=300, blank=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("filing window")
        verbose_name_plural = _("filing windows")
        ordering = ["scheme", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "year"], name="filingwindow_one_per_year"),
            models.CheckConstraint(
                condition=Q(closes_on__gte=models.F("opens_on")),
                name="filingwindow_closes_after_opening",
                violation_error_message=_("A window closes on or after the day it opens."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.scheme} {self.year}: {self.opens_on:%Y-%m-%d}–{self.closes_on:%Y-%m-%d}"


class EvaluationQuerySet(RestrictedQuerySet):
    def scope_for(self, user, action: str) -> EvaluationQuerySet:
        """An enterprise's evaluations are read as its records are (its members, its carriers' staff, the bureau):
        no filter at all for those who read every enterprise."""
        if sees_every_carrier(user, action, Enterprise):
            return self
        return self.filter(enterprise__in=Enterprise.objects.for_user(user, action).values("pk"))


class Evaluation(models.Model):
    """An enterprise judged by a scheme version for a year, kept as it was: every criterion's value, threshold,
    result and the records it came from (`results`), so that later versions and corrected figures never rewrite
    it. The latest evaluation of an enterprise, scheme and year is the current one; the others are its history."""

    scheme = models.ForeignKey(Scheme, verbose_name=_("scheme"), on_delete=models.PROTECT, related_name="+")
    version = models.ForeignKey(
        SchemeVersion, verbose_name=_("version"), on_delete=models.PROTECT, related_name="evaluations"
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", verbose_name=_("enterprise"), on_delete=models.CASCADE, related_name="evaluations"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    evaluated_on = models.DateField(_("evaluated on"))
    outcome = models.CharField(_("outcome"), max_length=15, choices=EvaluationOutcome.choices)
    score = models.DecimalField(_("score"), max_digits=6, decimal_places=2, null=True, blank=True)
    readiness = models.DecimalField(
        _("readiness"), max_digits=5, decimal_places=2, help_text=_("The share of conditions met, in percent.")
    )
    gaps = models.PositiveSmallIntegerField(_("conditions not met or unknown"))
    # The outcome as the cultivation list ranks it (qualifies, cannot tell yet, does not qualify): stored, so that
    # the list walks an index instead of sorting every evaluation of the round.
    standing = models.GeneratedField(
        expression=models.Case(
            models.When(outcome=EvaluationOutcome.QUALIFIED, then=models.Value(0)),
            models.When(outcome=EvaluationOutcome.UNDETERMINED, then=models.Value(1)),
            default=models.Value(2),
        ),
        output_field=models.PositiveSmallIntegerField(),
        db_persist=True,
    )
    results = models.JSONField(_("results"), default=list)
    is_current = models.BooleanField(_("current"), default=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+", help_text=_("Empty when a scheduled job evaluated it."),
    )  # fmt: skip
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = EvaluationQuerySet.as_manager()

    class Meta:
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["scheme", "enterprise", "year"],
                condition=Q(is_current=True),
                name="evaluation_one_current",
            ),
        ]
        indexes = [
            # The cultivation list's order (targets.selectors.evaluation.cultivation_candidates).
            models.Index(
                "scheme", "year", "standing", models.F("readiness").desc(), "gaps",
                models.F("score").desc(nulls_last=True), "id",
                condition=Q(is_current=True), name="evaluation_ranking_idx",
            ),
            # The API's ranking of a scheme's current evaluations.
            models.Index(
                "scheme", models.F("readiness").desc(), models.F("id").desc(),
                condition=Q(is_current=True), name="evaluation_readiness_idx",
            ),
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.enterprise} · {self.scheme} {self.year}: {self.get_outcome_display()}"


class CandidateQuerySet(RestrictedQuerySet):
    def scope_for(self, user, action: str) -> CandidateQuerySet:
        """Staff see and mark the candidates among the enterprises they oversee (park staff: their carriers')."""
        return self.filter(enterprise__in=Enterprise.objects.for_user(user, "view").values("pk"))


class Candidate(models.Model):
    """An enterprise staff cultivate toward a qualification in a round (培育库): marked by staff, with the
    follow-ups they record."""

    scheme = models.ForeignKey(Scheme, verbose_name=_("scheme"), on_delete=models.PROTECT, related_name="+")
    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("enterprise"), on_delete=models.CASCADE, related_name="candidacies"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("marked by"), on_delete=models.PROTECT, related_name="+"
    )
    marked_at = models.DateTimeField(_("marked at"), auto_now_add=True)

    objects = CandidateQuerySet.as_manager()

    class Meta:
        verbose_name = _("cultivation candidate")
        verbose_name_plural = _("cultivation candidates")
        ordering = ["-marked_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["scheme", "enterprise", "year"],
                name="candidate_once_per_round",
                violation_error_message=_("This enterprise is already a candidate for this round."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} · {self.scheme} {self.year}"


class FollowUpQuerySet(RestrictedQuerySet):
    def scope_for(self, user, action: str) -> FollowUpQuerySet:
        return self.filter(candidate__in=Candidate.objects.for_user(user, "view").values("pk"))


class FollowUp(models.Model):
    """What staff did for a candidate (a visit, a call, help with the figures), and when they will look again."""

    candidate = models.ForeignKey(
        Candidate, verbose_name=_("candidate"), on_delete=models.CASCADE, related_name="follow_ups"
    )
    occurred_on = models.DateField(_("date"))
    note = models.TextField(_("what was done"))
    next_on = models.DateField(_("next follow-up"), null=True, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    objects = FollowUpQuerySet.as_manager()

    class Meta:
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        ordering = ["-occurred_on", "-id"]

    def __str__(self) -> str:
        return f"{self.candidate} · {self.occurred_on:%Y-%m-%d}"


class CarrierReturnQuerySet(RestrictedQuerySet):
    def scope_for(self, user, action: str) -> CarrierReturnQuerySet:
        """The operating company and the bureau see every carrier's returns; park staff their own carriers'."""
        if sees_every_carrier(user, action, self.model):
            return self
        return self.filter(carrier__staff=user)

    def current(self) -> CarrierReturnQuerySet:
        """The current version of each carrier's year (a superseded version is history)."""
        return self.exclude(status=ReportStatus.SUPERSEDED)


RETURN_MONEY = {"max_digits": 14, "decimal_places": 2, "null": True, "blank": True}  # 万元, as the form asks
# The figures a return takes from the portal's records when it is submitted (CarrierReturn.portal_figures), by name.
PORTAL_FIGURE_NAMES = {
    "total_area": _("total area (m²)"),
    "tenant_area": _("area let to tenants on 31 December (m²)"),
    "public_service_area": _("public service area (m²)"),
    "tenants": _("tenants on 31 December"),
    "new_tenants": _("new tenants in the year"),
    "graduates": _("graduates in the year"),
    "graduates_cumulative": _("graduates, cumulative"),
    "tenants_financed": _("tenants financed in the year"),
    "tenants_with_ip": _("tenants holding valid IP"),
}


RETURN_COUNT = {"null": True, "blank": True}


class CarrierReturn(models.Model):
    """载体年报: once a year each carrier files the facts of the Torch incubator survey that the portal cannot compute
    (the operator's staff, mentors, the incubation fund, income by kind, events and training, public platforms).
    Every figure here is entered by hand; the figures the portal knows (area, tenants, graduates, financing, IP)
    are computed from its records and frozen into `portal_figures` when the return is submitted.

    The same life as an operating report (targets.return_workflow): draft, submitted, returned, verified (locked);
    a correction is a new version that supersedes the verified one. Money in 万元 (10k yuan)."""

    carrier = models.ForeignKey(
        "parks.Carrier", verbose_name=_("carrier"), on_delete=models.PROTECT, related_name="annual_returns"
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(2017), MaxValueValidator(2100)])
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    status = models.CharField(_("status"), max_length=20, choices=ReportStatus.choices, default=ReportStatus.DRAFT)

    operator_staff = models.PositiveIntegerField(_("operator's staff"), **RETURN_COUNT)
    professional_staff = models.PositiveIntegerField(_("of which professional incubation staff"), **RETURN_COUNT)
    certified_staff = models.PositiveIntegerField(
        _("of which holding an incubation training certificate"), **RETURN_COUNT
    )
    mentors = models.PositiveIntegerField(_("start-up mentors"), **RETURN_COUNT)
    fund_size = models.DecimalField(_("incubation fund (10k yuan)"), **RETURN_MONEY)
    fund_invested = models.DecimalField(_("invested by the fund in tenants (10k yuan)"), **RETURN_MONEY)
    fund_cases = models.PositiveIntegerField(_("fund investment cases"), **RETURN_COUNT)
    fund_invested_tenants = models.PositiveIntegerField(_("tenants the fund has invested in"), **RETURN_COUNT)
    income_rent = models.DecimalField(_("income from rent and property (10k yuan)"), **RETURN_MONEY)
    income_services = models.DecimalField(_("income from incubation services (10k yuan)"), **RETURN_MONEY)
    income_investment = models.DecimalField(_("investment income (10k yuan)"), **RETURN_MONEY)
    income_subsidies = models.DecimalField(_("subsidies received (10k yuan)"), **RETURN_MONEY)
    income_other = models.DecimalField(_("other income (10k yuan)"), **RETURN_MONEY)
    total_income = models.GeneratedField(
        expression=F("income_rent") + F("income_services") + F("income_investment") + F("income_subsidies")
        + F("income_other"),
        output_field=models.DecimalField(_("total income (10k yuan)"), max_digits=15, decimal_places=2),
        db_persist=True,
    )  # fmt: skip
    events_held = models.PositiveIntegerField(_("start-up events held"), **RETURN_COUNT)
    training_sessions = models.PositiveIntegerField(_("training courses held"), **RETURN_COUNT)
    training_attendance = models.PositiveIntegerField(_("training attendance (person-times)"), **RETURN_COUNT)
    public_platforms = models.PositiveIntegerField(_("public technical service platforms"), **RETURN_COUNT)
    tenants_patent_applications = models.PositiveIntegerField(
        _("tenants that applied for patents in the year"), **RETURN_COUNT
    )

    # The figures the portal computed, as they stood when the return was submitted (targets.return_rules).
    portal_figures = models.JSONField(_("figures from the portal's records"), default=dict, blank=True)
    supersedes = models.OneToOneField(
        "self", verbose_name=_("corrects version"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="superseded_by",
    )  # fmt: skip
    correction_reason = models.TextField(_("reason for the correction"), blank=True)
    staff_comment = models.TextField(_("reviewer's comment"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("submitted by"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("verified by"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip

    objects = CarrierReturnQuerySet.as_manager()
    # The change history reads the frozen figures by their names.
    audit_key_labels = {"portal_figures": PORTAL_FIGURE_NAMES}

    class Meta:
        verbose_name = _("carrier's annual return")
        verbose_name_plural = _("carriers' annual returns")
        ordering = ["-year", "carrier__sort_order", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["carrier", "year", "version"],
                name="carrierreturn_unique_version",
                violation_error_message=_("This version of the return already exists."),
            ),
            models.UniqueConstraint(
                fields=["carrier", "year"],
                condition=~Q(status="superseded"),
                name="carrierreturn_one_current",
                violation_error_message=_("This carrier already has a return for this year."),
            ),
            models.CheckConstraint(
                condition=Q(
                    fund_size__gte=0,
                    fund_invested__gte=0,
                    income_rent__gte=0,
                    income_services__gte=0,
                    income_investment__gte=0,
                    income_subsidies__gte=0,
                    income_other__gte=0,
                ),
                name="carrierreturn_money_not_negative",
                violation_error_message=_("Amounts cannot be negative."),
            ),  # fmt: skip
            models.CheckConstraint(
                condition=Q(professional_staff__lte=F("operator_staff"))
                & Q(certified_staff__lte=F("professional_staff")),
                name="carrierreturn_staff_within_staff",
                violation_error_message=_(
                    "Professional staff cannot exceed the operator's staff, nor certified staff the professional staff."
                ),
            ),
            models.CheckConstraint(
                condition=Q(fund_invested_tenants__lte=F("fund_cases")),
                name="carrierreturn_tenants_within_cases",
                violation_error_message=_("The tenants the fund invested in cannot exceed its investment cases."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.carrier} {self.year} v{self.version}"


class ReturnReminderQuerySet(RestrictedQuerySet):
    def scope_for(self, user, action: str) -> ReturnReminderQuerySet:
        if sees_every_carrier(user, action, CarrierReturn):
            return self
        return self.filter(carrier__staff=user)


class ReturnReminder(models.Model):
    """One reminder to file a carrier's annual return, sent to the carrier's staff. Unique per (carrier, year, kind,
    sequence), so a repeated run of the daily job sends nothing twice (`sequence`: the week overdue for OVERDUE
    reminders, 0 otherwise; the kinds are the operating reports' ReminderKind)."""

    carrier = models.ForeignKey(
        "parks.Carrier", verbose_name=_("carrier"), on_delete=models.CASCADE, related_name="return_reminders"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    kind = models.CharField(_("kind"), max_length=20, choices=ReminderKind.choices)
    sequence = models.PositiveIntegerField(_("sequence"), default=0)
    due_on = models.DateField(_("due on"))
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    recipients = models.PositiveSmallIntegerField(_("recipients"), default=0)

    objects = ReturnReminderQuerySet.as_manager()

    class Meta:
        verbose_name = _("annual return reminder")
        verbose_name_plural = _("annual return reminders")
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(fields=["carrier", "year", "kind", "sequence"], name="returnreminder_once"),
        ]

    def __str__(self) -> str:
        return f"{self.carrier} {self.year} {self.kind} {self.sequence}"
