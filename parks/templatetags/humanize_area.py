from decimal import Decimal

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def area(value) -> str:
    """An area in m², grouped by thousands, without trailing zeros: 12,500 / 86.5."""
    if value in (None, ""):
        return "0"
    value = Decimal(value)
    places = 0 if value == value.to_integral() else 2
    return number_format(value, decimal_pos=places, use_l10n=True, force_grouping=True)


@register.filter
def amount(value) -> str:
    """A sum of money in 万元, grouped by thousands: 1,250 / 86.5."""
    return area(value)
