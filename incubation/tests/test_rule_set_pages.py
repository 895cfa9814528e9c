import datetime

import pytest
from django.urls import reverse

from accounts.models import AuditEvent
from accounts.roles import Role
from incubation import rules
from incubation.models import RuleSet

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", list(Role))
def test_every_role_reads_the_rule_sets(client_for, users, role):
    page = client_for(users[role]).get(reverse("incubation:rule_sets"))
    assert page.status_code == 200
    assert "注册时间不超过 24 个月" in page.content.decode()


def test_the_operating_company_adds_a_version_that_applies_from_its_date(client_for, users):
    base = rules.rule_set_in_force("incubation_period", datetime.date(2026, 1, 1))
    client = client_for(users[Role.OPERATOR])
    url = reverse("incubation:rule_set_new_version", args=[base.pk])

    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {"effective_from": "2027-01-01", "param_0_months": 60, "param_0_notice_months": 6, "note": "生物医药等领域"},
    )

    assert response.status_code == 302
    new = RuleSet.objects.get(kind="incubation_period", version=2)
    assert new.criteria == [{"code": "max_months", "params": {"months": 60, "notice_months": 6}}]
    assert rules.incubation_period(datetime.date(2026, 12, 31)) == (48, 6)
    assert rules.incubation_period(datetime.date(2027, 1, 1)) == (60, 6)
    assert AuditEvent.objects.filter(object_repr__contains="v2").exists()
    base.refresh_from_db()
    assert base.criteria[0]["params"]["months"] == 48, "the old version never changes"


def test_a_version_that_changes_nothing_is_refused(client_for, users):
    base = rules.rule_set_in_force("incubation_period", datetime.date(2026, 1, 1))
    response = client_for(users[Role.OPERATOR]).post(
        reverse("incubation:rule_set_new_version", args=[base.pk]),
        {"effective_from": "2027-01-01", "param_0_months": 48, "param_0_notice_months": 6},
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert not RuleSet.objects.filter(kind="incubation_period", version=2).exists()


@pytest.mark.parametrize("role", [Role.PARK_STAFF, Role.BUREAU, Role.EXPERT, Role.ENTERPRISE])
def test_other_roles_cannot_add_versions(client_for, users, role):
    base = RuleSet.objects.get(kind="graduation", version=1)
    response = client_for(users[role]).post(
        reverse("incubation:rule_set_new_version", args=[base.pk]),
        {"effective_from": "2027-01-01", "param_1_amount_wan": 300},
    )
    assert response.status_code == 403
    assert RuleSet.objects.filter(kind="graduation").count() == 1
