"""Who may read the plans and figures and who may change the targets: the bureau (and the system administrator)
edits; the operating company and park staff read (park staff only their carriers' figures); enterprise users and
experts get 403 on every page and endpoint."""

import pytest
from django.urls import reverse

from accounts.roles import Role
from targets.models import Target, TargetPlan, TargetRevision
from tests import matrix
from tests.matrix import DENIED, EVERYONE, LOGIN, OK, _row, role_id

pytestmark = pytest.mark.django_db

# fmt: off
#                     anonymous  admin  operator  park staff  bureau  expert  enterprise
READ           = _row(LOGIN,     OK,    OK,       OK,         OK,     DENIED, DENIED)
EDIT           = _row(LOGIN,     OK,    DENIED,   DENIED,     OK,     DENIED, DENIED)
OTHER_CARRIER  = _row(LOGIN,     OK,    OK,       DENIED,     OK,     DENIED, DENIED)
# fmt: on


@pytest.fixture
def plan(users):
    return TargetPlan.objects.get(start_year=2021)


@pytest.fixture
def target(plan):
    return Target.objects.get(plan=plan, year=2022, indicator="tech_smes", carrier=None)


def _pages(plan, target, own_park, other_park):
    drill = reverse("targets:indicator_detail", args=["tech_smes", 2022])
    return [
        ("plans", reverse("targets:plans"), READ),
        ("plan", reverse("targets:plan_detail", args=[plan.pk]), READ),
        ("target", reverse("targets:target_detail", args=[target.pk]), READ),
        ("target edit", reverse("targets:target_edit", args=[target.pk]), EDIT),
        ("add year", reverse("targets:plan_add_year", args=[plan.pk]), EDIT),
        ("indicators", reverse("targets:indicators") + "?year=2022", READ),
        ("indicators own carrier", reverse("targets:indicators") + f"?year=2022&carrier={own_park.pk}", READ),
        ("indicators other carrier", reverse("targets:indicators") + f"?year=2022&carrier={other_park.pk}",
         OTHER_CARRIER),
        ("drill-down", drill, READ),
        ("drill-down own carrier", f"{drill}?carrier={own_park.pk}&form=cumulative", READ),
        ("drill-down other carrier", f"{drill}?carrier={other_park.pk}", OTHER_CARRIER),
        ("dashboard", reverse("targets:dashboard") + "?year=2022", READ),
        ("dashboard own carrier", reverse("targets:dashboard") + f"?year=2022&carrier={own_park.pk}", READ),
        ("dashboard other carrier", reverse("targets:dashboard") + f"?year=2022&carrier={other_park.pk}",
         OTHER_CARRIER),
        ("dashboard export", reverse("targets:dashboard-export") + "?year=2022", READ),
        ("dashboard export own carrier", reverse("targets:dashboard-export") + f"?carrier={own_park.pk}", READ),
        ("dashboard export other carrier", reverse("targets:dashboard-export") + f"?carrier={other_park.pk}",
         OTHER_CARRIER),
        ("torch export page", reverse("targets:torch_export"), READ),
        ("torch export download", reverse("targets:torch_export") + "?year=2022", READ),
    ]  # fmt: skip


@pytest.mark.parametrize("role", EVERYONE, ids=role_id)
def test_pages(visit, plan, target, own_park, other_park, role):
    for name, url, rule in _pages(plan, target, own_park, other_park):
        response = visit(role).get(url)
        try:
            matrix.assert_page(response, rule[role])
        except AssertionError as error:
            raise AssertionError(f"{name}: {response.status_code}, expected {rule[role]}") from error


def test_park_staff_get_their_own_carrier_not_the_district(visit, own_park):
    response = visit(Role.PARK_STAFF).get(reverse("targets:indicators") + "?year=2022")
    assert response.context["carrier"] == own_park
    assert [c.pk for c in response.context["carriers"]] == [own_park.pk]
    assert response.context["district"] is False


