"""The rules of a carrier's annual return (载体年报): what the filer enters by hand, the problems that refuse it (all
at once, by field), the database constraints in the filer's words, and the figures the portal fills in itself.
The services and the return workflow's preconditions share them."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from enterprises.choices import ReportStatus
from parks.models import Carrier
from targets.models import CarrierReturn
from targets.reporting.torch import incubator_rows

# What the filer enters by hand, in the order of the form (the Torch incubator survey's questions the portal cannot
# answer from its records).
STAFF_FIGURES = ("operator_staff", "professional_staff", "certified_staff", "mentors")
FUND_FIGURES = ("fund_size", "fund_invested", "fund_cases", "fund_invested_tenants")
INCOME_FIGURES = ("income_rent", "income_services", "income_investment", "income_subsidies", "income_other")
ACTIVITY_FIGURES = ("events_held", "training_sessions", "training_attendance", "public_platforms",
                    "tenants_patent_applications")  # fmt: skip
# States in which the filer may edit the figures, and those whose portal figures are frozen.
EDITABLE = frozenset({ReportStatus.DRAFT, ReportStatus.RETURNED})
FROZEN = frozenset({ReportStatus.SUBMITTED, ReportStatus.VERIFIED, ReportStatus.SUPERSEDED})
RETURN_FIGURES = (*STAFF_FIGURES, *FUND_FIGURES, *INCOME_FIGURES, *ACTIVITY_FIGURES)
RETURN_SECTIONS = (
    (gettext_lazy("The operator's staff and mentors"), STAFF_FIGURES),
    (gettext_lazy("The incubation fund"), FUND_FIGURES),
    (gettext_lazy("Income in the year (10k yuan)"), INCOME_FIGURES),
    (gettext_lazy("Services in the year"), ACTIVITY_FIGURES),
)
MONEY_FIGURES = frozenset({"fund_size", "fund_invested", *INCOME_FIGURES})

# part <= whole, with the message the filer reads, shown on the part's field.
RETURN_PARTS = (
    ("professional_staff", "operator_staff", gettext_lazy("Professional staff cannot exceed the operator's staff.")),
    ("certified_staff", "professional_staff",
     gettext_lazy("Staff holding a certificate cannot exceed the professional staff.")),
    ("fund_invested_tenants", "fund_cases",
     gettext_lazy("The tenants the fund invested in cannot exceed its investment cases.")),
)  # fmt: skip
DUPLICATE_RETURN = gettext_lazy("This carrier already has a return for this year; open it to edit or correct it.")
RETURN_CONSTRAINTS = {
    "carrierreturn_one_current": ("year", DUPLICATE_RETURN),
    "carrierreturn_unique_version": ("year", DUPLICATE_RETURN),
    "carrierreturn_money_not_negative": (None, gettext_lazy("Amounts cannot be negative.")),
    "carrierreturn_staff_within_staff": ("professional_staff", gettext_lazy(
        "Professional staff cannot exceed the operator's staff, nor certified staff the professional staff.")),
    "carrierreturn_tenants_within_cases": ("fund_invested_tenants", RETURN_PARTS[2][2]),
    "verified_returns_locked": (None, gettext_lazy("A verified return is locked: correct it as a new version.")),
}  # fmt: skip

# The figures the portal computes for a carrier and year (the Torch export's incubator columns it fills itself),
# in the order the return shows them, with whether each is an area (m²).
PORTAL_FIGURES = (
    ("total_area", True), ("tenant_area", True), ("public_service_area", True), ("tenants", False),
    ("new_tenants", False), ("graduates", False), ("graduates_cumulative", False), ("tenants_financed", False),
    ("tenants_with_ip", False),
)  # fmt: skip


def field_name(name: str) -> str:
    return str(CarrierReturn._meta.get_field(name).verbose_name)


def return_problems(
    *, figures: Mapping[str, Any], year: int | None, today: datetime.date, complete: bool = False,
    tenants: int | None = None,
) -> dict[str, list[str]]:  # fmt: skip
    """Every problem of a return's figures and year, by field, all at once (empty: none). `complete`: every figure
    must be given (a draft may leave some blank; a submitted return may not: write 0 for none). `tenants`: the
    carrier's tenants on 31 December, which bounds the tenants that applied for patents."""
    problems: dict[str, list[str]] = {}

    def add(field: str, message) -> None:
        problems.setdefault(field, []).append(str(message))

    for name in RETURN_FIGURES:
        value = figures.get(name)
        if value is None:
            if complete:
                add(name, _("Enter “%(field)s” (0 if there is none).") % {"field": field_name(name)})
        elif value < 0:
            add(name, _("“%(field)s” cannot be negative.") % {"field": field_name(name)})
    for part, whole, message in RETURN_PARTS:
        part_value, whole_value = figures.get(part), figures.get(whole)
        if part_value is not None and whole_value is not None and part_value > whole_value >= 0:
            add(part, message)
    applied = figures.get("tenants_patent_applications")
    if tenants is not None and applied is not None and applied > tenants:
        add("tenants_patent_applications",
            _("More tenants cannot have applied for patents than the carrier has tenants (%(tenants)s on 31 "
              "December, from the portal's records).") % {"tenants": tenants})  # fmt: skip
    if year is not None and year > today.year:
        add("year", _("The year cannot be in the future."))
    return problems


def portal_figures(*, carrier: Carrier, year: int) -> dict[str, Any]:
    """What the portal knows of a carrier's year, as the Torch export computes it (areas in m², counts), JSON-ready:
    the return shows these beside the figures entered by hand, and freezes them when it is submitted."""
    (row,) = incubator_rows(year=year, carriers=[carrier], district=False)
    return {name: (str(row[name]) if isinstance(row[name], Decimal) else row[name]) for name, _area in PORTAL_FIGURES}


def shown_portal_figures(carrier_return: CarrierReturn) -> tuple[dict[str, Any], bool]:
    """(the portal's figures the return shows, whether they are frozen): as they stood when it was submitted while it
    is submitted, verified or superseded; live while it is a draft or returned for correction."""
    if carrier_return.status in FROZEN and carrier_return.portal_figures:
        return carrier_return.portal_figures, True
    return portal_figures(carrier=carrier_return.carrier, year=carrier_return.year), False


def _constraint_error(error: IntegrityError) -> ValidationError:
    name = getattr(getattr(error.__cause__, "diag", None), "constraint_name", None)
    field, message = RETURN_CONSTRAINTS.get(name, (None, None))
    if message is None:
        raise error
    return ValidationError({field: [str(message)]} if field else [str(message)])


def save_return(carrier_return: CarrierReturn) -> None:
    """Save the return; a constraint the database enforces is refused in the filer's words."""
    try:
        with transaction.atomic():
            carrier_return.save()
    except IntegrityError as error:  # a concurrent filer won the race: the constraints say so
        raise _constraint_error(error) from error
