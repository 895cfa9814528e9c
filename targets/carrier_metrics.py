"""The metrics a carrier's accreditation criteria may name (SchemeSubject.CARRIER): the figures of a carrier's year
that the portal computes from its records (area, tenants, graduates, financing, IP, its tenants' verified reports and
qualifications) and those its verified annual return gives (staff, mentors, the fund, income). They join the one
library of targets.metrics, so a criterion of a carrier's scheme names them like any other, and a criterion naming
an enterprise's metric is refused when saved.

A carrier's year is judged on that year's figures (the 2025 readiness on the 2025 return and tenants on 31 December
2025). `load_carrier_facts` loads every carrier's facts for a year in a fixed number of queries."""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Callable, Iterable, Mapping
from decimal import ROUND_CEILING, Decimal
from typing import Any

from django.db import connection
from django.utils.translation import gettext_lazy as _

from accounts.phrasebook import Phrase
from enterprises.choices import ReportPeriod, ReportStatus
from enterprises.models import Enterprise, FinancingEvent, HTECertificate, OperatingReport, TechSMERegistration
from incubation.models import Residency
from parks.models import Carrier
from targets import phrases
from targets.choices import CarrierFigure, Operator, SchemeSubject, Unit
from targets.metrics import HUNDRED, Measure, metric, plain
from targets.models import CarrierReturn
from targets.reporting.torch import space_and_graduates

GROWTH = Decimal("1.2")  # "grew by more than 20 %"
RETURN_FIELDS = (
    "operator_staff", "professional_staff", "mentors", "fund_size", "fund_cases", "fund_invested_tenants",
    "income_rent", "total_income", "tenants_patent_applications",
)  # fmt: skip


@dataclasses.dataclass(frozen=True)
class CarrierFacts:
    """What the metrics know of one carrier's year: the portal's figures (its space and graduates as the Torch
    export counts them; its tenants on 31 December financed in the year and holding valid IP on their verified
    report), its verified return's figures (None without one), and what its tenants on 31 December hold."""

    carrier_id: int
    name: str
    year: int
    on: datetime.date
    portal: Mapping[str, Any]
    carrier_return: Mapping[str, Any] | None
    return_years: int  # consecutive years with a verified return, up to `year`
    tenants: int  # on 31 December
    growing: int  # of them, revenue or R&D up by more than 20 % on the year before (verified reports)
    without_reports: int  # of them, lacking a verified annual report of the year or the year before
    tech_smes: int
    new_htes: int  # first certified in the year
    recent: int  # registered in the twelve months to 31 December


def _carrier(*, code: str, label, unit: Unit, gap=None, manual: bool = False):
    return metric(code, label, unit, gap=gap, manual=manual, subject=SchemeSubject.CARRIER)


def _percent(part: Decimal | int, whole: Decimal | int) -> Decimal:
    return (Decimal(part) / Decimal(whole) * HUNDRED).quantize(Decimal("0.01"))


def _more(value: Decimal) -> Decimal:
    """How many whole units, at least 0."""
    return max(value.to_integral_value(rounding=ROUND_CEILING), Decimal(0))


def _needed(op: str, threshold: Decimal, have: Decimal) -> Decimal:
    return _more(threshold - have + (1 if op == Operator.MORE_THAN and threshold == threshold.to_integral() else 0))


# --------------------------------------------------------------------------------------------- sources and gaps


def _indicator(facts: CarrierFacts, code: str) -> dict[str, Any]:
    return {"kind": "indicator", "code": code, "year": facts.year, "carrier": facts.carrier_id}


def _space(facts: CarrierFacts) -> dict[str, Any]:
    return {"kind": "carrier_space", "carrier": facts.carrier_id, "year": facts.year}


def _return_source(facts: CarrierFacts) -> tuple[dict[str, Any], ...]:
    if facts.carrier_return is None:
        return ()
    return ({"kind": "carrier_return", "id": facts.carrier_return["id"], "year": facts.year},)


