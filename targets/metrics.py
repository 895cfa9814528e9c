"""The library of metrics a rule criterion may name (targets.models.Criterion.metric). Each computes one value
for an enterprise and a year from its facts, with the unit the criterion's threshold is in, the records it came
from, and, when the portal lacks a figure, which one. A criterion naming a metric not in `METRICS` is refused
when it is saved (targets.services), never at evaluation.

Facts are loaded for many enterprises at once (`load_facts`: a fixed number of queries whatever their number), so
evaluating every enterprise for a year is one set-based pass; the what-if calculator evaluates facts whose figures
the person has changed, without saving anything.

A scheme's year is its round: the tech-SME evaluation of 2026 and the HTE recognition of 2026 judge the figures of
the last full year, 2025 (and the HTE R&D ratio the three years to 2025)."""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Callable, Iterable, Mapping
from decimal import ROUND_CEILING, Decimal
from typing import Any, Protocol

from dateutil.relativedelta import relativedelta
from django.utils.translation import gettext_lazy as _

from accounts.phrasebook import Phrase
from enterprises.choices import EnterpriseKind, HighTechField, ReportPeriod, ReportStatus
from enterprises.models import HTECertificate, OperatingReport
from targets import phrases
from targets.choices import Figure, Operator, SchemeSubject, Unit

HUNDRED = Decimal(100)

# The figures of an annual report the metrics read.
FIGURE_NAMES = (
    "revenue", "high_tech_revenue", "total_costs", "rd_expenditure", "rd_in_china", "employees", "tech_staff",
    "invention_patents", "utility_models", "designs", "software_copyrights", "total_assets",
)  # fmt: skip


@dataclasses.dataclass(frozen=True)
class YearFigures:
    """One year's figures: from a verified annual report (`report_id`), or entered in the calculator (None)."""

    year: int
    report_id: int | None
    values: Mapping[str, Decimal | None]

    def get(self, name: str) -> Decimal | None:
        return self.values.get(name)

    @property
    def source(self) -> dict[str, Any]:
        if self.report_id is None:
            return {"kind": "entered", "year": self.year}
        return {"kind": "report", "id": self.report_id, "year": self.year}


@dataclasses.dataclass(frozen=True)
class Certificate:
    id: int
    number: str
    issued_on: datetime.date
    expires_on: datetime.date


@dataclasses.dataclass(frozen=True)
class EnterpriseFacts:
    """What the metrics know of one enterprise for one round: its profile, its figures by year and its HTE
    certificates, judged on `on` (the day of the evaluation)."""

    enterprise_id: int
    name: str
    kind: str
    registered_on: datetime.date | None
    high_tech_field: str
    year: int
    on: datetime.date
    figures: Mapping[int, YearFigures]
    certificates: tuple[Certificate, ...] = ()

    @property
    def last_year(self) -> int:
        return self.year - 1

    def with_figures(self, year: int, values: Mapping[str, Decimal | None]) -> EnterpriseFacts:
        """The same facts with one year's figures as entered (the what-if calculator): figures not entered keep
        the report's value."""
        kept = self.figures.get(year)
        merged = {**(kept.values if kept else {}), **values}
        figures = {**self.figures, year: YearFigures(year=year, report_id=None, values=merged)}
        return dataclasses.replace(self, figures=figures)


class JudgedFacts(Protocol):
    """What the engine needs of any facts it judges (an enterprise's, a carrier's): the day of the judgement, to which
    ages and limits count."""

    @property
    def on(self) -> datetime.date: ...


@dataclasses.dataclass(frozen=True)
class Measure:
    """A metric's value (None: unknown, `missing` names what is lacking), the date a duration counts from, what
    was found in words, and the records it came from."""

    value: Decimal | None = None
    since: datetime.date | None = None
    found: Phrase | None = None
    missing: tuple[Phrase, ...] = ()
    sources: tuple[dict[str, Any], ...] = ()


@dataclasses.dataclass(frozen=True)
class Metric:
    code: str
    label: Any  # lazily translated
    unit: Unit
    compute: Callable[[Any], Measure]  # EnterpriseFacts, or a carrier's facts for a carrier metric
    # Not on the portal's records: a person checks the evidence (the result "needs manual review").
    manual: bool = False
    # What must change to meet a threshold: (facts, measure, operator, threshold) -> words, or None.
    gap: Callable[[Any, Measure, str, Decimal], Phrase | None] | None = None
    # Whom it measures (targets.choices.SchemeSubject): an enterprise's facts, or a carrier's (targets.carrier_metrics).
    subject: str = SchemeSubject.ENTERPRISE


