"""The workflow engine's declarations as users meet them: a move whose precondition is unmet is not offered as the
main action, a pipeline move proposes a date it accepts and asks what happens to the tenant's space, and the API's
commands are the moves of the tables."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from psycopg2.extras import DateRange

from accounts.roles import Role
from enterprises import services as enterprise_services
from enterprises.report_workflow import REPORT_WORKFLOW
from enterprises.tests.factories import EnterpriseFactory
from incubation import services
from incubation.choices import ApplicationStatus as S
from incubation.choices import SpaceOutcome
from incubation.models import Allocation, Residency, Transition
from incubation.residency_workflow import RESIDENCY_WORKFLOW
from incubation.tests.factories import ApplicationFactory
from incubation.workflow import APPLICATION_WORKFLOW, EXPERT_ASSIGNED
from parks.models import Carrier
from parks.tests.factories import BuildingFactory, UnitFactory
from targets.return_workflow import RETURN_WORKFLOW

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def screening():
    return ApplicationFactory(status=S.SCREENING, submitted_at=timezone.now())


def test_send_to_review_is_shown_disabled_with_its_reason_until_an_expert_is_assigned(client_for, users, screening):
    """Seen failing before the fix: 送专家评审 was the page's primary button with no expert assigned."""
    client = client_for(users[Role.OPERATOR])
    url = reverse("incubation:application_detail", args=[screening.pk])
    move_url = reverse("incubation:application_move", args=[screening.pk, "send_to_review"])

    page = client.get(url)
    offer = next(offer for offer in page.context["moves"] if offer.name == "send_to_review")
    html = page.content.decode()
    assert offer.unmet == (str(EXPERT_ASSIGNED.message),)
    assert f'href="{move_url}"' not in html, "not offered as a link to press"
    assert 'data-move="send_to_review"' in html and "disabled" in html

    with pytest.raises(ValidationError) as refused:
        services.application_act(application=screening, move="send_to_review", by=users[Role.OPERATOR])
    assert refused.value.messages == [str(EXPERT_ASSIGNED.message)]
    screening.refresh_from_db()
    assert screening.status == S.SCREENING

    services.review_assign(application=screening, expert=users[Role.EXPERT], by=users[Role.OPERATOR])
    page = client.get(url)
    assert next(o for o in page.context["moves"] if o.name == "send_to_review").available
    assert f'href="{move_url}"' in page.content.decode()


@pytest.fixture
def tenant(users):
    """A seedbed tenant of the core that started today, in a unit of the core."""
    operator = users[Role.OPERATOR]
    enterprise = enterprise_services.enterprise_create(
        by=operator, data={"name": "淄博齐创新材料科技有限公司", "kind": "company", "uscc": "91310110666007217T",
                           "registered_on": D(2023, 3, 1)},
    )  # fmt: skip
    core = Carrier.objects.get(kind="core")
    today = timezone.localdate()
    residency = services.residency_open(enterprise=enterprise, carrier=core, stage="seedbed", started_on=today,
                                        by=operator)  # fmt: skip
    unit = UnitFactory(building=BuildingFactory(carrier=core), stage_zone="seedbed")
    services.allocation_create(residency=residency, unit=unit, start=today, by=operator)
    return residency


def test_the_promotion_form_proposes_a_date_it_accepts(client_for, users, tenant):
    """Seen failing before the fix: the form proposed today, and a residency that started today was refused."""
    client = client_for(users[Role.OPERATOR])
    url = reverse("incubation:residency_promote", args=[tenant.pk])
    proposed = client.get(url).context["form"]["on"].value()
    assert proposed == tenant.started_on + datetime.timedelta(days=1)

    done = client.post(url, {"to_stage": "incubator", "on": proposed, "override_reason": "试点", "space": "ended"})
    assert done.status_code == 302, done.context["form"].errors if done.context else ""
    assert Transition.objects.get().occurred_on == proposed


def test_the_promotion_asks_what_happens_to_the_space_and_records_the_answer(client_for, users, tenant):
    """Seen failing before the fix: the allocation ended silently."""
    client = client_for(users[Role.OPERATOR])
    url = reverse("incubation:residency_promote", args=[tenant.pk])
    on = tenant.started_on + datetime.timedelta(days=10)
    form = {"to_stage": "incubator", "on": on, "override_reason": "试点"}

    unanswered = client.post(url, form)
    assert unanswered.status_code == 200 and unanswered.context["form"].errors["space"]
    assert not Transition.objects.exists()

    assert client.post(url, {**form, "space": "kept"}).status_code == 302
    transition = Transition.objects.get()
    assert transition.space == SpaceOutcome.KEPT
    old, new = Allocation.objects.order_by("period")
    assert old.residency_id == tenant.pk and old.period == DateRange(tenant.started_on, on)
    assert new.residency == transition.to_residency and new.unit_id == old.unit_id and new.period.lower == on


