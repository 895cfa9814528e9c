"""Reads of enterprises: a bounded number of queries whatever the number of enterprises and records."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.contrib.postgres.search import TrigramWordSimilarity
from django.db import connection
from django.db.models import (
    Case,
    Count,
    DecimalField,
    Exists,
    F,
    IntegerField,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
    Window,
)
from django.db.models.functions import Coalesce, Lag, Length, Lower, NullIf, StrIndex
from django.urls import reverse
from django.utils import timezone

from accounts import workflows
from accounts.models import User
from config.decimals import PERCENT_PLACES, rounded
from enterprises import periods, report_workflow
from enterprises.choices import ReportPeriod, ReportStatus
from enterprises.models import (
    CorporateEvent,
    Document,
    Enterprise,
    EnterpriseMembership,
    FinancingEvent,
    Honour,
    HTEApplication,
    HTECertificate,
    OperatingReport,
    ReportDeadline,
    ReportReminder,
    TeamMember,
    TechSMERegistration,
)
from enterprises.uscc import normalise_uscc
from incubation.models import Residency

_MONEY: DecimalField = DecimalField(max_digits=16, decimal_places=2)


def _total(queryset: QuerySet, field: str, output_field):
    summed = queryset.order_by().annotate(_g=Value(1)).values("_g").annotate(total=Sum(field)).values("total")
    return Coalesce(Subquery(summed, output_field=output_field), Value(0), output_field=output_field)


def enterprise_list(*, user, action: str = "view", today: datetime.date | None = None) -> QuerySet[Enterprise]:
    """The enterprises `user` may `action`, each with: the latest 科技型中小企业 year, whether it holds a valid HTE
    certificate today, total financing (万元) and team size."""
    today = today or timezone.localdate()
    return (
        Enterprise.objects.for_user(user, action)
        .select_related("industry_field")
        .annotate(
            latest_tech_sme_year=Subquery(
                TechSMERegistration.objects.filter(enterprise=OuterRef("pk")).order_by("-year").values("year")[:1],
                output_field=IntegerField(),
            ),
            has_valid_hte=Exists(
                HTECertificate.objects.filter(enterprise=OuterRef("pk"), issued_on__lte=today, expires_on__gt=today)
            ),
            financing_total=_total(FinancingEvent.objects.filter(enterprise=OuterRef("pk")), "amount", _MONEY),
            team_size=Coalesce(
                Subquery(
                    TeamMember.objects.filter(enterprise=OuterRef("pk"))
                    .order_by()
                    .annotate(_g=Value(1))
                    .values("_g")
                    .annotate(n=Count("pk"))
                    .values("n"),
                    output_field=IntegerField(),
                ),
                Value(0),
            ),
        )
    )


def search_enterprises(queryset: QuerySet[Enterprise], text: str) -> QuerySet[Enterprise]:
    """Fuzzy search by name or USCC: any part of the name (works for Chinese), the code's prefix, or a name
    similar by trigrams (pg_trgm: catches typos in Latin-letter names), the closest first: the exact name or code,
    then names that begin with the text, then names holding it (the earlier and the shorter first), then names
    only similar to it, each by similarity.

    (pg_trgm alone cannot rank Chinese: a name is one "word", so 齐创 inside 淄博齐创新材料… scores 0 while
    齐鲁创新… scores for its first character.)"""
    text = text.strip()
    if not text:
        return queryset
    code = normalise_uscc(text) or text  # "-" alone is no code prefix of every code
    return (
        queryset.annotate(
            similarity=TrigramWordSimilarity(text, "name"),
            match_rank=Case(
                When(Q(name__iexact=text) | Q(uscc=code), then=Value(0)),
                When(Q(name__istartswith=text) | Q(uscc__startswith=code), then=Value(1)),
                When(name__icontains=text, then=Value(2)),
                default=Value(3),
            ),
            match_position=StrIndex(Lower("name"), Lower(Value(text))),
        )
        .filter(Q(name__icontains=text) | Q(uscc__startswith=code) | Q(similarity__gte=0.3))
        .order_by("match_rank", "match_position", "-similarity", Length("name"), "name", "id")
    )


EVIDENCE = Prefetch("evidence", queryset=Document.objects.order_by("uploaded_at", "id"))


def enterprise_detail(*, user, pk: int) -> Enterprise:
    """One enterprise with everything its page shows (Enterprise.DoesNotExist if `user` may not see it)."""
    return (
        enterprise_list(user=user)
        .prefetch_related(
            Prefetch("team_members", queryset=TeamMember.objects.order_by("-is_founder", "id")),
            Prefetch(
                "tech_sme_registrations",
                queryset=TechSMERegistration.objects.order_by("-year").prefetch_related(EVIDENCE),
            ),
            Prefetch(
                "hte_certificates", queryset=HTECertificate.objects.order_by("-issued_on").prefetch_related(EVIDENCE)
            ),
            Prefetch("hte_applications", queryset=HTEApplication.objects.order_by("-year", "id")),
            Prefetch("honours", queryset=Honour.objects.order_by("-year", "id").prefetch_related(EVIDENCE)),
            Prefetch("financing_events", queryset=FinancingEvent.objects.order_by("-occurred_on", "id")),
            Prefetch(
                "corporate_events",
                queryset=CorporateEvent.objects.order_by("-occurred_on", "id").prefetch_related(EVIDENCE),
            ),
            Prefetch("memberships__user"),
        )
        .get(pk=pk)
    )


# --- Operating reports (经营数据填报) ---------------------------------------------------------------------------------


def report_deadline(*, year: int, period: str) -> periods.Deadline:
    """The deadline of one period as it applies: the one staff set, or the default (enterprises.periods)."""
    row = ReportDeadline.objects.filter(year=year, period=period).first()
    if row is None:
        return periods.default_deadline(year, period)
    return periods.Deadline(year=year, period=period, due_on=row.due_on, required=row.required, is_default=False,
                            pk=row.pk)  # fmt: skip


def report_deadlines(*, years: list[int]) -> list[periods.Deadline]:
    """Every period of `years` (newest first) with its deadline as it applies, in one query."""
    rows = {(row.year, row.period): row for row in ReportDeadline.objects.filter(year__in=years)}
    result = []
    for year in sorted(years, reverse=True):
        for period in ReportPeriod.values:
            row = rows.get((year, period))
            result.append(
                periods.Deadline(
                    year=year, period=period, due_on=row.due_on, required=row.required, is_default=False, pk=row.pk
                )  # fmt: skip
                if row
                else periods.default_deadline(year, period)
            )
    return result


def report_list(*, user, action: str = "view") -> QuerySet[OperatingReport]:
    """The reports `user` may `action`, with their enterprise (every version; `.current()` keeps the current)."""
    return OperatingReport.objects.for_user(user, action).select_related("enterprise")


def current_report(*, enterprise_id: int, year: int, period: str = ReportPeriod.ANNUAL) -> OperatingReport | None:
    """The current version (any status but superseded) of an enterprise's report for a period, or None."""
    return OperatingReport.objects.current().filter(enterprise_id=enterprise_id, year=year, period=period).first()