METRICS: dict[str, Metric] = {}
# Computed by the engine from the scheme's own score criteria, not from the records.
SCORE_METRIC = "scheme_score"


def metric(code: str, label, unit: Unit, *, manual: bool = False, gap=None, subject: str = SchemeSubject.ENTERPRISE):
    def register(compute: Callable[[Any], Measure]) -> Callable[[Any], Measure]:
        METRICS[code] = Metric(code=code, label=label, unit=unit, compute=compute, manual=manual, gap=gap,
                               subject=subject)  # fmt: skip
        return compute

    return register


METRICS[SCORE_METRIC] = Metric(
    code=SCORE_METRIC,
    label=_("The scheme's score (sum of its score parts)"),
    unit=Unit.POINTS,
    compute=lambda facts: Measure(),
    gap=lambda facts, measure, op, threshold: (
        phrases.POINTS_SHORT(points=plain(threshold - measure.value)) if measure.value is not None else None
    ),
)


def metric_choices(subject: str | None = None) -> list[tuple[str, str]]:
    """The metrics a criterion may name, for a scheme judging `subject` (the score counts for every subject)."""
    return [
        (code, f"{item.label} [{item.unit.label}]")
        for code, item in METRICS.items()
        if subject is None or item.subject == subject or code == SCORE_METRIC
    ]


# ---------------------------------------------------------------------------------------------------------- figures


def _last_report(facts: EnterpriseFacts, names: Iterable[str]) -> tuple[YearFigures | None, Measure | None]:
    """The last full year's figures, or the Measure saying they are missing."""
    figures = facts.figures.get(facts.last_year)
    if figures is None:
        return None, Measure(missing=(phrases.NO_VERIFIED_REPORT(year=facts.last_year),))
    lacking = [name for name in names if figures.get(name) is None]
    if lacking:
        return None, Measure(
            missing=tuple(phrases.FIGURE_NOT_REPORTED(figure=Figure(name), year=facts.last_year) for name in lacking),
            sources=(figures.source,),
        )
    return figures, None


def _figure(name: str) -> Callable[[EnterpriseFacts], Measure]:
    def compute(facts: EnterpriseFacts) -> Measure:
        figures, lacking = _last_report(facts, [name])
        if figures is None:
            return lacking  # type: ignore[return-value]
        value = Decimal(figures.get(name))  # type: ignore[arg-type]
        return Measure(
            value=value,
            found=phrases.FIGURE_OF_YEAR(figure=Figure(name), year=facts.last_year, value=plain(value)),
            sources=(figures.source,),
        )

    return compute


def _over_limit(facts: EnterpriseFacts, measure: Measure, op: str, threshold: Decimal) -> Phrase | None:
    if measure.value is None or op not in (Operator.AT_MOST, Operator.LESS_THAN):
        return None
    return phrases.OVER_LIMIT(excess=plain(measure.value - threshold))


def _count_short(facts: EnterpriseFacts, measure: Measure, op: str, threshold: Decimal) -> Phrase | None:
    if measure.value is None or op not in (Operator.AT_LEAST, Operator.MORE_THAN):
        return None
    needed = threshold - measure.value + (1 if op == Operator.MORE_THAN else 0)
    return phrases.COUNT_SHORT(count=plain(max(needed, Decimal(0))))


metric("employees", _("Employees (last year)"), Unit.COUNT, gap=_over_limit)(_figure("employees"))
metric("annual_sales", _("Sales (last year)"), Unit.WAN_YUAN, gap=_over_limit)(_figure("revenue"))
metric("total_assets", _("Total assets (end of last year)"), Unit.WAN_YUAN, gap=_over_limit)(_figure("total_assets"))


# ------------------------------------------------------------------------------------------------------------ ratios