def test_ending_the_space_is_recorded_and_keeping_it_needs_the_same_carrier(users, tenant):
    operator = users[Role.OPERATOR]
    on = tenant.started_on + datetime.timedelta(days=10)
    elsewhere = Carrier.objects.exclude(pk=tenant.carrier_id).filter(stages__contains=["incubator"]).first()
    with pytest.raises(ValidationError) as refused:
        services.promote(residency=tenant, to_stage="incubator", on=on, by=operator, override_reason="试点",
                         to_carrier=elsewhere, space=SpaceOutcome.KEPT)  # fmt: skip
    assert "space" in refused.value.message_dict
    assert Residency.objects.get(pk=tenant.pk).is_open

    transition = services.promote(residency=tenant, to_stage="incubator", on=on, by=operator, override_reason="试点")
    assert transition.space == SpaceOutcome.ENDED
    assert Allocation.objects.get().period.upper == on


def test_the_api_commands_are_the_moves_of_the_tables(client_for, users, screening):
    """Seen failing before the fix: `screen` and `decide` were the API's names for start_screening, approve and
    reject."""
    schema = client_for(users[Role.OPERATOR]).get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    paths = schema.json()["paths"]
    tables = (("applications", APPLICATION_WORKFLOW), ("operating-reports", REPORT_WORKFLOW),
              ("residencies", RESIDENCY_WORKFLOW), ("carrier-returns", RETURN_WORKFLOW))  # fmt: skip
    for prefix, workflow in tables:
        for move in workflow.moves.values():
            assert f"/api/v1/{prefix}/{{id}}/{move.name.replace('_', '-')}/" in paths, move.name
    assert "/api/v1/applications/{id}/decide/" not in paths and "/api/v1/applications/{id}/screen/" not in paths

    client = client_for(users[Role.OPERATOR])
    submitted = ApplicationFactory(status=S.SUBMITTED, submitted_at=timezone.now())
    assert client.post(f"/api/v1/applications/{submitted.pk}/screen/").status_code == 404
    assert client.post(f"/api/v1/applications/{submitted.pk}/start-screening/").json()["status"] == S.SCREENING
    missing = client.post(f"/api/v1/applications/{screening.pk}/reject/", {}, content_type="application/json")
    assert missing.status_code == 400 and "message" in missing.json()
    rejected = client.post(f"/api/v1/applications/{screening.pk}/reject/", {"message": "不符合入驻条件"},
                           content_type="application/json")  # fmt: skip
    assert rejected.status_code == 200 and rejected.json()["status"] == S.REJECTED
    assert rejected.json()["decision_reason"] == "不符合入驻条件"


def test_the_residency_commands_are_made_from_the_table_with_their_parameters(client_for, users):
    """The pipeline moves' API commands come from accounts.api.workflow_commands, as the other tables' do: each
    takes its parameters and its note, answers 201 with the Transition it made (an exit: 200 with the residency)."""
    from incubation.api.views import ResidencyViewSet

    for move in RESIDENCY_WORKFLOW.moves.values():
        assert "workflow table" in (getattr(ResidencyViewSet, move.name).__doc__ or ""), move.name
    operator = users[Role.OPERATOR]
    carrier = Carrier.objects.get(code="qizhihui")
    tenant = services.residency_open(
        enterprise=EnterpriseFactory(),
        carrier=carrier, stage="seedbed", started_on=datetime.date(2024, 1, 1), by=operator,
    )  # fmt: skip
    client = client_for(operator)
    refused = client.post(f"/api/v1/residencies/{tenant.pk}/promote/", {"to_stage": "incubator", "on": "2023-06-01",
                          "override_reason": "试点"}, content_type="application/json")  # fmt: skip
    assert refused.status_code == 400 and "on" in refused.json()
    promoted = client.post(f"/api/v1/residencies/{tenant.pk}/promote/", {"to_stage": "incubator", "on": "2024-06-01",
                           "override_reason": "试点", "note": "提前晋级"}, content_type="application/json")  # fmt: skip
    assert promoted.status_code == 201, promoted.content
    assert promoted.json()["kind"] == "promote" and promoted.json()["note"] == "提前晋级"
    following = Residency.objects.get(pk=promoted.json()["to_residency"])
    exited = client.post(f"/api/v1/residencies/{following.pk}/exit/", {"on": "2024-09-01", "reason": "exited_voluntary",
                         "note": "迁出临淄"}, content_type="application/json")  # fmt: skip
    assert exited.status_code == 200 and exited.json()["id"] == following.pk and exited.json()["ended_on"]
