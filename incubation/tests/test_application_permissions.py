"""The permission matrix of applications, reviews and documents: every page and endpoint, as every role and as an
anonymous visitor, on the visitor's own application ("own": the enterprise user's, at the park staff's carrier,
assigned to the expert) and on another's ("other": another enterprise's, at another park, another expert's)."""

from __future__ import annotations

import dataclasses

import pytest
from django.urls import reverse

from accounts.roles import Role
from conftest import make_user
from enterprises.models import Document
from enterprises.tests.factories import EnterpriseMembershipFactory
from incubation import services
from incubation.choices import ApplicationStatus
from incubation.models import Application, Review
from incubation.tests.factories import ApplicationFactory, pdf_upload
from tests import matrix
from tests.matrix import DENIED, EVERYONE, LOGIN, NOT_FOUND, OK, OTHER, OWN, _row, role_id

pytestmark = pytest.mark.django_db


@dataclasses.dataclass
class Site:
    application: Application
    review: Review
    document: Document


def _site(applicant, carrier, expert, staff) -> Site:
    application = ApplicationFactory(enterprise=applicant.membership.enterprise, carrier=carrier, created_by=applicant)
    document = services.application_attach(
        application=application, upload=pdf_upload(), title="商业计划书", kind="business_plan", by=applicant
    )
    services.application_act(application=application, move="submit", by=applicant)
    services.application_act(application=application, move="start_screening", by=staff)
    review = services.review_assign(application=application, expert=expert, by=staff)
    services.application_act(application=application, move="send_to_review", by=staff)
    return Site(application=application, review=review, document=document)


@pytest.fixture
def sites(users, own_park, other_park) -> dict[str, Site]:
    EnterpriseMembershipFactory(user=users[Role.ENTERPRISE], enterprise__contact_name="王经理",
                                enterprise__contact_phone="13905330001")  # fmt: skip
    stranger = EnterpriseMembershipFactory(enterprise__contact_name="李经理",
                                           enterprise__contact_phone="13905330002").user  # fmt: skip
    operator = users[Role.OPERATOR]
    return {
        OWN: _site(users[Role.ENTERPRISE], own_park, users[Role.EXPERT], operator),
        OTHER: _site(stranger, other_park, make_user("expert-other", Role.EXPERT), operator),
    }


def _by_where(own: dict, other: dict) -> dict[str, dict]:
    return {OWN: own, OTHER: other}


#                    anonymous admin operator park_staff bureau expert enterprise
READ = _by_where(
    _row(LOGIN, OK, OK, OK, OK, OK, OK),
    _row(LOGIN, OK, OK, NOT_FOUND, OK, NOT_FOUND, NOT_FOUND),
)
STAFF_MOVE = _by_where(
    _row(LOGIN, OK, OK, OK, DENIED, DENIED, DENIED),
    _row(LOGIN, OK, OK, NOT_FOUND, DENIED, DENIED, DENIED),
)
# The API finds the object first (404 out of scope), then the service refuses a role that may not move it (403).
API_STAFF_COMMAND = _by_where(
    _row(LOGIN, OK, OK, OK, DENIED, DENIED, DENIED),
    _row(LOGIN, OK, OK, NOT_FOUND, DENIED, DENIED, NOT_FOUND),
)
APPLICANT_MOVE = _by_where(
    _row(LOGIN, DENIED, DENIED, DENIED, DENIED, DENIED, OK),
    _row(LOGIN, DENIED, DENIED, DENIED, DENIED, DENIED, NOT_FOUND),
)
EXPERT_SCORE = _by_where(
    _row(LOGIN, DENIED, DENIED, DENIED, DENIED, OK, DENIED),
    _row(LOGIN, DENIED, DENIED, DENIED, DENIED, NOT_FOUND, DENIED),
)
DOCUMENT = _by_where(
    _row(LOGIN, OK, OK, OK, OK, OK, OK),
    _row(LOGIN, OK, OK, NOT_FOUND, OK, NOT_FOUND, NOT_FOUND),
)

PAGES = [
    ("detail", lambda s: reverse("incubation:application_detail", args=[s.application.pk]), READ),
    ("close-review", lambda s: reverse("incubation:application_move", args=[s.application.pk, "close_review"]),
     STAFF_MOVE),
    ("request-info", lambda s: reverse("incubation:application_move", args=[s.application.pk, "request_more_info"]),
     STAFF_MOVE),
    ("assign", lambda s: reverse("incubation:review_assign", args=[s.application.pk]), STAFF_MOVE),
    ("withdraw", lambda s: reverse("incubation:application_move", args=[s.application.pk, "withdraw"]),
     APPLICANT_MOVE),
    ("score", lambda s: reverse("incubation:review_score", args=[s.review.pk]), EXPERT_SCORE),
    ("document", lambda s: reverse("enterprises:document_download", args=[s.document.pk]), DOCUMENT),
]  # fmt: skip