def _from_return(facts: CarrierFacts, name: str) -> tuple[Decimal | None, Measure | None]:
    """A figure of the verified return, or the Measure saying what is missing."""
    value = facts.carrier_return.get(name) if facts.carrier_return is not None else None
    if value is None:  # a verified return has every figure: only no return lacks one
        return None, Measure(missing=(phrases.NO_VERIFIED_RETURN(year=facts.year),))
    return Decimal(value), None


def _no_tenants(facts: CarrierFacts) -> Measure:
    return Measure(
        missing=(phrases.NO_TENANTS_ON_DEC31(year=facts.year),), sources=(_indicator(facts, "tenants_year_end"),)
    )


def _count_gap(what: CarrierFigure):
    def gap(facts, measure: Measure, op: str, threshold: Decimal) -> Phrase | None:
        if measure.value is None or op not in (Operator.AT_LEAST, Operator.MORE_THAN):
            return None
        return phrases.CARRIER_COUNT_SHORT(count=plain(_needed(op, threshold, measure.value)), what=what)

    return gap


def _area_gap(facts, measure: Measure, op: str, threshold: Decimal) -> Phrase | None:
    if measure.value is None or op not in (Operator.AT_LEAST, Operator.MORE_THAN):
        return None
    return phrases.AREA_SHORT(area=plain(_needed(op, threshold, measure.value)))


def _money_gap(facts, measure: Measure, op: str, threshold: Decimal) -> Phrase | None:
    if measure.value is None or op not in (Operator.AT_LEAST, Operator.MORE_THAN):
        return None
    return phrases.MONEY_SHORT(amount=plain(max(threshold - measure.value, Decimal(0))))


def _share_gap(what: CarrierFigure, counts: Callable[[CarrierFacts], tuple[Decimal, Decimal] | None]):
    """'8% → needs 10%: 2 more financed tenants' at the present whole (tenants, staff)."""

    def gap(facts, measure: Measure, op: str, threshold: Decimal) -> Phrase | None:
        found = counts(facts)
        if measure.value is None or found is None or op not in (Operator.AT_LEAST, Operator.MORE_THAN):
            return None
        part, whole = found
        more = _more(threshold / HUNDRED * whole - part)
        if op == Operator.MORE_THAN and (part + more) / whole * HUNDRED <= threshold:
            more += 1
        return phrases.SHARE_SHORT(value=plain(measure.value), threshold=plain(threshold), more=plain(more), what=what)

    return gap


def _per_ten_gap(what: CarrierFigure):
    """'mentors 4/6 for 58 tenants'."""

    def gap(facts, measure: Measure, op: str, threshold: Decimal) -> Phrase | None:
        if measure.value is None or not facts.tenants or op not in (Operator.AT_LEAST, Operator.MORE_THAN):
            return None
        have = Decimal(measure.value) * facts.tenants / 10
        needs = _more(threshold * facts.tenants / 10)
        return phrases.PER_TEN_SHORT(what=what, have=plain(have.quantize(Decimal(1))), needs=plain(needs),
                                     tenants=facts.tenants)  # fmt: skip

    return gap


# -------------------------------------------------------------------------------------------------------- metrics


@_carrier(code="carrier_legal_person_in_operation", unit=Unit.YES_NO, manual=True,
          label=_("Independent legal person, and years in operation (checked by a person)"))  # fmt: skip
def _legal_person(facts: CarrierFacts) -> Measure:
    return Measure(found=phrases.NOT_ON_RECORD())


@_carrier(code="carrier_hte_rerecognition_rate", unit=Unit.YES_NO, manual=True,
          label=_("High-tech re-recognition pass rate of its tenants (checked by a person)"))  # fmt: skip
def _rerecognition(facts: CarrierFacts) -> Measure:
    return Measure(found=phrases.NOT_ON_RECORD())


