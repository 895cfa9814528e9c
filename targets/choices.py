from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


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


class SchemeSubject(models.TextChoices):
    """Whom a rule scheme judges: an enterprise (qualifications, graduation, policies) or a carrier (accreditation)."""

    ENTERPRISE = "enterprise", _("An enterprise")
    CARRIER = "carrier", _("A carrier")


class CriterionKind(models.TextChoices):
    """What a criterion does in its scheme (DOMAIN §9: gate conditions decide, bonus conditions change the amount)."""

    GATE = "gate", _("Condition (must be met)")
    SCORE = "score", _("Score band (gives points)")
    ROUTE = "route", _("Direct route (qualifies without the score)")
    BONUS = "bonus", _("Bonus (changes only the amount)")


class Operator(models.TextChoices):
    AT_LEAST = "ge", "≥"
    MORE_THAN = "gt", ">"
    AT_MOST = "le", "≤"
    LESS_THAN = "lt", "<"
    EQUALS = "eq", "="
    YES = "yes", _("yes")


class Unit(models.TextChoices):
    """The unit of a metric's value and of a criterion's threshold. A percentage is kept as percent (10 = 10 %);
    money in 10k yuan (万元) as the reports are; a duration in whole months, compared by calendar date."""

    PERCENT = "percent", "%"
    COUNT = "count", _("count")
    WAN_YUAN = "wan_yuan", _("10k yuan")
    MONTHS = "months", _("months")
    YES_NO = "yes_no", _("yes or no")
    POINTS = "points", _("points")
    SQUARE_METRES = "m2", "m²"
    PER_TEN_TENANTS = "per_10", _("per 10 tenants")
    PER_THOUSAND_M2 = "per_1000m2", _("per 1,000 m²")


class CriterionResult(models.TextChoices):
    """The five results of a condition (DOMAIN §9)."""

    MET = "met", pgettext_lazy("condition", "Met")
    UNMET = "unmet", pgettext_lazy("condition", "Not met")
    UNKNOWN = "unknown", pgettext_lazy("condition", "Unknown")
    MANUAL = "manual", pgettext_lazy("condition", "Needs manual review")
    NOT_APPLICABLE = "not_applicable", pgettext_lazy("condition", "Not applicable")


class EvaluationOutcome(models.TextChoices):
    QUALIFIED = "qualified", _("Qualifies")
    NOT_QUALIFIED = "not_qualified", _("Does not qualify")
    UNDETERMINED = "undetermined", _("Cannot tell yet")


class Figure(models.TextChoices):
    """The figures of an operating report the metrics read (targets.metrics), named as a reader reads them."""

    REVENUE = "revenue", _("sales")
    HIGH_TECH_REVENUE = "high_tech_revenue", _("high-tech product revenue")
    TOTAL_COSTS = "total_costs", _("total costs")
    RD_EXPENDITURE = "rd_expenditure", _("R&D expenditure")
    RD_IN_CHINA = "rd_in_china", _("R&D in China")
    EMPLOYEES = "employees", _("employees")
    TECH_STAFF = "tech_staff", _("tech staff")
    INVENTION_PATENTS = "invention_patents", _("invention patents")
    UTILITY_MODELS = "utility_models", _("utility models")
    DESIGNS = "designs", _("designs")
    SOFTWARE_COPYRIGHTS = "software_copyrights", _("software copyrights")
    TOTAL_ASSETS = "total_assets", _("total assets")


class CarrierFigure(models.TextChoices):
    """What a carrier's metric counts (targets.carrier_metrics), named as the gap's words read it ("5 more
    tenants needed")."""

    TENANTS = "tenants", _("tenants")
    GRADUATES = "graduates", _("graduates")
    MENTORS = "mentors", _("mentors")
    PROFESSIONAL_STAFF = "professional_staff", _("professional incubation staff")
    FUND_CASES = "fund_cases", _("fund investment cases")
    FINANCED_TENANTS = "financed_tenants", _("financed tenants")
    FUND_INVESTED_TENANTS = "fund_invested_tenants", _("tenants invested in by the fund")
    PATENT_APPLICANTS = "patent_applicants", _("tenants applying for patents")
    IP_HOLDERS = "ip_holders", _("tenants holding valid IP")
    GROWING_TENANTS = "growing_tenants", _("fast-growing tenants")
    TECH_SMES = "tech_smes", _("registered tech SMEs")
    NEW_HTES = "new_htes", _("new high-tech enterprises")
    RECENT_TENANTS = "recent_tenants", _("tenants registered in the last year")
    RETURN_YEARS = "return_years", _("years of verified returns")
    LET_AREA = "let_area", _("m² let to tenants")
    NON_RENT_INCOME = "non_rent_income", _("× 10k yuan of income other than rent")
