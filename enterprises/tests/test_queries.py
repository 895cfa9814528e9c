"""Query counts of the enterprise pages and API lists: bounded, and the same bound at two data sizes (3 and 60
enterprises, each with a team, tech-based SME registrations, HTE certificates and applications, honours, financing
events and edits), so no page runs a query per enterprise or per record.

Every signed-in request costs 6 queries around the view's own (the "request overhead"): the session, the user, the
user's groups (roles_of), and saving the session (SAVEPOINT, UPDATE, RELEASE; SESSION_SAVE_EVERY_REQUEST).
Each bound is the count measured, plus 1 of margin.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from enterprises import services
from enterprises.filters import EnterpriseFilter
from enterprises.models import (
    Enterprise,
    EnterpriseMembership,
    FinancingEvent,
    Honour,
    HTEApplication,
    HTECertificate,
    TeamMember,
    TechSMERegistration,
)
from enterprises.selectors import enterprise_list
from enterprises.tests.factories import enterprise_user, valid_uscc
from parks.models import FocusField

pytestmark = pytest.mark.django_db

SMALL = {"enterprises": 3, "edits": 1}
LARGE = {"enterprises": 60, "edits": 15}  # more than one page (50) of the list


def build_enterprises(size: dict, by) -> Enterprise:
    """`size["enterprises"]` companies, each with 3 team members, 2 tech-SME years, 2 HTE certificates (one lapsed),
    2 HTE applications (one rejected, one pending), an honour, 2 financing events and a user; the first one also
    carries `size["edits"]` audited edits. Returns the first (the one the enterprise user acts for)."""
    fields = list(FocusField.objects.exclude(parent=None).order_by("pk")[:4])
    today = timezone.localdate()
    lapsed, current = today.replace(year=today.year - 6, day=1), today.replace(year=today.year - 1, day=1)
    enterprises = Enterprise.objects.bulk_create(
        Enterprise(
            name=f"淄博规模测试{n:03d}科技有限公司",
            uscc=valid_uscc(f"91370305MA{n:07d}"),
            registered_on=datetime.date(2015 + n % 8, 1 + n % 12, 1 + n % 28),
            industry_field=fields[n % len(fields)],
        )
        for n in range(size["enterprises"])
    )
    TeamMember.objects.bulk_create(
        TeamMember(enterprise=e, name=f"成员{n}", education="master", is_founder=n == 0)
        for e in enterprises
        for n in range(3)
    )
    TechSMERegistration.objects.bulk_create(
        TechSMERegistration(enterprise=e, year=year, registration_no=f"{year}370305A{e.pk:07d}")
        for e in enterprises
        for year in (2024, 2025)
    )
    HTECertificate.objects.bulk_create(
        HTECertificate(enterprise=e, certificate_no=f"GR{issued.year}{e.pk:08d}", issued_on=issued)
        for e in enterprises
        for issued in (lapsed, current)
    )
    HTEApplication.objects.bulk_create(
        HTEApplication(
            enterprise=e,
            year=year,
            submitted_on=datetime.date(year, 6, 1),
            outcome=outcome,
            decided_on=datetime.date(year, 11, 1) if outcome == "rejected" else None,
        )
        for e in enterprises
        for year, outcome in ((2024, "rejected"), (2025, "pending"))
    )
    Honour.objects.bulk_create(Honour(enterprise=e, kind="gazelle", level="municipal", year=2024) for e in enterprises)
    FinancingEvent.objects.bulk_create(
        FinancingEvent(
            enterprise=e,
            occurred_on=datetime.date(2024, 1 + n, 1),
            round="angel",
            amount=Decimal(500),
            investor="齐鲁创投",
        )
        for e in enterprises
        for n in range(2)
    )
    EnterpriseMembership.objects.bulk_create(
        EnterpriseMembership(enterprise=e, user=enterprise_user(f"scale{e.pk}")) for e in enterprises[1:]
    )
    first = enterprises[0]
    for n in range(size["edits"]):
        services.enterprise_update(
            enterprise=first, by=by, data={"address": f"临淄区 {n} 号", "contact_name": f"联系人{n}"}
        )
    return first


@pytest.fixture(params=[SMALL, LARGE], ids=["small", "large"])
def first(request, users):
    enterprise = build_enterprises(request.param, by=users[Role.OPERATOR])
    EnterpriseMembership.objects.create(user=users[Role.ENTERPRISE], enterprise=enterprise)
    return enterprise


def filtered_list(user, params: dict):
    filterset = EnterpriseFilter(params, queryset=enterprise_list(user=user))
    assert filterset.is_valid(), filterset.errors
    return filterset.qs


def industry_of(enterprise: Enterprise) -> int:
    return enterprise.industry_field.parent_id


# (test id, url, query string, bound). Measured as the operator; the enterprise user (fewer rows) never needs more.
LIST = "enterprises:enterprise_list"
PAGES = [
    # overhead 6 + the filter form's industry choices, paginator COUNT, the page (annotated, industry field joined)
    ("list", lambda e: reverse(LIST), lambda e: {}, 10),
    ("list-search", lambda e: reverse(LIST), lambda e: {"q": "规模测试"}, 10),
    ("list-search-code", lambda e: reverse(LIST), lambda e: {"q": e.uscc[:12].lower()}, 10),
    ("list-sorted", lambda e: reverse(LIST), lambda e: {"sort": "-tech_sme"}, 10),
    # + the chosen industry, looked up to validate the filter
    (
        "list-filtered",
        lambda e: reverse(LIST),
        lambda e: {"industry": industry_of(e), "hte": "true", "tech_sme_year": 2025, "sort": "-financing"},
        11,
    ),
    (
        "list-search-and-filters",
        lambda e: reverse(LIST),
        lambda e: {"q": "规模", "industry": industry_of(e), "hte": "true", "tech_sme_year": 2024},
        11,
    ),
    # overhead 6 + the 403/404 check, the enterprise (annotated), 6 record prefetches, memberships and their users,
    # the can-edit check, the enterprise's residencies and those the user may manage (incubation), the content type
    # and the latest audit events (an enterprise user: neither manageable residencies nor history); the evidence of
    # the three qualifications (3); the applications and documents (2); the timeline, one query per source (10); the
    # operating figures year by year (1; an enterprise user: + the reminder banner, 1)
    ("detail", lambda e: reverse("enterprises:enterprise_detail", args=[e.pk]), lambda e: {}, 39),
    # overhead 6 + the 403/404 check (+ the industry choices on the enterprise form)
    ("edit", lambda e: reverse("enterprises:enterprise_update", args=[e.pk]), lambda e: {}, 9),
    ("hte-add", lambda e: reverse("enterprises:record_create", args=[e.pk, "hte"]), lambda e: {}, 8),
    # API lists: overhead 6 + paginator COUNT + the page (+ the industry or enterprise named by a filter)
    ("api-enterprises", lambda e: reverse("enterprise-list"), lambda e: {}, 9),
    ("api-enterprises-search", lambda e: reverse("enterprise-list"), lambda e: {"q": "规模"}, 9),
    (
        "api-enterprises-filtered",
        lambda e: reverse("enterprise-list"),
        lambda e: {"industry": industry_of(e), "hte": "true", "tech_sme_year": 2025},
        10,
    ),
    ("api-team-members", lambda e: reverse("team-member-list"), lambda e: {}, 9),
    ("api-tech-sme-registrations", lambda e: reverse("tech-sme-registration-list"), lambda e: {}, 9),
    ("api-hte-certificates", lambda e: reverse("hte-certificate-list"), lambda e: {}, 9),
    ("api-hte-applications", lambda e: reverse("hte-application-list"), lambda e: {}, 9),
    ("api-honours", lambda e: reverse("honour-list"), lambda e: {}, 9),
    ("api-financing-events", lambda e: reverse("financing-event-list"), lambda e: {}, 9),
    ("api-financing-events-of-one", lambda e: reverse("financing-event-list"), lambda e: {"enterprise": e.pk}, 10),
]


@pytest.mark.parametrize("role", [Role.OPERATOR, Role.ENTERPRISE], ids=lambda role: role.value)
@pytest.mark.parametrize(("url", "query", "bound"), [page[1:] for page in PAGES], ids=[page[0] for page in PAGES])
def test_query_count_does_not_grow_with_the_enterprises(
    client_for, users, first, url, query, bound, role, django_assert_max_num_queries
):
    client = client_for(users[role])
    ContentType.objects.clear_cache()  # the detail page looks its content type up once; count it every time

    with django_assert_max_num_queries(bound):
        response = client.get(url(first), query(first))

    assert response.status_code == 200


def test_the_large_size_is_really_larger(users):
    """Guards the test above: the large size fills more than a page of the list and of every API list."""
    build_enterprises(LARGE, by=users[Role.OPERATOR])
    assert Enterprise.objects.count() > 50
    for model in (TeamMember, TechSMERegistration, HTECertificate, HTEApplication, Honour, FinancingEvent):
        assert model.objects.count() > 50, model
    # and the filters measured above still match more than a page
    industry = Enterprise.objects.first().industry_field.parent
    filtered = filtered_list(
        users[Role.OPERATOR], {"industry": industry.pk, "hte": "true", "tech_sme_year": "2025", "q": "规模"}
    )
    assert filtered.count() > 50
