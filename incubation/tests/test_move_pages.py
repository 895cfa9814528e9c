import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.roles import Role
from enterprises import services as enterprise_services
from enterprises.models import FinancingEvent
from incubation import services
from incubation.models import Residency, Transition
from parks.models import Carrier

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def residency(users):
    operator = users[Role.OPERATOR]
    enterprise = enterprise_services.enterprise_create(
        by=operator,
        data={"name": "淄博齐创新材料科技有限公司", "kind": "company", "uscc": "91310110666007217T",
              "registered_on": D(2023, 3, 1)},
    )  # fmt: skip
    return services.residency_open(
        enterprise=enterprise, carrier=Carrier.objects.get(kind="core"), stage="seedbed", started_on=D(2023, 4, 1),
        by=operator,
    )  # fmt: skip


def test_the_promotion_page_shows_each_criterion(client_for, users, residency):
    page = client_for(users[Role.OPERATOR]).get(reverse("incubation:residency_promote", args=[residency.pk]))

    assert page.status_code == 200
    criteria = page.content.decode()
    assert "科技型中小企业" in criteria
    assert "未满足" in criteria, "the unmet criterion is marked"


def test_an_unmet_promotion_needs_a_reason_then_goes_through(client_for, users, residency):
    client = client_for(users[Role.OPERATOR])
    url = reverse("incubation:residency_promote", args=[residency.pk])
    form = {"to_stage": "incubator", "on": "2024-06-01"}

    refused = client.post(url, form)
    assert refused.status_code == 200
    assert refused.context["form"].errors["override_reason"]
    assert not Transition.objects.exists()

    done = client.post(url, {**form, "override_reason": "材料已提交，待公示"})
    assert done.status_code == 302
    assert Residency.objects.get(enterprise=residency.enterprise, ended_on__isnull=True).stage == "incubator"


def test_graduation_through_the_api(client_for, users, residency):
    operator = users[Role.OPERATOR]
    promoted = services.promote(
        residency=residency, to_stage="incubator", on=D(2024, 1, 1), by=operator, override_reason="试点"
    ).to_residency
    FinancingEvent.objects.create(
        enterprise=promoted.enterprise,
        occurred_on=D(2024, 6, 1),
        round="series_a",
        amount=Decimal("800"),
        investor="甲",
    )

    response = client_for(operator).post(
        reverse("residency-graduate", args=[promoted.pk]), {"on": "2025-01-01"}, content_type="application/json"
    )

    assert response.status_code == 201, response.content
    assert response.json()["kind"] == "graduate"
    assert {c["code"]: c["status"] for c in response.json()["criteria"]}["financing_over"] == "met"


@pytest.mark.parametrize("role", [Role.BUREAU, Role.EXPERT, Role.ENTERPRISE])
def test_read_only_roles_cannot_move_tenants(client_for, users, residency, role):
    client = client_for(users[role])
    assert client.get(reverse("incubation:residency_graduate", args=[residency.pk])).status_code in (403, 404)
    response = client.post(
        reverse("residency-graduate", args=[residency.pk]),
        {"on": "2025-01-01", "override_reason": "x"},
        content_type="application/json",
    )
    assert response.status_code in (403, 404)
    residency.refresh_from_db()
    assert residency.is_open


def test_the_bureau_reads_transitions(client_for, users, residency):
    services.exit_tenant(
        residency=residency, on=D(2024, 1, 1), reason="exited_voluntary", note="迁出", by=users[Role.OPERATOR]
    )
    response = client_for(users[Role.BUREAU]).get(reverse("transition-list"))
    assert response.status_code == 200
    assert response.json()["results"][0]["kind"] == "exit"