@_carrier(code="carrier_return_years", unit=Unit.COUNT, gap=_count_gap(CarrierFigure.RETURN_YEARS),
          label=_("Consecutive years of statistics reported (verified annual returns)"))  # fmt: skip
def _return_years(facts: CarrierFacts) -> Measure:
    return Measure(value=Decimal(facts.return_years), found=phrases.RETURN_YEARS_FOUND(years=facts.return_years,
                   year=facts.year), sources=_return_source(facts))  # fmt: skip


@_carrier(code="carrier_total_area", unit=Unit.SQUARE_METRES, gap=_area_gap, label=_("Incubation area"))
def _total_area(facts: CarrierFacts) -> Measure:
    return Measure(value=Decimal(facts.portal["total_area"]), sources=(_space(facts),))


@_carrier(code="carrier_tenant_area_share", unit=Unit.PERCENT, label=_("Share of the area used by tenants"),
          gap=_share_gap(CarrierFigure.LET_AREA, lambda f: (Decimal(f.portal["tenant_area"]),
                                                           Decimal(f.portal["total_area"]))
                         if f.portal["total_area"] else None))  # fmt: skip
def _tenant_area_share(facts: CarrierFacts) -> Measure:
    total, let = Decimal(facts.portal["total_area"]), Decimal(facts.portal["tenant_area"])
    if not total:
        return Measure(missing=(phrases.NO_AREA(),), sources=(_space(facts),))
    return Measure(value=_percent(let, total), found=phrases.AREA_LET_FOUND(let=plain(let), total=plain(total)),
                   sources=(_space(facts),))  # fmt: skip


@_carrier(code="carrier_tenants", unit=Unit.COUNT, gap=_count_gap(CarrierFigure.TENANTS),
          label=_("Tenants on 31 December"))  # fmt: skip
def _tenants(facts: CarrierFacts) -> Measure:
    return Measure(value=Decimal(facts.tenants), sources=(_indicator(facts, "tenants_year_end"),))


def _density_gap(facts, measure: Measure, op: str, threshold: Decimal) -> Phrase | None:
    area = Decimal(facts.portal["total_area"])
    if measure.value is None or not area or op not in (Operator.AT_LEAST, Operator.MORE_THAN):
        return None
    return phrases.CARRIER_COUNT_SHORT(count=plain(_more(threshold * area / 1000 - facts.tenants)),
                                       what=CarrierFigure.TENANTS)  # fmt: skip


@_carrier(code="carrier_tenants_per_1000m2", unit=Unit.PER_THOUSAND_M2, gap=_density_gap,
          label=_("Tenants per 1,000 m² of incubation area"))  # fmt: skip
def _density(facts: CarrierFacts) -> Measure:
    area = Decimal(facts.portal["total_area"])
    if not area:
        return Measure(missing=(phrases.NO_AREA(),), sources=(_space(facts),))
    return Measure(value=(Decimal(facts.tenants) * 1000 / area).quantize(Decimal("0.01")),
                   sources=(_indicator(facts, "tenants_year_end"), _space(facts)))  # fmt: skip


@_carrier(code="carrier_graduates_cumulative", unit=Unit.COUNT, gap=_count_gap(CarrierFigure.GRADUATES),
          label=_("Graduates, cumulative"))  # fmt: skip
def _graduates(facts: CarrierFacts) -> Measure:
    return Measure(value=Decimal(facts.portal["graduates_cumulative"]), sources=(_indicator(facts, "graduations"),))


