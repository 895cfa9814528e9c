"""Status judgement of targets against the hand-computed figures of targets/tests/dataset.py."""

import datetime
from decimal import Decimal

import pytest
from django.utils import translation

from targets import selectors
from targets.models import Target, TargetPlan
from targets.tests import dataset

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def history(users):
    from accounts.roles import Role

    return dataset.build(users[Role.OPERATOR])


@pytest.fixture
def plan():
    return TargetPlan.objects.get(start_year=2021)


def _by_indicator(attainments):
    return {(a.target.indicator, a.target.form): a for a in attainments}


def test_past_year_targets_of_the_seeded_plan_are_missed(history, plan):
    with translation.override("en"):
        result = _by_indicator(selectors.target_attainment(year=2022, plan=plan, today=D(2026, 11, 26)))
    tech = result[("tech_smes", "yearly")]
    assert (tech.actual, tech.attainment, tech.status) == (Decimal(4), Decimal("40.0"), "missed")
    assert tech.status_reason == "The year is over: 4 against a target of 10."
    assert result[("htes", "yearly")].status == "missed"
    level = result[("accreditation_level", "yearly")]  # the core's target, shown district-wide
    assert (level.actual, level.attainment, level.status) == ("municipal", None, "missed")


def test_current_year_is_judged_on_the_elapsed_fraction_with_the_renewal_pipeline(history, plan):
    Target.objects.filter(plan=plan, year=2022, indicator="tech_smes").update(value=10)
    # 1 July 2022: 182 of 365 days gone, 10 × 182/365 = 4.99 expected; 4 counted + 1 renewal pending (E7) = 5.
    result = _by_indicator(selectors.target_attainment(year=2022, plan=plan, today=D(2022, 7, 1)))
    assert (result[("tech_smes", "yearly")].pipeline, result[("tech_smes", "yearly")].status) == (1, "on_track")
    Target.objects.filter(plan=plan, year=2022, indicator="tech_smes").update(value=11)
    result = _by_indicator(selectors.target_attainment(year=2022, plan=plan, today=D(2022, 7, 1)))
    assert result[("tech_smes", "yearly")].status == "at_risk"
    # No high-tech enterprise application pending (targets/tests/test_hte_pipeline.py): 2 of 3 on the last day of
    # the year is at risk.
    result = _by_indicator(selectors.target_attainment(year=2022, plan=plan, today=D(2022, 12, 31)))
    assert (result[("htes", "yearly")].pipeline, result[("htes", "yearly")].status) == (0, "at_risk")


def test_met_cumulative_per_carrier_and_no_data(history, plan):
    a = history["A"]
    Target.objects.create(plan=plan, year=2022, indicator="tech_smes", carrier=a, form="cumulative", value=4)
    Target.objects.create(plan=plan, year=2022, indicator="revenue", carrier=a, value=1000)
    Target.objects.create(plan=plan, year=2023, indicator="revenue", carrier=a, value=1000)
    Target.objects.create(plan=plan, year=2022, indicator="occupancy_rate", carrier=history["C"], value=80)
    result = _by_indicator(selectors.target_attainment(year=2022, carrier=a, plan=plan, today=D(2026, 1, 1)))
    assert result[("tech_smes", "cumulative")].status == "met"
    assert (result[("revenue", "yearly")].actual, result[("revenue", "yearly")].status) == (Decimal("1300.00"), "met")
    result = _by_indicator(selectors.target_attainment(year=2023, carrier=a, plan=plan, today=D(2026, 1, 1)))
    assert result[("revenue", "yearly")].status == "no_data"  # no verified report for 2023
    result = _by_indicator(selectors.target_attainment(year=2022, carrier=history["C"], plan=plan, today=D(2026, 1, 1)))
    assert (result[("occupancy_rate", "yearly")].actual, result[("occupancy_rate", "yearly")].status) == (
        None,
        "no_data",
    )


def test_future_year_compares_the_pipeline(history, plan):
    # On 1 June 2022, for 2023: in residency with a 2022 registration and none for 2023 yet: E1, E2, E4 (3).
    Target.objects.filter(plan=plan, year=2023, indicator="tech_smes").update(value=4)
    result = _by_indicator(selectors.target_attainment(year=2023, plan=plan, today=D(2022, 6, 1)))
    assert (result[("tech_smes", "yearly")].pipeline, result[("tech_smes", "yearly")].status) == (3, "at_risk")
    Target.objects.filter(plan=plan, year=2023, indicator="tech_smes").update(value=3)
    result = _by_indicator(selectors.target_attainment(year=2023, plan=plan, today=D(2022, 6, 1)))
    assert result[("tech_smes", "yearly")].status == "on_track"


@pytest.mark.parametrize("size", [0, 10])
def test_attainment_queries_are_bounded(history, users, plan, size, django_assert_max_num_queries):
    from accounts.roles import Role

    dataset.more(users[Role.OPERATOR], size, seed=size)
    with django_assert_max_num_queries(9):
        selectors.target_attainment(year=2022, plan=plan, today=D(2022, 7, 1))
