"""The permission matrix of progress report runs (年度报告): every page and API endpoint, tried by every role and by an
anonymous visitor, on a run of the park administrator's carrier 大数据产业园 ("own") and on a run of 新医药产业园
("other").

The tables restate accounts.roles.POLICY["targets.reportrun"] with the runs' scope:
- admin, the operating company and the bureau read every run; park staff read their carriers' runs only (another
  carrier's: 404); experts and enterprise users see none (403);
- admin, the operating company and the bureau trigger runs; park staff, experts and enterprises may not (403);
- the bureau (and admin) publish a succeeded run; the operating company and park staff may not (403);
- anonymous visitors are sent to the sign-in page (web) or refused (API).
A refused trigger makes no run; a refused publish leaves the run unpublished.
"""

from __future__ import annotations

import dataclasses

import pytest
from django.urls import reverse

from accounts.roles import Role
from parks.models import Carrier
from targets.models import ReportRun
from targets.reporting import services
from tests import matrix
from tests.matrix import ANONYMOUS, DENIED, EVERYONE, LOGIN, NOT_FOUND, OK, OTHER, OWN, _row, role_id

pytestmark = pytest.mark.django_db

# fmt: off
#                        anonymous  admin   operator  park staff  bureau  expert  enterprise
READ_OWN          = _row(LOGIN,     OK,     OK,       OK,         OK,     DENIED, DENIED)
READ_OTHER        = _row(LOGIN,     OK,     OK,       NOT_FOUND,  OK,     DENIED, DENIED)
TRIGGER           = _row(LOGIN,     OK,     OK,       DENIED,     OK,     DENIED, DENIED)
PUBLISH_OWN       = _row(LOGIN,     OK,     DENIED,   DENIED,     OK,     DENIED, DENIED)
PUBLISH_OTHER     = _row(LOGIN,     OK,     DENIED,   NOT_FOUND,  OK,     DENIED, DENIED)
API_PUBLISH_OTHER = _row(LOGIN,     OK,     DENIED,   DENIED,     OK,     DENIED, DENIED)
# fmt: on
# PUBLISH_OTHER: on the web, park staff cannot see another carrier's run (404); the API refuses the action itself
# to their role first (403).
READ = {OWN: READ_OWN, OTHER: READ_OTHER}
PUBLISH = {OWN: PUBLISH_OWN, OTHER: PUBLISH_OTHER}
API_PUBLISH = {OWN: PUBLISH_OWN, OTHER: API_PUBLISH_OTHER}
LISTS = {
    ANONYMOUS: LOGIN,
    Role.ADMIN: {OWN, OTHER, "district"},
    Role.OPERATOR: {OWN, OTHER, "district"},
    Role.PARK_STAFF: {OWN},
    Role.BUREAU: {OWN, OTHER, "district"},
    Role.EXPERT: DENIED,
    Role.ENTERPRISE: DENIED,
}
SNAPSHOT = {"title": "测试报告", "subtitle": "测试"}


def succeeded_run(by, carrier: Carrier | None, key: str) -> ReportRun:
    run = services.trigger_report_run(user=by, year=2022, kind="yearly", carrier=carrier, request_key=key)
    _run, token = services.claim(run_id=run.pk)
    return services.succeed(run_id=run.pk, token=token, snapshot=SNAPSHOT, html=b"<!DOCTYPE html>", xlsx=b"PK",
                            pdf=b"%PDF-1.7")  # fmt: skip


@dataclasses.dataclass
class Sites:
    own: ReportRun
    other: ReportRun
    district: ReportRun

    def __getitem__(self, where: str) -> ReportRun:
        return getattr(self, where)


@pytest.fixture
def runs(users, own_park, other_park) -> Sites:
    bureau = users[Role.BUREAU]
    return Sites(
        own=succeeded_run(bureau, own_park, "own"),
        other=succeeded_run(bureau, other_park, "other"),
        district=succeeded_run(bureau, None, "district"),
    )


def published(run: ReportRun) -> bool:
    return ReportRun.objects.filter(pk=run.pk, published_at__isnull=False).exists()


# --- Pages --------------------------------------------------------------------------------------------------------

PAGES = [
    ("report_run_detail", lambda run: [run.pk]),
    ("report_run_status", lambda run: [run.pk]),
    ("report_run_download", lambda run: [run.pk, "xlsx"]),
]


