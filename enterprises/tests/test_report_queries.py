"""Query counts of the operating-report pages and API lists: the same bound at two data sizes (3 and 60 tenants,
each with four years of reports, reminders and a deadline set), so no list runs a query per row.

Every signed-in request costs 6 queries around the view's own (session, user, groups, saving the session); an
enterprise user's pages 1 more (the reminder banner)."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from enterprises.choices import ReminderKind
from enterprises.models import Enterprise, EnterpriseMembership, OperatingReport, ReportDeadline, ReportReminder
from enterprises.tests.factories import valid_uscc
from enterprises.tests.report_factories import FIGURES
from incubation.models import Residency
from parks.models import Carrier

pytestmark = pytest.mark.django_db

LAST_YEAR = timezone.localdate().year - 1
SMALL, LARGE = 3, 60


def build(size: int, users) -> Enterprise:
    """`size` tenants of 大数据产业园 (the park administrator's), each with reports for four years (the last one a
    draft), a reminder, and 2 quarters; the first acts for the enterprise user. Returns the first."""
    carrier = Carrier.objects.get(code="big-data")
    enterprises = Enterprise.objects.bulk_create(
        Enterprise(name=f"淄博规模报表{n:03d}科技有限公司", uscc=valid_uscc(f"91370305MB{n:07d}"),
                   registered_on=datetime.date(2019, 1, 1))
        for n in range(size)
    )  # fmt: skip
    Residency.objects.bulk_create(
        Residency(enterprise=e, carrier=carrier, stage="incubator", started_on=datetime.date(2021, 1, 1))
        for e in enterprises
    )
    operator = users[Role.OPERATOR]
    OperatingReport.objects.bulk_create(
        OperatingReport(enterprise=e, year=year, period=period, created_by=operator, **FIGURES,
                        status="draft" if year == LAST_YEAR else "verified")
        for e in enterprises
        for year in range(LAST_YEAR - 3, LAST_YEAR + 1)
        for period in (["annual", "q1"] if year == LAST_YEAR else ["annual"])
    )  # fmt: skip
    ReportReminder.objects.bulk_create(
        ReportReminder(enterprise=e, year=LAST_YEAR, period="annual", kind=ReminderKind.OVERDUE, sequence=1,
                       due_on=datetime.date(LAST_YEAR + 1, 3, 31))
        for e in enterprises
    )  # fmt: skip
    ReportDeadline.objects.get_or_create(
        year=LAST_YEAR, period="q1", defaults={"due_on": datetime.date(LAST_YEAR, 5, 1)}
    )
    EnterpriseMembership.objects.create(user=users[Role.ENTERPRISE], enterprise=enterprises[0])
    return enterprises[0]


@pytest.fixture(params=[SMALL, LARGE], ids=["small", "large"])
def first(request, users):
    return build(request.param, users)


# (name, url, query, bound per role)
PAGES = [
    # Each bound is the count measured (the same at both sizes) plus 1 of margin.
    # overhead + the paginator COUNT + the page + the deadlines that apply (an enterprise user: + its membership,
    # the banner)
    ("report-list", lambda e: reverse("enterprises:report_list"), {}, {Role.OPERATOR: 10, Role.ENTERPRISE: 12,
                                                                        Role.PARK_STAFF: 10}),
    ("report-list-filtered", lambda e: reverse("enterprises:report_list"),
     {"year": LAST_YEAR, "period": "annual", "status": "draft", "q": "规模", "sort": "-revenue"},
     {Role.OPERATOR: 10, Role.PARK_STAFF: 10}),
    # overhead + the deadline (2: last year's default and the chosen period's) + COUNT + the page + the carriers
    ("not-filed", lambda e: reverse("enterprises:report_not_filed"), {"year": LAST_YEAR, "period": "annual"},
     {Role.OPERATOR: 13, Role.PARK_STAFF: 13, Role.BUREAU: 13}),
    ("not-filed-sorted-filtered", lambda e: reverse("enterprises:report_not_filed"),
     {"year": LAST_YEAR, "period": "annual", "stage": "incubator", "sort": "-reminded"}, {Role.OPERATOR: 13}),
    ("deadlines", lambda e: reverse("enterprises:deadline_list"), {}, {Role.OPERATOR: 10, Role.ENTERPRISE: 11}),
    # overhead + the 403/404 check + the history (LAG) + the list of reports (+ the versions of one period)
    ("history", lambda e: reverse("enterprises:report_history", args=[e.pk]), {"year": LAST_YEAR, "period": "annual"},
     {Role.OPERATOR: 11, Role.ENTERPRISE: 12}),
    ("report-detail", lambda e: reverse("enterprises:report_detail", args=[e.operating_reports.first().pk]), {},
     {Role.OPERATOR: 13, Role.ENTERPRISE: 13}),
    # allowed_moves asks the page's selector: one query for which reports of the page the user may change, and an
    # enterprise user's membership (the filer party), once per request whatever the number of reports.
    ("api-reports", lambda e: reverse("operating-report-list"), {}, {Role.OPERATOR: 9, Role.ENTERPRISE: 10}),
    ("api-reports-filtered", lambda e: reverse("operating-report-list"),
     {"year": LAST_YEAR, "status": "draft", "current": "true"}, {Role.OPERATOR: 9}),
    ("api-deadlines", lambda e: reverse("report-deadline-list"), {}, {Role.OPERATOR: 9}),
    ("api-not-filed", lambda e: reverse("operating-report-not-filed"), {"year": LAST_YEAR}, {Role.OPERATOR: 10}),
]  # fmt: skip
CASES = [(name, url, query, role, bound) for name, url, query, bounds in PAGES for role, bound in bounds.items()]


@pytest.mark.parametrize(("name", "url", "query", "role", "bound"), CASES,
                         ids=[f"{case[0]}-{case[3].value}" for case in CASES])  # fmt: skip
def test_query_count_does_not_grow_with_the_tenants(
    client_for, users, first, name, url, query, role, bound, django_assert_max_num_queries
):
    client = client_for(users[role])
    with django_assert_max_num_queries(bound):
        response = client.get(url(first), query)
    assert response.status_code == 200


def test_the_large_size_fills_more_than_a_page(users):
    build(LARGE, users)
    assert OperatingReport.objects.filter(period="annual", year=LAST_YEAR).count() > 50
    assert Enterprise.objects.count() > 50
