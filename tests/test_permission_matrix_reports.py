"""The permission matrix of operating reports (经营数据填报): every page and API endpoint, tried by every role and by an
anonymous visitor, on the enterprise user's own enterprise ("own", a tenant of 大数据产业园, the park administrator's
carrier) and on another enterprise ("other", a tenant of 新医药产业园 with its own enterprise user).

The tables restate accounts.roles.POLICY (enterprises.operatingreport, reportdeadline, reportreminder, and the page
enterprises.reports_not_filed) with the reports' scope and enterprises.report_workflow:
- admin and operator read every report, file on any enterprise's behalf and verify or return any;
- park staff read and review their carriers' tenants' reports only (another's: 404) and never file (403);
- the bureau reads everything and changes nothing (403);
- experts see no report (403);
- an enterprise user reads and files their own enterprise's reports (another's: 404) and never reviews (403);
- anonymous visitors are sent to the sign-in page (web) or refused (API).
A refused write changes nothing: the report keeps its status and no reminder is recorded.
"""

from __future__ import annotations

import dataclasses

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from enterprises.models import Enterprise, OperatingReport, ReportDeadline, ReportReminder
from enterprises.tests.factories import enterprise_user
from enterprises.tests.report_factories import FIGURES, report, tenant
from tests import matrix
from tests.matrix import ANONYMOUS, DENIED, EVERYONE, LOGIN, NOT_FOUND, OK, OTHER, OWN, _row, role_id

pytestmark = pytest.mark.django_db

LAST_YEAR = timezone.localdate().year - 1

# fmt: off
#                        anonymous  admin   operator  park staff  bureau  expert  enterprise
READ_OWN          = _row(LOGIN,     OK,     OK,       OK,         OK,     DENIED, OK)
READ_OTHER        = _row(LOGIN,     OK,     OK,       NOT_FOUND,  OK,     DENIED, NOT_FOUND)
FILE_OWN          = _row(LOGIN,     OK,     OK,       DENIED,     DENIED, DENIED, OK)
FILE_OTHER        = _row(LOGIN,     OK,     OK,       NOT_FOUND,  DENIED, DENIED, NOT_FOUND)
REVIEW_OWN        = _row(LOGIN,     OK,     OK,       OK,         DENIED, DENIED, DENIED)
REVIEW_OTHER      = _row(LOGIN,     OK,     OK,       NOT_FOUND,  DENIED, DENIED, DENIED)
OVERSIGHT         = _row(LOGIN,     OK,     OK,       OK,         OK,     DENIED, DENIED)
DEADLINES_READ    = _row(LOGIN,     OK,     OK,       OK,         OK,     DENIED, OK)
OPERATING         = _row(LOGIN,     OK,     OK,       DENIED,     DENIED, DENIED, DENIED)
REMIND_OWN        = _row(LOGIN,     OK,     OK,       OK,         DENIED, DENIED, DENIED)
REMIND_OTHER      = _row(LOGIN,     OK,     OK,       NOT_FOUND,  DENIED, DENIED, DENIED)
# fmt: on
# FILE_OTHER: park staff reach the edit page of a report out of their scope as 404 (in scope: 403, they never file).
# REMIND_OTHER: park staff cannot see another carrier's tenant (404).

READ = {OWN: READ_OWN, OTHER: READ_OTHER}
FILE = {OWN: FILE_OWN, OTHER: FILE_OTHER}
REVIEW = {OWN: REVIEW_OWN, OTHER: REVIEW_OTHER}
REMIND = {OWN: REMIND_OWN, OTHER: REMIND_OTHER}

LISTS = {
    ANONYMOUS: LOGIN,
    Role.ADMIN: {OWN, OTHER},
    Role.OPERATOR: {OWN, OTHER},
    Role.PARK_STAFF: {OWN},
    Role.BUREAU: {OWN, OTHER},
    Role.EXPERT: DENIED,
    Role.ENTERPRISE: {OWN},
}


@dataclasses.dataclass
class Site:
    enterprise: Enterprise
    draft: OperatingReport  # last year's, a draft
    submitted: OperatingReport  # the year before, submitted
    verified: OperatingReport  # two years before, verified


def _site(name: str, carrier_code: str, user) -> Site:
    enterprise = tenant(name=name, carrier_code=carrier_code, user=user)
    return Site(
        enterprise=enterprise,
        draft=report(enterprise, year=LAST_YEAR),
        submitted=report(enterprise, year=LAST_YEAR - 1, status="submitted"),
        verified=report(enterprise, year=LAST_YEAR - 2, status="verified"),
    )


@pytest.fixture
def sites(users) -> dict[str, Site]:
    return {
        OWN: _site("淄博本企业科技有限公司", "big-data", users[Role.ENTERPRISE]),
        OTHER: _site("淄博他企业科技有限公司", "new-medicine", enterprise_user("other-enterprise")),
    }


def status_of(report_: OperatingReport) -> str:
    return OperatingReport.objects.get(pk=report_.pk).status