def _tenant_share(portal_name: str | None, indicator: str | None, what_attr: str | None = None):
    """A share of the tenants on 31 December: from the portal's figures (`portal_name`) or the facts (`what_attr`)."""

    def counts(facts: CarrierFacts) -> tuple[Decimal, Decimal] | None:
        if not facts.tenants:
            return None
        part = facts.portal[portal_name] if portal_name else getattr(facts, what_attr or "")
        return Decimal(part or 0), Decimal(facts.tenants)

    def compute(facts: CarrierFacts) -> Measure:
        found = counts(facts)
        sources = (_indicator(facts, indicator),) if indicator else (_indicator(facts, "tenants_year_end"),)
        if found is None:
            return _no_tenants(facts)
        part, whole = found
        return Measure(value=_percent(part, whole), found=phrases.TENANT_SHARE_FOUND(part=plain(part),
                       tenants=plain(whole)), sources=sources)  # fmt: skip

    return counts, compute


def _return_share(name: str, *, of_staff: bool = False):
    """A share of a return's figure in the tenants on 31 December (or in the operator's staff)."""

    def counts(facts: CarrierFacts) -> tuple[Decimal, Decimal] | None:
        part, missing = _from_return(facts, name)
        if missing is not None:
            return None
        whole = Decimal(facts.carrier_return["operator_staff"]) if of_staff else Decimal(facts.tenants)  # type: ignore[index]
        return (part, whole) if whole else None  # type: ignore[return-value]

    def compute(facts: CarrierFacts) -> Measure:
        part, missing = _from_return(facts, name)
        if missing is not None:
            return missing
        found = counts(facts)
        if found is None:
            return (
                _no_tenants(facts)
                if not of_staff
                else Measure(missing=(phrases.NO_OPERATOR_STAFF(year=facts.year),), sources=_return_source(facts))
            )
        part, whole = found
        words = (
            phrases.STAFF_SHARE_FOUND(part=plain(part), staff=plain(whole))
            if of_staff
            else phrases.TENANT_SHARE_FOUND(part=plain(part), tenants=plain(whole))
        )
        return Measure(value=_percent(part, whole), found=words, sources=_return_source(facts))  # fmt: skip

    return counts, compute


def _register_share(code: str, label, what: CarrierFigure, pair) -> None:
    counts, compute = pair
    _carrier(code=code, unit=Unit.PERCENT, label=label, gap=_share_gap(what, counts))(compute)


_register_share(
    "carrier_financed_share",
    _("Share of tenants financed in the year"),
    CarrierFigure.FINANCED_TENANTS,
    _tenant_share("tenants_financed", "tenants_financed"),
)
_register_share(
    "carrier_ip_holders_share",
    _("Share of tenants holding valid IP"),
    CarrierFigure.IP_HOLDERS,
    _tenant_share("tenants_with_ip", "valid_ip"),
)
_register_share(
    "carrier_tech_sme_share",
    _("Share of tenants registered as tech SMEs in the year"),
    CarrierFigure.TECH_SMES,
    _tenant_share(None, "tech_smes", "tech_smes"),
)
_register_share(
    "carrier_recent_tenants_share",
    _("Share of tenants registered in the last twelve months"),
    CarrierFigure.RECENT_TENANTS,
    _tenant_share(None, None, "recent"),
)
_register_share(
    "carrier_fund_invested_share",
    _("Share of tenants invested in by the incubation fund"),
    CarrierFigure.FUND_INVESTED_TENANTS,
    _return_share("fund_invested_tenants"),
)
_register_share(
    "carrier_patent_applicants_share",
    _("Share of tenants that applied for patents in the year"),
    CarrierFigure.PATENT_APPLICANTS,
    _return_share("tenants_patent_applications"),
)
_register_share("carrier_professional_staff_share", _("Professional incubation staff in the operator's staff"),
                CarrierFigure.PROFESSIONAL_STAFF, _return_share("professional_staff", of_staff=True))  # fmt: skip


def _growing_counts(facts: CarrierFacts) -> tuple[Decimal, Decimal] | None:
    return (Decimal(facts.growing), Decimal(facts.tenants)) if facts.tenants else None


@_carrier(code="carrier_growing_share", unit=Unit.PERCENT,
          label=_("Share of tenants whose revenue or R&D grew by more than 20 %"),
          gap=_share_gap(CarrierFigure.GROWING_TENANTS, _growing_counts))  # fmt: skip
