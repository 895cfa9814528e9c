"""Mergers, acquisitions and listings on the enterprise record: a listing names its board, an acquisition or merger
the other party (the database holds it); any one on or before the day graduates a tenant (graduation (d)), which
was always "unknown" before the portal could record them."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from accounts.roles import Role
from enterprises import services
from enterprises.models import CorporateEvent
from enterprises.tests.factories import CorporateEventFactory, EnterpriseFactory
from incubation import services as incubation_services
from parks.models import Carrier

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def operator(users):
    return users[Role.OPERATOR]


@pytest.mark.parametrize(
    "data",
    [
        {"kind": "listed", "occurred_on": D(2025, 6, 18)},  # no board
        {"kind": "listed", "occurred_on": D(2025, 6, 18), "board": "neeq", "counterparty": "某集团"},
        {"kind": "acquired", "occurred_on": D(2025, 6, 18)},  # no acquirer
        {"kind": "merged", "occurred_on": D(2025, 6, 18), "counterparty": "某集团", "board": "neeq"},
    ],
    ids=["listing-without-board", "listing-with-counterparty", "acquisition-without-acquirer", "merger-with-board"],
)
def test_each_event_names_what_it_needs_in_chinese_and_nothing_is_written(operator, data):
    with translation.override("zh-hans"), pytest.raises(ValidationError) as error:
        services.record_create(model=CorporateEvent, enterprise=EnterpriseFactory(), by=operator, data=data)

    assert "上市须注明板块" in " ".join(error.value.messages)
    assert not CorporateEvent.objects.exists()


def test_the_database_holds_the_rule_past_the_model():
    with pytest.raises(IntegrityError), transaction.atomic():
        CorporateEvent.objects.create(enterprise=EnterpriseFactory(), kind="acquired", occurred_on=D(2025, 1, 1))


def test_a_team_may_be_acquired(operator):
    team = EnterpriseFactory(team=True)
    data = {"kind": "acquired", "occurred_on": D(2025, 3, 1), "counterparty": "淄博智能装备集团"}

    services.record_create(model=CorporateEvent, enterprise=team, by=operator, data=data)

    assert team.corporate_events.count() == 1


@pytest.fixture
def residency(operator, db):
    from conftest import ensure_reference_data

    ensure_reference_data()
    company = EnterpriseFactory(registered_on=D(2022, 1, 1))
    return incubation_services.residency_open(
        enterprise=company, carrier=Carrier.objects.get(kind="core"), stage="incubator", started_on=D(2023, 4, 1),
        by=operator,
    )  # fmt: skip


def _merged_or_listed(residency, on):
    evaluation = incubation_services.move_preview(kind="graduate", residency=residency, on=on)
    return next(result for result in evaluation.results if result.code == "merged_or_listed")


def test_no_event_is_unmet_not_unknown(residency):
    result = _merged_or_listed(residency, D(2025, 6, 1))

    assert result.status == "unmet"
    with translation.override("en"):
        assert result.detail == "No merger, acquisition or listing recorded."


def test_a_listing_on_or_before_the_day_graduates(residency, operator):
    CorporateEventFactory(enterprise=residency.enterprise, occurred_on=D(2025, 6, 1), board="star_market")

    assert _merged_or_listed(residency, D(2025, 5, 31)).status == "unmet"
    result = _merged_or_listed(residency, D(2025, 6, 1))
    assert result.status == "met"
    with translation.override("zh-hans"):
        assert result.detail == "2025-06-01 上市。"
    with translation.override("en"):
        assert result.detail == "Listed on 2025-06-01."

    transition = incubation_services.graduate(residency=residency, on=D(2025, 6, 1), by=operator)
    assert transition.kind == "graduate"


def test_the_enterprise_page_lists_them_and_offers_to_add(operator, client_for):
    event = CorporateEventFactory(security_code="874321")

    html = client_for(operator).get(f"/enterprises/{event.enterprise_id}/").content.decode()

    assert 'id="records-corporate-events"' in html and "874321" in html
    assert f"/enterprises/{event.enterprise_id}/corporate-events/add/" in html
