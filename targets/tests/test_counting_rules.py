"""The graduate window is a rule set (target_counting) edited on the rules page like the others."""

import datetime

import pytest
from django.urls import reverse
from django.utils import translation

from accounts.roles import Role
from incubation import rules
from incubation.models import RuleSet
from targets import selectors

pytestmark = pytest.mark.django_db


def test_seeded_version_and_the_rules_page(client_for, users):
    version = RuleSet.objects.get(kind="target_counting", version=1)
    assert version.criteria == [{"code": "graduate_window_months", "params": {"months": 36}}]
    assert "待区科技局确认" in version.note
    assert selectors.graduate_windows([2016, 2021]) == {2016: 0, 2021: 36}
    with translation.override("en"):
        page = client_for(users[Role.BUREAU]).get(reverse("incubation:rule_sets"), HTTP_ACCEPT_LANGUAGE="en")
        assert rules.label_of(version.criteria[0]) in page.content.decode()


def test_a_new_window_from_the_rules_page_applies_from_31_december(client_for, users):
    base = RuleSet.objects.get(kind="target_counting", version=1)
    client = client_for(users[Role.OPERATOR])
    url = reverse("incubation:rule_set_new_version", args=[base.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"effective_from": "2025-12-31", "param_0_months": 24, "note": "区科技局确认"})
    assert response.status_code == 302
    assert selectors.graduate_windows([2024, 2025, 2026]) == {2024: 36, 2025: 24, 2026: 24}
    assert rules.rule_set_in_force("target_counting", datetime.date(2025, 12, 30)).version == 1
