"""Enterprises and teams: one record that follows a tenant from seedbed to industrial park, with its people,
qualifications (科技型中小企业 per year, 高新技术企业 certificates, honours) and financing."""

from __future__ import annotations

import pathlib
import uuid
from decimal import Decimal

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Func, Q
from django.db.models.functions import Upper
from django.utils.translation import gettext_lazy as _

from accounts.access import RestrictedQuerySet
from accounts.roles import Role, roles_of, sees_every_carrier
from accounts.validators import validate_mainland_phone
from enterprises.choices import (
    CorporateEventKind,
    DocumentKind,
    Education,
    EnterpriseKind,
    FinancingRound,
    FounderType,
    HighTechField,
    HonourKind,
    HonourLevel,
    HTEOutcome,
    ListingBoard,
    ReminderKind,
    ReportPeriod,
    ReportStatus,
)
from enterprises.uscc import validate_uscc
from incubation.choices import ApplicationStatus

MONEY = {"max_digits": 14, "decimal_places": 2}  # 万元 (ten thousand yuan), as the forms ask


class DatePlusYears(Func):
    """date + N years, as a date: immutable in PostgreSQL, so usable in a generated column."""

    output_field = models.DateField()

    def as_sql(self, compiler, connection, **extra_context):
        date_sql, date_params = compiler.compile(self.source_expressions[0])
        years_sql, years_params = compiler.compile(self.source_expressions[1])
        return f"CAST(({date_sql} + make_interval(years => {years_sql})) AS date)", (*date_params, *years_params)


def _scope_enterprises(queryset, user, action: str, path: str):
    """Who sees which enterprise: the operating company and the bureau all (the bureau only reads), park staff
    the enterprises that have (or had) a residency at their carriers, an enterprise user their own."""
    if sees_every_carrier(user, action, queryset.model):
        return queryset
    roles = roles_of(user)
    if Role.ENTERPRISE in roles:
        return queryset.filter(**{f"{path}memberships__user": user})
    if Role.PARK_STAFF in roles:
        return queryset.filter(**{f"{path}pk__in": _tenants_and_applicants_of(user)})
    return queryset.none()


def _tenants_of(user) -> models.QuerySet:
    """The enterprises with (or that had) a residency at a carrier `user` is staff of, as a subquery of ids."""
    return Enterprise.objects.filter(residencies__carrier__staff=user).values("pk")


def _tenants_and_applicants_of(user) -> models.QuerySet:
    """The tenants of `user`'s carriers (now or once) and the enterprises that applied to one (a submitted
    application: a draft is the applicant's own business), as a subquery of ids."""
    submitted = [status for status in ApplicationStatus if status != ApplicationStatus.DRAFT]
    # One filter(): the carrier and the status are those of the same application.
    applicants = Enterprise.objects.filter(applications__carrier__staff=user, applications__status__in=submitted)
    return Enterprise.objects.filter(Q(pk__in=_tenants_of(user)) | Q(pk__in=applicants.values("pk"))).values("pk")


class EnterpriseQuerySet(RestrictedQuerySet):
    def scope_for(self, user, action: str) -> EnterpriseQuerySet:
        return _scope_enterprises(self, user, action, "")


