"""An enterprise user who signed up registers their own team or company: once, with their membership, audited,
and the operating company is told."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from accounts.models import AuditAction, AuditEvent, Notification
from accounts.roles import Role
from enterprises import services
from enterprises.models import Enterprise, EnterpriseMembership
from enterprises.tests.factories import EnterpriseFactory, enterprise_user, valid_uscc

pytestmark = pytest.mark.django_db

TEAM = {"name": "齐智汇创业团队", "kind": "team", "founder_type": "university_student"}


def company(uscc: str = "91370305MA3C5Q4B6") -> dict:
    return {
        "name": "淄博齐创新材料科技有限公司",
        "kind": "company",
        "uscc": valid_uscc(uscc[:17]),
        "registered_on": date(2023, 3, 1),
        "founder_type": "other",
    }


def test_register_creates_the_enterprise_and_the_membership_audited_and_tells_the_operators(users):
    founder = users[Role.ENTERPRISE]

    enterprise = services.enterprise_register(by=founder, data=TEAM)

    assert enterprise.kind == "team" and enterprise.uscc is None
    assert EnterpriseMembership.objects.get(user=founder).enterprise == enterprise
    events = AuditEvent.objects.filter(actor=founder, action=AuditAction.CREATE)
    assert {event.content_type.model for event in events} == {"enterprise", "enterprisemembership", "notification"}
    [notification] = Notification.objects.all()
    assert notification.recipient == users[Role.OPERATOR]
    assert notification.subject == "新企业已登记：齐智汇创业团队"
    assert notification.link == reverse("enterprises:enterprise_detail", args=[enterprise.pk])


def test_a_company_is_registered_with_its_checked_code(users):
    enterprise = services.enterprise_register(by=users[Role.ENTERPRISE], data=company())
    assert enterprise.uscc == valid_uscc("91370305MA3C5Q4B6")


def test_a_wrong_code_is_explained_and_nothing_is_saved(users):
    valid = valid_uscc("91370305MA3C5Q4B6")
    data = {**company(), "uscc": valid[:-1] + ("1" if valid[-1] != "1" else "2")}  # a wrong check character

    with pytest.raises(ValidationError) as refused:
        services.enterprise_register(by=users[Role.ENTERPRISE], data=data)

    assert "校验码" in " ".join(refused.value.messages)
    assert not Enterprise.objects.exists() and not EnterpriseMembership.objects.exists()
    assert not Notification.objects.exists() and not AuditEvent.objects.filter(action=AuditAction.CREATE).exists()


def test_a_company_without_its_code_is_refused(users):
    with pytest.raises(ValidationError) as refused:
        services.enterprise_register(by=users[Role.ENTERPRISE], data={**company(), "uscc": ""})
    assert "统一社会信用代码" in " ".join(refused.value.messages)
    assert not Enterprise.objects.exists()


def test_a_second_registration_is_refused(users):
    founder = users[Role.ENTERPRISE]
    services.enterprise_register(by=founder, data=TEAM)

    with pytest.raises(ValidationError) as refused:
        services.enterprise_register(by=founder, data={**TEAM, "name": "第二个团队"})

    assert "已关联" in " ".join(refused.value.messages)
    assert Enterprise.objects.count() == 1


@pytest.mark.parametrize("role", [Role.ADMIN, Role.OPERATOR, Role.PARK_STAFF, Role.BUREAU, Role.EXPERT])
def test_other_roles_cannot_register_their_own(users, role):
    with pytest.raises(PermissionDenied):
        services.enterprise_register(by=users[role], data=TEAM)
    assert not Enterprise.objects.exists()


def test_fields_outside_the_profile_are_refused(users):
    with pytest.raises(ValidationError):
        services.enterprise_register(by=users[Role.ENTERPRISE], data={**TEAM, "is_demo": True})


# --- the page -----------------------------------------------------------------------------------------------------


def test_the_page_registers_and_leads_to_the_new_enterprise(client_for, users):
    client = client_for(users[Role.ENTERPRISE])

    page = client.get(reverse("enterprises:register"))
    assert page.status_code == 200 and "登记您的团队或企业" in page.content.decode()
    response = client.post(reverse("enterprises:register"), TEAM)

    enterprise = Enterprise.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("enterprises:enterprise_detail", args=[enterprise.pk])
    assert client.get(reverse("enterprises:my_enterprise"))["Location"] == response["Location"]


def test_the_page_shows_errors_in_chinese_and_saves_nothing(client_for, users):
    client = client_for(users[Role.ENTERPRISE])
    response = client.post(reverse("enterprises:register"), {**company(), "uscc": "123", "registered_on": "2023-03-01"})

    assert response.status_code == 200
    assert "统一社会信用代码" in response.content.decode()
    assert not Enterprise.objects.exists()


def test_an_enterprise_user_with_an_enterprise_is_sent_to_it(client_for, users):
    founder = users[Role.ENTERPRISE]
    EnterpriseMembership.objects.create(user=founder, enterprise=EnterpriseFactory())

    response = client_for(founder).get(reverse("enterprises:register"))

    assert response.status_code == 302 and response["Location"] == reverse("enterprises:my_enterprise")


def test_home_and_my_enterprise_guide_an_enterprise_user_without_one(client_for, users):
    client = client_for(users[Role.ENTERPRISE])

    assert reverse("enterprises:register") in client.get(reverse("home")).content.decode()
    assert client.get(reverse("enterprises:my_enterprise"))["Location"] == reverse("enterprises:register")


def test_home_has_no_call_to_action_once_registered_or_for_staff(client_for, users):
    member = enterprise_user("member-with-enterprise")
    EnterpriseMembership.objects.create(user=member, enterprise=EnterpriseFactory())

    assert 'id="register-enterprise"' not in client_for(member).get(reverse("home")).content.decode()
    assert 'id="register-enterprise"' not in client_for(users[Role.OPERATOR]).get(reverse("home")).content.decode()
