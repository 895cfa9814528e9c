"""Stored texts as codes and parameters (accounts.phrasebook): put into words when read, in the reader's language."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.utils import translation
from django.utils.translation import gettext_lazy

from accounts import phrasebook
from accounts.phrasebook import PHRASES, Phrase, define, render
from enterprises.choices import ReportPeriod, ReportStatus
from enterprises.phrases import REMINDER_OVERDUE, REPORT_MOVED_SUBJECT, REPORT_PERIOD
from incubation.phrases import TECH_SME_YEARS


def in_language(language: str, value) -> str:
    with translation.override(language):
        return str(value)


def test_a_phrase_is_kept_as_code_and_parameters_and_read_in_each_language():
    period = REPORT_PERIOD(year=2026, period=ReportPeriod.Q3)
    subject = REPORT_MOVED_SUBJECT(period=period, enterprise="齐创科技", status=ReportStatus.RETURNED)
    stored = subject.as_json()
    assert stored == {
        "code": "report.moved.subject",
        "params": {
            "period": {"phrase": {"code": "report.period", "params": {
                "year": 2026, "period": {"choice": "enterprises.choices.ReportPeriod", "value": "q3"}}}},
            "enterprise": "齐创科技",
            "status": {"choice": "enterprises.choices.ReportStatus", "value": "returned"},
        },
    }  # fmt: skip
    with translation.override("en"):
        assert render(stored) == "Operating report 2026 Third quarter of 齐创科技: Returned for correction"
    with translation.override("zh-hans"):
        shown = render(stored)
    assert "2026年第三季度" in shown and "齐创科技" in shown and "退回" in shown, shown


def test_dates_decimals_and_lists_are_shown_as_the_language_writes_them():
    body = REMINDER_OVERDUE(enterprise="齐创", period=REPORT_PERIOD(year=2025, period=ReportPeriod.ANNUAL),
                            date=datetime.date(2026, 3, 31), days=12)  # fmt: skip
    assert body.params["date"] == {"date": "2026-03-31"}
    assert "2026-03-31" in in_language("en", body) and "12 days overdue" in in_language("en", body)
    years = TECH_SME_YEARS(years=[2025, 2026])
    assert in_language("en", years) == "Registered for 2025, 2026."
    assert "2025、2026" in in_language("zh-hans", years)
    assert phrasebook._stored(Decimal("12.50")) == "12.50"


def test_what_cannot_be_read_in_another_language_is_refused_when_kept():
    with pytest.raises(TypeError, match="Phrase or a Choices member"):
        REPORT_PERIOD(year=2026, period=gettext_lazy("First quarter"))
    with pytest.raises(TypeError):
        REPORT_PERIOD(year=2026, period=object())


def test_a_code_is_declared_once_and_its_text_is_lazy():
    with pytest.raises(ImproperlyConfigured, match="declared twice"):
        define("report.period", gettext_lazy("%(year)s %(period)s"))
    with pytest.raises(ImproperlyConfigured, match="lazily translated"):
        define("test.plain", "plain text")  # type: ignore[arg-type]


def test_an_unknown_code_or_older_parameters_show_the_fallback():
    assert render({"code": "gone.in.a.later.release", "params": {}}, fallback="原文") == "原文"
    assert render(None, fallback="原文") == "原文"
    assert render({"code": "report.period", "params": {"year": 2026}}, fallback="原文") == "原文"
    unknown_choices = Phrase("report.period", {"year": 2026, "period": {"choice": "no.such.Choices", "value": "q1"}})
    assert in_language("en", unknown_choices) == ("2026 q1")


def test_every_declared_phrase_has_a_chinese_translation():
    phrasebook._discover()
    assert {"rules.registered_ago", "application.moved.subject", "report.moved.subject",
            "report_run.ready.subject"} <= set(PHRASES)  # fmt: skip
    untranslated = [
        code for code, text in PHRASES.items()
        if in_language("zh-hans", text) == in_language("en", text) and not code.startswith("test.")
    ]  # fmt: skip
    assert untranslated == []