class Enterprise(models.Model):
    """A team not yet incorporated, or a registered company. One record across every stage of the pipeline."""

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=10, choices=EnterpriseKind.choices, default=EnterpriseKind.COMPANY)
    uscc = models.CharField(
        _("unified social credit code"),
        max_length=18,
        null=True,
        blank=True,
        unique=True,
        validators=[validate_uscc],
        error_messages={"unique": _("An enterprise with this unified social credit code is already registered.")},
    )
    registered_on = models.DateField(_("registration date"), null=True, blank=True)
    registered_capital = models.DecimalField(
        _("registered capital (10k yuan)"), **MONEY, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    legal_representative = models.CharField(_("legal representative"), max_length=60, blank=True)
    address = models.CharField(_("registered address"), max_length=200, blank=True)
    industry_field = models.ForeignKey(
        "parks.FocusField",
        verbose_name=_("industry field"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="enterprises",
    )
    high_tech_field = models.CharField(_("high-tech field"), max_length=30, choices=HighTechField.choices, blank=True)
    founder_type = models.CharField(
        _("founder type"), max_length=20, choices=FounderType.choices, default=FounderType.OTHER
    )
    contact_name = models.CharField(_("contact person"), max_length=60, blank=True)
    contact_phone = models.CharField(
        _("contact phone"), max_length=30, blank=True, validators=[validate_mainland_phone]
    )
    contact_email = models.EmailField(_("contact email"), blank=True)
    description = models.TextField(_("business and technology"), blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False, help_text=_("Made up for demonstration."))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = EnterpriseQuerySet.as_manager()

    class Meta:
        verbose_name = _("enterprise")
        verbose_name_plural = _("enterprises")
        ordering = ["name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind=EnterpriseKind.TEAM, uscc__isnull=True)
                | Q(kind=EnterpriseKind.COMPANY, uscc__isnull=False, registered_on__isnull=False),
                name="enterprise_company_has_uscc_and_date",
                violation_error_message=_(
                    "A registered company needs its unified social credit code and registration date; "
                    "a team has no code yet."
                ),
            ),
            models.CheckConstraint(
                condition=Q(registered_capital__gte=0) | Q(registered_capital__isnull=True),
                name="enterprise_capital_not_negative",
            ),
        ]
        indexes = [
            # Fuzzy name search (pg_trgm) for Chinese names: similarity and ILIKE '%…%' both use it.
            GinIndex(OpClass(Upper("name"), name="gin_trgm_ops"), name="enterprise_name_trgm"),
            models.Index(fields=["kind", "name"], name="enterprise_kind_name_idx"),
            # Lists sorted by name (the enterprise list, the tenant roster): the first page without sorting them all.
            models.Index(fields=["name", "id"], name="enterprise_name_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_company(self) -> bool:
        return self.kind == EnterpriseKind.COMPANY

    def may_hold(self, model: type[models.Model]) -> bool:
        """A team holds no qualification (CompanyQualification)."""
        return self.is_company or not issubclass(model, CompanyQualification)

    def clean(self) -> None:
        super().clean()
        if self.pk and not self.is_company and self.holds_qualifications():
            raise ValidationError(
                {"kind": _("This enterprise holds tech-based SME registrations or high-tech enterprise certificates or "
                           "applications, which only a registered company can hold: it cannot become a team.")}
            )  # fmt: skip

    def holds_qualifications(self) -> bool:
        return self.tech_sme_registrations.exists() or self.hte_certificates.exists() or self.hte_applications.exists()


class EnterpriseMembershipQuerySet(RestrictedQuerySet):
    def scope_for(self, user, action: str):
        return _scope_enterprises(self, user, action, "enterprise__")


class EnterpriseMembership(models.Model):
    """An enterprise user's link to their enterprise. A user acts for one enterprise; an enterprise may have several."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="membership"
    )
    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("enterprise"), on_delete=models.CASCADE, related_name="memberships"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = EnterpriseMembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("enterprise member")
        verbose_name_plural = _("enterprise members")

    def __str__(self) -> str:
        return f"{self.user} · {self.enterprise}"


class EnterpriseChildQuerySet(RestrictedQuerySet):
    def scope_for(self, user, action: str):
        return _scope_enterprises(self, user, action, "enterprise__")


class TeamMember(models.Model):
    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("enterprise"), on_delete=models.CASCADE, related_name="team_members"
    )
    name = models.CharField(_("name"), max_length=60)
    position = models.CharField(_("position"), max_length=60, blank=True)
    education = models.CharField(_("education"), max_length=20, choices=Education.choices, blank=True)
    is_founder = models.BooleanField(_("founder"), default=False)
    note = models.CharField(_("note"), max_length=200, blank=True)

    objects = EnterpriseChildQuerySet.as_manager()

    class Meta:
        verbose_name = _("team member")
        verbose_name_plural = _("team members")
        ordering = ["-is_founder", "id"]

    def __str__(self) -> str:
        return self.name


class CompanyQualification(models.Model):
    """A qualification that only a registered company holds (a tech-SME registration, an HTE certificate or
    application): a team not yet incorporated has no code to register it with. Forms, the admin and the services
    meet the message here (full_clean); the database refuses the row past them (migration enterprises 0008)."""

    class Meta:
        abstract = True

    def clean(self) -> None:
        super().clean()
        if self.enterprise_id and not self.enterprise.is_company:
            raise ValidationError(
                _("A team not yet registered as a company cannot hold %(records)s: register the company first.")
                % {"records": self._meta.verbose_name_plural}
            )


class TechSMERegistration(CompanyQualification):
    """科技型中小企业 registration: an enterprise enters the national registry anew every year, with a number."""

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("enterprise"), on_delete=models.CASCADE, related_name="tech_sme_registrations"
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(2017), MaxValueValidator(2100)])
    registration_no = models.CharField(_("registration number"), max_length=40)
    registered_on = models.DateField(_("registration date"), null=True, blank=True)

    objects = EnterpriseChildQuerySet.as_manager()

    class Meta:
        verbose_name = _("tech-based SME registration")
        verbose_name_plural = _("tech-based SME registrations")
        ordering = ["-year", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "year"],
                name="techsme_one_per_year",
                violation_error_message=_("This enterprise already has a registration for this year."),
            ),
            models.UniqueConstraint(
                fields=["registration_no"],
                name="techsme_unique_number",
                violation_error_message=_("This registration number is already recorded."),
            ),
            models.CheckConstraint(condition=Q(year__gte=2017), name="techsme_year_from_2017"),
        ]
        indexes = [models.Index(fields=["year"], name="techsme_year_idx")]

    def __str__(self) -> str:
        return f"{self.year} · {self.registration_no}"


class HTECertificate(CompanyQualification):
    """高新技术企业 certificate. It is valid `valid_years` (3 under 国科发火〔2016〕32号) from its issue date."""

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("enterprise"), on_delete=models.CASCADE, related_name="hte_certificates"
    )
    certificate_no = models.CharField(_("certificate number"), max_length=40, unique=True)
    issued_on = models.DateField(_("issue date"))
    valid_years = models.PositiveSmallIntegerField(
        _("validity (years)"), default=3, validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    expires_on = models.GeneratedField(
        expression=DatePlusYears(F("issued_on"), F("valid_years")),
        output_field=models.DateField(),
        db_persist=True,
        verbose_name=_("expiry date"),
    )

    objects = EnterpriseChildQuerySet.as_manager()

    class Meta:
        verbose_name = _("high-tech enterprise certificate")
        verbose_name_plural = _("high-tech enterprise certificates")
        ordering = ["-issued_on", "id"]
        indexes = [models.Index(fields=["expires_on"], name="hte_expires_idx")]

    def __str__(self) -> str:
        return self.certificate_no


class HTEApplication(CompanyQualification):
    """高新技术企业认定申报: an enterprise applies in an assessment year; until the outcome is known it is pending
    (and counts toward the pipeline of the HTE target, targets.selectors.hte_pipeline)."""

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("enterprise"), on_delete=models.CASCADE, related_name="hte_applications"
    )
    year = models.PositiveSmallIntegerField(
        _("assessment year"), validators=[MinValueValidator(2017), MaxValueValidator(2100)]
    )
    submitted_on = models.DateField(_("submission date"))
    outcome = models.CharField(_("outcome"), max_length=20, choices=HTEOutcome.choices, default=HTEOutcome.PENDING)
    decided_on = models.DateField(_("decision date"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    objects = EnterpriseChildQuerySet.as_manager()

    class Meta:
        verbose_name = _("high-tech enterprise application")
        verbose_name_plural = _("high-tech enterprise applications")
        ordering = ["-year", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "year"],
                name="hteapp_one_per_year",
                violation_error_message=_(
                    "This enterprise already has a high-tech enterprise application for this year."
                ),
            ),
            models.CheckConstraint(
                condition=Q(year__gte=2017, year__lte=2100),
                name="hteapp_year_range",
                violation_error_message=_("The assessment year must be between 2017 and 2100."),
            ),
            models.CheckConstraint(
                condition=Q(outcome=HTEOutcome.PENDING, decided_on__isnull=True)
                | (~Q(outcome=HTEOutcome.PENDING) & Q(decided_on__isnull=False)),
                name="hteapp_decided_when_not_pending",
                violation_error_message=_(
                    "A pending application has no decision date; a certified or rejected one needs one."
                ),
            ),
            models.CheckConstraint(
                condition=Q(decided_on__isnull=True) | Q(decided_on__gte=F("submitted_on")),
                name="hteapp_decided_after_submitted",
                violation_error_message=_("The decision date cannot be before the submission date."),
            ),
        ]
        indexes = [models.Index(fields=["year", "outcome"], name="hteapp_year_outcome_idx")]

    def __str__(self) -> str:
        return f"{self.year} · {self.get_outcome_display()}"


class Honour(models.Model):
    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("enterprise"), on_delete=models.CASCADE, related_name="honours"
    )
    kind = models.CharField(_("honour"), max_length=20, choices=HonourKind.choices)
    level = models.CharField(_("level"), max_length=20, choices=HonourLevel.choices)
    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    certificate_no = models.CharField(_("certificate number"), max_length=60, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    objects = EnterpriseChildQuerySet.as_manager()

    class Meta:
        verbose_name = _("honour")
        verbose_name_plural = _("honours")
        ordering = ["-year", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.year})"


class FinancingEvent(models.Model):
    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("enterprise"), on_delete=models.CASCADE, related_name="financing_events"
    )
    occurred_on = models.DateField(_("date"))
    round = models.CharField(_("round"), max_length=20, choices=FinancingRound.choices)
    amount = models.DecimalField(_("amount (10k yuan)"), **MONEY, validators=[MinValueValidator(Decimal("0.01"))])
    investor = models.CharField(_("investor"), max_length=200)
    note = models.CharField(_("note"), max_length=200, blank=True)

    objects = EnterpriseChildQuerySet.as_manager()

    class Meta:
        verbose_name = _("financing event")
        verbose_name_plural = _("financing events")
        ordering = ["-occurred_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0),
                name="financing_amount_positive",
                violation_error_message=_("The amount must be greater than zero."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.occurred_on:%Y-%m-%d} {self.get_round_display()} {self.amount}"


def document_path(document: Document, filename: str) -> str:
    """Where the file is stored: under the enterprise, by a random name (the user's file name is kept apart)."""
    return f"documents/{document.enterprise_id}/{uuid.uuid4().hex}{pathlib.Path(filename).suffix.lower()[:10]}"


class CorporateEvent(models.Model):
    """An acquisition, merger or listing (被并购、合并、上市): any one of them graduates a tenant."""

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("enterprise"), on_delete=models.CASCADE, related_name="corporate_events"
    )
    kind = models.CharField(_("event"), max_length=20, choices=CorporateEventKind.choices)
    occurred_on = models.DateField(_("date"))
    counterparty = models.CharField(
        _("acquirer or merger partner"), max_length=200, blank=True, help_text=_("For an acquisition or a merger.")
    )
    board = models.CharField(
        _("board"), max_length=20, choices=ListingBoard.choices, blank=True, help_text=_("For a listing.")
    )
    security_code = models.CharField(_("security code"), max_length=20, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    objects = EnterpriseChildQuerySet.as_manager()

    class Meta:
        verbose_name = _("merger, acquisition or listing")
        verbose_name_plural = _("mergers, acquisitions and listings")
        ordering = ["-occurred_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind=CorporateEventKind.LISTED, board__gt="", counterparty="")
                | (~Q(kind=CorporateEventKind.LISTED) & Q(board="") & ~Q(counterparty="")),
                name="corporateevent_board_or_counterparty",
                violation_error_message=_(
                    "A listing names its board (and no counterparty); an acquisition or merger names the other party "
                    "(and no board)."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.occurred_on:%Y-%m-%d}"


# The records a document may be evidence of, at most one at a time.
EVIDENCE_FIELDS = ("tech_sme_registration", "hte_certificate", "honour", "corporate_event")


def _at_most_one(fields: tuple[str, ...]) -> Q:
    condition = Q(**{f"{name}__isnull": True for name in fields})
    for chosen in fields:
        condition |= Q(**{f"{name}__isnull": name != chosen for name in fields})
    return condition


class DocumentQuerySet(RestrictedQuerySet):
    def scope_for(self, user, action: str):
        if action == "view" and Role.EXPERT in roles_of(user):
            # An expert reads the documents of the applications they were asked to review, nothing else.
            scoped = _scope_enterprises(self, user, action, "enterprise__")
            return (scoped | self.filter(applications__reviews__expert=user)).distinct()
        return _scope_enterprises(self, user, action, "enterprise__")


class Document(models.Model):
    """An uploaded file: a business plan, evidence of a qualification, supplementary material. Stored outside
    static files and served only through a view that checks the reader may see the enterprise's records."""

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("enterprise"), on_delete=models.PROTECT, related_name="documents"
    )
    kind = models.CharField(_("kind"), max_length=30, choices=DocumentKind.choices, default=DocumentKind.OTHER)
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to=document_path, max_length=255)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    tech_sme_registration = models.ForeignKey(
        TechSMERegistration,
        verbose_name=_("tech-based SME registration"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="evidence",
    )
    hte_certificate = models.ForeignKey(
        HTECertificate,
        verbose_name=_("high-tech enterprise certificate"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="evidence",
    )
    honour = models.ForeignKey(
        Honour, verbose_name=_("honour"), null=True, blank=True, on_delete=models.CASCADE, related_name="evidence"
    )
    corporate_event = models.ForeignKey(
        CorporateEvent,
        verbose_name=_("merger, acquisition or listing"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="evidence",
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    objects = DocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["-uploaded_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=_at_most_one(EVIDENCE_FIELDS),
                name="document_evidence_of_one_record",
                violation_error_message=_("A document is evidence of at most one record."),
            ),
            models.CheckConstraint(condition=Q(size__gt=0), name="document_not_empty"),
        ]
        indexes = [models.Index(fields=["enterprise", "kind"], name="document_enterprise_kind_idx")]

    def __str__(self) -> str:
        return self.title

    @property
    def evidence_of(self) -> models.Model | None:
        return self.tech_sme_registration or self.hte_certificate or self.honour or self.corporate_event


class OperatingReportQuerySet(RestrictedQuerySet):
    """Reports follow their enterprise, except that park staff see only their carriers' tenants' reports (not an
    applicant's: an applicant files nothing to a park)."""

    def scope_for(self, user, action: str):
        roles = roles_of(user)
        if (
            Role.PARK_STAFF in roles
            and Role.ENTERPRISE not in roles
            and not sees_every_carrier(user, action, self.model)
        ):
            return self.filter(enterprise_id__in=_tenants_of(user))
        return _scope_enterprises(self, user, action, "enterprise__")

    def current(self) -> OperatingReportQuerySet:
        """The current version of each period (a superseded version is history)."""
        return self.exclude(status=ReportStatus.SUPERSEDED)


class OperatingReport(models.Model):
    """经营数据填报: an enterprise's figures for a year (or a quarter of it). Money is in 万元 (10k yuan), as the
    forms ask; the Torch export converts it to 千元. Counts of people and IP are at the end of the period.

    One row per version: (enterprise, year, period, version) is unique, and at most one version of a period is
    current (not superseded). A verified version is locked; a correction is a new version that supersedes it."""

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("enterprise"), on_delete=models.CASCADE, related_name="operating_reports"
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(2017), MaxValueValidator(2100)])
    period = models.CharField(_("period"), max_length=10, choices=ReportPeriod.choices, default=ReportPeriod.ANNUAL)
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    status = models.CharField(_("status"), max_length=20, choices=ReportStatus.choices, default=ReportStatus.DRAFT)

    revenue = models.DecimalField(_("operating revenue (10k yuan)"), **MONEY, default=Decimal("0"))
    high_tech_revenue = models.DecimalField(
        _("of which high-tech product revenue (10k yuan)"), **MONEY, default=Decimal("0")
    )
    total_costs = models.DecimalField(_("total costs (10k yuan)"), **MONEY, default=Decimal("0"))
    # Asked from 2026 for the tech-SME size limit (total assets ≤ ¥200M); reports filed before have none.
    total_assets = models.DecimalField(
        _("total assets at the end of the period (10k yuan)"), **MONEY, null=True, blank=True
    )
    rd_expenditure = models.DecimalField(_("R&D expenditure (10k yuan)"), **MONEY, default=Decimal("0"))
    rd_in_china = models.DecimalField(_("of which R&D in China (10k yuan)"), **MONEY, default=Decimal("0"))
    employees = models.PositiveIntegerField(_("employees"), default=0)
    tech_staff = models.PositiveIntegerField(_("of which tech staff"), default=0)
    college_staff = models.PositiveIntegerField(_("of which college-educated"), default=0)
    new_graduates = models.PositiveIntegerField(_("of which new graduates hired"), default=0)
    tax_paid = models.DecimalField(_("tax paid (10k yuan)"), **MONEY, default=Decimal("0"))
    exports = models.DecimalField(_("exports (10k yuan)"), **MONEY, default=Decimal("0"))
    invention_patents = models.PositiveIntegerField(_("valid invention patents"), default=0)
    utility_models = models.PositiveIntegerField(_("valid utility models"), default=0)
    designs = models.PositiveIntegerField(_("valid designs"), default=0)
    software_copyrights = models.PositiveIntegerField(_("software copyrights"), default=0)
    other_ip = models.PositiveIntegerField(_("other valid IP"), default=0)
    financing = models.DecimalField(_("financing received (10k yuan)"), **MONEY, default=Decimal("0"))

    supersedes = models.OneToOneField(
        "self",
        verbose_name=_("corrects version"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="superseded_by",
    )
    correction_reason = models.TextField(_("reason for the correction"), blank=True)
    staff_comment = models.TextField(_("staff comment"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("verified by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = OperatingReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("operating report")
        verbose_name_plural = _("operating reports")
        ordering = ["-year", "period", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "year", "period", "version"],
                name="report_unique_version",
                violation_error_message=_("This version of the report already exists."),
            ),
            models.UniqueConstraint(
                fields=["enterprise", "year", "period"],
                condition=~Q(status="superseded"),
                name="report_one_current_version",
                violation_error_message=_("This enterprise already has a report for this period."),
            ),
            models.CheckConstraint(
                condition=Q(
                    revenue__gte=0,
                    high_tech_revenue__gte=0,
                    total_costs__gte=0,
                    total_assets__gte=0,
                    rd_expenditure__gte=0,
                    rd_in_china__gte=0,
                    tax_paid__gte=0,
                    exports__gte=0,
                    financing__gte=0,
                ),
                name="report_money_not_negative",
                violation_error_message=_("Amounts cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(high_tech_revenue__lte=F("revenue")),
                name="report_high_tech_within_revenue",
                violation_error_message=_("High-tech product revenue cannot exceed operating revenue."),
            ),
            models.CheckConstraint(
                condition=Q(rd_in_china__lte=F("rd_expenditure")),
                name="report_rd_china_within_rd",
                violation_error_message=_("R&D in China cannot exceed R&D expenditure."),
            ),
            models.CheckConstraint(
                condition=Q(
                    tech_staff__lte=F("employees"),
                    college_staff__lte=F("employees"),
                    new_graduates__lte=F("employees"),
                ),
                name="report_staff_within_employees",
                violation_error_message=_(
                    "Tech staff, college-educated staff and new graduates cannot exceed the employees."
                ),
            ),
            models.CheckConstraint(
                condition=Q(version__gte=1) & (Q(version=1) | Q(supersedes__isnull=False)),
                name="report_correction_links_version",
                violation_error_message=_("A correction must name the version it corrects."),
            ),
        ]
        indexes = [
            models.Index(fields=["year", "period", "status"], name="report_year_status_idx"),
            # The indicator figures read each enterprise's verified annual reports (by year, and the latest by a
            # year) with these columns: an index-only scan (targets.selectors).
            models.Index(
                fields=["enterprise", "year"],
                name="report_verified_annual_idx",
                condition=Q(status="verified", period="annual"),
                include=[
                    "revenue",
                    "rd_expenditure",
                    "employees",
                    "invention_patents",
                    "utility_models",
                    "designs",
                    "software_copyrights",
                    "other_ip",
                ],
            ),  # fmt: skip
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.get_period_display()} v{self.version}"

    @property
    def valid_ip(self) -> int:
        return self.invention_patents + self.utility_models + self.designs + self.software_copyrights + self.other_ip


class ReportDeadline(models.Model):
    """When the reports of one period are due, set by the operating company. Without a row, the default applies
    (enterprises.periods.default_due_on: the year's report by 31 March of the next year, a quarter's 20 days after
    it ends; the year's report is required, quarterly ones are not)."""

    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(2017), MaxValueValidator(2100)])
    period = models.CharField(_("period"), max_length=10, choices=ReportPeriod.choices, default=ReportPeriod.ANNUAL)
    due_on = models.DateField(_("due on"))
    required = models.BooleanField(
        _("required"), default=True, help_text=_("Tenants who have not filed are reminded and listed as not filed.")
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("report deadline")
        verbose_name_plural = _("report deadlines")
        ordering = ["-year", "period"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "period"],
                name="deadline_one_per_period",
                violation_error_message=_("This period already has a deadline; edit it instead."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.get_period_display()} · {self.due_on:%Y-%m-%d}"


class ReportReminderQuerySet(RestrictedQuerySet):
    def scope_for(self, user, action: str):
        return _scope_enterprises(self, user, action, "enterprise__")


class ReportReminder(models.Model):
    """One reminder to file a period's report, sent to an enterprise's users. Unique per (enterprise, period, kind,
    sequence), so a repeated run of the daily job sends nothing twice: `sequence` is the week overdue for OVERDUE
    reminders, the day (ordinal) for manual ones (one a day), 0 otherwise."""

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("enterprise"), on_delete=models.CASCADE, related_name="report_reminders"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    period = models.CharField(_("period"), max_length=10, choices=ReportPeriod.choices)
    kind = models.CharField(_("kind"), max_length=20, choices=ReminderKind.choices)
    sequence = models.PositiveIntegerField(_("sequence"), default=0)
    due_on = models.DateField(_("due on"))
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recipients = models.PositiveSmallIntegerField(_("recipients"), default=0)

    objects = ReportReminderQuerySet.as_manager()

    class Meta:
        verbose_name = _("report reminder")
        verbose_name_plural = _("report reminders")
        ordering = ["-sent_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "year", "period", "kind", "sequence"],
                name="reminder_once",
                violation_error_message=_("This reminder has been sent already."),
            ),
        ]
        indexes = [models.Index(fields=["year", "period", "enterprise"], name="reminder_period_idx")]

    def __str__(self) -> str:
        return f"{self.enterprise} · {self.year} {self.get_period_display()} · {self.get_kind_display()}"
