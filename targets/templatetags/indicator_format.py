from decimal import Decimal

from django import template

from parks.choices import AccreditationLevel
from targets.indicators import Unit
from targets.selectors import STATUS_LABELS

register = template.Library()


@register.filter
def figure(value: Decimal | None, indicator=None) -> str:
    """A figure as people read it: counts whole, money and percentages to two places, nothing as a dash."""
    if value is None:
        return "—"
    if indicator is not None and indicator.unit in (Unit.WAN_YUAN, Unit.PERCENT):
        return f"{value:,.2f}"
    if value == value.to_integral_value():
        return f"{value:,.0f}"
    return f"{value.normalize():,f}"


@register.filter
def level_label(code: str) -> str:
    if not code:
        return "—"
    return str(dict(AccreditationLevel.choices).get(code, code))


@register.filter
def get_item(mapping: dict, key):
    return mapping.get(key, "")


@register.filter
def index(sequence, position: int):
    """The item at `position` of a list (the column's indicator in a table of figures)."""
    return sequence[position]


@register.filter
def status_label(code: str) -> str:
    return str(STATUS_LABELS.get(code, code))
