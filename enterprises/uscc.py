"""The unified social credit code (统一社会信用代码, GB 32100-2015): 18 characters whose last is a check character.

`uscc_problem(code)` says in the user's language what is wrong with a code, or returns None when it is valid.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# The 31 symbols, I, O, Z, S and V left out; a symbol's value is its index.
ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
VALUES = {symbol: value for value, symbol in enumerate(ALPHABET)}
# Weight of position i (1-based) is 3^(i-1) mod 31.
WEIGHTS = [pow(3, i, 31) for i in range(17)]
LENGTH = 18


def normalise_uscc(code: str) -> str:
    """Upper case, without the spaces and hyphens people type or paste."""
    return "".join(code.split()).replace("-", "").upper()


def check_character(first_17: str) -> str:
    """The check character for the first 17 characters (which must all be in ALPHABET)."""
    total = sum(VALUES[symbol] * weight for symbol, weight in zip(first_17, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def uscc_problem(code: str) -> str | None:
    """What is wrong with `code` (already normalised), in words a user can act on; None if it is valid."""
    if len(code) != LENGTH:
        return _("A unified social credit code has 18 characters; this one has %(count)d.") % {"count": len(code)}
    bad = sorted({symbol for symbol in code if symbol not in VALUES})
    if bad:
        return _(
            "%(symbols)s cannot appear in a unified social credit code (it uses digits and capital letters except "
            "I, O, Z, S and V)."
        ) % {"symbols": "、".join(bad)}
    expected = check_character(code[:17])
    if code[17] != expected:
        return _(
            "The last character (the check character) should be %(expected)s, not %(actual)s: please check the "
            "code for a mistyped character."
        ) % {"expected": expected, "actual": code[17]}
    return None


def validate_uscc(code: str) -> None:
    """Model and form validator: raises ValidationError with the specific problem."""
    problem = uscc_problem(normalise_uscc(code))
    if problem:
        raise ValidationError(problem, code="invalid_uscc")
