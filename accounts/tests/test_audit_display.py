"""The audit log reads as a person would write it, in the reader's language: lists joined by the language's
separator, a review's scores by the criteria's names, never a Python dict."""

import pytest
from django.utils import translation

from accounts import audit
from accounts.models import AuditAction
from accounts.roles import Role
from incubation.models import Review
from incubation.tests.factories import ApplicationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def scored(users):
    operator = users[Role.OPERATOR]
    review = Review.objects.create(application=ApplicationFactory(), expert=users[Role.EXPERT], assigned_by=operator)
    return audit.record(
        actor=users[Role.EXPERT], action=AuditAction.UPDATE, obj=review,
        changes={"scores": [{}, {"score_team": 70, "score_market": 63}]},
    )  # fmt: skip


def test_a_reviews_scores_read_by_the_criteria_names_in_chinese(users, client_for, scored):
    html = client_for(users[Role.ADMIN]).get("/accounts/audit/").content.decode()

    assert "团队：70、市场前景：63" in html
    assert "score_team" not in html and "{" not in html.split('id="main"')[1].split("</table>")[0]


def test_and_in_english(users, client_for, scored):
    client = client_for(users[Role.ADMIN])
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})

    html = client.get("/accounts/audit/").content.decode()

    assert "Team: 70, Market prospects: 63" in html


def test_lists_are_joined_by_the_languages_separator():
    from accounts.templatetags.audit_extras import join_list

    with translation.override("en"):
        assert join_list(["甲", "乙"]) == "甲, 乙"
    with translation.override("zh-hans"):
        assert join_list(["甲", "乙"]) == "甲、乙"
    assert join_list([]) == "∅"