# --- Pages --------------------------------------------------------------------------------------------------------

PAGES = [
    ("report_detail", lambda s: [s.submitted.pk], READ),
    ("report_history", lambda s: [s.enterprise.pk], READ),
    ("report_update", lambda s: [s.draft.pk], FILE),
    ("report_move-return", lambda s: [s.submitted.pk, "return"], REVIEW),
]


@pytest.mark.parametrize("where", [OWN, OTHER])
@pytest.mark.parametrize("role", EVERYONE, ids=role_id)
@pytest.mark.parametrize(("name", "args", "rules"), PAGES, ids=[page[0] for page in PAGES])
def test_report_page(visit, sites, name, args, rules, role, where):
    url = reverse(f"enterprises:{name.split('-')[0]}", args=args(sites[where]))
    matrix.assert_page(visit(role).get(url), rules[where][role])


SITE_WIDE = [
    ("report_list", _row(LOGIN, OK, OK, OK, OK, DENIED, OK)),
    ("report_not_filed", OVERSIGHT),
    ("deadline_list", DEADLINES_READ),
    ("deadline_create", OPERATING),
]


@pytest.mark.parametrize("role", EVERYONE, ids=role_id)
@pytest.mark.parametrize(("name", "rule"), SITE_WIDE, ids=[page[0] for page in SITE_WIDE])
def test_site_wide_report_page(visit, sites, name, rule, role):
    matrix.assert_page(visit(role).get(reverse(f"enterprises:{name}")), rule[role])


@pytest.mark.parametrize("role", EVERYONE, ids=role_id)
def test_report_list_shows_each_role_its_scope(visit, sites, role):
    response = visit(role).get(reverse("enterprises:report_list"))
    expected = LISTS[role]
    if isinstance(expected, str):
        matrix.assert_page(response, expected)
        return
    shown = {report_.enterprise_id for report_ in response.context["page_obj"].object_list}
    assert shown == {sites[where].enterprise.pk for where in expected}


@pytest.mark.parametrize("role", EVERYONE, ids=role_id)
def test_not_filed_shows_each_role_its_scope(visit, sites, role):
    response = visit(role).get(reverse("enterprises:report_not_filed"), {"year": LAST_YEAR, "period": "annual"})
    if OVERSIGHT[role] != OK:
        matrix.assert_page(response, OVERSIGHT[role])
        return
    shown = {row.pk for row in response.context["page_obj"].object_list}
    expected = {OWN} if role is Role.PARK_STAFF else {OWN, OTHER}
    assert shown == {sites[where].enterprise.pk for where in expected}


# --- Writes through the pages -------------------------------------------------------------------------------------


@pytest.mark.parametrize("where", [OWN, OTHER])
@pytest.mark.parametrize("role", EVERYONE, ids=role_id)
def test_web_verify(visit, sites, role, where):
    submitted = sites[where].submitted
    outcome = REVIEW[where][role]
    response = visit(role).post(reverse("enterprises:report_move", args=[submitted.pk, "verify"]))
    matrix.assert_form_post(response, outcome)
    assert status_of(submitted) == ("verified" if outcome == OK else "submitted")


@pytest.mark.parametrize("where", [OWN, OTHER])
@pytest.mark.parametrize("role", EVERYONE, ids=role_id)
def test_web_submit(visit, sites, role, where):
    draft = sites[where].draft
    outcome = FILE[where][role]
    if role is Role.PARK_STAFF:
        outcome = DENIED  # the move itself is not theirs, whatever the report
    response = visit(role).post(reverse("enterprises:report_move", args=[draft.pk, "submit"]))
    matrix.assert_form_post(response, outcome)
    assert status_of(draft) == ("submitted" if outcome == OK else "draft")


@pytest.mark.parametrize("where", [OWN, OTHER])
@pytest.mark.parametrize("role", EVERYONE, ids=role_id)
def test_web_correct(visit, sites, role, where):
    verified = sites[where].verified
    outcome = FILE[where][role]
    if role is Role.PARK_STAFF:
        outcome = DENIED
    response = visit(role).post(reverse("enterprises:report_move", args=[verified.pk, "correct"]), {"message": "调整"})
    matrix.assert_form_post(response, outcome)
    assert status_of(verified) == ("superseded" if outcome == OK else "verified")


@pytest.mark.parametrize("where", [OWN, OTHER])
@pytest.mark.parametrize("role", EVERYONE, ids=role_id)
def test_web_edit(visit, sites, role, where):
    draft = sites[where].draft
    outcome = FILE[where][role]
    data = {**{name: str(value) for name, value in FIGURES.items()}, "employees": "77", "action": "save"}
    response = visit(role).post(reverse("enterprises:report_update", args=[draft.pk]), data)
    matrix.assert_form_post(response, outcome)
    assert OperatingReport.objects.get(pk=draft.pk).employees == (77 if outcome == OK else FIGURES["employees"])


