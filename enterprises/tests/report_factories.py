"""Operating reports for tests: an enterprise in residency with its user, and reports in any status."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import timezone

from enterprises.choices import ReportPeriod, ReportStatus
from enterprises.models import Enterprise, OperatingReport
from enterprises.tests.factories import EnterpriseFactory, EnterpriseMembershipFactory
from incubation.models import Residency
from parks.models import Carrier

FIGURES = {
    "revenue": Decimal("1200.00"),
    "high_tech_revenue": Decimal("800.00"),
    "total_costs": Decimal("950.00"),
    "rd_expenditure": Decimal("150.00"),
    "rd_in_china": Decimal("150.00"),
    "employees": 40,
    "tech_staff": 12,
    "college_staff": 30,
    "new_graduates": 5,
    "tax_paid": Decimal("60.00"),
    "exports": Decimal("0.00"),
    "invention_patents": 2,
    "utility_models": 5,
    "designs": 1,
    "software_copyrights": 3,
    "other_ip": 0,
    "financing": Decimal("300.00"),
}


def tenant(
    *, carrier_code: str = "big-data", started_on=datetime.date(2022, 3, 1), ended_on=None, user=None, **kwargs
) -> Enterprise:
    """An enterprise with a residency at a carrier (and, if given, `user` acting for it)."""
    enterprise = EnterpriseFactory(**kwargs)
    carrier = Carrier.objects.get(code=carrier_code)
    stage = "incubator" if "incubator" in carrier.stages else carrier.stages[0]
    Residency.objects.create(
        enterprise=enterprise, carrier=carrier, stage=stage, started_on=started_on, ended_on=ended_on,
        end_reason="graduated" if ended_on else "",
    )  # fmt: skip
    if user is not None:
        EnterpriseMembershipFactory(user=user, enterprise=enterprise)
    return enterprise


def report(
    enterprise: Enterprise, *, year: int = 2025, period: str = ReportPeriod.ANNUAL, status: str = ReportStatus.DRAFT,
    by=None, **figures,
) -> OperatingReport:  # fmt: skip
    """A report row written directly (as the services would leave it in `status`)."""
    from accounts.models import User

    by = by or User.objects.order_by("pk").first()
    now = timezone.now()
    return OperatingReport.objects.create(
        enterprise=enterprise, year=year, period=period, status=status, created_by=by,
        submitted_at=now if status in ("submitted", "verified") else None,
        verified_at=now if status == "verified" else None,
        **{**FIGURES, **figures},
    )  # fmt: skip
