"""The application queue as staff and experts read it: scores rounded for people, and an expert's own scores."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from conftest import make_user
from enterprises.tests.factories import EnterpriseMembershipFactory
from incubation import selectors
from incubation.choices import ApplicationStatus as S
from incubation.models import Review
from incubation.tests.factories import ApplicationFactory

pytestmark = pytest.mark.django_db


def _reviewed(application, by, scores: list[str | None]):
    """Reviews of `application` by as many new experts, submitted with the given weighted scores (None: pending)."""
    for number, score in enumerate(scores):
        expert = make_user(f"reviewer{application.pk}-{number}", Role.EXPERT)
        Review.objects.create(application=application, expert=expert, assigned_by=by, weighted_score=score,
                              submitted_at=timezone.now() if score is not None else None)  # fmt: skip


def _application(status=S.EXPERT_REVIEW, **kwargs):
    membership = EnterpriseMembershipFactory(enterprise__contact_name="张", enterprise__contact_phone="13905330003")
    return ApplicationFactory(enterprise=membership.enterprise, created_by=membership.user, status=status, **kwargs)


def test_the_queue_shows_the_average_score_to_two_places(client_for, users):
    application = _application()
    _reviewed(application, users[Role.OPERATOR], ["70.00", "70.00", "71.00"])
    row = selectors.application_queue(user=users[Role.OPERATOR]).get(pk=application.pk)
    assert str(row.average_score) == "70.33"
    page = client_for(users[Role.OPERATOR]).get(reverse("incubation:applications")).content.decode()
    assert "70.33" in page and "70.333" not in page


def test_an_expert_sees_and_filters_what_awaits_their_score(client_for, users, django_assert_max_num_queries):
    expert, staff = users[Role.EXPERT], users[Role.OPERATOR]
    awaiting, scored, not_open = _application(), _application(), _application(status=S.SCREENING)
    Review.objects.create(application=awaiting, expert=expert, assigned_by=staff)
    Review.objects.create(application=scored, expert=expert, assigned_by=staff, weighted_score="81.50",
                          submitted_at=timezone.now())  # fmt: skip
    Review.objects.create(application=not_open, expert=expert, assigned_by=staff)

    rows = {row.pk: row for row in selectors.application_queue(user=expert)}
    assert [rows[a.pk].awaiting_my_score for a in (awaiting, scored, not_open)] == [True, False, False]
    assert rows[scored.pk].my_score == Decimal("81.50") and rows[awaiting.pk].my_score is None

    client = client_for(expert)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("incubation:applications"), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "我的评分" in page and "待我评分" in page and "81.50" in page
    filtered = client.get(reverse("incubation:applications") + "?mine=awaiting")
    assert [row.pk for row in filtered.context["page_obj"].object_list] == [awaiting.pk]

    # Staff have no such filter or column: the score is the expert's.
    staff_page = client_for(staff).get(reverse("incubation:applications") + "?mine=awaiting")
    assert "mine" not in staff_page.context["filterset"].form.fields
    assert len(staff_page.context["page_obj"].object_list) == 3
