"""The qualification page of an enterprise: who may open it (other users' ids included), what it shows, the
what-if calculator (nothing saved, bad figures refused in the user's words), bounded queries."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from enterprises.choices import ReportStatus
from enterprises.models import OperatingReport
from enterprises.tests.report_factories import report, tenant
from targets.models import Evaluation

pytestmark = pytest.mark.django_db

LAST_YEAR = timezone.localdate().year - 1


@pytest.fixture
def own(users):
    company = tenant(carrier_code="big-data", user=users[Role.ENTERPRISE], registered_on=datetime.date(2021, 3, 1))
    report(company, year=LAST_YEAR, status=ReportStatus.VERIFIED, by=users[Role.OPERATOR], total_assets=Decimal(3000))
    return company


@pytest.fixture
def other(users):
    return tenant(carrier_code="new-medicine", registered_on=datetime.date(2021, 3, 1))


def page(enterprise, **query) -> str:
    url = reverse("targets:enterprise_qualifications", args=[enterprise.pk])
    return url + ("?" + "&".join(f"{key}={value}" for key, value in query.items()) if query else "")


@pytest.mark.parametrize(
    ("role", "own_status", "other_status"),
    [
        (None, 302, 302),
        (Role.ADMIN, 200, 200),
        (Role.OPERATOR, 200, 200),
        (Role.PARK_STAFF, 200, 404),
        (Role.BUREAU, 200, 200),
        (Role.EXPERT, 403, 403),
        (Role.ENTERPRISE, 200, 404),
    ],
)
def test_who_may_open_an_enterprises_qualification_page(visit, own, other, role, own_status, other_status):
    client = visit(role)
    assert client.get(page(own)).status_code == own_status
    assert client.get(page(other)).status_code == other_status
    # The calculator is a read: the same people, the same enterprises.
    assert client.post(page(other), {"scheme": "tech_sme_evaluation", "employees": "10"}).status_code == other_status


def test_the_page_shows_each_condition_with_value_threshold_and_source(client_for, users, own):
    response = client_for(users[Role.ENTERPRISE]).get(page(own, scheme="tech_sme_evaluation"))
    html = response.content.decode()
    assert 'data-outcome="qualified"' in html
    assert "国科发政〔2017〕115号" in html
    assert 'data-code="employees" data-result="met"' in html
    assert 'data-code="route_award" data-result="manual"' in html
    report_pk = OperatingReport.objects.get(enterprise=own).pk
    assert reverse("enterprises:report_detail", args=[report_pk]) in html
    assert "≤ 500" in html


def test_the_calculator_judges_entered_figures_and_saves_nothing(client_for, users, own):
    client = client_for(users[Role.ENTERPRISE])
    before = OperatingReport.objects.get(enterprise=own)
    response = client.post(page(own), {"scheme": "tech_sme_evaluation", "year": LAST_YEAR + 1, "total_assets": "25000"})
    html = response.content.decode()
    assert 'data-outcome="not_qualified"' in html
    assert 'data-code="assets" data-result="unmet"' in html
    assert "nothing has been saved" in html.lower() or "未保存" in html
    after = OperatingReport.objects.get(enterprise=own)
    assert (after.total_assets, after.updated_at) == (before.total_assets, before.updated_at)
    assert not Evaluation.objects.exists()


def test_the_calculator_refuses_tech_staff_above_the_employees_in_words(client_for, users, own):
    client = client_for(users[Role.ENTERPRISE])
    response = client.post(page(own), {"scheme": "tech_sme_evaluation", "employees": "10", "tech_staff": "12"})
    html = response.content.decode()
    assert "科技人员数不能大于从业人员数" in html
    assert 'data-outcome="qualified"' in html  # the figures of record, not the refused ones


def test_htmx_gets_the_workspace_only(client_for, users, own):
    client = client_for(users[Role.ENTERPRISE])
    response = client.post(
        page(own), {"scheme": "hte_recognition", "rd_expenditure": "0"}, headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert html.lstrip().startswith('<div class="row g-3" id="workspace">')
    assert 'data-code="rd_share"' in html


@pytest.mark.parametrize("kept", [1, 15])
def test_queries_are_bounded_whatever_the_history(client_for, users, own, kept, django_assert_max_num_queries):
    from targets.services import record_evaluations

    for number in range(kept):
        own.operating_reports.update(total_assets=Decimal(3000 + number))
        record_evaluations(scheme="tech_sme_evaluation", year=LAST_YEAR + 1, on=timezone.localdate())
    client = client_for(users[Role.OPERATOR])
    with django_assert_max_num_queries(18):
        response = client.get(page(own, scheme="tech_sme_evaluation"))
    assert response.status_code == 200
    assert response.content.decode().count("v1</span>") == kept


def test_the_hte_page_says_when_re_recognition_is_due(client_for, users, own):
    from enterprises.tests.factories import HTECertificateFactory

    HTECertificateFactory(enterprise=own, certificate_no="GR202437000123", issued_on=datetime.date(2024, 12, 2))
    html = client_for(users[Role.ENTERPRISE]).get(page(own, scheme="hte_recognition")).content.decode()
    assert "GR202437000123" in html
    assert "2027-12-02" in html
