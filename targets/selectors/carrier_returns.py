"""Reads of the carriers' annual returns (载体年报): the list a person may see, the carriers still to file a year, a
return's versions and the moves a person may make on it."""

from __future__ import annotations

import dataclasses
import datetime

from django.db.models import Exists, OuterRef, QuerySet

from accounts import workflows
from accounts.roles import carriers_in_scope
from enterprises.choices import ReportPeriod
from enterprises.periods import Deadline
from enterprises.selectors import report_deadline
from parks.models import Carrier
from targets.models import CarrierReturn
from targets.return_workflow import FILED, RETURN_WORKFLOW


def return_list(*, user, action: str = "view") -> QuerySet[CarrierReturn]:
    """The returns `user` may `action` (park staff: their carriers'), with their carriers, without the frozen
    figures (a list does not show them)."""
    return CarrierReturn.objects.for_user(user, action).select_related("carrier").defer("portal_figures")


def carriers_to_file(*, user, year: int, action: str = "view") -> QuerySet[Carrier]:
    """The carriers in `user`'s scope with no current return for `year` yet (filers: those they file for)."""
    has_return = CarrierReturn.objects.current().filter(carrier=OuterRef("pk"), year=year)
    return carriers_in_scope(user, action, CarrierReturn).filter(~Exists(has_return))


def return_versions(*, user, carrier_return: CarrierReturn) -> list[CarrierReturn]:
    """Every version of the return's carrier and year, newest first."""
    return list(
        return_list(user=user)
        .filter(carrier_id=carrier_return.carrier_id, year=carrier_return.year)
        .order_by("-version")
    )


def return_moves(
    *, user, carrier_return: CarrierReturn, may_change: bool | None = None, check_preconditions: bool = False
) -> list[workflows.Offer]:
    """The moves the return workflow allows `user` now: the return's page and the API's `allowed_moves` both ask."""
    return workflows.offers(
        RETURN_WORKFLOW, user=user, obj=carrier_return, may_change=may_change, check_preconditions=check_preconditions
    )


def filing_year(today: datetime.date) -> int:
    """The year whose returns are filed now: last year's (the Torch survey asks for it from January). The list's
    "not filed yet", the reminders and the readiness pages' default year all read it."""
    return today.year - 1


def return_deadline(*, year: int) -> Deadline:
    """When the carriers' returns for `year` are due: with the tenants' annual operating reports, which the Torch
    survey collects at the same time (31 March of the next year unless the operating company set another date at
    /enterprises/reports/deadlines/)."""
    return report_deadline(year=year, period=ReportPeriod.ANNUAL)


@dataclasses.dataclass(frozen=True)
class ReturnDue:
    """A carrier that has not filed (submitted or verified) its return for a year whose deadline is near or past."""

    carrier: Carrier
    deadline: Deadline


def returns_due(*, today: datetime.date, within_days: int) -> list[ReturnDue]:
    """Every carrier without a filed return for last year, once that year's deadline is at most `within_days` away
    or past (nothing before): two queries."""
    deadline = return_deadline(year=filing_year(today))
    if (deadline.due_on - today).days > within_days:
        return []
    filed = CarrierReturn.objects.filter(carrier=OuterRef("pk"), year=deadline.year, status__in=FILED)
    carriers = Carrier.objects.filter(~Exists(filed)).order_by("sort_order", "pk")
    return [ReturnDue(carrier=carrier, deadline=deadline) for carrier in carriers]
