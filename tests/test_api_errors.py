"""The API's answers to what used to be server errors (schemathesis found them): each a 400 with a message in the
user's language, or a 404; API errors are JSON, never the HTML error pages. And park staff do not read another
carrier's targets through the API (the dashboard refuses them those figures too)."""

from __future__ import annotations

import datetime

import pytest
from django.test import override_settings
from django.urls import path, reverse
from psycopg2.extras import DateRange

from accounts.roles import Role
from config import urls as project_urls
from enterprises.tests.factories import EnterpriseFactory
from incubation.models import Allocation, Residency
from parks.models import FocusField, Unit
from parks.tests.factories import UnitFactory
from targets.models import Target

pytestmark = pytest.mark.django_db

APPLICATION_COMMANDS = [
    "submit", "withdraw", "respond", "screen", "request-more-info", "send-to-review", "to-decision", "close-review",
    "decide", "assign", "admit", "upload",
]  # fmt: skip


@pytest.mark.parametrize("year", ["0", "10000", "-5"])
def test_not_filed_refuses_a_year_out_of_range_with_a_message(visit, year):
    response = visit(Role.OPERATOR).get(reverse("operating-report-not-filed") + f"?year={year}")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert list(response.json()) == ["year"]


def test_not_filed_messages_are_in_the_users_language(visit):
    response = visit(Role.OPERATOR).get(
        reverse("operating-report-not-filed") + "?year=0", headers={"accept-language": "zh-hans"}
    )
    assert response.status_code == 400
    assert "2017" in response.json()["year"][0]
    assert "Ensure" not in response.json()["year"][0]


def test_not_filed_is_paginated(visit):
    response = visit(Role.OPERATOR).get(reverse("operating-report-not-filed") + "?year=2024")
    assert response.status_code == 200
    assert set(response.json()) == {"count", "next", "previous", "results"}


@pytest.mark.parametrize("command", APPLICATION_COMMANDS)
def test_application_commands_with_a_non_numeric_id_are_a_json_404(visit, users, command):
    response = visit(Role.OPERATOR).post(f"/api/v1/applications/AAA/{command}/", {}, content_type="application/json")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert "detail" in response.json()


def test_an_unknown_api_address_is_a_json_404_and_a_page_stays_html(visit):
    client = visit(Role.OPERATOR)
    response = client.get("/api/v1/no-such-thing/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert client.get("/no-such-page/")["Content-Type"].startswith("text/html")


def _fail(request):
    raise RuntimeError("boom")


urlpatterns = [path("api/v1/boom/", _fail), path("boom/", _fail), *project_urls.urlpatterns]
handler404 = project_urls.handler404
handler500 = project_urls.handler500


@override_settings(ROOT_URLCONF=__name__)
def test_an_api_server_error_is_json(client, users):
    client.raise_request_exception = False
    client.force_login(users[Role.OPERATOR])
    response = client.get("/api/v1/boom/")
    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    assert "detail" in response.json()
    assert client.get("/boom/")["Content-Type"].startswith("text/html")


def _let_unit(unit: Unit) -> None:
    residency = Residency.objects.create(
        enterprise=EnterpriseFactory(), carrier=unit.building.carrier, stage="incubator",
        started_on=datetime.date(2023, 1, 1),
    )  # fmt: skip
    Allocation.objects.create(residency=residency, unit=unit, period=DateRange(datetime.date(2023, 1, 1), None))


def test_deleting_a_unit_with_allocations_is_refused_through_the_api(visit, own_park):
    unit = UnitFactory()
    _let_unit(unit)
    response = visit(Role.OPERATOR).delete(reverse("unit-detail", args=[unit.pk]))
    assert response.status_code == 400
    assert "已分配给入驻企业" in response.json()["non_field_errors"][0]
    assert Unit.objects.filter(pk=unit.pk).exists()


def test_deleting_a_unit_with_allocations_is_refused_on_the_page(visit, own_park):
    unit = UnitFactory()
    _let_unit(unit)
    response = visit(Role.OPERATOR).post(reverse("parks:unit_delete", args=[unit.pk]), follow=True)
    assert response.status_code == 200
    assert "已分配给入驻企业" in response.content.decode()
    assert Unit.objects.filter(pk=unit.pk).exists()


def test_deleting_a_focus_field_enterprises_use_is_refused(visit, users):
    field = FocusField.objects.filter(parent__isnull=False).first()
    field.carriers.clear()
    EnterpriseFactory(industry_field=field)
    response = visit(Role.OPERATOR).delete(reverse("focus-field-detail", args=[field.pk]))
    assert response.status_code == 400
    assert "家企业归属该领域" in response.json()["non_field_errors"][0]
    assert FocusField.objects.filter(pk=field.pk).exists()


def test_park_staff_read_no_other_carriers_targets_through_the_api(visit, users, own_park, other_park):
    plan_targets = Target.objects.filter(plan__start_year=2021)
    others = plan_targets.exclude(carrier=None).exclude(carrier=own_park)
    assert others.exists()
    client = visit(Role.PARK_STAFF)
    for target in others[:3]:
        assert client.get(reverse("target-detail", args=[target.pk])).status_code == 404
        assert client.get(reverse("target-revisions", args=[target.pk])).status_code == 404
    for carrier_id in set(others.values_list("carrier", flat=True)):
        assert client.get(reverse("target-list") + f"?carrier={carrier_id}").json()["count"] == 0
    district = plan_targets.filter(carrier=None).first()
    assert client.get(reverse("target-detail", args=[district.pk])).status_code == 200
    assert visit(Role.BUREAU).get(reverse("target-detail", args=[others[0].pk])).status_code == 200