def _ratio(numerator: str, denominator: str, *, years: int = 1) -> Callable[[EnterpriseFacts], Measure]:
    """numerator / denominator in percent, over the last full year, or summed over the last `years` full years
    (fewer when the enterprise was registered since: 国科发火〔2016〕32号 counts the years it has operated)."""

    def compute(facts: EnterpriseFacts) -> Measure:
        span = _span(facts, years)
        missing = [year for year in span if year not in facts.figures]
        if missing:
            return Measure(missing=tuple(phrases.NO_VERIFIED_REPORT(year=year) for year in missing))
        rows = [facts.figures[year] for year in span]
        lacking = [
            phrases.FIGURE_NOT_REPORTED(figure=Figure(name), year=row.year)
            for row in rows
            for name in (numerator, denominator)
            if row.get(name) is None
        ]
        sources = tuple(row.source for row in rows)
        if lacking:
            return Measure(missing=tuple(lacking), sources=sources)
        top = sum((Decimal(row.get(numerator)) for row in rows), Decimal(0))  # type: ignore[arg-type]
        bottom = sum((Decimal(row.get(denominator)) for row in rows), Decimal(0))  # type: ignore[arg-type]
        if bottom <= 0:
            return Measure(missing=(phrases.ZERO_DENOMINATOR(figure=Figure(denominator), years=span),), sources=sources)
        value = top / bottom * HUNDRED
        return Measure(
            value=value,
            found=phrases.RATIO_FOUND(
                numerator=Figure(numerator),
                top=plain(top),
                denominator=Figure(denominator),
                bottom=plain(bottom),
                value=_shown(value),
                years=span,
            ),
            sources=sources,
        )

    return compute


def _span(facts: EnterpriseFacts, years: int) -> list[int]:
    first = facts.last_year - years + 1
    if facts.registered_on is not None:
        first = max(first, min(facts.registered_on.year, facts.last_year))
    return list(range(first, facts.last_year + 1))


def plain(value: Decimal) -> Decimal:
    """A number as a person writes it: no trailing zeros, never in exponent form (10.0000 → 10, 0.50 → 0.5)."""
    normal = value.normalize()
    return normal.quantize(Decimal(1)) if normal == normal.to_integral_value() else normal


def _shown(value: Decimal) -> Decimal:
    """A percentage to two decimals at most: 9 / 100 → 9, 1 / 3 → 33.33."""
    return plain(value.quantize(Decimal("0.01")))


def _ratio_short(numerator: str, denominator: str, *, years: int = 1, whole_units: bool = False):
    """The gap to a ratio's threshold in the numerator's own terms, at the denominator's present value."""

    def gap(facts: EnterpriseFacts, measure: Measure, op: str, threshold: Decimal) -> Phrase | None:
        if measure.value is None or op not in (Operator.AT_LEAST, Operator.MORE_THAN):
            return None
        rows = [facts.figures[year] for year in _span(facts, years)]
        top = sum((Decimal(row.get(numerator)) for row in rows), Decimal(0))  # type: ignore[arg-type]
        bottom = sum((Decimal(row.get(denominator)) for row in rows), Decimal(0))  # type: ignore[arg-type]
        more = threshold / HUNDRED * bottom - top
        if whole_units:
            more = more.to_integral_value(rounding=ROUND_CEILING)
            if op == Operator.MORE_THAN and top + more <= threshold / HUNDRED * bottom:
                more += 1
        else:
            more = more.quantize(Decimal("0.01"), rounding=ROUND_CEILING)
        wording = phrases.RATIO_SHORT_PEOPLE if whole_units else phrases.RATIO_SHORT_MONEY
        return wording(
            value=_shown(measure.value), threshold=plain(threshold), more=plain(max(more, Decimal(0))),
            figure=Figure(numerator),
        )  # fmt: skip

    return gap


metric(
    "tech_staff_share", _("Tech staff / employees (last year)"), Unit.PERCENT,
    gap=_ratio_short("tech_staff", "employees", whole_units=True),
)(_ratio("tech_staff", "employees"))  # fmt: skip
metric("rd_share_of_sales", _("R&D / sales (last year)"), Unit.PERCENT, gap=_ratio_short("rd_expenditure", "revenue"))(
    _ratio("rd_expenditure", "revenue")
)
metric(
    "rd_share_of_costs", _("R&D / total costs (last year)"), Unit.PERCENT,
    gap=_ratio_short("rd_expenditure", "total_costs"),
)(_ratio("rd_expenditure", "total_costs"))  # fmt: skip
metric(
    "rd_share_of_sales_3y", _("R&D / sales over the last three years"), Unit.PERCENT,
    gap=_ratio_short("rd_expenditure", "revenue", years=3),
)(_ratio("rd_expenditure", "revenue", years=3))  # fmt: skip
metric(
    "rd_in_china_share_3y", _("R&D in China / all R&D over the last three years"), Unit.PERCENT,
    gap=_ratio_short("rd_in_china", "rd_expenditure", years=3),
)(_ratio("rd_in_china", "rd_expenditure", years=3))  # fmt: skip
metric(
    "high_tech_revenue_share", _("High-tech product revenue / revenue (last year)"), Unit.PERCENT,
    gap=_ratio_short("high_tech_revenue", "revenue"),
)(_ratio("high_tech_revenue", "revenue"))  # fmt: skip


