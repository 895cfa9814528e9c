"""The rules of an operating report's figures and of who files it: what a filer enters, which problems refuse a report
(all at once, by field), the database constraints in the filer's words, and who may file. The services and the
report workflow's preconditions share them."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.roles import OPERATING_ROLES, Role, roles_of
from enterprises import periods
from enterprises.choices import ReportPeriod
from enterprises.models import Enterprise, EnterpriseMembership, OperatingReport

# What a filer enters; everything else of a report is set by the services.
REPORT_FIGURES = (
    "revenue", "high_tech_revenue", "total_costs", "total_assets", "rd_expenditure", "rd_in_china", "employees",
    "tech_staff", "college_staff", "new_graduates", "tax_paid", "exports", "invention_patents", "utility_models",
    "designs", "software_copyrights", "other_ip", "financing",
)  # fmt: skip
# part <= whole, with the message the filer reads, shown on the part's field.
REPORT_PARTS = (
    ("tech_staff", "employees", gettext_lazy("Tech staff cannot exceed the employees.")),
    ("college_staff", "employees", gettext_lazy("College-educated staff cannot exceed the employees.")),
    ("new_graduates", "employees", gettext_lazy("New graduates hired cannot exceed the employees.")),
    ("rd_in_china", "rd_expenditure", gettext_lazy("R&D in China cannot exceed R&D expenditure.")),
    ("high_tech_revenue", "revenue", gettext_lazy("High-tech product revenue cannot exceed operating revenue.")),
)
DUPLICATE_REPORT = gettext_lazy("This enterprise already has a report for this period; open it to edit or correct it.")
# A database constraint's name -> (field, message): a write that slips past the checks (two filers at once) is
# refused with the same words as the checks.
REPORT_CONSTRAINTS = {
    "report_one_current_version": ("period", DUPLICATE_REPORT),
    "report_unique_version": ("period", DUPLICATE_REPORT),
    "report_money_not_negative": (None, gettext_lazy("Amounts cannot be negative.")),
    "report_high_tech_within_revenue": ("high_tech_revenue", REPORT_PARTS[4][2]),
    "report_rd_china_within_rd": ("rd_in_china", REPORT_PARTS[3][2]),
    "report_staff_within_employees": ("tech_staff", gettext_lazy(
        "Tech staff, college-educated staff and new graduates cannot exceed the employees.")),
}  # fmt: skip


def report_problems(
    *, figures: Mapping[str, Any], year: int | None, period: str | None, today: datetime.date
) -> dict[str, list[str]]:
    """Every problem of a report's figures and period, by field, all at once (empty: none)."""
    problems: dict[str, list[str]] = {}

    def add(field: str, message) -> None:
        problems.setdefault(field, []).append(str(message))

    for name in REPORT_FIGURES:
        value = figures.get(name)
        if value is not None and value < 0:
            add(
                name,
                _("“%(field)s” cannot be negative.") % {"field": OperatingReport._meta.get_field(name).verbose_name},
            )
    for part, whole, message in REPORT_PARTS:
        part_value, whole_value = figures.get(part), figures.get(whole)
        if part_value is not None and whole_value is not None and part_value > whole_value >= 0:
            add(part, message)
    if year is not None:
        if year > today.year:
            add("year", _("The year cannot be in the future."))
        elif period and period != ReportPeriod.ANNUAL and not periods.has_started(year, period, today):
            add("period", _("This quarter has not started yet: it begins on %(date)s.")
                % {"date": f"{periods.period_start(year, period):%Y-%m-%d}"})  # fmt: skip
    return problems


def _constraint_error(error: IntegrityError) -> ValidationError:
    """The refusal, in the filer's words, of a write the database turned down."""
    name = getattr(getattr(error.__cause__, "diag", None), "constraint_name", None)
    field, message = REPORT_CONSTRAINTS.get(name, (None, None))
    if message is None:
        raise error
    return ValidationError({field: [str(message)]} if field else [str(message)])


def save_report(report: OperatingReport) -> None:
    """Save the report; a constraint the database enforces is refused in the filer's words."""
    try:
        with transaction.atomic():
            report.save()
    except IntegrityError as error:  # a concurrent filer won the race: the constraints say so
        raise _constraint_error(error) from error


def ensure_filer(by, enterprise: Enterprise) -> None:
    """Only the enterprise's own users, or the operating company on its behalf, file its reports."""
    roles = roles_of(by)
    if roles & OPERATING_ROLES:
        return
    if Role.ENTERPRISE in roles and EnterpriseMembership.objects.filter(user=by, enterprise=enterprise).exists():
        return
    raise PermissionDenied(_("Only the enterprise's own users or the operating company file its reports."))
