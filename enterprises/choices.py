from django.db import models
from django.utils.translation import gettext_lazy as _


class EnterpriseKind(models.TextChoices):
    TEAM = "team", _("Team (not yet registered)")
    COMPANY = "company", _("Registered company")


class FounderType(models.TextChoices):
    """Founder types the Torch statistics count (DOMAIN.md §7)."""

    RETURNEE = "returnee", _("Returnee from studies abroad")
    UNIVERSITY_STUDENT = "university_student", _("University student")
    SCIENTIST = "scientist", _("Scientist or engineer")
    OTHER = "other", _("Other")


class HighTechField(models.TextChoices):
    """The eight fields of 国家重点支持的高新技术领域 (国科发火〔2016〕32号)."""

    ELECTRONIC_INFORMATION = "electronic_information", _("Electronic information")
    BIOMEDICINE = "biomedicine", _("Biology and new medicine")
    AEROSPACE = "aerospace", _("Aerospace")
    NEW_MATERIALS = "new_materials", _("New materials")
    HIGH_TECH_SERVICES = "high_tech_services", _("High-tech services")
    NEW_ENERGY = "new_energy", _("New energy and energy saving")
    RESOURCES_ENVIRONMENT = "resources_environment", _("Resources and environment")
    ADVANCED_MANUFACTURING = "advanced_manufacturing", _("Advanced manufacturing and automation")


class HTEOutcome(models.TextChoices):
    """Where a 高新技术企业认定申报 stands: awaiting the assessment, certified, or not passed."""

    PENDING = "pending", _("Pending assessment")
    CERTIFIED = "certified", _("Certified")
    REJECTED = "rejected", _("Rejected")


class HonourKind(models.TextChoices):
    SPECIALISED_SME = "specialised_sme", _("Specialised and sophisticated SME (专精特新)")
    LITTLE_GIANT = "little_giant", _("Specialised “little giant” (专精特新“小巨人”)")
    INNOVATIVE_SME = "innovative_sme", _("Innovative SME (创新型中小企业)")
    GAZELLE = "gazelle", _("Gazelle enterprise (瞪羚企业)")
    UNICORN = "unicorn", _("Unicorn enterprise (独角兽企业)")
    OTHER = "other", _("Other honour")


class HonourLevel(models.TextChoices):
    NATIONAL = "national", _("National")
    PROVINCIAL = "provincial", _("Provincial")
    MUNICIPAL = "municipal", _("Municipal")
    DISTRICT = "district", _("District")


class FinancingRound(models.TextChoices):
    SEED = "seed", _("Seed")
    ANGEL = "angel", _("Angel")
    PRE_A = "pre_a", _("Pre-A")
    SERIES_A = "series_a", _("Series A")
    SERIES_B = "series_b", _("Series B")
    SERIES_C_PLUS = "series_c_plus", _("Series C or later")
    STRATEGIC = "strategic", _("Strategic investment")
    OTHER = "other", _("Other")


# Angel and venture investment (天使投资、风险投资), the rounds the graduation rule counts (DOMAIN §3: cumulative angel
# or VC investment over ¥5,000,000). A strategic investor's stake and other money are not venture capital.
ANGEL_OR_VENTURE_ROUNDS = frozenset(
    {
        FinancingRound.SEED,
        FinancingRound.ANGEL,
        FinancingRound.PRE_A,
        FinancingRound.SERIES_A,
        FinancingRound.SERIES_B,
        FinancingRound.SERIES_C_PLUS,
    }
)


class Education(models.TextChoices):
    DOCTORATE = "doctorate", _("Doctorate")
    MASTER = "master", _("Master's degree")
    BACHELOR = "bachelor", _("Bachelor's degree")
    COLLEGE = "college", _("College diploma")
    OTHER = "other", _("Other")


class DocumentKind(models.TextChoices):
    BUSINESS_PLAN = "business_plan", _("Business plan")
    QUALIFICATION_EVIDENCE = "qualification_evidence", _("Evidence of a qualification")
    SUPPLEMENT = "supplement", _("Supplementary material")
    OTHER = "other", _("Other")


class ReportPeriod(models.TextChoices):
    """The period an operating report covers: the year (required), or one of its quarters (optional)."""

    ANNUAL = "annual", _("Full year")
    Q1 = "q1", _("First quarter")
    Q2 = "q2", _("Second quarter")
    Q3 = "q3", _("Third quarter")
    Q4 = "q4", _("Fourth quarter")


class ReportStatus(models.TextChoices):
    """An operating report's life: drafted and submitted by the enterprise, verified (locked) or returned by staff.
    A correction of a verified report is a new version; the version it replaces becomes superseded."""

    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned for correction")
    VERIFIED = "verified", _("Verified")
    SUPERSEDED = "superseded", _("Superseded by a correction")


class ReminderKind(models.TextChoices):
    """Why an enterprise (or a carrier, for its annual return) was reminded to file: its deadline is near, very near,
    past (weekly), or staff asked."""

    DUE_SOON = "due_soon", _("Deadline in two weeks")
    DUE_IMMINENT = "due_imminent", _("Deadline in three days")
    OVERDUE = "overdue", _("Overdue")
    MANUAL = "manual", _("Reminded by staff")


class CorporateEventKind(models.TextChoices):
    """What ends an enterprise's independent life or opens it to the capital market: each graduates a tenant
    (DOMAIN §3, graduation (d))."""

    ACQUIRED = "acquired", _("Acquired")
    MERGED = "merged", _("Merged")
    LISTED = "listed", _("Listed")


class ListingBoard(models.TextChoices):
    MAIN_BOARD = "main_board", _("Main board (Shanghai or Shenzhen)")
    STAR_MARKET = "star_market", _("STAR Market")
    CHINEXT = "chinext", _("ChiNext")
    BEIJING = "beijing", _("Beijing Stock Exchange")
    NEEQ = "neeq", _("NEEQ (New Third Board)")
    REGIONAL = "regional", _("Regional equity market")
    HONG_KONG = "hong_kong", _("Hong Kong Stock Exchange")
    OVERSEAS = "overseas", _("Overseas exchange")
