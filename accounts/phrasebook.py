"""Texts the portal keeps to show later (screening results, transitions' criteria, notifications) are stored as a
code and its parameters, and put into words when they are read, in the reader's language: a park administrator
who screens in Chinese leaves results that an English reader reads in English.

Each app declares the texts it stores in its `phrases.py` (found the way the admin finds `admin.py`):

    REGISTERED_AGO = define("rules.registered_ago", gettext_lazy("Registered %(months)s months ago."))
    ...
    detail = REGISTERED_AGO(months=7)          # a Phrase: str(detail) is the text in the active language
    stored = detail.as_json()                  # {"code": "rules.registered_ago", "params": {"months": 7}}
    render(stored)                             # the text again, in whatever language is active then

A parameter may be a number, a string, a date, a Decimal, a member of a Choices class (stored as its value, shown
as its label in the reader's language), another Phrase, or a list of these (shown joined as the language joins
lists). A code is never reused for another meaning; a text whose code a later release no longer knows is shown
from the fallback the caller kept."""

from __future__ import annotations

import dataclasses
import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.utils.functional import Promise
from django.utils.module_loading import autodiscover_modules, import_string
from django.utils.translation import get_language, pgettext

Stored = dict[str, Any]

PHRASES: dict[str, Promise] = {}
_discovered = False


@dataclasses.dataclass(frozen=True)
class Phrase:
    """A text with its parameters, not yet put into words: `str()` renders it in the active language."""

    code: str
    params: dict[str, Any]

    def as_json(self) -> Stored:
        return {"code": self.code, "params": self.params}

    def __str__(self) -> str:
        return render(self.as_json())


@dataclasses.dataclass(frozen=True)
class Wording:
    """One declared text: call it with the text's parameters to make a Phrase."""

    code: str
    text: Promise

    def __call__(self, **params: Any) -> Phrase:
        return Phrase(self.code, {name: _stored(value) for name, value in params.items()})


def define(code: str, text: Promise) -> Wording:
    """Declare a stored text under a code (lazily translated: `gettext_lazy(...)`)."""
    if not isinstance(text, Promise):
        raise ImproperlyConfigured(f"The text of phrase {code!r} must be lazily translated (gettext_lazy).")
    if code in PHRASES:
        raise ImproperlyConfigured(f"The phrase code {code!r} is declared twice.")
    PHRASES[code] = text
    return Wording(code, text)


def in_reader_language(chinese: str, english: str) -> str:
    """A text kept as data in both languages (a carrier's name, a criterion's words), in the active language:
    the English one on English pages when there is one, the Chinese one otherwise."""
    if english and (get_language() or "").startswith("en"):
        return english
    return chinese


def _stored(value: Any) -> Any:
    if isinstance(value, Phrase):
        return {"phrase": value.as_json()}
    if isinstance(value, models.Choices):
        cls = type(value)
        return {"choice": f"{cls.__module__}.{cls.__qualname__}", "value": value.value}
    if isinstance(value, Promise):
        raise TypeError("A translated parameter must be a Phrase or a Choices member, to be shown in any language.")
    if isinstance(value, datetime.datetime):
        raise TypeError("Store a date, or the time as text: a datetime has no one reading in every time zone.")
    if isinstance(value, datetime.date):
        return {"date": value.isoformat()}
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, list | tuple):
        return [_stored(item) for item in value]
    if value is None or isinstance(value, str | int | float):
        return value
    raise TypeError(f"A phrase parameter cannot be stored: {value!r}")


def _choice_label(path: str, value: Any) -> Any:
    try:
        choices = import_string(path)
    except ImportError:
        return value
    if not (isinstance(choices, type) and issubclass(choices, models.Choices)):
        return value
    try:
        return str(choices(value).label)
    except ValueError:  # a value a later release dropped
        return value


def _shown(value: Any) -> Any:
    if isinstance(value, list):
        return pgettext("list separator", ", ").join(str(_shown(item)) for item in value)
    if isinstance(value, dict):
        if "phrase" in value:
            return render(value["phrase"])
        if "choice" in value:
            return _choice_label(value["choice"], value.get("value"))
        if "date" in value:
            return value["date"]
    return value


def _discover() -> None:
    global _discovered
    if not _discovered:
        autodiscover_modules("phrases")
        _discovered = True


def render(stored: Stored | None, fallback: str = "") -> str:
    """The stored text in the active language; `fallback` when nothing is stored or the code is unknown."""
    if not stored or not isinstance(stored, dict):
        return fallback
    _discover()
    text = PHRASES.get(stored.get("code", ""))
    if text is None:
        return fallback
    params = {name: _shown(value) for name, value in (stored.get("params") or {}).items()}
    try:
        return str(text) % params
    except (KeyError, TypeError, ValueError):  # parameters of an older wording of the text
        return fallback or str(text)


def as_text(value: Phrase | str | Promise) -> tuple[str, Stored | None]:
    """A text as given to be kept: the words in the active language, and the stored phrase when it is one
    (words someone wrote, kept as they wrote them, have none)."""
    if isinstance(value, Phrase):
        return str(value), value.as_json()
    return str(value), None
