"""The qualification engine's API: the rule schemes, the evaluations kept (other users' ids included), and the
what-if command (evaluated at once, nothing saved, bad figures refused with the field named)."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.roles import Role
from enterprises.choices import ReportStatus
from enterprises.models import OperatingReport
from enterprises.tests.report_factories import report, tenant
from targets.models import Evaluation
from targets.services import record_evaluations

pytestmark = pytest.mark.django_db

YEAR = timezone.localdate().year


@pytest.fixture
def own(users):
    company = tenant(carrier_code="big-data", user=users[Role.ENTERPRISE], registered_on=datetime.date(2021, 3, 1))
    report(company, year=YEAR - 1, status=ReportStatus.VERIFIED, by=users[Role.OPERATOR], total_assets=Decimal(3000))
    return company


@pytest.fixture
def other(users):
    company = tenant(carrier_code="new-medicine", registered_on=datetime.date(2021, 3, 1))
    report(company, year=YEAR - 1, status=ReportStatus.VERIFIED, by=users[Role.OPERATOR], total_assets=Decimal(3000))
    return company


def api(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def test_every_signed_in_role_reads_the_schemes_with_their_criteria(users, django_assert_max_num_queries):
    for role in Role:
        with django_assert_max_num_queries(12):
            response = api(users[role]).get("/api/v1/rule-schemes/")
        assert response.status_code == 200, role
    codes = {item["code"]: item for item in response.json()["results"]}
    tech_sme = codes["tech_sme_evaluation"]["versions"][0]
    assert tech_sme["document_no"] == "国科发政〔2017〕115号"
    bands = next(item for item in tech_sme["criteria"] if item["code"] == "score_tech_staff")["bands"]
    assert [(band["lower"], band["value"]) for band in bands][:2] == [(None, "0.0000"), ("10.0000", "4.0000")]
    assert api().get("/api/v1/rule-schemes/").status_code in (401, 403)


@pytest.mark.parametrize(
    ("role", "own_count", "other_status"),
    [
        (Role.OPERATOR, 2, 200),
        (Role.PARK_STAFF, 1, 404),
        (Role.BUREAU, 2, 200),
        (Role.ENTERPRISE, 1, 404),
        (Role.EXPERT, None, 403),
    ],
)
def test_kept_evaluations_are_read_as_the_enterprises_records_are(users, own, other, role, own_count, other_status):
    record_evaluations(scheme="tech_sme_evaluation", year=YEAR, on=timezone.localdate())
    client = api(users[role])
    listed = client.get("/api/v1/evaluations/?scheme=tech_sme_evaluation")
    if own_count is None:
        assert listed.status_code == 403
    else:
        assert listed.json()["count"] == own_count
    other_evaluation = Evaluation.objects.get(enterprise=other)
    assert client.get(f"/api/v1/evaluations/{other_evaluation.pk}/").status_code == other_status
    what_if = client.post("/api/v1/evaluations/what-if/", {"enterprise": other.pk, "scheme": "tech_sme_evaluation"},
                          format="json")  # fmt: skip
    assert what_if.status_code == other_status


@pytest.mark.parametrize("count", [2, 20])
def test_the_list_costs_the_same_queries_whatever_its_length(users, count, django_assert_max_num_queries):
    for number in range(count):
        company = tenant(registered_on=datetime.date(2021, 3, 1), name=f"企业{number}")
        report(company, year=YEAR - 1, status=ReportStatus.VERIFIED, by=users[Role.OPERATOR])
    record_evaluations(scheme="hte_recognition", year=YEAR, on=timezone.localdate())
    with django_assert_max_num_queries(8):
        response = api(users[Role.BUREAU]).get("/api/v1/evaluations/?ordering=-readiness")
    assert response.json()["count"] == count


def test_what_if_evaluates_the_figures_given_and_saves_nothing(users, own):
    response = api(users[Role.ENTERPRISE]).post(
        "/api/v1/evaluations/what-if/",
        {"enterprise": own.pk, "scheme": "tech_sme_evaluation", "figures": {"total_assets": "25000"}},
        format="json",
        headers={"Accept-Language": "en"},
    )
    assert response.status_code == 200
    body = response.json()
    assert body["saved"] is False
    assert body["outcome"] == "not_qualified"
    assets = next(item for item in body["results"] if item["code"] == "assets")
    assert (assets["value"], assets["threshold"], assets["result"]) == ("25000", "20000", "unmet")
    assert assets["gap"] == "5000 over the limit."
    assert assets["sources"] == [{"kind": "entered", "year": YEAR - 1}]
    assert OperatingReport.objects.get(enterprise=own).total_assets == 3000
    assert not Evaluation.objects.exists()


def test_what_if_without_figures_is_the_evaluation_of_record(users, own):
    response = api(users[Role.OPERATOR]).post(
        "/api/v1/evaluations/what-if/", {"enterprise": own.pk, "scheme": "hte_recognition"}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["document_no"] == "国科发火〔2016〕32号"


@pytest.mark.parametrize(
    ("figures", "field"),
    [
        ({"employees": "10", "tech_staff": "12"}, "tech_staff"),
        ({"profit": "1"}, "figures"),
        ({"revenue": "-1"}, "figures"),
    ],
)
def test_what_if_refuses_bad_figures_naming_them(users, own, figures, field):
    response = api(users[Role.ENTERPRISE]).post(
        "/api/v1/evaluations/what-if/",
        {"enterprise": own.pk, "scheme": "tech_sme_evaluation", "figures": figures},
        format="json",
    )
    assert response.status_code == 400
    assert field in str(response.json())


def test_staff_mark_candidates_and_record_follow_ups_through_the_api(users, own, other):
    park = api(users[Role.PARK_STAFF])
    created = park.post("/api/v1/cultivation-candidates/",
                        {"scheme": "tech_sme_evaluation", "enterprise": own.pk, "year": YEAR, "note": "重点"},
                        format="json")  # fmt: skip
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    refused = park.post(
        "/api/v1/cultivation-candidates/", {"scheme": "tech_sme_evaluation", "enterprise": other.pk, "year": YEAR},
        format="json",
    )  # fmt: skip
    assert refused.status_code == 404
    follow_up = park.post(f"/api/v1/cultivation-candidates/{pk}/follow-ups/",
                          {"occurred_on": str(timezone.localdate()), "note": "电话沟通"}, format="json")  # fmt: skip
    assert follow_up.status_code == 201
    future = park.post(f"/api/v1/cultivation-candidates/{pk}/follow-ups/",
                       {"occurred_on": "2100-01-01", "note": "x"}, format="json")  # fmt: skip
    assert future.status_code == 400
    assert "occurred_on" in str(future.json())
    assert (
        api(users[Role.BUREAU]).get(f"/api/v1/cultivation-candidates/{pk}/").json()["follow_ups"][0]["note"]
        == "电话沟通"
    )
    assert api(users[Role.BUREAU]).delete(f"/api/v1/cultivation-candidates/{pk}/").status_code == 403
    assert api(users[Role.ENTERPRISE]).get("/api/v1/cultivation-candidates/").status_code == 403
    assert park.delete(f"/api/v1/cultivation-candidates/{pk}/").status_code == 204
