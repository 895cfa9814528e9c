"""Evaluating rule sets: each criterion code names a check on the enterprise's records, its thresholds come from
the rule set's data. A check answers met, not met, or unknown (the portal lacks the figures: staff judge, and an
override needs a written reason)."""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Callable
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.db.models import Sum
from django.utils.translation import gettext_lazy

from accounts.phrasebook import Phrase, render
from enterprises.choices import ANGEL_OR_VENTURE_ROUNDS, CorporateEventKind
from enterprises.models import CorporateEvent, Enterprise, FinancingEvent, HTECertificate, TechSMERegistration
from enterprises.selectors import verified_annual_reports
from incubation import phrases
from incubation.choices import SCORING_NAMES, Combination, CriterionStatus, ResidencyEndReason, RuleSetKind
from incubation.models import Residency, RuleSet

MET, UNMET, UNKNOWN = CriterionStatus.MET, CriterionStatus.UNMET, CriterionStatus.UNKNOWN


@dataclasses.dataclass(frozen=True)
class Result:
    """One criterion judged: its code and thresholds (`params`, from the rule set), met/not met/unknown, and what
    was found on the records. `label` and `detail` are words in the active language."""

    code: str
    params: dict
    status: str
    found: Phrase

    @property
    def label(self) -> str:
        return label_of({"code": self.code, "params": self.params})

    @property
    def detail(self) -> str:
        return str(self.found)

    def as_dict(self) -> dict:
        """As kept with a screening or a transition: codes and parameters, put into words when read."""
        return {"code": self.code, "params": self.params, "status": self.status, "found": self.found.as_json()}


@dataclasses.dataclass(frozen=True)
class ShownResult:
    """A kept result as a reader sees it, in their language."""

    code: str
    label: str
    status: str
    detail: str


def needs_rule_set(kept: list[dict]) -> bool:
    """Whether results were kept without their thresholds (before codes were stored): their labels are made again
    from the rule set they were judged by."""
    return any("params" not in item for item in kept)


def shown_results(kept: list[dict], rule_set: RuleSet | None = None) -> list[ShownResult]:
    """Results kept by `Result.as_dict`, in the active language. Results kept before codes were stored (their
    label and detail as text in the language of whoever screened) keep their detail as written; their label is
    made again from the rule set's criterion when `rule_set` (the version they were judged by) is given."""
    thresholds = {item["code"]: item.get("params", {}) for item in (rule_set.criteria if rule_set else [])}
    shown = []
    for item in kept:
        code = item.get("code", "")
        params = item.get("params", thresholds.get(code))
        label = label_of({"code": code, "params": params}) if code in CHECKS and params is not None else ""
        detail = render(item["found"]) if "found" in item else ""
        shown.append(
            ShownResult(
                code=code,
                label=label or item.get("label", code),
                status=item.get("status", UNKNOWN),
                detail=detail or item.get("detail", ""),
            )
        )
    return shown


@dataclasses.dataclass(frozen=True)
class Evaluation:
    rule_set: RuleSet | None
    results: list[Result]

    @property
    def satisfied(self) -> bool:
        """Whether the rule set is met on the records alone (no rule set in force: nothing to satisfy)."""
        if self.rule_set is None or not self.results:
            return True
        statuses = [result.status for result in self.results]
        if self.rule_set.combination == Combination.ANY:
            return MET in statuses
        return all(status == MET for status in statuses)

    @property
    def shortfalls(self) -> list[Result]:
        if self.satisfied:
            return []
        return [result for result in self.results if result.status != MET]


Check = Callable[[Enterprise, datetime.date, dict], tuple[str, Phrase]]
CHECKS: dict[str, tuple[object, Check]] = {}


def criterion(code: str, label):
    def register(check: Check) -> Check:
        CHECKS[code] = (label, check)
        return check

    return register


def _months_since(start: datetime.date, on: datetime.date) -> int:
    delta = relativedelta(on, start)
    return delta.years * 12 + delta.months


@criterion("registered_within_months", gettext_lazy("Registered for at most %(months)s months"))
def _registered_within(enterprise, on, params):
    if enterprise.registered_on is None:
        return UNMET, phrases.NOT_REGISTERED()
    months = _months_since(enterprise.registered_on, on)
    return (MET if months <= params["months"] else UNMET), phrases.REGISTERED_AGO(months=months)


