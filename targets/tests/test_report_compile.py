"""The compiled report snapshot on the small hand-made dataset (targets/tests/dataset.py), and its HTML and XLSX
renderings read back."""

import datetime
import io
import json
import re
from decimal import Decimal

import pytest
from django.conf import settings
from django.utils import translation
from openpyxl import load_workbook

from accounts.roles import Role
from targets.indicators import INDICATORS
from targets.reporting import SECTION_KEYS
from targets.reporting.compile import compile_snapshot
from targets.reporting.render_html import render_html
from targets.reporting.render_xlsx import header_row, render_xlsx
from targets.tests import dataset

pytestmark = pytest.mark.django_db

AS_OF = datetime.date(2022, 12, 31)


def english(carrier) -> str:
    with translation.override("en"):
        return carrier.display_name


def section(snapshot, key):
    return next(s for s in snapshot["sections"] if s["key"] == key)


def column(section_, name):
    return section_["columns"].index(name)


@pytest.fixture
def history(users):
    return dataset.build(users[Role.OPERATOR])


@pytest.fixture
def snapshot(history):
    return compile_snapshot(year=2022, kind="yearly", carrier=None, as_of=AS_OF, language="en", version=3,
                            compiled_by="bureau1")  # fmt: skip


def test_snapshot_has_the_contract_shape_and_is_json(snapshot):
    assert [s["key"] for s in snapshot["sections"]] == list(SECTION_KEYS)
    assert snapshot["schema"] == 1 and snapshot["year"] == 2022 and snapshot["kind"] == "yearly"
    assert snapshot["as_of"] == "2022-12-31" and snapshot["version"] == 3
    assert snapshot["scope"] == {"carrier_id": None, "name": "Whole district"}
    assert "2022" in snapshot["title"] and "version 3" in snapshot["subtitle"]
    assert ["Compiled by", "bureau1"] in snapshot["meta"]
    for s in snapshot["sections"]:
        assert len(s["numeric"]) == len(s["columns"])
        assert all(len(row) == len(s["columns"]) for row in s["rows"]), s["key"]
        for row in s["rows"]:
            assert all(cell is None or isinstance(cell, str | int | float) for cell in row)
    assert json.loads(json.dumps(snapshot)) == snapshot


def test_targets_section_has_hand_computed_actuals(snapshot):
    targets = section(snapshot, "targets")
    rows = {row[0]: row for row in targets["rows"]}
    actual, goal, rate, status = (column(targets, c) for c in ("Actual", "Target", "Attainment %", "Status"))
    tech = rows["Tech-based SMEs incubated"]
    assert (tech[goal], tech[actual], tech[rate], tech[status]) == (10, 4, 40.0, "Missed")
    hte = rows["High-tech enterprises cultivated"]
    assert (hte[goal], hte[actual], hte[rate]) == (3, 2, 66.7)
    level = next(row for row in targets["rows"] if row[goal] == "Provincial level")
    assert level[actual] == "Municipal level" and level[status] == "Missed"
    assert targets["chart"]["series"][1]["values"] == [2, 4]  # htes, tech SMEs: the table's actuals


def test_contributors_are_listed_for_every_target_and_add_up(snapshot, history):
    contributors = section(snapshot, "contributors")
    by_target: dict = {}
    for label, name, uscc, carrier, contribution in contributors["rows"]:
        by_target.setdefault(label, []).append((name, uscc, carrier, contribution))
    tech = by_target["Tech-based SMEs incubated (In the year)"]
    assert sorted(n for n, *_ in tech) == ["指标测试企业1", "指标测试企业2", "指标测试企业4", "指标测试企业5"]
    assert sum(c for *_, c in tech) == 4
    assert all(uscc == history[f"E{name[-1]}"].uscc for name, uscc, *_ in tech)
    e4 = next(row for row in tech if row[0] == "指标测试企业4")
    assert e4[2] == english(history["A"])  # last residency in 2022: promoted to A
    assert sorted(n for n, *_ in by_target["High-tech enterprises cultivated (In the year)"]) == [
        "指标测试企业3", "指标测试企业9",
    ]  # fmt: skip


def test_carriers_pipeline_accreditation_and_prior_year(snapshot, history):
    carriers = section(snapshot, "carriers")
    rows = {row[0]: row for row in carriers["rows"]}
    tenants = 1 + list(dataset.carriers()).index("A") * 0  # first indicator column
    assert rows[english(history["A"])][tenants] == dataset.EXPECTED_2022["tenants_year_end"]["A"][0]
    assert rows["Whole district"][tenants] == 5
    revenue = column(carriers, next(c for c in carriers["columns"] if c.startswith("Tenant revenue")))
    assert rows["Whole district"][revenue] == 1300.0

    pipeline = section(snapshot, "pipeline")
    total = pipeline["rows"][-1]
    assert total[0] == "Whole district"
    named = dict(zip(pipeline["columns"], total, strict=True))
    assert (named["Admissions"], named["Promotions"], named["Graduations"], named["Exits"]) == (1, 1, 1, 1)
    assert pipeline["chart"]["series"][0]["values"] == total[1:]
    by_carrier = {row[0]: row for row in pipeline["rows"]}
    assert by_carrier[english(history["C"])][column(pipeline, "Promotions")] == 1

    accreditation = {row[0]: row for row in section(snapshot, "accreditation")["rows"]}
    assert accreditation[english(history["C"])][1:] == [
        "Municipal level", "Municipal level", "Provincial level", "Not reached",
    ]  # fmt: skip
    assert accreditation[english(history["A"])][2:] == ["District level", None, "No target"]

    prior = section(snapshot, "prior_year")
    rows = {(row[0], row[2]): row for row in prior["rows"]}
    assert rows[("Tech-based SMEs incubated", "In the year")][3:] == [2, 4, 2, 100.0]
    assert rows[("Tenant revenue", "In the year")][3:] == [800.0, 1300.0, 500.0, 62.5]


