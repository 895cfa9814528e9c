"""The words official outputs carry: the prior-year comparison's change column is a change (变化), not an edit
(修改); indicator definitions name no placeholder year; the PDF's meta and the Torch workbook cite the policy
and the portal's own indicator page, never a developer's file."""

import datetime
import io
import json
import re

import openpyxl
import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from accounts.roles import Role
from targets.indicators import INDICATORS
from targets.models import Target
from targets.reporting import torch, torch_xlsx
from targets.reporting.compile import compile_snapshot
from targets.tests import dataset

pytestmark = pytest.mark.django_db

AS_OF = datetime.date(2022, 12, 31)
DEVELOPER_FILES = re.compile(r"docs/|\.md\b|DOMAIN|§")


@pytest.fixture
def history(users):
    return dataset.build(users[Role.OPERATOR])


def _section(snapshot, key):
    return next(s for s in snapshot["sections"] if s["key"] == key)


def test_the_prior_year_change_column_is_a_change_and_the_edit_button_an_edit(history, client_for, users):
    chinese = compile_snapshot(year=2022, kind="yearly", carrier=None, as_of=AS_OF, language="zh-hans")
    columns = _section(chinese, "prior_year")["columns"]
    assert "修改" not in columns and "变化" in columns
    target = Target.objects.first()
    page = client_for(users[Role.BUREAU]).get(reverse("targets:target_detail", args=[target.pk]),
                                              HTTP_ACCEPT_LANGUAGE="zh-hans")  # fmt: skip
    assert ">修改</a>" in page.content.decode().replace('<i class="bi bi-pencil me-1"></i>', "")


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_indicator_definitions_name_no_placeholder_year(language):
    with translation.override(language):
        texts = [str(text) for i in INDICATORS.values() for text in (i.yearly_definition, i.cumulative_definition)]
    assert [text for text in texts if re.search(r"\bY\b|Y 年", text)] == []


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_report_cites_the_portal_not_developer_files(history, language):
    snapshot = compile_snapshot(year=2022, kind="yearly", carrier=None, as_of=AS_OF, language=language)
    assert not DEVELOPER_FILES.search(json.dumps(snapshot, ensure_ascii=False))
    with translation.override(language):
        definitions = dict(snapshot["meta"])[translation.gettext("Indicator definitions")]
    assert settings.PORTAL_BASE_URL + reverse("targets:indicators") in definitions


def test_the_torch_workbook_cites_the_statistics_not_developer_files(history, users):
    book = openpyxl.load_workbook(io.BytesIO(torch_xlsx.render_torch_xlsx(torch.torch_export(
        user=users[Role.OPERATOR], year=2022))))  # fmt: skip
    notes = " ".join(str(cell) for row in book["说明"].iter_rows(values_only=True) for cell in row if cell)
    assert not DEVELOPER_FILES.search(notes), notes
    assert "火炬统计" in notes and settings.PORTAL_BASE_URL + reverse("targets:indicators") in notes