@criterion("team_or_registered_within_months", gettext_lazy("A team, or registered for at most %(months)s months"))
def _team_or_new(enterprise, on, params):
    if enterprise.registered_on is None:
        return MET, phrases.TEAM_NOT_REGISTERED()
    return _registered_within(enterprise, on, params)


@criterion("registered_company", gettext_lazy("A registered company"))
def _registered_company(enterprise, on, params):
    if enterprise.uscc:
        return MET, phrases.CREDIT_CODE(uscc=enterprise.uscc)
    return UNMET, phrases.NOT_REGISTERED()


@criterion("tech_sme_registered", gettext_lazy("Registered as a tech-based SME this year or last"))
def _tech_sme(enterprise, on, params):
    years = list(
        TechSMERegistration.objects.filter(enterprise=enterprise, year__in=[on.year, on.year - 1]).values_list(
            "year", flat=True
        )
    )
    if years:
        return MET, phrases.TECH_SME_YEARS(years=sorted(years))
    return UNMET, phrases.NO_TECH_SME(this=on.year, last=on.year - 1)


@criterion("holds_hte", gettext_lazy("Recognised as a high-tech enterprise"))
def _holds_hte(enterprise, on, params):
    certificate = (
        HTECertificate.objects.filter(enterprise=enterprise, issued_on__lte=on, expires_on__gt=on)
        .order_by("-issued_on")
        .first()
    )
    if certificate:
        return MET, phrases.HTE_CERTIFICATE(number=certificate.certificate_no, date=certificate.expires_on)
    return UNMET, phrases.NO_HTE_CERTIFICATE()


@criterion("financing_over", gettext_lazy("Angel or venture investment over %(amount_wan)s × 10k yuan in total"))
def _financing_over(enterprise, on, params):
    rounds = FinancingEvent.objects.filter(
        enterprise=enterprise, occurred_on__lte=on, round__in=ANGEL_OR_VENTURE_ROUNDS
    )
    total = rounds.aggregate(total=Sum("amount"))["total"] or Decimal(0)
    status = MET if total > Decimal(str(params["amount_wan"])) else UNMET
    return status, phrases.ANGEL_OR_VENTURE_RECEIVED(total=total)


@criterion(
    "revenue_over_years",
    gettext_lazy("Revenue over %(amount_wan)s × 10k yuan in total over %(years)s consecutive years"),
)
def _revenue_over(enterprise, on, params):
    """国科发区〔2018〕300号 (c), "连续2年营业收入累计超过1000万元": met when the verified annual reports of some N
    consecutive years (up to `on`'s year) add up to more than the threshold; not met when the reports of the last N
    full years are in and no such run of years exists; unknown while reports are missing."""
    threshold, years = Decimal(str(params["amount_wan"])), int(params["years"])
    revenue = dict(
        verified_annual_reports()
        .filter(enterprise=enterprise, year__lte=on.year)
        .order_by("year")
        .values_list("year", "revenue")
    )

    def shown(run: list[int]) -> dict[str, object]:
        return {"figures": [f"{y}: {revenue[y]}" for y in run], "total": sum(revenue[y] for y in run)}

    for last in sorted(revenue, reverse=True):
        run = list(range(last - years + 1, last + 1))
        if all(year in revenue for year in run) and sum(revenue[year] for year in run) > threshold:
            return MET, phrases.REVENUE_OVER(**shown(run))
    recent = list(range(on.year - years, on.year))
    if all(year in revenue for year in recent):
        return UNMET, phrases.REVENUE_UNDER(**shown(recent))
    missing = [year for year in recent if year not in revenue]
    return UNKNOWN, phrases.REVENUE_MISSING(years=missing)


@criterion("merged_or_listed", gettext_lazy("Merged, acquired, or listed on a capital market"))
def _merged_or_listed(enterprise, on, params):
    event = CorporateEvent.objects.filter(enterprise=enterprise, occurred_on__lte=on).order_by("occurred_on").first()
    if event is None:
        return UNMET, phrases.NO_CORPORATE_EVENT()
    return MET, phrases.CORPORATE_EVENT(event=CorporateEventKind(event.kind), date=event.occurred_on)