@pytest.mark.parametrize("where", [OWN, OTHER])
@pytest.mark.parametrize("role", EVERYONE, ids=role_id)
@pytest.mark.parametrize(("name", "url", "rules"), PAGES, ids=[page[0] for page in PAGES])
def test_page(visit, sites, name, url, rules, role, where):
    matrix.assert_page(visit(role).get(url(sites[where])), rules[where][role])


@pytest.mark.parametrize("role", EVERYONE, ids=role_id)
def test_the_queue_lists_only_what_the_role_may_see(visit, sites, role):
    response = visit(role).get(reverse("incubation:applications"))
    if role is None:
        matrix.assert_page(response, LOGIN)
        return
    shown = {application.pk for application in response.context["page_obj"].object_list}
    expected = {where for where in (OWN, OTHER) if READ[where][role] == OK}
    assert shown == {sites[where].application.pk for where in expected}


@pytest.mark.parametrize("role", EVERYONE, ids=role_id)
def test_api_list(visit, sites, role):
    response = visit(role).get("/api/v1/applications/")
    if role is None:
        matrix.assert_api_refused(response, LOGIN)
        return
    shown = {row["id"] for row in response.json()["results"]}
    assert shown == {sites[where].application.pk for where in (OWN, OTHER) if READ[where][role] == OK}


@pytest.mark.parametrize("where", [OWN, OTHER])
@pytest.mark.parametrize("role", EVERYONE, ids=role_id)
def test_api_retrieve(visit, sites, role, where):
    response = visit(role).get(f"/api/v1/applications/{sites[where].application.pk}/")
    if READ[where][role] == OK:
        assert response.status_code == 200
    else:
        matrix.assert_api_refused(response, READ[where][role])


@pytest.mark.parametrize("where", [OWN, OTHER])
@pytest.mark.parametrize("role", EVERYONE, ids=role_id)
def test_api_staff_command(visit, sites, role, where):
    """Requesting more material is a staff command: only staff who run the carrier get it through."""
    site = sites[where]
    response = visit(role).post(
        f"/api/v1/applications/{site.application.pk}/request-more-info/", {"message": "请补充财务报表"},
        content_type="application/json",
    )  # fmt: skip
    outcome = API_STAFF_COMMAND[where][role]
    site.application.refresh_from_db()
    if outcome == OK:
        assert response.status_code == 200, response.content
        assert site.application.status == ApplicationStatus.MORE_INFO
    else:
        matrix.assert_api_refused(response, outcome)
        assert site.application.status == ApplicationStatus.EXPERT_REVIEW


@pytest.mark.parametrize("where", [OWN, OTHER])
@pytest.mark.parametrize("role", EVERYONE, ids=role_id)
def test_api_score(visit, sites, role, where):
    site = sites[where]
    scores = {"score_technology": 80, "score_team": 80, "score_market": 80, "score_business_model": 80,
              "score_focus_fit": 80}  # fmt: skip
    response = visit(role).post(
        f"/api/v1/reviews/{site.review.pk}/score/", {"scores": scores, "comment": "良好"},
        content_type="application/json",
    )  # fmt: skip
    outcome = EXPERT_SCORE[where][role]
    site.review.refresh_from_db()
    if outcome == OK:
        assert response.status_code == 200, response.content
        assert site.review.weighted_score == 80
    else:
        matrix.assert_api_refused(response, outcome)
        assert site.review.submitted_at is None


@pytest.mark.parametrize("where", [OWN, OTHER])
@pytest.mark.parametrize("role", EVERYONE, ids=role_id)
def test_api_withdraw(visit, sites, role, where):
    site = sites[where]
    response = visit(role).post(f"/api/v1/applications/{site.application.pk}/withdraw/", {},
                                content_type="application/json")  # fmt: skip
    outcome = APPLICANT_MOVE[where][role]
    site.application.refresh_from_db()
    if outcome == OK:
        assert response.status_code == 200, response.content
        assert site.application.status == ApplicationStatus.WITHDRAWN
    else:
        # The API answers 404 for an object out of the role's scope, and also for staff who may not act as
        # the applicant on an application they can see (the service refuses: 403).
        assert response.status_code in (401, 403, 404)
        assert site.application.status == ApplicationStatus.EXPERT_REVIEW


@pytest.mark.parametrize("role", list(Role))
def test_the_api_offers_the_same_moves_as_the_application_page(client, users, sites, role):
    """One selector decides the moves: the page's buttons and the API's `allowed_moves` never disagree."""
    client.force_login(users[role])
    for where, site in sites.items():
        page = client.get(reverse("incubation:application_detail", args=[site.application.pk]))
        api = client.get(f"/api/v1/applications/{site.application.pk}/")
        if page.status_code != 200:
            assert api.status_code in (403, 404), (role, where)
            continue
        assert api.status_code == 200, (role, where)
        page_moves = [move.name for move in page.context["moves"]]
        assert api.json()["allowed_moves"] == page_moves, (role, where)
        listed = client.get("/api/v1/applications/", {"page_size": 100}).json()["results"]
        assert next(row for row in listed if row["id"] == site.application.pk)["allowed_moves"] == page_moves
