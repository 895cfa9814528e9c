"""How many decimal places a figure carries when it reaches a person: the one rule for computed decimals.

A database average or quotient comes back as PostgreSQL `numeric` with as many places as the division produced
(`72.2250000000000000`), and a `Decimal` division in Python with 28 significant digits. Every computed decimal a
page, an export or the API shows is rounded where it is computed, by `rounded()` in SQL or `quantized()` in Python,
to the places named here; templates then print it as it is, without a filter of their own.
"""

from decimal import ROUND_HALF_UP, Decimal
from typing import overload

from django.db.models import DecimalField, Expression
from django.db.models.functions import Round

# A score on the 0–100 scale (an expert's weighted score, their average).
SCORE_PLACES = 2
# A percentage: a rate or a growth on the year before.
PERCENT_PLACES = 1


def rounded(expression: Expression, places: int) -> Round:
    """`expression` rounded by the database to `places` decimals (half away from zero, as PostgreSQL rounds
    `numeric`), typed as a decimal with those places."""
    return Round(expression, places, output_field=DecimalField(max_digits=20, decimal_places=places))


@overload
def quantized(value: Decimal, places: int) -> Decimal: ...
@overload
def quantized(value: None, places: int) -> None: ...
@overload
def quantized(value: Decimal | None, places: int) -> Decimal | None: ...
def quantized(value: Decimal | None, places: int) -> Decimal | None:
    """`value` rounded half up to `places` decimals (None stays None)."""
    if value is None:
        return None
    return Decimal(value).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