@criterion("incubator_graduate", gettext_lazy("Graduated from an incubator"))
def _incubator_graduate(enterprise, on, params):
    graduated = Residency.objects.filter(
        enterprise=enterprise, stage="incubator", end_reason=ResidencyEndReason.GRADUATED, ended_on__lte=on
    ).exists()
    return (MET, phrases.GRADUATED()) if graduated else (UNKNOWN, phrases.NO_GRADUATION())


@criterion(
    "max_months", gettext_lazy("Incubation lasts at most %(months)s months (notice %(notice_months)s months before)")
)
def _max_months(enterprise, on, params):
    residency = Residency.objects.filter(enterprise=enterprise, stage="incubator", ended_on__isnull=True).first()
    if residency is None:
        return MET, phrases.NOT_IN_INCUBATOR()
    months = _months_since(residency.started_on, on)
    return (MET if months <= params["months"] else UNMET), phrases.MONTHS_SO_FAR(months=months)


@criterion(
    "graduate_window_months",
    gettext_lazy("Graduates count toward the tech-SME and high-tech targets for %(months)s months after graduating"),
)
def _graduate_window(enterprise, on, params):
    # Not a check on an enterprise: a parameter of how targets.selectors counts (docs/indicators.md).
    return UNKNOWN, phrases.COUNTING_RULE()


# Expert review: each criterion is scored 0–100 by each expert; the rubric in force gives its weight (percent).
SCORING_CRITERIA = {
    "score_technology": gettext_lazy("Technology and innovation (weight %(weight)s%%)"),
    "score_team": gettext_lazy("Team (weight %(weight)s%%)"),
    "score_market": gettext_lazy("Market prospects (weight %(weight)s%%)"),
    "score_business_model": gettext_lazy("Business model (weight %(weight)s%%)"),
    "score_focus_fit": gettext_lazy("Fit with the carrier's focus fields (weight %(weight)s%%)"),
}


def _scored_by_experts(enterprise, on, params):
    return UNKNOWN, phrases.SCORED_BY_EXPERTS()


for _code, _label in SCORING_CRITERIA.items():
    criterion(_code, _label)(_scored_by_experts)


@dataclasses.dataclass(frozen=True)
class RubricItem:
    code: str
    name: str
    weight: int


def rubric(rule_set: RuleSet) -> list[RubricItem]:
    """The scoring rubric's criteria with their weights (percent, summing to 100)."""
    return [
        RubricItem(code=item["code"], name=str(SCORING_NAMES[item["code"]]), weight=int(item["params"]["weight"]))
        for item in rule_set.criteria
    ]


def weighted_score(rule_set: RuleSet, scores: dict[str, int]) -> Decimal:
    """Σ score × weight / Σ weight, to two decimals."""
    items = rubric(rule_set)
    total_weight = sum(item.weight for item in items) or 1
    value = sum(Decimal(scores[item.code]) * item.weight for item in items) / Decimal(total_weight)
    return value.quantize(Decimal("0.01"))


def incubation_period(on: datetime.date) -> tuple[int, int] | None:
    """(limit, notice) in months from the incubation-period rule set in force, or None when there is none."""
    rule_set = rule_set_in_force(RuleSetKind.INCUBATION_PERIOD, on)
    for item in rule_set.criteria if rule_set else []:
        if item["code"] == "max_months":
            return item["params"]["months"], item["params"].get("notice_months", 6)
    return None


def rule_set_in_force(kind: RuleSetKind | str, on: datetime.date) -> RuleSet | None:
    """The version of a rule set in force on a date: the latest one effective by then."""
    return RuleSet.objects.filter(kind=kind, effective_from__lte=on).order_by("-effective_from", "-version").first()


def label_of(item: dict) -> str:
    label, _check = CHECKS[item["code"]]
    return str(label) % item.get("params", {})


def evaluate(kind: RuleSetKind | str, enterprise: Enterprise, on: datetime.date) -> Evaluation:
    """Each criterion of the rule set in force on `on`, judged on the enterprise's records."""
    rule_set = rule_set_in_force(kind, on)
    if rule_set is None:
        return Evaluation(rule_set=None, results=[])
    results = []
    for item in rule_set.criteria:
        _label, check = CHECKS[item["code"]]
        params = item.get("params", {})
        status, found = check(enterprise, on, params)
        results.append(Result(code=item["code"], params=params, status=status, found=found))
    return Evaluation(rule_set=rule_set, results=results)