def _growing_share(facts: CarrierFacts) -> Measure:
    if not facts.tenants:
        return _no_tenants(facts)
    found = phrases.GROWING_FOUND(part=facts.growing, tenants=facts.tenants, lacking=facts.without_reports,
                                  year=facts.year)  # fmt: skip
    return Measure(value=_percent(facts.growing, facts.tenants), found=found,
                   sources=(_indicator(facts, "tenants_year_end"),))  # fmt: skip


def _return_count(code: str, name: str, label, what: CarrierFigure) -> None:
    def compute(facts: CarrierFacts) -> Measure:
        value, missing = _from_return(facts, name)
        return missing or Measure(value=value, sources=_return_source(facts))

    _carrier(code=code, unit=Unit.COUNT, label=label, gap=_count_gap(what))(compute)


_return_count("carrier_mentors", "mentors", _("Start-up mentors"), CarrierFigure.MENTORS)
_return_count("carrier_fund_cases", "fund_cases", _("Incubation fund investment cases"), CarrierFigure.FUND_CASES)


@_carrier(code="carrier_fund_size", unit=Unit.WAN_YUAN, gap=_money_gap, label=_("Seed or incubation fund"))
def _fund_size(facts: CarrierFacts) -> Measure:
    value, missing = _from_return(facts, "fund_size")
    return missing or Measure(value=value, sources=_return_source(facts))


def _per_ten(code: str, name: str, label, what: CarrierFigure) -> None:
    def compute(facts: CarrierFacts) -> Measure:
        value, missing = _from_return(facts, name)
        if missing is not None:
            return missing
        if not facts.tenants:
            return _no_tenants(facts)
        return Measure(value=(value * 10 / facts.tenants).quantize(Decimal("0.01")),  # type: ignore[operator]
                       found=phrases.PER_TEN_FOUND(count=plain(value), what=what, tenants=facts.tenants),  # type: ignore[arg-type]
                       sources=_return_source(facts) + (_indicator(facts, "tenants_year_end"),))  # fmt: skip

    _carrier(code=code, unit=Unit.PER_TEN_TENANTS, label=label, gap=_per_ten_gap(what))(compute)


_per_ten("carrier_mentors_per_10", "mentors", _("Mentors per 10 tenants"), CarrierFigure.MENTORS)
_per_ten("carrier_professional_staff_per_10", "professional_staff", _("Professional incubation staff per 10 tenants"),
         CarrierFigure.PROFESSIONAL_STAFF)  # fmt: skip


@_carrier(code="carrier_new_htes", unit=Unit.COUNT, gap=_count_gap(CarrierFigure.NEW_HTES),
          label=_("Tenants first recognised as high-tech enterprises in the year"))  # fmt: skip
def _new_htes(facts: CarrierFacts) -> Measure:
    return Measure(value=Decimal(facts.new_htes), sources=(_indicator(facts, "htes"),))


def _non_rent_gap(facts, measure: Measure, op: str, threshold: Decimal) -> Phrase | None:
    """The non-rent income needed, the rent staying as it is: (other + x) / (total + x) ≥ t."""
    if measure.value is None or facts.carrier_return is None or op not in (Operator.AT_LEAST, Operator.MORE_THAN):
        return None
    total, rent = Decimal(facts.carrier_return["total_income"]), Decimal(facts.carrier_return["income_rent"])
    share = threshold / HUNDRED
    if share >= 1:
        return None
    more = max(((share * total - (total - rent)) / (1 - share)).quantize(Decimal("0.01"), rounding=ROUND_CEILING),
               Decimal(0))  # fmt: skip
    return phrases.SHARE_SHORT(value=plain(measure.value), threshold=plain(threshold), more=plain(more),
                               what=CarrierFigure.NON_RENT_INCOME)  # fmt: skip


