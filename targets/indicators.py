"""The indicators the district is judged by, defined once. The same definitions are written out for people in
docs/indicators.md, and each is shown in the UI next to its figure. The figures are computed in
`targets.selectors` by SQL aggregation; this module only says what each indicator means.

Every indicator has two readings (the plan leaves the choice open):
- **yearly**: what happened in calendar year Y (a flow), or the state on 31 December of Y (a stock);
- **cumulative**: from 1 January of the plan's first year through 31 December of Y. Flows are added up (each
  enterprise or record counted once); for stocks the cumulative reading widens the population to every enterprise
  in residence at any time since the plan began (tenants and those who have left), measured at the end of Y.
"""

from __future__ import annotations

import dataclasses

from django.utils.translation import gettext_lazy as _


class Unit:
    ENTERPRISES = "enterprises"
    EVENTS = "events"
    WAN_YUAN = "wan_yuan"  # 万元
    PERCENT = "percent"
    ITEMS = "items"
    PEOPLE = "people"
    LEVEL = "level"


UNIT_LABELS = {
    Unit.ENTERPRISES: _("enterprises"),
    Unit.EVENTS: _("times"),
    Unit.WAN_YUAN: _("10k yuan"),
    Unit.PERCENT: "%",
    Unit.ITEMS: _("items"),
    Unit.PEOPLE: _("people"),
    Unit.LEVEL: "",
}


@dataclasses.dataclass(frozen=True)
class Indicator:
    code: str
    label: str
    unit: str
    # "flow" (events in the year), "stock" (state at year end), "ratio" (one figure over another), "level"
    kind: str
    yearly_definition: str
    cumulative_definition: str

    @property
    def unit_label(self) -> str:
        return str(UNIT_LABELS[self.unit])


INDICATORS: dict[str, Indicator] = {
    indicator.code: indicator
    for indicator in [
        Indicator(
            "tech_smes",
            _("Tech-based SMEs incubated"),
            Unit.ENTERPRISES,
            "stock",
            _(
                "Enterprises holding a 科技型中小企业 registration for the year that were in residency at some time "
                "in the year, or had graduated no longer before 1 January of the year than the graduate window of the "
                "target-counting rule set in force."
            ),
            _("Distinct enterprises counted in any year from the plan's first year through the year."),
        ),
        Indicator(
            "htes",
            _("High-tech enterprises cultivated"),
            Unit.ENTERPRISES,
            "flow",
            _(
                "Enterprises whose first 高新技术企业 certificate was issued in the year, while they were in residency "
                "or within the graduate window after graduating. A renewal is not a new one."
            ),
            _("Distinct enterprises counted in any year from the plan's first year through the year."),
        ),
        Indicator(
            "accreditation_level",
            _("Accreditation level reached"),
            Unit.LEVEL,
            "level",
            _("The highest accreditation the carrier (district-wide: the core) held on 31 December of the year."),
            _("The same: a level, once reached, is the cumulative state."),
        ),
        Indicator(
            "tenants_year_end",
            _("Tenants at year end"),
            Unit.ENTERPRISES,
            "stock",
            _("Enterprises with a residency open on 31 December of the year, at any stage."),
            _("Distinct enterprises in residency at any time from the plan's first year through the year."),
        ),
        Indicator(
            "admissions",
            _("New admissions"),
            Unit.ENTERPRISES,
            "flow",
            _(
                "Enterprises whose first residency in the base began in the year. Promotions and transfers between "
                "carriers are moves, not admissions."
            ),
            _("The same, added up from the plan's first year through the year."),
        ),
        Indicator(
            "graduations",
            _("Graduations"),
            Unit.EVENTS,
            "flow",
            _("Graduation transitions dated in the year."),
            _("Graduation transitions dated from the plan's first year through the year."),
        ),
        Indicator(
            "exits",
            _("Exits"),
            Unit.EVENTS,
            "flow",
            _("Exit transitions (left or removed) dated in the year."),
            _("Exit transitions dated from the plan's first year through the year."),
        ),
        Indicator(
            "revenue",
            _("Tenant revenue"),
            Unit.WAN_YUAN,
            "flow",
            _(
                "Operating revenue in the verified annual reports for the year (current version) of enterprises in "
                "residency at some time in the year."
            ),
            _("The yearly figures added up from the plan's first year through the year."),
        ),
        Indicator(
            "rd_expenditure",
            _("Tenant R&D expenditure"),
            Unit.WAN_YUAN,
            "flow",
            _("R&D expenditure in the same reports as tenant revenue."),
            _("The yearly figures added up from the plan's first year through the year."),
        ),
        Indicator(
            "rd_intensity",
            _("R&D intensity"),
            Unit.PERCENT,
            "ratio",
            _("Tenant R&D expenditure ÷ tenant revenue for the year, over the reports that state a revenue."),
            _("Cumulative R&D ÷ cumulative revenue."),
        ),
        Indicator(
            "valid_ip",
            _("Valid IP"),
            Unit.ITEMS,
            "stock",
            _(
                "Valid invention patents, utility models, designs, software copyrights and other IP in the "
                "verified annual reports for the year of enterprises in residency at some time in the year."
            ),
            _(
                "The same count over every enterprise in residency at any time since the plan began, from its "
                "latest verified annual report up to the year."
            ),
        ),
        Indicator(
            "invention_patents",
            _("Valid invention patents"),
            Unit.ITEMS,
            "stock",
            _("Valid invention patents in the same reports as valid IP."),
            _("The same, over the cumulative population of valid IP."),
        ),
        Indicator(
            "financing",
            _("Financing received"),
            Unit.WAN_YUAN,
            "flow",
            _("The amounts of financing events dated in the year of enterprises in residency on the event's date."),
            _("The same, added up from the plan's first year through the year."),
        ),
        Indicator(
            "tenants_financed",
            _("Tenants financed"),
            Unit.ENTERPRISES,
            "flow",
            _("Enterprises with at least one financing event dated in the year while in residency."),
            _("Distinct enterprises financed from the plan's first year through the year."),
        ),
        Indicator(
            "occupancy_rate",
            _("Occupancy rate"),
            Unit.PERCENT,
            "ratio",
            _("Area of units let on 31 December of the year ÷ area of all units on that date."),
            _("The average of the year-end rates from the plan's first year through the year."),
        ),
        Indicator(
            "jobs",
            _("Jobs"),
            Unit.PEOPLE,
            "stock",
            _(
                "Employees in the verified annual reports for the year of enterprises in residency at some time "
                "in the year."
            ),
            _(
                "Employees of every enterprise in residency at any time since the plan began, from its latest "
                "verified annual report up to the year."
            ),
        ),
    ]
}

INDICATOR_CHOICES = [(code, indicator.label) for code, indicator in INDICATORS.items()]
