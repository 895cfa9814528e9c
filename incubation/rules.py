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
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from enterprises.models import Enterprise, FinancingEvent, HTECertificate, TechSMERegistration
from incubation.choices import Combination, CriterionStatus, ResidencyEndReason, RuleSetKind
from incubation.models import Residency, RuleSet

MET, UNMET, UNKNOWN = CriterionStatus.MET, CriterionStatus.UNMET, CriterionStatus.UNKNOWN


@dataclasses.dataclass(frozen=True)
class Result:
    code: str
    label: str
    status: str
    detail: str

    def as_dict(self) -> dict:
        return {"code": self.code, "label": self.label, "status": self.status, "detail": self.detail}


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


Check = Callable[[Enterprise, datetime.date, dict], tuple[str, str]]
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
        return UNMET, _("Not registered as a company yet.")
    months = _months_since(enterprise.registered_on, on)
    return (MET if months <= params["months"] else UNMET), _("Registered %(months)s months ago.") % {"months": months}


@criterion("team_or_registered_within_months", gettext_lazy("A team, or registered for at most %(months)s months"))
def _team_or_new(enterprise, on, params):
    if enterprise.registered_on is None:
        return MET, _("A team not yet registered.")
    return _registered_within(enterprise, on, params)


@criterion("registered_company", gettext_lazy("A registered company"))
def _registered_company(enterprise, on, params):
    if enterprise.uscc:
        return MET, enterprise.uscc
    return UNMET, _("Not registered as a company yet.")


@criterion("tech_sme_registered", gettext_lazy("Registered as a tech-based SME this year or last"))
def _tech_sme(enterprise, on, params):
    years = list(
        TechSMERegistration.objects.filter(enterprise=enterprise, year__in=[on.year, on.year - 1]).values_list(
            "year", flat=True
        )
    )
    if years:
        return MET, _("Registered for %(years)s.") % {"years": "、".join(str(y) for y in sorted(years))}
    return UNMET, _("No registration for %(this)s or %(last)s.") % {"this": on.year, "last": on.year - 1}


@criterion("holds_hte", gettext_lazy("Recognised as a high-tech enterprise"))
def _holds_hte(enterprise, on, params):
    certificate = (
        HTECertificate.objects.filter(enterprise=enterprise, issued_on__lte=on, expires_on__gt=on)
        .order_by("-issued_on")
        .first()
    )
    if certificate:
        return MET, _("Certificate %(number)s, valid until %(date)s.") % {
            "number": certificate.certificate_no, "date": f"{certificate.expires_on:%Y-%m-%d}",
        }  # fmt: skip
    return UNMET, _("No valid certificate.")


@criterion("financing_over", gettext_lazy("Angel or venture investment over %(amount_wan)s × 10k yuan in total"))
def _financing_over(enterprise, on, params):
    total = FinancingEvent.objects.filter(enterprise=enterprise, occurred_on__lte=on).aggregate(total=Sum("amount"))[
        "total"
    ] or Decimal(0)
    status = MET if total > Decimal(str(params["amount_wan"])) else UNMET
    return status, _("%(total)s × 10k yuan received.") % {"total": total}


@criterion(
    "revenue_over_years",
    gettext_lazy("Revenue over %(amount_wan)s × 10k yuan in total over %(years)s consecutive years"),
)
def _revenue_over(enterprise, on, params):
    """国科发区〔2018〕300号 (c), "连续2年营业收入累计超过1000万元": met when the verified annual reports of some N
    consecutive years (up to `on`'s year) add up to more than the threshold; not met when the reports of the last N
    full years are in and no such run of years exists; unknown while reports are missing."""
    from enterprises.selectors import verified_annual_reports

    threshold, years = Decimal(str(params["amount_wan"])), int(params["years"])
    revenue = dict(
        verified_annual_reports()
        .filter(enterprise=enterprise, year__lte=on.year)
        .order_by("year")
        .values_list("year", "revenue")
    )

    def shown(run: list[int]) -> dict[str, object]:
        return {"figures": "；".join(f"{y}: {revenue[y]}" for y in run), "total": sum(revenue[y] for y in run)}

    for last in sorted(revenue, reverse=True):
        run = list(range(last - years + 1, last + 1))
        if all(year in revenue for year in run) and sum(revenue[year] for year in run) > threshold:
            return MET, _("Verified revenue (10k yuan) %(figures)s: %(total)s in total.") % shown(run)
    recent = list(range(on.year - years, on.year))
    if all(year in revenue for year in recent):
        return UNMET, _("Verified revenue (10k yuan) %(figures)s: %(total)s in total, not over the threshold.") % (
            shown(recent)
        )
    missing = [year for year in recent if year not in revenue]
    return UNKNOWN, _("No verified annual report for %(years)s.") % {"years": "、".join(str(y) for y in missing)}


@criterion("merged_or_listed", gettext_lazy("Merged, acquired, or listed on a capital market"))
def _merged_or_listed(enterprise, on, params):
    return UNKNOWN, _("Not recorded in the portal: staff confirm.")


@criterion("incubator_graduate", gettext_lazy("Graduated from an incubator"))
def _incubator_graduate(enterprise, on, params):
    graduated = Residency.objects.filter(
        enterprise=enterprise, stage="incubator", end_reason=ResidencyEndReason.GRADUATED, ended_on__lte=on
    ).exists()
    return (
        (MET, _("Graduated."))
        if graduated
        else (UNKNOWN, _("No graduation recorded; a high-growth firm also qualifies."))
    )


@criterion(
    "max_months", gettext_lazy("Incubation lasts at most %(months)s months (notice %(notice_months)s months before)")
)
def _max_months(enterprise, on, params):
    residency = Residency.objects.filter(enterprise=enterprise, stage="incubator", ended_on__isnull=True).first()
    if residency is None:
        return MET, _("Not in an incubator.")
    months = _months_since(residency.started_on, on)
    return (MET if months <= params["months"] else UNMET), _("%(months)s months so far.") % {"months": months}


@criterion(
    "graduate_window_months",
    gettext_lazy("Graduates count toward the tech-SME and high-tech targets for %(months)s months after graduating"),
)
def _graduate_window(enterprise, on, params):
    # Not a check on an enterprise: a parameter of how targets.selectors counts (docs/indicators.md).
    return UNKNOWN, _("A counting rule, not a criterion.")


# Expert review: each criterion is scored 0–100 by each expert; the rubric in force gives its weight (percent).
SCORING_CRITERIA = {
    "score_technology": gettext_lazy("Technology and innovation (weight %(weight)s%%)"),
    "score_team": gettext_lazy("Team (weight %(weight)s%%)"),
    "score_market": gettext_lazy("Market prospects (weight %(weight)s%%)"),
    "score_business_model": gettext_lazy("Business model (weight %(weight)s%%)"),
    "score_focus_fit": gettext_lazy("Fit with the carrier's focus fields (weight %(weight)s%%)"),
}
SCORING_NAMES = {
    "score_technology": gettext_lazy("Technology and innovation"),
    "score_team": gettext_lazy("Team"),
    "score_market": gettext_lazy("Market prospects"),
    "score_business_model": gettext_lazy("Business model"),
    "score_focus_fit": gettext_lazy("Fit with the carrier's focus fields"),
}


def _scored_by_experts(enterprise, on, params):
    return UNKNOWN, _("Scored by the experts.")


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
        status, detail = check(enterprise, on, item.get("params", {}))
        results.append(Result(code=item["code"], label=label_of(item), status=status, detail=detail))
    return Evaluation(rule_set=rule_set, results=results)