def test_a_carrier_scoped_snapshot_keeps_to_its_carrier(history):
    park = history["B"]
    snapshot = compile_snapshot(year=2022, kind="interim", carrier=park, as_of=AS_OF, language="en")
    assert snapshot["scope"] == {"carrier_id": park.pk, "name": english(park)}
    assert [row[0] for row in section(snapshot, "carriers")["rows"]] == [english(park)]
    assert [row[0] for row in section(snapshot, "pipeline")["rows"]] == [english(park)]
    assert section(snapshot, "targets")["rows"] == []  # the plan sets no target for a park


def test_snapshot_text_follows_the_language(history):
    english = compile_snapshot(year=2022, kind="yearly", carrier=None, as_of=AS_OF, language="en")
    chinese = compile_snapshot(year=2022, kind="yearly", carrier=None, as_of=AS_OF, language="zh-hans")
    assert english["language"] == "en" and chinese["language"] == "zh-hans"
    with translation.override("zh-hans"):
        label = str(INDICATORS["htes"].label)
    assert label != "High-tech enterprises cultivated"  # the catalogue has it
    assert section(chinese, "targets")["rows"][1][0] == label
    assert section(english, "targets")["rows"][1][4:6] == section(chinese, "targets")["rows"][1][4:6]


def test_compile_needs_the_same_queries_whatever_the_data(users, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    dataset.build(users[Role.OPERATOR])
    with CaptureQueriesContext(connection) as small:
        compile_snapshot(year=2022, kind="yearly", carrier=None, as_of=AS_OF, language="en")
    dataset.more(users[Role.OPERATOR], 40)
    with django_assert_max_num_queries(len(small.captured_queries)):
        snapshot = compile_snapshot(year=2022, kind="yearly", carrier=None, as_of=AS_OF, language="en")
    assert len(section(snapshot, "contributors")["rows"]) > 40


def test_progress_is_reported_in_order(history):
    seen = []
    compile_snapshot(year=2022, kind="yearly", carrier=None, as_of=AS_OF, language="en",
                     progress=lambda percent, step: seen.append((percent, step)))  # fmt: skip
    percents = [p for p, _ in seen]
    assert percents == sorted(percents) and len(percents) >= 6 and percents[-1] < 88
    assert all(step for _, step in seen)


def test_html_is_standalone_with_every_section_and_chart(snapshot):
    html = render_html(snapshot)
    assert html.startswith("<!DOCTYPE html>")
    # Nothing loaded from elsewhere (the portal's address is cited as text, where the definitions are).
    cited = html.replace("http://www.w3.org/2000/svg", "").replace(settings.PORTAL_BASE_URL, "")
    assert "<script" not in html and "http://" not in cited
    for s in snapshot["sections"]:
        assert f'id="section-{s["key"]}"' in html and s["title"] in html
    assert html.count("<svg") == sum(1 for s in snapshot["sections"] if s.get("chart"))
    assert "指标测试企业4" in html


def test_html_escapes_text():
    snapshot = {
        "schema": 1, "language": "en", "title": "<b>x</b>", "subtitle": "s", "year": 2022, "kind": "yearly",
        "as_of": "2022-12-31", "scope": {"carrier_id": None, "name": "d"}, "version": 1, "compiled_at": "",
        "meta": [], "sections": [{"key": "targets", "title": "t", "columns": ["a"], "numeric": [False],
                                  "rows": [["<script>alert(1)</script>"]],
                                  "chart": {"type": "line", "title": "c", "labels": ["<i>"],
                                            "series": [{"name": "<s>", "values": [1]}]}}],
    }  # fmt: skip
    html = render_html(snapshot)
    assert "<script>" not in html and "<b>x</b>" not in html and "&lt;script&gt;" in html
    assert "<polyline" in html


def test_xlsx_has_one_sheet_per_section_with_numeric_cells(snapshot):
    workbook = load_workbook(io.BytesIO(render_xlsx(snapshot)))
    assert len(workbook.sheetnames) == 1 + len(snapshot["sections"])
    for name, s in zip(workbook.sheetnames[1:], snapshot["sections"], strict=True):
        sheet = workbook[name]
        first = header_row(s)
        assert [c.value for c in sheet[first]][: len(s["columns"])] == s["columns"]
        for offset, row in enumerate(s["rows"], start=1):
            values = [c.value for c in sheet[first + offset]][: len(row)]
            assert values == row, (s["key"], offset)
    contributors = workbook[workbook.sheetnames[3]]
    first = header_row(section(snapshot, "contributors"))
    numbers = [contributors.cell(row=r, column=5).value for r in range(first + 1, contributors.max_row + 1)]
    assert numbers and all(isinstance(n, int | float) for n in numbers)
    assert contributors.cell(row=first + 1, column=5).data_type == "n"
    targets = section(snapshot, "targets")
    tech_row = next(i for i, row in enumerate(targets["rows"]) if row[0] == "Tech-based SMEs incubated")
    cell = workbook[workbook.sheetnames[1]].cell(row=header_row(targets) + 1 + tech_row, column=6)
    assert cell.value == 4 and cell.data_type == "n"
    assert Decimal(str(cell.value)) == Decimal(4)


def test_the_shared_sample_snapshot_renders_to_html_and_xlsx():
    from targets.reporting.sample import SAMPLE_SNAPSHOT

    html = render_html(SAMPLE_SNAPSHOT)
    assert SAMPLE_SNAPSHOT["title"] in html
    workbook = load_workbook(io.BytesIO(render_xlsx(SAMPLE_SNAPSHOT)))
    assert len(workbook.sheetnames) == 1 + len(SAMPLE_SNAPSHOT["sections"])
    contributors = next(s for s in SAMPLE_SNAPSHOT["sections"] if s["key"] == "contributors")
    sheet = workbook[workbook.sheetnames[1 + SAMPLE_SNAPSHOT["sections"].index(contributors)]]
    assert sheet.max_row == header_row(contributors) + len(contributors["rows"])


def test_a_compiled_chinese_snapshot_renders_a_pdf_with_its_text(history):
    import pypdf

    from targets.reporting.render_pdf import render_pdf

    snapshot = compile_snapshot(year=2022, kind="yearly", carrier=None, as_of=AS_OF, language="zh-hans")
    text = "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(render_pdf(snapshot))).pages)
    compact = "".join(text.split())
    assert "指标测试企业4" in compact, "the contributors' Chinese names survive extraction"
    with translation.override("zh-hans"):
        assert "".join(str(INDICATORS["tech_smes"].label).split()) in compact


@pytest.mark.parametrize("scope", [None, "A"])
def test_a_compile_computes_the_figures_once(history, monkeypatch, scope):
    """The figures statement (targets.selectors.compute._compute) runs once per compile, for both years the report
    shows: the targets' attainment reads the same computation as the per-carrier and prior-year sections."""
    from targets.selectors import compute

    calls = []
    real = compute._compute

    def counting(years, *args, **kwargs):
        calls.append(sorted(years))
        return real(years, *args, **kwargs)

    monkeypatch.setattr(compute, "_compute", counting)
    carrier = history[scope] if scope else None
    snapshot = compile_snapshot(year=2022, kind="yearly", carrier=carrier, as_of=AS_OF, language="en")
    assert calls == [[2021, 2022]]
    assert [s["key"] for s in snapshot["sections"]] == list(SECTION_KEYS)


def test_a_compiled_english_snapshot_sets_the_per_carrier_table_without_breaking_words(snapshot):
    """The English per-carrier table (14 columns) once broke its headers and cells inside words (admi|ssions,
    accredit|ed) to squeeze onto a portrait page: every word of its headers and its text cells is whole."""
    import re

    import pypdf

    from targets.reporting.render_pdf import render_pdf

    text = "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(render_pdf(snapshot))).pages)
    carriers = section(snapshot, "carriers")
    following = snapshot["sections"][[s["key"] for s in snapshot["sections"]].index("carriers") + 1]
    table_text = text[text.index(carriers["title"]) : text.index(following["title"])]
    tokens = set(re.split(r"[\s()（）]+", table_text))
    texts = carriers["columns"] + [cell for row in carriers["rows"] for cell in row if isinstance(cell, str)]
    words = {word for cell in texts for word in re.split(r"[\s()（）]+", cell) if word}
    assert sorted(words - tokens) == []


def test_english_labels_take_latin_parentheses_and_chinese_ones_full_width(history):
    english = compile_snapshot(year=2022, kind="yearly", carrier=None, as_of=AS_OF, language="en")
    chinese = compile_snapshot(year=2022, kind="yearly", carrier=None, as_of=AS_OF, language="zh-hans")

    def texts(snapshot):
        for sec in snapshot["sections"]:
            yield from sec["columns"]
            yield from sec.get("paragraphs") or []
            yield from (cell for row in sec["rows"] for cell in row if isinstance(cell, str))

    assert "Tenants at year end (enterprises)" in section(english, "carriers")["columns"]
    assert not [text for text in texts(english) if re.search("[（）：]", text)]
    assert "年末在孵企业（企业）" in section(chinese, "carriers")["columns"]
    target = section(chinese, "targets")["chart"]["labels"][0]
    assert re.fullmatch(r"\S+（\S+）", target), target
    assert "）：" in section(chinese, "targets")["paragraphs"][-1]