def report_period_to_file(*, enterprise_id: int, today: datetime.date) -> tuple[int, str] | None:
    """The period a new report of the enterprise most likely covers, one it has no report for yet: last year's
    annual report, else the year before's, else this year's latest ended quarter; None if it has them all."""
    candidates = [(today.year - 1, ReportPeriod.ANNUAL), (today.year - 2, ReportPeriod.ANNUAL)] + [
        (today.year, quarter)
        for quarter in reversed(periods.QUARTERS)
        if periods.period_end(today.year, quarter) < today
    ]
    filed = set(
        OperatingReport.objects.current()
        .filter(enterprise_id=enterprise_id, year__gte=today.year - 2)
        .values_list("year", "period")
    )
    return next((candidate for candidate in candidates if candidate not in filed), None)


def verified_annual_reports() -> QuerySet[OperatingReport]:
    """Every verified, current annual report: the figures indicators and rules may count on (one per enterprise
    and year, by the database's constraint)."""
    return OperatingReport.objects.filter(period=ReportPeriod.ANNUAL, status=ReportStatus.VERIFIED)


def verified_annual_report(*, enterprise_id: int, year: int) -> OperatingReport | None:
    """The verified current annual report of an enterprise for a year, or None."""
    return verified_annual_reports().filter(enterprise_id=enterprise_id, year=year).first()


def _growth(field: str, previous: str):
    # Percent change on the year before; none when that year is missing (no report, or not the year just before)
    # or its figure is zero.
    return rounded(
        Case(
            When(previous_year=F("year") - 1, then=(F(field) - F(previous)) * Value(100.0) / NullIf(F(previous), 0)),
            default=None,
            output_field=DecimalField(max_digits=20, decimal_places=4),
        ),
        PERCENT_PLACES,
    )


