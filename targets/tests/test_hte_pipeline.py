"""The HTE pipeline (targets.selectors.hte_pipeline), hand-computed on targets/tests/dataset.py, and its effect on
the status of the high-tech enterprise target."""

import datetime
from decimal import Decimal

import pytest

from enterprises.tests.factories import HTEApplicationFactory
from targets import selectors
from targets.models import Target, TargetPlan
from targets.tests import dataset

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def history(users):
    from accounts.roles import Role

    return dataset.build(users[Role.OPERATOR])


def _pending(enterprise, year=2022):
    return HTEApplicationFactory(enterprise=enterprise, year=year, submitted_on=D(year, 5, 20))


def _decided(enterprise, outcome, year=2022):
    return HTEApplicationFactory(
        enterprise=enterprise, year=year, submitted_on=D(year, 5, 20), outcome=outcome, decided_on=D(year, 6, 20)
    )


@pytest.fixture
def applications(history):
    """For 2022: pending E1 (A), E7 and E9 (B): counted while in residency and without a certificate.
    Not counted: E2 certified and E4 rejected; E3 pending but certified on 2022-06-01; E8 pending, a renewal
    (certificate since 2021); E5 pending but graduated in 2019. E1's 2023 application is for another year."""
    h = history
    for name in ("E1", "E7", "E9", "E3", "E8", "E5"):
        _pending(h[name])
    _decided(h["E2"], "certified")
    _decided(h["E4"], "rejected")
    _pending(h["E1"], year=2023)
    return h


def test_pending_applications_of_enterprises_in_residency_without_a_certificate(applications):
    h = applications
    on = D(2022, 7, 1)
    assert selectors.hte_pipeline(year=2022, carrier_id=None, today=on) == Decimal(3)  # E1, E7, E9
    assert selectors.hte_pipeline(year=2022, carrier_id=h["A"].pk, today=on) == 1  # E1
    assert selectors.hte_pipeline(year=2022, carrier_id=h["B"].pk, today=on) == 2  # E7, E9
    assert selectors.hte_pipeline(year=2022, carrier_id=h["C"].pk, today=on) == 0
    assert selectors.hte_pipeline(year=2023, carrier_id=None, today=on) == 1  # E1's 2023 application


def test_an_enterprise_that_left_or_got_its_certificate_drops_out(applications):
    h = applications
    # E9 graduated on 2022-09-01: no longer in residency on 1 October.
    assert selectors.hte_pipeline(year=2022, carrier_id=None, today=D(2022, 10, 1)) == 2
    assert selectors.hte_pipeline(year=2022, carrier_id=h["B"].pk, today=D(2022, 10, 1)) == 1
    # Before E3's certificate of 2022-06-01, E3 (B, admitted 2022-01-01) was still to be cultivated.
    assert selectors.hte_pipeline(year=2022, carrier_id=h["B"].pk, today=D(2022, 5, 31)) == 3


def test_the_pipeline_is_one_query(applications, django_assert_num_queries):
    with django_assert_num_queries(1):
        selectors.hte_pipeline(year=2022, carrier_id=applications["B"].pk, today=D(2022, 7, 1))


def test_pending_applications_move_the_hte_target_from_at_risk_to_on_track(history):
    plan = TargetPlan.objects.get(start_year=2021)
    on = D(2022, 12, 31)  # the whole year gone: 3 expected, 2 cultivated (E3, E9)

    def htes():
        result = selectors.target_attainment(year=2022, plan=plan, today=on)
        return {(a.target.indicator, a.target.form): a for a in result}[("htes", "yearly")]

    assert (htes().pipeline, htes().status) == (0, "at_risk")
    _pending(history["E8"])  # a renewal: no first certificate to come
    _decided(history["E7"], "rejected")
    assert (htes().pipeline, htes().status) == (0, "at_risk")
    _pending(history["E1"])  # in residency, no certificate: 2 + 1 = 3
    attainment = htes()
    assert (attainment.actual, attainment.pipeline, attainment.status) == (2, 1, "on_track")
    # A carrier's target counts only its own pipeline: E1 is at A, where nothing was cultivated in 2022.
    Target.objects.create(plan=plan, year=2022, indicator="htes", carrier=history["A"], value=1)
    at_a = selectors.target_attainment(year=2022, carrier=history["A"], plan=plan, today=on)
    at_a = next(a for a in at_a if a.target.indicator == "htes")
    assert (at_a.actual, at_a.pipeline, at_a.status) == (0, 1, "on_track")
    Target.objects.filter(carrier=history["A"], indicator="htes").update(value=2)
    at_a = selectors.target_attainment(year=2022, carrier=history["A"], plan=plan, today=on)
    assert next(a for a in at_a if a.target.indicator == "htes").status == "at_risk"
