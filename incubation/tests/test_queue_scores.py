"""The application queue as staff and experts read it: scores rounded for people, and an expert's own scores."""

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