@pytest.mark.parametrize("where", [OWN, OTHER])
@pytest.mark.parametrize("role", EVERYONE, ids=role_id)
def test_web_remind(visit, sites, role, where):
    outcome = REMIND[where][role]
    response = visit(role).post(
        reverse("enterprises:report_remind", args=[sites[where].enterprise.pk]), {"year": LAST_YEAR, "period": "annual"}
    )
    matrix.assert_form_post(response, outcome)
    assert ReportReminder.objects.exists() is (outcome == OK)


# --- API ----------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", EVERYONE, ids=role_id)
def test_api_list(visit, sites, role):
    response = visit(role).get(reverse("operating-report-list"))
    expected = LISTS[role]
    if isinstance(expected, str):
        matrix.assert_api_refused(response, expected)
        return
    listed = {row["enterprise"] for row in response.json()["results"]}
    assert listed == {sites[where].enterprise.pk for where in expected}


@pytest.mark.parametrize("where", [OWN, OTHER])
@pytest.mark.parametrize("role", EVERYONE, ids=role_id)
def test_api_retrieve(visit, sites, role, where):
    report_ = sites[where].submitted
    response = visit(role).get(reverse("operating-report-detail", args=[report_.pk]))
    outcome = READ[where][role]
    if outcome == OK:
        assert response.status_code == 200 and response.json()["id"] == report_.pk
    else:
        matrix.assert_api_refused(response, outcome)


@pytest.mark.parametrize("where", [OWN, OTHER])
@pytest.mark.parametrize("role", EVERYONE, ids=role_id)
def test_api_verify(visit, sites, role, where):
    submitted = sites[where].submitted
    outcome = REVIEW[where][role]
    if role is Role.ENTERPRISE and where == OTHER:
        outcome = NOT_FOUND  # the API looks the report up in the user's scope first
    response = visit(role).post(reverse("operating-report-verify", args=[submitted.pk]))
    if outcome == OK:
        assert response.status_code == 200, response.content
    else:
        matrix.assert_api_refused(response, outcome)
    assert status_of(submitted) == ("verified" if outcome == OK else "submitted")


@pytest.mark.parametrize("where", [OWN, OTHER])
@pytest.mark.parametrize("role", EVERYONE, ids=role_id)
def test_api_edit_draft(visit, sites, role, where):
    draft = sites[where].draft
    outcome = FILE[where][role]
    if role is Role.PARK_STAFF and where == OWN:
        outcome = DENIED
    response = visit(role).patch(
        reverse("operating-report-detail", args=[draft.pk]), {"employees": 66}, content_type="application/json"
    )
    if outcome == OK:
        assert response.status_code == 200, response.content
    else:
        matrix.assert_api_refused(response, outcome)
    assert OperatingReport.objects.get(pk=draft.pk).employees == (66 if outcome == OK else FIGURES["employees"])


@pytest.mark.parametrize("where", [OWN, OTHER])
@pytest.mark.parametrize("role", EVERYONE, ids=role_id)
def test_api_create_for_an_enterprise(visit, sites, role, where):
    """Filing this year's first quarter for the site's enterprise (an enterprise user for another: refused)."""
    enterprise = sites[where].enterprise
    payload = {"enterprise": enterprise.pk, "year": LAST_YEAR, "period": "q1"}
    response = visit(role).post(reverse("operating-report-list"), payload, content_type="application/json")
    outcome = {OWN: FILE_OWN, OTHER: _row(LOGIN, OK, OK, DENIED, DENIED, DENIED, DENIED)}[where][role]
    if outcome == OK:
        assert response.status_code == 201, response.content
    else:
        matrix.assert_api_refused(response, outcome)
    assert OperatingReport.objects.filter(enterprise=enterprise, period="q1").exists() is (outcome == OK)


@pytest.mark.parametrize("role", EVERYONE, ids=role_id)
def test_api_deadlines(visit, sites, role):
    client = visit(role)
    listed = client.get(reverse("report-deadline-list"))
    if DEADLINES_READ[role] == OK:
        assert listed.status_code == 200
    else:
        matrix.assert_api_refused(listed, DEADLINES_READ[role])
    created = client.post(
        reverse("report-deadline-list"),
        {"year": LAST_YEAR, "period": "q1", "due_on": f"{LAST_YEAR}-05-01"},
        content_type="application/json",
    )
    if OPERATING[role] == OK:
        assert created.status_code == 201, created.content
    else:
        matrix.assert_api_refused(created, OPERATING[role])
    assert ReportDeadline.objects.exists() is (OPERATING[role] == OK)


@pytest.mark.parametrize("role", EVERYONE, ids=role_id)
def test_api_not_filed(visit, sites, role):
    response = visit(role).get(reverse("operating-report-not-filed"), {"year": LAST_YEAR})
    if OVERSIGHT[role] != OK:
        matrix.assert_api_refused(response, OVERSIGHT[role])
        return
    listed = {row["enterprise"] for row in response.json()["results"]}
    expected = {OWN} if role is Role.PARK_STAFF else {OWN, OTHER}
    assert listed == {sites[where].enterprise.pk for where in expected}
