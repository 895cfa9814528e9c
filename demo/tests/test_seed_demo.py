import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from accounts.models import User
from accounts.roles import GROUP_NAMES
from demo.management.commands.seed_demo import DEMO_ENTERPRISES, DEMO_PASSWORD, DEMO_USERS, NEAR_THE_LINE, demo_uscc
from enterprises.models import Enterprise, EnterpriseMembership
from enterprises.uscc import uscc_problem
from parks.models import Building, Unit

pytestmark = pytest.mark.django_db


def counts():
    return (
        User.objects.count(),
        Building.objects.count(),
        Unit.objects.count(),
        Enterprise.objects.count(),
        EnterpriseMembership.objects.count(),
    )


def test_demo_data_gives_one_signed_in_account_per_role_and_is_idempotent(client):
    call_command("seed_demo", force=True)
    first = counts()
    call_command("seed_demo", force=True)

    assert counts() == first
    for username, _name, role in DEMO_USERS:
        user = User.objects.get(username=username)
        assert user.check_password(DEMO_PASSWORD)
        assert user.groups.filter(name=GROUP_NAMES[role]).exists()
    response = client.post("/accounts/login/", {"username": "operator", "password": DEMO_PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/"


def test_demo_enterprises_are_marked_and_have_valid_codes():
    call_command("seed_demo", force=True, enterprises=0)  # the generated ones: incubation/tests/test_demo.py

    assert not Enterprise.objects.filter(is_demo=False).exists()
    assert all(uscc_problem(demo_uscc(n)) is None for n in range(1, len(DEMO_ENTERPRISES) + 1))
    assert EnterpriseMembership.objects.get(user__username="enterprise").enterprise.uscc == demo_uscc(1)


def test_demo_tenants_are_in_residence_with_space():
    from incubation.models import Allocation, Residency

    call_command("seed_demo", force=True, enterprises=0)  # the hand-written tenants; the generated ones: test_demo

    assert Residency.objects.filter(ended_on__isnull=True).count() == 6 + len(NEAR_THE_LINE)
    assert Allocation.objects.count() >= 4
    assert {r.stage for r in Residency.objects.all()} >= {"seedbed", "incubator", "accelerator"}


def test_demo_data_refuses_to_run_with_debug_off_unless_forced(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError):
        call_command("seed_demo")
    assert not User.objects.filter(username="operator").exists()


def test_demo_tenants_include_a_listing_and_an_acquisition():
    from enterprises.models import CorporateEvent

    call_command("seed_demo", force=True, enterprises=0)
    call_command("seed_demo", force=True, enterprises=0)  # idempotent

    assert sorted(CorporateEvent.objects.values_list("kind", flat=True)) == ["acquired", "listed"]


def test_demo_tenants_near_the_tech_sme_line_are_evaluated_and_two_are_candidates():
    from django.utils import timezone

    from targets.models import Candidate, Evaluation

    call_command("seed_demo", force=True, enterprises=0)
    year = timezone.localdate().year
    found = {
        evaluation.enterprise.uscc: (evaluation.outcome, evaluation.score)
        for evaluation in Evaluation.objects.filter(
            scheme__code="tech_sme_evaluation", year=year, is_current=True
        ).select_related("enterprise")
    }
    assert found[demo_uscc(21)] == ("qualified", 60)  # just at the line
    assert found[demo_uscc(22)] == ("not_qualified", 54)  # six points short
    assert found[demo_uscc(23)][0] == "undetermined"  # total assets not given
    assert Candidate.objects.filter(year=year).count() == 2
    assert all(candidate.follow_ups.exists() for candidate in Candidate.objects.all())
    # This year's targets, so that the dashboard shows the forecast against them.
    from targets.models import Target

    assert set(Target.objects.filter(year=year).values_list("indicator", flat=True)) == {"tech_smes", "htes"}
    call_command("seed_demo", force=True, enterprises=0)
    assert Candidate.objects.filter(year=year).count() == 2
    assert Target.objects.filter(year=year).count() == 2
