"""The cultivation list (培育库): ranked candidates with their gaps, in the reader's scope, bounded queries; staff
mark candidates and record follow-ups (other users' ids refused); the bureau reads."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from enterprises.choices import ReportStatus
from enterprises.tests.factories import TechSMERegistrationFactory
from enterprises.tests.report_factories import report, tenant
from targets.models import Candidate, FollowUp
from targets.services import record_evaluations

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
URL = reverse("targets:cultivation")


def _company(users, name, carrier="big-data", **figures):
    company = tenant(carrier_code=carrier, name=name, registered_on=datetime.date(2021, 3, 1))
    report(company, year=TODAY.year - 1, status=ReportStatus.VERIFIED, by=users[Role.OPERATOR], **figures)
    return company


@pytest.fixture
def field(users):
    """Three tenants of 大数据 and one of 新医药: ready (100 points), short of R&D (no total assets: unknown), too
    big (600 employees), and one already registered this year."""
    ready = _company(users, "甲·就绪", total_assets=Decimal(3000))
    unknown = _company(users, "乙·缺资产")
    too_big = _company(users, "丙·超规模", carrier="new-medicine", employees=600, tech_staff=200,
                       total_assets=Decimal(3000))  # fmt: skip
    registered = _company(users, "丁·已入库", total_assets=Decimal(3000))
    TechSMERegistrationFactory(enterprise=registered, year=TODAY.year)
    record_evaluations(scheme="tech_sme_evaluation", year=TODAY.year, on=TODAY)
    return {"ready": ready, "unknown": unknown, "too_big": too_big, "registered": registered}


def names(response) -> list[str]:
    return [row.enterprise.name for row in response.context["object_list"]]


def test_the_list_ranks_the_readiest_first_and_leaves_out_those_registered(client_for, users, field):
    response = client_for(users[Role.OPERATOR]).get(URL + f"?scheme=tech_sme_evaluation&year={TODAY.year}")
    assert names(response) == ["甲·就绪", "乙·缺资产", "丙·超规模"]
    html = response.content.decode()
    assert "资产总额" in html  # the unknown is named
    assert "超出上限 100。" in html  # 600 employees, at most 500


def test_park_staff_see_their_carriers_tenants_only(client_for, users, field):
    response = client_for(users[Role.PARK_STAFF]).get(URL)
    assert names(response) == ["甲·就绪", "乙·缺资产"]


@pytest.mark.parametrize(("role", "status"), [(Role.BUREAU, 200), (Role.EXPERT, 403), (Role.ENTERPRISE, 403)])
def test_who_reads_the_list(client_for, users, field, role, status):
    assert client_for(users[role]).get(URL).status_code == status


def test_filters_and_sorts(client_for, users, field):
    client = client_for(users[Role.OPERATOR])
    assert names(client.get(URL + "?outcome=not_qualified")) == ["丙·超规模"]
    assert names(client.get(URL + "?q=乙")) == ["乙·缺资产"]
    assert names(client.get(URL + "?sort=readiness"))[-1] == "甲·就绪"
    Candidate.objects.create(
        scheme_id=field["ready"].evaluations.first().scheme_id, enterprise=field["ready"], year=TODAY.year,
        marked_by=users[Role.OPERATOR],
    )  # fmt: skip
    assert names(client.get(URL + "?marked=yes")) == ["甲·就绪"]


@pytest.mark.parametrize("count", [3, 30])
def test_queries_are_bounded_whatever_the_length(client_for, users, count, django_assert_max_num_queries):
    for number in range(count):
        _company(users, f"企业{number:02d}", total_assets=Decimal(3000))
    record_evaluations(scheme="tech_sme_evaluation", year=TODAY.year, on=TODAY)
    client = client_for(users[Role.OPERATOR])
    with django_assert_max_num_queries(15):
        response = client.get(URL)
    assert response.context["paginator"].count == count


def test_staff_mark_a_candidate_and_record_follow_ups(client_for, users, field):
    client = client_for(users[Role.PARK_STAFF])
    ready = field["ready"]
    mark = reverse("targets:candidate_mark", args=[ready.pk])
    client.post(mark, {"scheme": "tech_sme_evaluation", "year": TODAY.year, "note": "重点培育"})
    candidate = Candidate.objects.get(enterprise=ready)
    assert (candidate.note, candidate.marked_by) == ("重点培育", users[Role.PARK_STAFF])
    follow_up = reverse("targets:follow_up_create", args=[candidate.pk])
    future = client.post(follow_up, {"occurred_on": (TODAY + datetime.timedelta(days=1)).isoformat(), "note": "走访"},
                         follow=True)  # fmt: skip
    assert "不能是将来的日期" in future.content.decode() or "cannot be in the future" in future.content.decode()
    assert not FollowUp.objects.exists()
    client.post(follow_up, {"occurred_on": TODAY.isoformat(), "note": "走访，核对研发费用归集",
                            "next_on": (TODAY + datetime.timedelta(days=30)).isoformat()})  # fmt: skip
    assert FollowUp.objects.get().note == "走访，核对研发费用归集"
    page = client.get(reverse("targets:enterprise_qualifications", args=[ready.pk]) + "?scheme=tech_sme_evaluation")
    assert "走访，核对研发费用归集" in page.content.decode()
    listed = client.get(URL + "?marked=yes")
    assert [row.last_follow_up for row in listed.context["object_list"]] == [TODAY]
    client.post(mark, {"scheme": "tech_sme_evaluation", "year": TODAY.year, "unmark": "1"})
    assert not Candidate.objects.exists()


def test_others_cannot_mark_or_follow_up_other_peoples_tenants(client_for, users, field):
    other = field["too_big"]  # 新医药: not the park administrator's carrier
    park = client_for(users[Role.PARK_STAFF])
    assert park.post(reverse("targets:candidate_mark", args=[other.pk]),
                     {"scheme": "tech_sme_evaluation", "year": TODAY.year}).status_code == 404  # fmt: skip
    candidate = Candidate.objects.create(
        scheme_id=other.evaluations.first().scheme_id, enterprise=other, year=TODAY.year,
        marked_by=users[Role.OPERATOR],
    )  # fmt: skip
    assert park.post(reverse("targets:follow_up_create", args=[candidate.pk]),
                     {"occurred_on": TODAY.isoformat(), "note": "x"}).status_code == 404  # fmt: skip
    bureau = client_for(users[Role.BUREAU])
    assert bureau.post(reverse("targets:candidate_mark", args=[other.pk]),
                       {"scheme": "tech_sme_evaluation", "year": TODAY.year}).status_code == 403  # fmt: skip
    assert bureau.post(reverse("targets:follow_up_create", args=[candidate.pk]),
                       {"occurred_on": TODAY.isoformat(), "note": "x"}).status_code == 403  # fmt: skip
    assert Candidate.objects.count() == 1
    assert not FollowUp.objects.exists()


def test_an_enterprise_sees_its_own_gaps_on_its_home_page(client_for, users, field):
    from enterprises.tests.factories import EnterpriseMembershipFactory

    EnterpriseMembershipFactory(user=users[Role.ENTERPRISE], enterprise=field["too_big"])
    html = client_for(users[Role.ENTERPRISE]).get(reverse("home")).content.decode()
    assert 'id="standing"' in html
    assert "超出上限 100。" in html
    assert "甲·就绪" not in html
    operator_home = client_for(users[Role.OPERATOR]).get(reverse("home")).content.decode()
    assert 'id="standing"' not in operator_home


def test_the_dashboard_forecasts_this_years_tech_sme_target_from_the_evaluations(client_for, users, field):
    from targets.models import Target, TargetPlan

    Target.objects.create(
        plan=TargetPlan.objects.get(start_year=2021), year=TODAY.year, indicator="tech_smes", form="yearly",
        comparison="at_least", value=Decimal(4),
    )  # fmt: skip
    response = client_for(users[Role.BUREAU]).get(reverse("targets:dashboard"))
    (forecast,) = response.context["forecasts"]
    # Counted: 丁 (registered this year). Qualify on their records: 甲. Cannot tell yet: 乙. 丙 is too big.
    assert (forecast.actual, forecast.qualified, forecast.undetermined) == (1, 1, 1)
    assert forecast.shortfall == 2
    html = response.content.decode()
    assert 'id="forecast-table"' in html
    assert (
        f"{reverse('targets:cultivation')}?scheme=tech_sme_evaluation&amp;year={TODAY.year}&amp;outcome=qualified"
        in html
    )
    park = client_for(users[Role.PARK_STAFF]).get(reverse("targets:dashboard"))
    assert [item.qualified for item in park.context["forecasts"]] in ([], [1])
