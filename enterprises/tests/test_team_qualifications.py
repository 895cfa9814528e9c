"""A team not yet incorporated holds no tech-SME registration, high-tech enterprise certificate or application:
the service refuses it in the user's words, the database refuses it past the service, a company holding one cannot
become a team, and the team's page offers no "Add" but says what to do. Other records (team members, honours,
financing) a team may hold."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from accounts.roles import Role
from enterprises import services
from enterprises.models import FinancingEvent, HTEApplication, HTECertificate, TeamMember, TechSMERegistration
from enterprises.tests.factories import EnterpriseFactory, HTECertificateFactory, TechSMERegistrationFactory

pytestmark = pytest.mark.django_db

QUALIFICATIONS = {
    TechSMERegistration: {"year": 2025, "registration_no": "20253703050001A"},
    HTECertificate: {"certificate_no": "GR202537000001", "issued_on": datetime.date(2025, 12, 8)},
    HTEApplication: {"year": 2025, "submitted_on": datetime.date(2025, 6, 10), "outcome": "pending"},
}


@pytest.fixture
def operator(users):
    return users[Role.OPERATOR]


@pytest.fixture
def team():
    return EnterpriseFactory(kind="team", uscc=None, registered_on=None, name="智能机器人创业团队")


@pytest.mark.parametrize("model", QUALIFICATIONS, ids=lambda model: model.__name__)
def test_the_service_refuses_a_teams_qualification_in_chinese_and_writes_nothing(operator, team, model):
    with translation.override("zh-hans"), pytest.raises(ValidationError) as error:
        services.record_create(model=model, enterprise=team, by=operator, data=QUALIFICATIONS[model])

    assert "尚未注册为企业的团队" in error.value.messages[0]
    assert not model.objects.exists()


@pytest.mark.parametrize("model", QUALIFICATIONS, ids=lambda model: model.__name__)
def test_the_database_refuses_it_past_the_service(team, model):
    with pytest.raises(IntegrityError, match="only a registered company"), transaction.atomic():
        model.objects.create(enterprise=team, **QUALIFICATIONS[model])


def test_a_qualification_cannot_be_moved_onto_a_team(team):
    registration = TechSMERegistrationFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        TechSMERegistration.objects.filter(pk=registration.pk).update(enterprise=team)


def test_a_team_holds_members_and_financing(operator, team):
    services.record_create(model=TeamMember, enterprise=team, by=operator, data={"name": "王工", "position": "队长"})
    services.record_create(
        model=FinancingEvent, enterprise=team, by=operator,
        data={"occurred_on": datetime.date(2025, 3, 1), "round": "angel", "amount": 50, "investor": "淄博天使"},
    )  # fmt: skip

    assert team.team_members.count() == 1 and team.financing_events.count() == 1


def test_a_company_holding_a_certificate_cannot_become_a_team(operator):
    company = HTECertificateFactory().enterprise

    with translation.override("zh-hans"), pytest.raises(ValidationError) as error:
        services.enterprise_update(
            enterprise=company, by=operator, data={"kind": "team", "uscc": "", "registered_on": None}
        )

    assert "kind" in error.value.message_dict
    company.refresh_from_db()
    assert company.kind == "company"
    with pytest.raises(IntegrityError), transaction.atomic():
        type(company).objects.filter(pk=company.pk).update(kind="team", uscc=None, registered_on=None)


def test_a_company_without_qualifications_may_become_a_team(operator):
    company = EnterpriseFactory()

    services.enterprise_update(
        enterprise=company, by=operator, data={"kind": "team", "uscc": "", "registered_on": None}
    )

    company.refresh_from_db()
    assert company.kind == "team"


def test_the_teams_page_offers_no_add_but_says_what_to_do(operator, team, client_for):
    html = client_for(operator).get(f"/enterprises/{team.pk}/").content.decode()

    for kind in ("tech-sme", "hte", "hte-application"):
        assert f"/enterprises/{team.pk}/{kind}/add/" not in html
    assert html.count("只有已注册的企业才能持有") == 3
    assert f"/enterprises/{team.pk}/team/add/" in html and f"/enterprises/{team.pk}/financing/add/" in html


def test_adding_one_through_the_page_is_refused_with_the_message(operator, team, client_for):
    response = client_for(operator).post(
        f"/enterprises/{team.pk}/tech-sme/add/", {"year": 2025, "registration_no": "20253703050001A"}
    )

    assert response.status_code == 200
    assert "尚未注册为企业的团队" in response.content.decode()
    assert not TechSMERegistration.objects.exists()


def test_the_api_refuses_it_with_the_message_as_json(operator, team, client_for):
    response = client_for(operator).post(
        "/api/v1/tech-sme-registrations/",
        {"enterprise": team.pk, "year": 2025, "registration_no": "20253703050001A"},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )

    assert response.status_code == 400
    assert "尚未注册为企业的团队" in str(response.json())
    assert not TechSMERegistration.objects.exists()