@_carrier(code="carrier_non_rent_income_share", unit=Unit.PERCENT, gap=_non_rent_gap,
          label=_("Service income other than rent in the total income"))  # fmt: skip
def _non_rent_share(facts: CarrierFacts) -> Measure:
    total, missing = _from_return(facts, "total_income")
    if missing is not None:
        return missing
    rent, _missing = _from_return(facts, "income_rent")
    if not total:
        return Measure(missing=(phrases.NO_INCOME(year=facts.year),), sources=_return_source(facts))
    other = total - (rent or Decimal(0))  # type: ignore[operator]
    return Measure(value=_percent(other, total), found=phrases.INCOME_FOUND(other=plain(other), total=plain(total)),
                   sources=_return_source(facts))  # fmt: skip


# ---------------------------------------------------------------------------------------------------------- facts


COUNTS = ("tenants", "growing", "without_reports", "holds_ip", "financed", "tech_smes", "new_htes", "recent")
EMPTY_COUNTS = dict.fromkeys(COUNTS, 0)


def _tenant_counts(ids: list[int], year: int) -> dict[int, dict[str, int]]:
    """For each carrier, of its tenants on 31 December (distinct enterprises with a residency open then): how many,
    how many grew their revenue or R&D by more than 20 % on the year before (both years' verified annual reports),
    how many lack either report, hold valid IP on the year's verified report, were financed in the year, are
    registered tech SMEs for the year, were first certified HTEs in the year, and were registered in the twelve
    months to 31 December. One set-based statement (hash joins, not a lookup per tenant)."""
    if not ids:
        return {}
    jan1, dec31 = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    tables = {
        "residency": Residency._meta.db_table, "enterprise": Enterprise._meta.db_table,
        "report": OperatingReport._meta.db_table, "financing": FinancingEvent._meta.db_table,
        "tech_sme": TechSMERegistration._meta.db_table, "hte": HTECertificate._meta.db_table,
    }  # fmt: skip
    sql = f"""
        WITH t AS (
            SELECT DISTINCT r.carrier_id, r.enterprise_id, e.registered_on
            FROM {tables["residency"]} r JOIN {tables["enterprise"]} e ON e.id = r.enterprise_id
            WHERE r.carrier_id = ANY(%(ids)s) AND r.started_on <= %(dec31)s
              AND (r.ended_on IS NULL OR r.ended_on > %(dec31)s)
        ),
        rep AS (
            SELECT o.enterprise_id,
                   max(o.revenue) FILTER (WHERE o.year = %(year)s) AS revenue,
                   max(o.revenue) FILTER (WHERE o.year = %(before)s) AS revenue_before,
                   max(o.rd_expenditure) FILTER (WHERE o.year = %(year)s) AS rd,
                   max(o.rd_expenditure) FILTER (WHERE o.year = %(before)s) AS rd_before,
                   bool_or(o.year = %(year)s AND o.invention_patents + o.utility_models + o.designs
                           + o.software_copyrights + o.other_ip > 0) AS holds_ip
            FROM {tables["report"]} o
            WHERE o.year IN (%(year)s, %(before)s) AND o.period = %(annual)s AND o.status = %(verified)s
              AND o.enterprise_id IN (SELECT enterprise_id FROM t)
            GROUP BY o.enterprise_id
        ),
        fin AS (
            SELECT DISTINCT enterprise_id FROM {tables["financing"]} WHERE occurred_on BETWEEN %(jan1)s AND %(dec31)s
        ),
        sme AS (SELECT DISTINCT enterprise_id FROM {tables["tech_sme"]} WHERE year = %(year)s),
        hte AS (
            SELECT enterprise_id, bool_or(issued_on BETWEEN %(jan1)s AND %(dec31)s) AS in_year,
                   bool_or(issued_on < %(jan1)s) AS earlier
            FROM {tables["hte"]} GROUP BY enterprise_id
        )
        SELECT t.carrier_id,
               count(*),
               count(*) FILTER (WHERE (rep.revenue_before > 0 AND rep.revenue > rep.revenue_before * %(growth)s)
                                   OR (rep.rd_before > 0 AND rep.rd > rep.rd_before * %(growth)s)),
               count(*) FILTER (WHERE rep.revenue IS NULL OR rep.revenue_before IS NULL),
               count(*) FILTER (WHERE rep.holds_ip),
               count(fin.enterprise_id),
               count(sme.enterprise_id),
               count(*) FILTER (WHERE hte.in_year AND NOT hte.earlier),
               count(*) FILTER (WHERE t.registered_on > %(recent_since)s)
        FROM t
        LEFT JOIN rep ON rep.enterprise_id = t.enterprise_id
        LEFT JOIN fin ON fin.enterprise_id = t.enterprise_id
        LEFT JOIN sme ON sme.enterprise_id = t.enterprise_id
        LEFT JOIN hte ON hte.enterprise_id = t.enterprise_id
        GROUP BY t.carrier_id
    """  # noqa: S608 (table names from the models' metadata; every value is a parameter)
    params = {
        "ids": ids, "year": year, "before": year - 1, "jan1": jan1, "dec31": dec31, "growth": GROWTH,
        "annual": ReportPeriod.ANNUAL, "verified": ReportStatus.VERIFIED, "recent_since": dec31.replace(year=year - 1),
    }  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {row[0]: dict(zip(COUNTS, row[1:], strict=True)) for row in cursor.fetchall()}