def annual_history(*, user, enterprise_id: int) -> QuerySet[OperatingReport]:
    """An enterprise's annual figures, year by year (the current version of each year, oldest first), each with
    its valid IP in total and the growth in percent on the year before of revenue, R&D, employees and valid IP,
    computed by the database (window function LAG over the enterprise's years)."""
    by_year: dict[str, Any] = {"partition_by": [F("enterprise_id")], "order_by": F("year").asc()}
    valid_ip = F("invention_patents") + F("utility_models") + F("designs") + F("software_copyrights") + F("other_ip")
    return (
        OperatingReport.objects.for_user(user)
        .current()
        .filter(enterprise_id=enterprise_id, period=ReportPeriod.ANNUAL)
        .annotate(
            valid_ip_total=valid_ip,
            previous_year=Window(Lag("year"), **by_year),
            previous_revenue=Window(Lag("revenue"), **by_year),
            previous_rd=Window(Lag("rd_expenditure"), **by_year),
            previous_employees=Window(Lag("employees"), **by_year),
            previous_ip=Window(Lag(valid_ip), **by_year),  # type: ignore[arg-type]  # the stubs: a field name only
        )
        .annotate(
            revenue_growth=_growth("revenue", "previous_revenue"),
            rd_growth=_growth("rd_expenditure", "previous_rd"),
            employees_growth=_growth("employees", "previous_employees"),
            ip_growth=_growth("valid_ip_total", "previous_ip"),
        )
        .order_by("year")
    )


def report_versions(*, user, enterprise_id: int, year: int, period: str) -> QuerySet[OperatingReport]:
    """Every version of one period's report, newest first, with who submitted and verified each."""
    return (
        OperatingReport.objects.for_user(user)
        .filter(enterprise_id=enterprise_id, year=year, period=period)
        .select_related("created_by", "submitted_by", "verified_by")
        .order_by("-version")
    )


def _overlapping_residencies(queryset, *, year: int, period: str):
    start, end = periods.period_start(year, period), periods.period_end(year, period)
    return queryset.filter(started_on__lte=end).filter(Q(ended_on__isnull=True) | Q(ended_on__gte=start))


def not_filed(*, user, year: int, period: str) -> QuerySet[Enterprise]:
    """The enterprises in residency (in `user`'s scope: park staff their carriers') at some time of the period
    that have no submitted or verified report for it; each with the carrier and stage of its latest residency in
    the period, the status and id of its current report (draft, returned) if any, and its last reminder."""
    residencies = _overlapping_residencies(
        Residency.objects.for_user(user).filter(enterprise=OuterRef("pk")), year=year, period=period
    ).order_by("-started_on", "-id")
    reports = OperatingReport.objects.current().filter(enterprise=OuterRef("pk"), year=year, period=period)
    reminders = (
        ReportReminder.objects.filter(enterprise=OuterRef("pk"), year=year, period=period)
        .order_by()
        .values("enterprise")
        .annotate(last=Max("sent_at"))
        .values("last")
    )
    return (
        Enterprise.objects.annotate(
            residency_carrier=Subquery(residencies.values("carrier_id")[:1]),
            residency_carrier_order=Subquery(residencies.values("carrier__sort_order")[:1]),
            residency_stage=Subquery(residencies.values("stage")[:1]),
            report_status=Subquery(reports.values("status")[:1]),
            report_id=Subquery(reports.values("pk")[:1]),
            last_reminded=Subquery(reminders),
        )
        .filter(residency_carrier__isnull=False)
        .exclude(Exists(reports.filter(status__in=report_workflow.FILED)))
    )


@dataclass(frozen=True)
class PendingReport:
    """An enterprise that has not filed a required period's report whose deadline is near or past."""

    enterprise_id: int
    enterprise_name: str
    deadline: periods.Deadline
    report_id: int | None = None  # its current report not yet filed (a draft, or returned by staff), if any

    @property
    def file_url(self) -> str:
        """Where the enterprise files it: its draft or returned report, else a new report for the period."""
        if self.report_id is not None:
            return reverse("enterprises:report_detail", args=[self.report_id])
        query = urlencode({"year": self.deadline.year, "period": self.deadline.period})
        return f"{reverse('enterprises:report_create')}?{query}"