@pytest.mark.parametrize("role", EVERYONE, ids=role_id)
def test_target_edit_post(visit, users, target, role):
    client = visit(role)
    events = matrix.last_event_id()
    response = client.post(
        reverse("targets:target_edit", args=[target.pk]),
        {"form": "yearly", "comparison": "at_least", "value": "12", "note": "", "reason": "区科技局调整"},
    )
    matrix.assert_form_post(response, EDIT[role])
    target.refresh_from_db()
    if EDIT[role] == OK:
        assert target.value == 12
        assert TargetRevision.objects.filter(target=target, reason="区科技局调整").count() == 1
    else:
        assert target.value == 10
        assert not TargetRevision.objects.exists()
        assert matrix.last_event_id() == events


@pytest.mark.parametrize("role", EVERYONE, ids=role_id)
def test_api(visit, users, plan, target, own_park, other_park, role):
    client = visit(role)
    reads = [
        (reverse("targetplan-list"), READ),
        (reverse("target-list") + "?year=2022", READ),
        (reverse("target-revisions", args=[target.pk]), READ),
        (reverse("indicator-list") + "?year=2022", _row(LOGIN, OK, OK, DENIED, OK, DENIED, DENIED)),
        (reverse("indicator-list") + f"?year=2022&carrier={own_park.pk}", READ),
        (reverse("indicator-list") + f"?year=2022&carrier={other_park.pk}", OTHER_CARRIER),
        (reverse("indicator-contributors", args=["htes"]) + f"?year=2022&carrier={own_park.pk}", READ),
        (reverse("indicator-contributors", args=["htes"]) + f"?year=2022&carrier={other_park.pk}", OTHER_CARRIER),
        (reverse("dashboard-data") + "?year=2022", _row(LOGIN, OK, OK, DENIED, OK, DENIED, DENIED)),
        (reverse("dashboard-data") + f"?year=2022&carrier={own_park.pk}", READ),
        (reverse("dashboard-data") + f"?year=2022&carrier={other_park.pk}", OTHER_CARRIER),
        (reverse("torch-export") + "?year=2022", READ),
    ]
    for url, rule in reads:
        response = client.get(url)
        if rule[role] == OK:
            assert response.status_code == 200, (url, response.content)
        else:
            matrix.assert_api_refused(response, rule[role])
    response = client.patch(
        reverse("target-detail", args=[target.pk]), {"value": "11", "reason": "API"}, content_type="application/json"
    )
    if EDIT[role] == OK:
        assert response.status_code == 200, response.content
        assert response.json()["value"] == "11.00"
    else:
        matrix.assert_api_refused(response, EDIT[role] if role is not None else LOGIN)
        target.refresh_from_db()
        assert target.value == 10
    response = client.post(
        reverse("targetplan-add-year", args=[plan.pk]),
        {"year": 2024, "reason": "延续", "targets": [{"indicator": "tech_smes", "value": "20"}]},
        content_type="application/json",
    )
    if EDIT[role] == OK:
        assert response.status_code == 201, response.content
    else:
        matrix.assert_api_refused(response, EDIT[role])
        assert not Target.objects.filter(year=2024).exists()


@pytest.mark.parametrize("role", EVERYONE, ids=role_id)
def test_api_create_target(visit, users, plan, own_park, role):
    client = visit(role)
    events = matrix.last_event_id()
    response = client.post(
        reverse("target-list"),
        {"plan": plan.pk, "year": 2023, "indicator": "revenue", "carrier": own_park.pk, "value": "800",
         "reason": "分园营收目标"},
        content_type="application/json",
    )  # fmt: skip
    if EDIT[role] == OK:
        assert response.status_code == 201, response.content
        target = Target.objects.get(pk=response.json()["id"])
        assert TargetRevision.objects.get(target=target).reason == "分园营收目标"
        # Without a reason, or a second time, the bureau is told why (400), and nothing is written.
        again = client.post(
            reverse("target-list"),
            {"plan": plan.pk, "year": 2023, "indicator": "revenue", "carrier": own_park.pk, "value": "900",
             "reason": "重复"},
            content_type="application/json",
        )  # fmt: skip
        assert again.status_code == 400
        assert Target.objects.filter(year=2023, indicator="revenue").count() == 1
    else:
        matrix.assert_api_refused(response, EDIT[role])
        assert not Target.objects.filter(year=2023, indicator="revenue").exists()
        assert matrix.last_event_id() == events
