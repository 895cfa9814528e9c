"""The pipeline funnel (applications → admissions → promotions → graduations) on a small history whose figures are
counted by hand below, including the year boundary in Beijing time and a re-admission that is not a new admission.

    carriers A = big-data, B = new-medicine
    F1  applied to A 2021-03-01; admitted to A seedbed 2021-04-01; promoted to A incubator 2022-02-01;
        graduated from A 2023-05-01
    F2  applied to B at 2021-12-31 16:30 UTC (2022-01-01 00:30 in Beijing: a 2022 application); admitted to B
        2022-01-10; exited 2022-06-01 (an exit is no step); admitted again to A 2023-01-01 (not a new admission)
    F3  applied to A twice in 2022 (two applications, whatever became of them); a draft never submitted (none)
    F4  admitted to B 2020-12-31 (a 2020 admission); promoted from B 2021-12-31; graduated from B 2022-12-31

By hand:
    district  2021: applications 1 (F1), admissions 1 (F1), promotions 1 (F4), graduations 0
              2022: applications 3 (F2, F3 twice), admissions 1 (F2), promotions 1 (F1), graduations 1 (F4)
              2023: applications 0, admissions 0 (F2 returns), promotions 0, graduations 1 (F1)
    A         2022: applications 2, admissions 0, promotions 1, graduations 0
    B         2022: applications 1, admissions 1, promotions 0, graduations 1;  2021: promotions 1
"""

import datetime

import pytest
from django.utils import timezone

from accounts.roles import Role
from enterprises.tests.factories import EnterpriseFactory
from incubation.models import Residency, Transition
from incubation.selectors import pipeline_funnel, pipeline_funnel_trend
from incubation.tests.factories import ApplicationFactory
from parks.models import Carrier

pytestmark = pytest.mark.django_db

D = datetime.date
UTC = datetime.UTC


def _at(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=UTC)


@pytest.fixture
def history(users):
    by = users[Role.OPERATOR]
    a, b = Carrier.objects.get(code="big-data"), Carrier.objects.get(code="new-medicine")
    f = {n: EnterpriseFactory(name=f"漏斗测试企业{n}") for n in range(1, 5)}

    def residency(enterprise, carrier, stage, start, end=None, reason=""):
        return Residency.objects.create(enterprise=enterprise, carrier=carrier, stage=stage, started_on=start,
                                        ended_on=end, end_reason=reason)  # fmt: skip

    def move(kind, from_residency, on, to=None):
        Transition.objects.create(enterprise=from_residency.enterprise, kind=kind, occurred_on=on,
                                  from_residency=from_residency, to_residency=to, by=by)  # fmt: skip

    def application(enterprise, carrier, submitted_at, status="submitted", stage="incubator"):
        ApplicationFactory(enterprise=enterprise, carrier=carrier, status=status, submitted_at=submitted_at,
                           stage=stage, created_by=by)  # fmt: skip

    application(f[1], a, _at(2021, 3, 1, 2))
    r1a = residency(f[1], a, "seedbed", D(2021, 4, 1), D(2022, 2, 1), "promoted")
    r1b = residency(f[1], a, "incubator", D(2022, 2, 1), D(2023, 5, 1), "graduated")
    move("promote", r1a, D(2022, 2, 1), r1b)
    move("graduate", r1b, D(2023, 5, 1))

    application(f[2], b, _at(2021, 12, 31, 16, 30), status="approved")
    r2 = residency(f[2], b, "incubator", D(2022, 1, 10), D(2022, 6, 1), "exited_voluntary")
    move("exit", r2, D(2022, 6, 1))
    residency(f[2], a, "incubator", D(2023, 1, 1))

    application(f[3], a, _at(2022, 5, 1, 2), status="rejected")
    application(f[3], a, _at(2022, 9, 1, 2), status="expert_review")
    application(f[3], a, None, status="draft", stage="seedbed")

    r4a = residency(f[4], b, "seedbed", D(2020, 12, 31), D(2021, 12, 31), "promoted")
    r4b = residency(f[4], b, "incubator", D(2021, 12, 31), D(2022, 12, 31), "graduated")
    move("promote", r4a, D(2021, 12, 31), r4b)
    move("graduate", r4b, D(2022, 12, 31))
    return {"A": a, "B": b}


def _steps(applications, admissions, promotions, graduations) -> dict[str, int]:
    return {"applications": applications, "admissions": admissions, "promotions": promotions,
            "graduations": graduations}  # fmt: skip


def test_district_funnel_by_year(history):
    assert pipeline_funnel_trend(years=range(2020, 2024)) == {
        2020: _steps(0, 1, 0, 0),
        2021: _steps(1, 1, 1, 0),
        2022: _steps(3, 1, 1, 1),
        2023: _steps(0, 0, 0, 1),
    }
    assert pipeline_funnel(year=2022) == _steps(3, 1, 1, 1)


def test_funnel_at_a_carrier(history):
    assert pipeline_funnel(year=2022, carrier=history["A"]) == _steps(2, 0, 1, 0)
    assert pipeline_funnel(year=2022, carrier=history["B"]) == _steps(1, 1, 0, 1)
    assert pipeline_funnel(year=2021, carrier=history["B"]) == _steps(0, 0, 1, 0)
    assert pipeline_funnel(year=2023, carrier=history["A"]) == _steps(0, 0, 0, 1)  # F2's return is no admission


def test_application_counts_in_its_beijing_year(history):
    assert timezone.localtime(_at(2021, 12, 31, 16, 30)).year == 2022
    assert pipeline_funnel(year=2021, carrier=history["B"])["applications"] == 0
    assert pipeline_funnel(year=2022, carrier=history["B"])["applications"] == 1


def test_years_without_anything_are_zero_and_gaps_are_kept_out(history):
    assert pipeline_funnel_trend(years=[2019, 2022]) == {2019: _steps(0, 0, 0, 0), 2022: _steps(3, 1, 1, 1)}
    assert pipeline_funnel_trend(years=[]) == {}


@pytest.mark.parametrize("extra", [0, 6])
def test_three_queries_whatever_the_data(users, history, extra, django_assert_num_queries):
    for n in range(extra):
        enterprise = EnterpriseFactory(name=f"漏斗加量企业{n}")
        first = Residency.objects.create(enterprise=enterprise, carrier=history["A"], stage="seedbed",
                                         started_on=D(2021, 1, 1 + n), ended_on=D(2022, 1, 1 + n),
                                         end_reason="promoted")  # fmt: skip
        second = Residency.objects.create(enterprise=enterprise, carrier=history["A"], stage="incubator",
                                          started_on=D(2022, 1, 1 + n))  # fmt: skip
        Transition.objects.create(enterprise=enterprise, kind="promote", occurred_on=D(2022, 1, 1 + n),
                                  from_residency=first, to_residency=second, by=users[Role.OPERATOR])  # fmt: skip
    with django_assert_num_queries(3):
        trend = pipeline_funnel_trend(years=range(2021, 2026))
    assert trend[2022]["promotions"] == 1 + extra
    assert trend[2021]["admissions"] == 1 + extra