@pytest.mark.parametrize("where", [OWN, OTHER])
@pytest.mark.parametrize("role", EVERYONE, ids=role_id)
@pytest.mark.parametrize(("name", "args"), PAGES, ids=[page[0] for page in PAGES])
def test_report_run_page(visit, runs, name, args, role, where):
    response = visit(role).get(reverse(f"targets:{name}", args=args(runs[where])))
    matrix.assert_page(response, READ[where][role])
    if name == "report_run_download" and READ[where][role] == OK:
        assert response.content == b"PK" and "attachment" in response["Content-Disposition"]


@pytest.mark.parametrize("role", EVERYONE, ids=role_id)
def test_report_run_list_shows_each_role_its_scope(visit, runs, role):
    response = visit(role).get(reverse("targets:report_runs"))
    expected = LISTS[role]
    if isinstance(expected, str):
        matrix.assert_page(response, expected)
        return
    shown = {run.pk for run in response.context["page_obj"].object_list}
    assert shown == {runs[where].pk for where in expected}
    assert ("report-trigger" in response.content.decode()) == (TRIGGER[role] == OK), "the form shows to who may use it"


@pytest.mark.parametrize("role", EVERYONE, ids=role_id)
def test_web_trigger(visit, runs, role):
    before = ReportRun.objects.count()
    response = visit(role).post(
        reverse("targets:report_run_trigger"), {"year": 2022, "kind": "interim", "carrier": "", "request_key": "m1"}
    )
    matrix.assert_form_post(response, TRIGGER[role])
    assert ReportRun.objects.count() == before + (1 if TRIGGER[role] == OK else 0)


@pytest.mark.parametrize("where", [OWN, OTHER])
@pytest.mark.parametrize("role", EVERYONE, ids=role_id)
def test_web_publish(visit, runs, role, where):
    run = runs[where]
    response = visit(role).post(reverse("targets:report_run_publish", args=[run.pk]))
    matrix.assert_form_post(response, PUBLISH[where][role])
    assert published(run) == (PUBLISH[where][role] == OK)


# --- API ----------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", EVERYONE, ids=role_id)
def test_api_list_shows_each_role_its_scope(visit, runs, role):
    response = visit(role).get(reverse("reportrun-list"))
    expected = LISTS[role]
    if isinstance(expected, str):
        matrix.assert_api_refused(response, expected)
        return
    assert response.status_code == 200
    assert {row["id"] for row in response.json()["results"]} == {runs[where].pk for where in expected}


@pytest.mark.parametrize("where", [OWN, OTHER])
@pytest.mark.parametrize("role", EVERYONE, ids=role_id)
@pytest.mark.parametrize("route", ["detail", "download"])
def test_api_read(visit, runs, role, where, route):
    run = runs[where]
    url = reverse(f"reportrun-{route}", args=[run.pk] if route == "detail" else [run.pk, "pdf"])
    response = visit(role).get(url)
    if READ[where][role] == OK:
        assert response.status_code == 200
        if route == "detail":
            assert response.json()["downloads"]["pdf"] == reverse("reportrun-download", args=[run.pk, "pdf"])
        else:
            assert response.content == b"%PDF-1.7"
    else:
        matrix.assert_api_refused(response, READ[where][role])


@pytest.mark.parametrize("role", EVERYONE, ids=role_id)
def test_api_trigger(visit, runs, role):
    before = ReportRun.objects.count()
    response = visit(role).post(
        reverse("reportrun-list"),
        {"year": 2022, "kind": "yearly", "request_key": "api-1"},
        content_type="application/json",
    )
    if TRIGGER[role] == OK:
        assert response.status_code == 201, response.content.decode()
        assert response.json()["version"] == 2 and response.json()["status"] == "queued"
        again = visit(role).post(
            reverse("reportrun-list"), {"year": 2022, "kind": "yearly", "request_key": "api-1"},
            content_type="application/json",
        )  # fmt: skip
        assert again.status_code == 200 and again.json()["id"] == response.json()["id"], "idempotent by key"
        assert ReportRun.objects.count() == before + 1
    else:
        matrix.assert_api_refused(response, TRIGGER[role])
        assert ReportRun.objects.count() == before


@pytest.mark.parametrize("where", [OWN, OTHER])
@pytest.mark.parametrize("role", EVERYONE, ids=role_id)
def test_api_publish(visit, runs, role, where):
    run = runs[where]
    response = visit(role).post(reverse("reportrun-publish", args=[run.pk]))
    outcome = API_PUBLISH[where][role]
    if outcome == OK:
        assert response.status_code == 200 and response.json()["published_at"]
        again = visit(role).post(reverse("reportrun-publish", args=[run.pk]))
        assert again.status_code == 400, "published only once"
    else:
        matrix.assert_api_refused(response, outcome)
    assert published(run) == (outcome == OK)