def pending_reports(
    *, today: datetime.date, within_days: int, user=None, members_only: bool = True
) -> list[PendingReport]:
    """In ONE query: every (enterprise, required period) whose deadline is at most `within_days` away or past (the
    periods of the last two years and this one), where the enterprise was in residency during the period and has
    no submitted or verified report for it. `user`: only that user's own enterprise (the reminder banner);
    `members_only`: only enterprises with an active user to tell (the reminder job)."""
    candidates: list[str] = []
    params: list[Any] = []
    for year in range(today.year - 2, today.year + 1):
        for period in ReportPeriod.values:
            default = periods.default_deadline(year, period)
            candidates.append("(%s, %s, %s::date, %s::date, %s::date, %s)")
            params += [year, period, periods.period_start(year, period), periods.period_end(year, period),
                       default.due_on, default.required]  # fmt: skip
    tables = {
        "deadline": ReportDeadline._meta.db_table,
        "enterprise": Enterprise._meta.db_table,
        "residency": Residency._meta.db_table,
        "report": OperatingReport._meta.db_table,
        "membership": EnterpriseMembership._meta.db_table,
        "user": User._meta.db_table,
    }
    filters = ""
    if user is not None:
        filters += f" AND e.id IN (SELECT m.enterprise_id FROM {tables['membership']} m WHERE m.user_id = %s)"  # noqa: S608
        params_tail = [user.pk]
    else:
        params_tail = []
    if members_only:
        filters += (
            f" AND EXISTS (SELECT 1 FROM {tables['membership']} m JOIN {tables['user']} u ON u.id = m.user_id"  # noqa: S608
            " WHERE m.enterprise_id = e.id AND u.is_active)"
        )
    sql = f"""
        WITH candidates (year, period, start_on, end_on, due_on, required) AS (VALUES {", ".join(candidates)}),
        periods AS (
            SELECT c.year, c.period, c.start_on, c.end_on, COALESCE(d.due_on, c.due_on) AS due_on,
                   COALESCE(d.required, c.required) AS required, d.id AS deadline_id
            FROM candidates c LEFT JOIN {tables["deadline"]} d ON d.year = c.year AND d.period = c.period
        )
        SELECT p.year, p.period, p.due_on, p.deadline_id, e.id, e.name,
               (SELECT o.id FROM {tables["report"]} o WHERE o.enterprise_id = e.id AND o.year = p.year
                AND o.period = p.period AND o.status <> %s ORDER BY o.version DESC LIMIT 1) AS report_id
        FROM periods p CROSS JOIN {tables["enterprise"]} e
        WHERE p.required AND p.due_on <= %s
          AND EXISTS (SELECT 1 FROM {tables["residency"]} r WHERE r.enterprise_id = e.id AND r.started_on <= p.end_on
                      AND (r.ended_on IS NULL OR r.ended_on >= p.start_on))
          AND NOT EXISTS (SELECT 1 FROM {tables["report"]} o WHERE o.enterprise_id = e.id AND o.year = p.year
                          AND o.period = p.period AND o.status IN %s)
          {filters}
        ORDER BY p.due_on, e.name, e.id
    """  # noqa: S608 -- table names from the models; every value is a parameter
    params += [
        ReportStatus.SUPERSEDED, today + datetime.timedelta(days=within_days), tuple(report_workflow.FILED),
        *params_tail,
    ]  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return [
        PendingReport(
            enterprise_id=enterprise_id,
            enterprise_name=name,
            deadline=periods.Deadline(
                year=year, period=period, due_on=due_on, required=True, is_default=deadline_id is None, pk=deadline_id
            ),  # fmt: skip
            report_id=report_id,
        )
        for year, period, due_on, deadline_id, enterprise_id, name, report_id in rows
    ]


# How close to its deadline a period's report shows in the enterprise's banner.
BANNER_DAYS = 14


def report_banner(*, user, today: datetime.date | None = None) -> list[PendingReport]:
    """The reports the signed-in enterprise user's enterprise still has to file (deadline within two weeks, or
    past): the banner on every page. One query."""
    today = today or timezone.localdate()
    return pending_reports(today=today, within_days=BANNER_DAYS, user=user, members_only=False)


__all__ = [
    "annual_history",
    "current_report",
    "enterprise_detail",
    "enterprise_list",
    "not_filed",
    "pending_reports",
    "report_banner",
    "report_deadline",
    "report_deadlines",
    "report_list",
    "report_period_to_file",
    "report_versions",
    "search_enterprises",
    "verified_annual_report",
    "verified_annual_reports",
]


def report_moves(
    *, user, report: OperatingReport, may_change: bool | None = None, check_preconditions: bool = False
) -> list[workflows.Offer]:
    """The moves the report workflow allows `user` now on `report` (filers of this enterprise, reviewers in scope):
    the report's page and the API's `allowed_moves` both ask this. `may_change` may be passed when known."""
    return workflows.offers(
        report_workflow.REPORT_WORKFLOW, user=user, obj=report, may_change=may_change,
        check_preconditions=check_preconditions,
    )  # fmt: skip