# ----------------------------------------------------------------------------------------------------------------- IP


def _ip(names: tuple[str, ...]) -> Callable[[EnterpriseFacts], Measure]:
    def compute(facts: EnterpriseFacts) -> Measure:
        figures, lacking = _last_report(facts, names)
        if figures is None:
            return lacking  # type: ignore[return-value]
        value = sum((Decimal(figures.get(name)) for name in names), Decimal(0))  # type: ignore[arg-type]
        return Measure(
            value=value,
            found=phrases.IP_FOUND(figures=[Figure(name) for name in names], year=facts.last_year, value=plain(value)),
            sources=(figures.source,),
        )

    return compute


CLASS_I_IP = ("invention_patents",)
CLASS_II_IP = ("utility_models", "designs", "software_copyrights")
metric("class_i_ip", _("Class I IP held (invention patents)"), Unit.COUNT, gap=_count_short)(_ip(CLASS_I_IP))
metric(
    "class_ii_ip", _("Class II IP held (utility models, designs, software copyrights)"), Unit.COUNT, gap=_count_short
)(_ip(CLASS_II_IP))
metric("core_ip", _("Core IP held (class I and class II)"), Unit.COUNT, gap=_count_short)(_ip(CLASS_I_IP + CLASS_II_IP))


# ------------------------------------------------------------------------------------------------ profile and records


@metric("months_since_registration", _("Time since registration"), Unit.MONTHS)
def _months_since_registration(facts: EnterpriseFacts) -> Measure:
    if facts.kind == EnterpriseKind.TEAM or facts.registered_on is None:
        return Measure(value=Decimal(0), found=phrases.NOT_REGISTERED())
    return Measure(
        value=Decimal(whole_months(facts.registered_on, facts.on)),
        since=facts.registered_on,
        found=phrases.REGISTERED_SINCE(date=facts.registered_on, age=age_in_words(facts.registered_on, facts.on)),
    )


@metric("registered_company", _("A registered company"), Unit.YES_NO)
def _registered_company(facts: EnterpriseFacts) -> Measure:
    if facts.kind == EnterpriseKind.TEAM:
        return Measure(value=Decimal(0), found=phrases.NOT_REGISTERED())
    return Measure(value=Decimal(1), found=phrases.A_COMPANY())


@metric("in_high_tech_field", _("Works in one of the eight supported high-tech fields"), Unit.YES_NO)
def _in_high_tech_field(facts: EnterpriseFacts) -> Measure:
    if not facts.high_tech_field:
        return Measure(missing=(phrases.NO_HIGH_TECH_FIELD(),))
    return Measure(value=Decimal(1), found=phrases.HIGH_TECH_FIELD(field=HighTechField(facts.high_tech_field)))


def valid_certificate(facts: EnterpriseFacts) -> Certificate | None:
    valid = [c for c in facts.certificates if c.issued_on <= facts.on < c.expires_on]
    return max(valid, key=lambda c: c.issued_on) if valid else None


@metric("holds_valid_hte", _("Holds a valid high-tech enterprise certificate"), Unit.YES_NO)
def _holds_valid_hte(facts: EnterpriseFacts) -> Measure:
    certificate = valid_certificate(facts)
    if certificate is None:
        return Measure(value=Decimal(0), found=phrases.NO_VALID_HTE())
    return Measure(
        value=Decimal(1),
        found=phrases.VALID_HTE(number=certificate.number, date=certificate.expires_on),
        sources=({"kind": "hte_certificate", "id": certificate.id},),
    )