def load_carrier_facts(carriers: Iterable[Carrier], *, year: int, on: datetime.date) -> list[CarrierFacts]:
    """Every carrier's facts for `year`, in the order given, in six queries whatever the number of tenants: the
    space and graduates (three, as the Torch export counts them), the verified returns (two), and the tenants on 31
    December with their reports, financing and qualifications (one)."""
    carriers = list(carriers)
    ids = [carrier.pk for carrier in carriers]
    areas, let, graduates = space_and_graduates(ids, datetime.date(year, 12, 31))

    returns = {
        row["carrier_id"]: row
        for row in CarrierReturn.objects.current()
        .filter(carrier__in=ids, year=year, status=ReportStatus.VERIFIED)
        .values("id", "carrier_id", *RETURN_FIELDS)
    }
    verified_years: dict[int, set[int]] = {}
    for carrier_id, filed_year in (
        CarrierReturn.objects.filter(carrier__in=ids, year__lte=year, status=ReportStatus.VERIFIED)
        .values_list("carrier_id", "year")
        .distinct()
    ):
        verified_years.setdefault(carrier_id, set()).add(filed_year)

    counts = _tenant_counts(ids, year)
    facts = []
    for carrier in carriers:
        found = counts.get(carrier.pk, EMPTY_COUNTS)
        portal = {
            "total_area": areas.get(carrier.pk, {}).get("total") or Decimal(0),
            "tenant_area": let.get(carrier.pk) or Decimal(0),
            "graduates_cumulative": graduates.get(carrier.pk, 0),
            "tenants_financed": found["financed"],
            "tenants_with_ip": found["holds_ip"],
        }
        facts.append(
            CarrierFacts(
                carrier_id=carrier.pk,
                name=carrier.name,
                year=year,
                on=on,
                portal=portal,
                carrier_return=returns.get(carrier.pk),
                return_years=_consecutive(verified_years.get(carrier.pk, set()), year),
                tenants=found["tenants"],
                growing=found["growing"],
                without_reports=found["without_reports"],
                tech_smes=found["tech_smes"],
                new_htes=found["new_htes"],
                recent=found["recent"],
            )  # fmt: skip
        )
    return facts


def _consecutive(years: set[int], up_to: int) -> int:
    count = 0
    while up_to - count in years:
        count += 1
    return count
