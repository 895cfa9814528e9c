"""A small fixed history with hand-computed indicator figures (targets/tests/test_figures.py), and a generator of
more of the same for the query-count tests.

Carriers: A = big-data (park), B = new-medicine (park), C = qizhihui (the core). The plan starts in 2021.

    E1  A incubator 2020-03-01–open. Tech SME 2021, 2022. Verified annual reports 2021 (rev 800, R&D 40, 15 staff,
        1 invention patent) and 2022 (rev 1000, R&D 50, 20 staff, 2 invention patents + 3 utility models).
        Unit A-101 (100 m²) let 2020-03-01–open.
    E2  A incubator 2021-05-01–2022-12-31, exit on 2022-12-31 (not a tenant at the end of 2022). Tech SME 2022.
        2022 report submitted, not verified (not counted). Unit A-102 (50 m²) let 2021-05-01–2022-12-31.
    E3  B incubator from 2022-01-01 (admitted on 1 January). First HTE 2022-06-01. Financing 2022-03-01, 300.
        Unit B-201 (200 m²) let 2022-01-01–2023-01-01 (let on 31 December 2022).
    E4  C seedbed 2020-01-01–2022-07-01, promoted to A incubator 2022-07-01–2023-01-01 (graduates on 1 January
        2023, so a tenant at the end of 2022). Tech SME 2022. 2022 report v1 (rev 200) superseded by v2 (rev 300,
        R&D 30, 6 staff), both once verified.
    E5  A 2017-01-01–2019-01-01, graduated 2019-01-01: exactly 36 months before 1 January 2022. Tech SME 2022.
    E6  B 2016-01-01–2018-12-01, graduated 2018-12-01: 37 months before. Tech SME 2022 (does not count).
    E7  B incubator 2021-02-01–open. Tech SME 2021, not renewed for 2022. Financing 2021-05-01 100 and 2022-02-01
        50. 2021 report verified: revenue 0, R&D 5, 3 staff.
    E8  B incubator 2021-01-01–open. HTE 2021-03-01 valid one year (expired 2022-03-01), renewed 2022-04-01.
    E9  B incubator 2020-06-01–2022-09-01, graduated 2022-09-01. First HTE 2022-11-01 (within the window after
        graduating). Financing 2022-10-01, 200 (after leaving: does not count).

Accreditation: C municipal 2021-06-01, provincial 2023-01-01; A district-level 2020-05-01; B none.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from psycopg2.extras import DateRange

from enterprises.models import OperatingReport
from enterprises.tests.factories import (
    EnterpriseFactory,
    FinancingEventFactory,
    HTECertificateFactory,
    TechSMERegistrationFactory,
)
from incubation.models import Allocation, Residency, Transition
from parks.models import Accreditation, Building, Carrier, Unit

D = datetime.date

# code -> {scope: (yearly 2022, cumulative 2021–2022)}; scope "district", "A", "B", "C".
EXPECTED_2022 = {
    "tenants_year_end": {"district": (5, 7), "A": (2, 3), "B": (3, 4), "C": (0, 1)},
    "admissions": {"district": (1, 4), "A": (0, 1), "B": (1, 3), "C": (0, 0)},
    "graduations": {"district": (1, 1), "A": (0, 0), "B": (1, 1), "C": (0, 0)},
    "exits": {"district": (1, 1), "A": (1, 1), "B": (0, 0), "C": (0, 0)},
    "tech_smes": {"district": (4, 5), "A": (4, 4), "B": (0, 1), "C": (1, 1)},
    "htes": {"district": (2, 3), "A": (0, 0), "B": (2, 3), "C": (0, 0)},
    "revenue": {"district": ("1300.00", "2100.00"), "A": ("1300.00", "2100.00"), "B": ("0.00", "0.00"),
                "C": ("300.00", "300.00")},
    "rd_expenditure": {"district": ("80.00", "125.00"), "A": ("80.00", "120.00"), "B": ("0.00", "5.00"),
                       "C": ("30.00", "30.00")},
    "rd_intensity": {"district": ("6.15", "5.71"), "A": ("6.15", "5.71"), "B": (None, None),
                     "C": ("10.00", "10.00")},
    "valid_ip": {"district": (5, 5), "A": (5, 5), "B": (0, 0), "C": (0, 0)},
    "invention_patents": {"district": (2, 2), "A": (2, 2), "B": (0, 0), "C": (0, 0)},
    "jobs": {"district": (26, 29), "A": (26, 26), "B": (0, 3), "C": (6, 6)},
    "financing": {"district": ("350.00", "450.00"), "A": ("0.00", "0.00"), "B": ("350.00", "450.00"),
                  "C": ("0.00", "0.00")},
    "tenants_financed": {"district": (2, 2), "A": (0, 0), "B": (2, 2), "C": (0, 0)},
    # 2022: A 100/150, B 200/200, all 300/350; 2021: A 150/150, B 0/200, all 150/350; cumulative = the average.
    "occupancy_rate": {"district": ("85.71", "64.29"), "A": ("66.67", "83.33"), "B": ("100.00", "50.00"),
                       "C": (None, None)},
}  # fmt: skip
EXPECTED_LEVEL_2022 = {"district": "municipal", "A": "district", "B": "none", "C": "municipal"}

EXPECTED_2021 = {
    "tenants_year_end": {"district": 6, "A": 2, "B": 3, "C": 1},  # E1, E2 at A; E7, E8, E9 at B; E4 at C
    "tech_smes": {"district": 2, "A": 1, "B": 1},
    "htes": {"district": 1, "B": 1},
    "admissions": {"district": 3, "A": 1, "B": 2},
    "revenue": {"district": "800.00"},
    "rd_intensity": {"district": "5.00", "B": None},
    "financing": {"district": "100.00"},
}


def carriers() -> dict[str, Carrier]:
    return {
        "A": Carrier.objects.get(code="big-data"),
        "B": Carrier.objects.get(code="new-medicine"),
        "C": Carrier.objects.get(code="qizhihui"),
    }


def _residency(enterprise, carrier, stage, start, end=None, reason=""):
    return Residency.objects.create(
        enterprise=enterprise, carrier=carrier, stage=stage, started_on=start, ended_on=end, end_reason=reason
    )


def _transition(kind, residency, on, by, to=None):
    return Transition.objects.create(
        enterprise=residency.enterprise, kind=kind, occurred_on=on, from_residency=residency, to_residency=to, by=by
    )


def _report(enterprise, year, by, status="verified", version=1, supersedes=None, **figures):
    return OperatingReport.objects.create(
        enterprise=enterprise, year=year, period="annual", version=version, status=status, supersedes=supersedes,
        created_by=by, **figures,
    )  # fmt: skip


def build(by) -> dict:
    """The history above; returns the enterprises (E1…E9) and carriers (A, B, C) by name."""
    c = carriers()
    A, B, C = c["A"], c["B"], c["C"]
    e = {f"E{n}": EnterpriseFactory(name=f"指标测试企业{n}") for n in range(1, 10)}

    r1 = _residency(e["E1"], A, "incubator", D(2020, 3, 1))
    r2 = _residency(e["E2"], A, "incubator", D(2021, 5, 1), D(2022, 12, 31), "exited_voluntary")
    _transition("exit", r2, D(2022, 12, 31), by)
    r3 = _residency(e["E3"], B, "incubator", D(2022, 1, 1))
    r4a = _residency(e["E4"], C, "seedbed", D(2020, 1, 1), D(2022, 7, 1), "promoted")
    r4b = _residency(e["E4"], A, "incubator", D(2022, 7, 1), D(2023, 1, 1), "graduated")
    _transition("promote", r4a, D(2022, 7, 1), by, to=r4b)
    _transition("graduate", r4b, D(2023, 1, 1), by)
    r5 = _residency(e["E5"], A, "incubator", D(2017, 1, 1), D(2019, 1, 1), "graduated")
    _transition("graduate", r5, D(2019, 1, 1), by)
    r6 = _residency(e["E6"], B, "incubator", D(2016, 1, 1), D(2018, 12, 1), "graduated")
    _transition("graduate", r6, D(2018, 12, 1), by)
    _residency(e["E7"], B, "incubator", D(2021, 2, 1))
    _residency(e["E8"], B, "incubator", D(2021, 1, 1))
    r9 = _residency(e["E9"], B, "incubator", D(2020, 6, 1), D(2022, 9, 1), "graduated")
    _transition("graduate", r9, D(2022, 9, 1), by)

    for name, year in [("E1", 2021), ("E1", 2022), ("E2", 2022), ("E4", 2022), ("E5", 2022), ("E6", 2022),
                       ("E7", 2021)]:  # fmt: skip
        TechSMERegistrationFactory(enterprise=e[name], year=year)
    HTECertificateFactory(enterprise=e["E3"], issued_on=D(2022, 6, 1))
    HTECertificateFactory(enterprise=e["E8"], issued_on=D(2021, 3, 1), valid_years=1)
    HTECertificateFactory(enterprise=e["E8"], issued_on=D(2022, 4, 1))
    HTECertificateFactory(enterprise=e["E9"], issued_on=D(2022, 11, 1))
    FinancingEventFactory(enterprise=e["E3"], occurred_on=D(2022, 3, 1), amount=Decimal(300))
    FinancingEventFactory(enterprise=e["E7"], occurred_on=D(2021, 5, 1), amount=Decimal(100))
    FinancingEventFactory(enterprise=e["E7"], occurred_on=D(2022, 2, 1), amount=Decimal(50))
    FinancingEventFactory(enterprise=e["E9"], occurred_on=D(2022, 10, 1), amount=Decimal(200))

    _report(e["E1"], 2021, by, revenue=800, rd_expenditure=40, employees=15, invention_patents=1)
    _report(e["E1"], 2022, by, revenue=1000, rd_expenditure=50, employees=20, invention_patents=2, utility_models=3)
    _report(e["E2"], 2022, by, status="submitted", revenue=500, rd_expenditure=20, employees=8, invention_patents=4)
    v1 = _report(e["E4"], 2022, by, status="superseded", revenue=200, rd_expenditure=10, employees=5)
    _report(e["E4"], 2022, by, version=2, supersedes=v1, revenue=300, rd_expenditure=30, employees=6)
    _report(e["E7"], 2021, by, revenue=0, rd_expenditure=5, employees=3)

    building_a = Building.objects.create(carrier=A, name="大数据大厦")
    building_b = Building.objects.create(carrier=B, name="医药楼")
    u101 = Unit.objects.create(building=building_a, code="101", area_m2=100, kind="office", stage_zone="incubator")
    u102 = Unit.objects.create(building=building_a, code="102", area_m2=50, kind="office", stage_zone="incubator")
    u201 = Unit.objects.create(building=building_b, code="201", area_m2=200, kind="lab", stage_zone="incubator")
    Allocation.objects.create(residency=r1, unit=u101, period=DateRange(D(2020, 3, 1), None))
    Allocation.objects.create(residency=r2, unit=u102, period=DateRange(D(2021, 5, 1), D(2022, 12, 31)))
    Allocation.objects.create(residency=r3, unit=u201, period=DateRange(D(2022, 1, 1), D(2023, 1, 1)))

    Accreditation.objects.create(carrier=C, level="municipal", awarded_on=D(2021, 6, 1))
    Accreditation.objects.create(carrier=C, level="provincial", awarded_on=D(2023, 1, 1))
    Accreditation.objects.create(carrier=A, level="district", awarded_on=D(2020, 5, 1))
    return {**e, **c}


def more(by, n: int, *, seed: int = 0) -> None:
    """n more enterprises with a bit of everything, for the query-count tests."""
    c = carriers()
    places = [(c["A"], "incubator"), (c["B"], "incubator"), (c["C"], "seedbed")]
    building = Building.objects.create(carrier=c["A"], name=f"扩展楼{seed}")
    for i in range(n):
        enterprise = EnterpriseFactory()
        carrier, stage = places[i % 3]
        start = D(2020 + i % 3, 1 + i % 12, 1)
        residency = _residency(enterprise, carrier, stage, start)
        TechSMERegistrationFactory(enterprise=enterprise, year=2021 + i % 2)
        HTECertificateFactory(enterprise=enterprise, issued_on=D(2022, 1 + i % 12, 2))
        FinancingEventFactory(enterprise=enterprise, occurred_on=D(2022, 1 + i % 12, 3))
        _report(enterprise, 2022, by, revenue=100 + i, rd_expenditure=5, employees=3, invention_patents=1)
        unit = Unit.objects.create(building=building, code=f"X{i}", area_m2=30, kind="office", stage_zone="incubator")
        Allocation.objects.create(residency=residency, unit=unit, period=DateRange(start, None))
        if i % 4 == 0:
            residency.ended_on, residency.end_reason = D(2022, 12, 30), "graduated"
            residency.save()
            _transition("graduate", residency, D(2022, 12, 30), by)