@metric("months_to_hte_expiry", _("Months until the HTE certificate expires"), Unit.MONTHS)
def _months_to_hte_expiry(facts: EnterpriseFacts) -> Measure:
    certificate = valid_certificate(facts)
    if certificate is None:
        return Measure(missing=(phrases.NO_VALID_HTE(),))
    return Measure(
        value=Decimal(whole_months(facts.on, certificate.expires_on)),
        since=facts.on,
        found=phrases.VALID_HTE(number=certificate.number, date=certificate.expires_on),
        sources=({"kind": "hte_certificate", "id": certificate.id},),
    )


def _manual(found) -> Callable[[EnterpriseFacts], Measure]:
    return lambda facts: Measure(found=found())


metric("national_st_award", _("A national science and technology award (ranked in the top three)"), Unit.YES_NO,
       manual=True)(_manual(phrases.NOT_ON_RECORD))  # fmt: skip
metric("provincial_rd_institution", _("A provincial-level R&D institution"), Unit.YES_NO, manual=True)(
    _manual(phrases.NOT_ON_RECORD)
)
metric("led_standard_5y", _("Led a national or industry standard in the last five years"), Unit.YES_NO, manual=True)(
    _manual(phrases.NOT_ON_RECORD)
)
metric("hte_innovation_score", _("Innovation score of at least 71 of 100 (assessed by the experts)"), Unit.YES_NO,
       manual=True)(_manual(phrases.EXPERTS_ASSESS))  # fmt: skip
metric("good_standing", _("Not in a prohibited industry; no major incident or serious dishonesty"), Unit.YES_NO,
       manual=True)(_manual(phrases.STAFF_CHECK))  # fmt: skip


# ------------------------------------------------------------------------------------------------------------- dates


def months_later(start: datetime.date, months: int) -> datetime.date:
    """The calendar date `months` after `start` (31 January + 1 month = 28 or 29 February), as the rules count."""
    return start + relativedelta(months=months)


def whole_months(start: datetime.date, on: datetime.date) -> int:
    """Complete months from `start` to `on`: 2024-01-31 → 2026-01-30 is 23 (the 24th month ends on 31 January)."""
    delta = relativedelta(on, start)
    return delta.years * 12 + delta.months


def age_in_words(start: datetime.date, on: datetime.date) -> Phrase:
    delta = relativedelta(on, start)
    return phrases.MONTHS_AND_DAYS(months=delta.years * 12 + delta.months, days=delta.days)


# ------------------------------------------------------------------------------------------------------------ loading


def load_facts(enterprises, *, year: int, on: datetime.date) -> list[EnterpriseFacts]:
    """Facts for every enterprise of `enterprises` (a queryset) for the round `year`, in three queries: the
    enterprises, the verified annual reports of the three years before, and their HTE certificates."""
    rows = list(enterprises.values("pk", "name", "kind", "registered_on", "high_tech_field"))
    ids = [row["pk"] for row in rows]
    figures: dict[int, dict[int, YearFigures]] = {pk: {} for pk in ids}
    reports = OperatingReport.objects.filter(
        enterprise_id__in=ids,
        period=ReportPeriod.ANNUAL,
        status=ReportStatus.VERIFIED,
        year__gte=year - 3,
        year__lte=year - 1,
    ).values("pk", "enterprise_id", "year", *FIGURE_NAMES)
    for report in reports:
        values = {name: _decimal(report[name]) for name in FIGURE_NAMES}
        figures[report["enterprise_id"]][report["year"]] = YearFigures(
            year=report["year"], report_id=report["pk"], values=values
        )
    certificates: dict[int, list[Certificate]] = {pk: [] for pk in ids}
    for row in HTECertificate.objects.filter(enterprise_id__in=ids).values(
        "pk", "enterprise_id", "certificate_no", "issued_on", "expires_on"
    ):
        certificates[row["enterprise_id"]].append(
            Certificate(row["pk"], row["certificate_no"], row["issued_on"], row["expires_on"])
        )
    return [
        EnterpriseFacts(
            enterprise_id=row["pk"],
            name=row["name"],
            kind=row["kind"],
            registered_on=row["registered_on"],
            high_tech_field=row["high_tech_field"],
            year=year,
            on=on,
            figures=figures[row["pk"]],
            certificates=tuple(certificates[row["pk"]]),
        )
        for row in rows
    ]


def _decimal(value) -> Decimal | None:
    return None if value is None else Decimal(value)
