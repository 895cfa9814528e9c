"""Reporting periods: when each starts and ends, and when its report is due by default. The one place that says so;
staff override a period's deadline with a ReportDeadline row (enterprises.selectors.report_deadline)."""

from __future__ import annotations

import dataclasses
import datetime

from enterprises.choices import ReportPeriod

QUARTERS = (ReportPeriod.Q1, ReportPeriod.Q2, ReportPeriod.Q3, ReportPeriod.Q4)
# The year's report is due by this day of the following year (the Torch return is filed early in the year, and the
# annual figures follow the financial statements).
ANNUAL_DUE = (3, 31)
# A quarter's report is due this many days after the quarter ends.
QUARTER_DUE_DAYS = 20
# Which periods are required when staff have not said otherwise: the year's report; quarterly ones are optional.
REQUIRED_BY_DEFAULT = frozenset({ReportPeriod.ANNUAL})


def period_start(year: int, period: str) -> datetime.date:
    if period == ReportPeriod.ANNUAL:
        return datetime.date(year, 1, 1)
    return datetime.date(year, 3 * QUARTERS.index(period) + 1, 1)


def period_end(year: int, period: str) -> datetime.date:
    """The period's last day."""
    if period in (ReportPeriod.ANNUAL, ReportPeriod.Q4):
        return datetime.date(year, 12, 31)
    return period_start(year, QUARTERS[QUARTERS.index(period) + 1]) - datetime.timedelta(days=1)


def default_due_on(year: int, period: str) -> datetime.date:
    """The deadline when staff set none: the year's report by 31 March of the next year, a quarter's 20 days after
    it ends."""
    if period == ReportPeriod.ANNUAL:
        return datetime.date(year + 1, *ANNUAL_DUE)
    return period_end(year, period) + datetime.timedelta(days=QUARTER_DUE_DAYS)


def has_started(year: int, period: str, today: datetime.date) -> bool:
    return period_start(year, period) <= today


@dataclasses.dataclass(frozen=True)
class Deadline:
    """A period's deadline as it applies: set by staff (`is_default` False) or the default."""

    year: int
    period: str
    due_on: datetime.date
    required: bool
    is_default: bool
    pk: int | None = None

    @property
    def period_label(self) -> str:
        return str(ReportPeriod(self.period).label)

    def days_overdue(self, today: datetime.date) -> int:
        return max(0, (today - self.due_on).days)


def default_deadline(year: int, period: str) -> Deadline:
    return Deadline(
        year=year, period=period, due_on=default_due_on(year, period), required=period in REQUIRED_BY_DEFAULT,
        is_default=True,
    )  # fmt: skip
