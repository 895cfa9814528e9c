"""The PDF report: Chinese text that survives extraction, an embedded font, every section, and pages a person can
look at (test-artifacts/screenshots/115-report-pdf-page*.png)."""

import copy
import io
import json
import re
from pathlib import Path

import pypdf
import pytest

from targets.reporting import SECTION_KEYS
from targets.reporting.render_pdf import FONT_PATH, font_characters, missing_glyphs, render_pdf
from targets.reporting.sample import SAMPLE_SNAPSHOT, sample_copy

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"


@pytest.fixture(scope="module")
def sample_pdf() -> bytes:
    return render_pdf(SAMPLE_SNAPSHOT)


def pages_text(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages]


def section(snapshot: dict, key: str) -> dict:
    return next(s for s in snapshot["sections"] if s["key"] == key)


def flat(text: str) -> str:
    """Extracted text without the line breaks and spaces that wrapping puts into long cells."""
    return re.sub(r"\s+", "", text)


def test_the_sample_snapshot_has_every_section_and_consistent_figures():
    assert [s["key"] for s in SAMPLE_SNAPSHOT["sections"]] == list(SECTION_KEYS)
    contributors = section(SAMPLE_SNAPSHOT, "contributors")["rows"]
    assert len(contributors) == 300
    assert len({row[2] for row in contributors}) == 300  # one USCC per enterprise
    for sec in SAMPLE_SNAPSHOT["sections"]:
        assert len(sec["columns"]) == len(sec["numeric"])
        assert all(len(row) == len(sec["columns"]) for row in sec["rows"]), sec["key"]
    targets = section(SAMPLE_SNAPSHOT, "targets")
    by_indicator = {row[0]: row[3] for row in targets["rows"]}
    counted = {}
    for row in contributors:
        counted[row[0]] = counted.get(row[0], 0) + 1
    assert counted == {label: by_indicator[label] for label in counted}
    assert targets["chart"]["series"][1]["values"] == [by_indicator[label] for label in targets["chart"]["labels"]]
    assert {s["key"] for s in SAMPLE_SNAPSHOT["sections"] if s.get("chart")} == {"targets", "carriers", "prior_year"}
    json.dumps(SAMPLE_SNAPSHOT)  # JSON-serialisable, as a frozen snapshot must be


def test_chinese_text_is_extracted_from_the_pdf(sample_pdf):
    pages = pages_text(sample_pdf)
    assert SAMPLE_SNAPSHOT["title"] in pages[0]
    assert SAMPLE_SNAPSHOT["subtitle"] in pages[0]
    assert "第 1 页" in pages[0]
    assert "第 2 页" in pages[1]
    everything = flat("".join(pages))
    for sec in SAMPLE_SNAPSHOT["sections"]:
        assert flat(sec["title"]) in everything
    contributors = section(SAMPLE_SNAPSHOT, "contributors")["rows"]
    # The first and the last row of a 300-row table (its header repeated on every page it spans).
    for row in (contributors[0], contributors[-1]):
        assert flat(row[1]) in everything
        assert row[2] in everything
    header = "".join(section(SAMPLE_SNAPSHOT, "contributors")["columns"])
    assert sum(flat(page).count(header) for page in pages) > 5
    # Numbers as the table shows them (thousands separators), right where the table put them.
    assert "18,650.35" in everything
    assert f"第 {len(pages)} 页" in pages[-1]
    assert all(SAMPLE_SNAPSHOT["title"] in page for page in pages)  # the footer


def test_the_font_is_embedded_as_a_truetype_subset(sample_pdf):
    reader = pypdf.PdfReader(io.BytesIO(sample_pdf))
    fonts = {}
    for page in reader.pages[:3]:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            fonts[str(font["/BaseFont"])] = font
    cjk = [font for name, font in fonts.items() if "NotoSansSC" in name or "AAAAA" in name]
    assert cjk, fonts.keys()
    for font in cjk:
        descriptor = font["/FontDescriptor"].get_object()
        data = descriptor["/FontFile2"].get_object().get_data()
        assert len(data) > 1000
        assert "/ToUnicode" in font  # what makes the text extractable
    # Subsets, not the whole 2.5 MB font: the sample with its 300 rows stays small.
    assert len(sample_pdf) < FONT_PATH.stat().st_size / 4
    # No standard (non-embedded) font slipped in.
    assert not [name for name in fonts if "Helvetica" in name or "Times" in name]


def test_the_same_snapshot_renders_the_same_bytes(sample_pdf):
    assert render_pdf(SAMPLE_SNAPSHOT) == sample_pdf


def test_an_english_snapshot_renders():
    snapshot = sample_copy(language="en")
    pages = pages_text(render_pdf(snapshot))
    assert snapshot["title"] in pages[0]
    assert "Page 1" in pages[0]
    assert "第" not in pages[0]
    everything = " ".join(pages)
    assert "3. Enterprises counted toward each target" in everything
    assert section(snapshot, "contributors")["rows"][-1][2] in everything


@pytest.mark.parametrize(("language", "none"), [("zh-hans", "无记录。"), ("en", "None.")])
def test_a_section_without_rows_says_none(language, none):
    snapshot = sample_copy(language=language) if language == "en" else sample_copy()
    for sec in snapshot["sections"]:
        sec["rows"] = []
        sec.pop("chart", None)
    pages = pages_text(render_pdf(snapshot))
    everything = "".join(pages)
    assert everything.count(none) == len(SECTION_KEYS)
    assert flat(section(snapshot, "pipeline")["title"]) in flat(everything)


def test_a_line_chart_and_empty_cells_render():
    snapshot = sample_copy()
    prior = section(snapshot, "prior_year")
    prior["chart"]["type"] = "line"
    prior["rows"][0][5] = None
    text = flat("".join(pages_text(render_pdf(snapshot))))
    assert flat(prior["chart"]["title"]) in text


def test_the_font_covers_the_portals_chinese_text():
    """Every character of the catalogue and the pending translations has a glyph (no boxes in a report)."""
    texts = [(ROOT / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")]
    pending = ROOT / "NEW_TRANSLATIONS.json"
    if pending.exists():
        texts.append(pending.read_text(encoding="utf-8"))
    wanted = {ch for text in texts for ch in text if 0x3400 <= ord(ch) <= 0x9FFF or 0x3000 <= ord(ch) <= 0x303F}
    assert "".join(sorted(wanted - font_characters())) == ""
    assert missing_glyphs(SAMPLE_SNAPSHOT) == ""
    rare = copy.deepcopy(SAMPLE_SNAPSHOT)
    rare["title"] += "𠀀"  # CJK extension B: outside the subset, and reported as such
    assert missing_glyphs(rare) == "𠀀"


def test_the_rendered_pages_look_right(sample_pdf):
    """Rasterise pages 1 and 2 for a person to look at; check here that they carry ink where text should be."""
    pdfium = pytest.importorskip("pypdfium2")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    document = pdfium.PdfDocument(sample_pdf)
    try:
        for index in (0, 1):
            picture = document[index].render(scale=2).to_pil()
            picture.save(SCREENSHOTS / f"115-report-pdf-page{index + 1}.png")
            image = picture.convert("L")
            width, height = image.size
            # The title band of the title page, the heading band of page 2: dark pixels (glyphs) must be there.
            band = image.crop((0, int(height * 0.24), width, int(height * 0.30))) if index == 0 else image
            dark = sum(band.histogram()[:128])
            assert dark > 2000, f"page {index + 1} looks empty"
    finally:
        document.close()


def test_thousands_of_rows_render(db, django_assert_max_num_queries):
    snapshot = sample_copy(contributors=2000)
    with django_assert_max_num_queries(0):  # a renderer reads the snapshot only, never the database
        pdf = render_pdf(snapshot)
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) > 60
    assert section(snapshot, "contributors")["rows"][-1][2] in "".join(
        page.extract_text() for page in reader.pages[-6:]
    )


def test_cell_text_breaks_within_its_width_and_not_before_closing_punctuation():
    from targets.reporting.render_pdf import TABLE_FONT_SIZE, _text_width, wrap_lines

    text = "2023 年入库（编号 202337030500000，2023-01-01），在孵企业毕业后 2 年内"
    for width in (40, 60, 90, 140):
        lines = wrap_lines(text, TABLE_FONT_SIZE, width)
        assert "".join(lines).replace(" ", "") == text.replace(" ", "")  # nothing lost
        # Within the width, but for closing punctuation hanging past the edge (悬挂标点) after an unbreakable word.
        assert all(_text_width(line.rstrip("，。）"), TABLE_FONT_SIZE) <= width for line in lines), lines
        assert not any(line[:1] in "，。）" for line in lines[1:]), lines
        assert not any(line[-1:] == "（" for line in lines), lines
    # Latin text breaks between words; a word wider than the column is cut where it must be.
    assert wrap_lines("Zibo Zhihui Data Services", TABLE_FONT_SIZE, 60) == ["Zibo Zhihui", "Data Services"]
    assert "".join(wrap_lines("91370305T4CDGJ8003", TABLE_FONT_SIZE, 30)) == "91370305T4CDGJ8003"


def test_a_cell_taller_than_a_page_continues_on_the_next():
    snapshot = sample_copy()
    note = "很长的说明" * 600  # ~3,000 characters in one cell of a four-column table
    section(snapshot, "pipeline")["rows"][0][0] = note
    pages = pages_text(render_pdf(snapshot))
    holding = [page for page in pages if "很长的说明" in page]
    assert len(holding) >= 2
    # Nothing cut off (counted by character: the page break falls inside one of the repeats).
    assert "".join(holding).count("很") == 600
    assert "".join(holding).count("明") == 600


def test_a_wide_table_keeps_names_on_two_lines_headers_by_unit_and_one_precision_per_column():
    from targets.reporting.render_pdf import _formatted, _header_parts, table_layout

    # The per-carrier table of a compiled report (targets.reporting.compile), which wrapped names two characters
    # a line and broke 毕业 between its characters.
    columns = [
        "载体", "年末在孵企业（企业）", "新入驻企业（企业）", "毕业（次）", "退出（次）",
        "孵化科技型中小企业（企业）", "培育高新技术企业（企业）", "研发投入强度（%）", "获得融资（万元）",
        "出租率（%）", "吸纳就业（人）", "在孵企业研发经费（万元）", "在孵企业营业收入（万元）", "认定等级",
    ]  # fmt: skip
    numeric = [False, *[True] * 12, False]
    rows = [["临淄区齐智汇科技孵化中心", *[1] * 11, 300.0, "未认定"], ["大数据产业园", *[2] * 11, 6.15, "区级"]]
    cells = _formatted(rows, numeric)
    assert [row[12] for row in cells] == ["300.00", "6.15"], "one number of decimals in a column"
    assert [row[1] for row in cells] == ["1", "2"], "counts print whole"
    layout = table_layout({"columns": columns, "numeric": numeric, "rows": rows})
    assert not layout.landscape, "the Chinese table fits a portrait page"
    assert len(layout.cells[0][0].split("\n")) <= 2, "a carrier's name on at most two lines"
    assert layout.cells[0][-1] == "未认定"
    assert layout.header_lines[3] == ["毕业", "（次）"]
    assert _header_parts("营业收入（万元）") == ("营业收入", "（万元）")


def test_counts_print_whole_beside_amounts_in_a_column_of_mixed_units():
    from targets.reporting.render_pdf import _formatted

    # Section 6 (the prior year): an indicator per row, counts (int) and money (float) in the same columns.
    rows = [["Tech-based SMEs incubated", 37, 41, 4], ["Tenant revenue", 61234.5, 65000.25, 3765.75]]
    cells = _formatted(rows, [False, True, True, True])
    assert cells[0][1:] == ["37", "41", "4"]
    assert cells[1][1:] == ["61,234.50", "65,000.25", "3,765.75"]


ENGLISH_CARRIER_COLUMNS = [
    "Carrier", "Tenants at year end (enterprises)", "New admissions (enterprises)", "Graduations (times)",
    "Exits (times)", "Tech-based SMEs incubated (enterprises)", "High-tech enterprises cultivated (enterprises)",
    "Tenant revenue (10k yuan)", "Tenant R&D expenditure (10k yuan)", "R&D intensity (%)",
    "Financing received (10k yuan)", "Occupancy rate (%)", "Jobs (people)", "Accreditation level",
]  # fmt: skip


def test_a_table_too_wide_for_portrait_goes_landscape_with_every_word_whole():
    """The English per-carrier table broke its headers inside words (admi|ssions, Gradua|tions) on a portrait
    page: it is set landscape, each header's label on at most two lines above its unit, no word split."""
    from targets.reporting.render_pdf import LANDSCAPE_FRAME_WIDTH, table_layout

    rows = [
        ["Linzi Qizhihui Technology Incubation Centre", *[19543.95] * 12, "Not accredited"],
        ["Intelligent Manufacturing Industrial Park", *[1] * 12, "Provincial level"],
    ]
    numeric = [False, *[True] * 12, False]
    layout = table_layout({"columns": ENGLISH_CARRIER_COLUMNS, "numeric": numeric, "rows": rows})
    assert layout.landscape
    assert sum(layout.widths) == pytest.approx(LANDSCAPE_FRAME_WIDTH)
    for header, lines in zip(ENGLISH_CARRIER_COLUMNS, layout.header_lines, strict=True):
        assert " ".join(lines) == header, "nothing lost, and every break between two words"
        label_lines = lines[:-1] if header.endswith(")") else lines
        assert len(label_lines) <= 2, lines
    for row, source in zip(layout.cells, rows, strict=True):
        for cell, value in zip(row, source, strict=True):
            assert cell.replace("\n", " ") == (value if isinstance(value, str) else cell), "no word split"


def test_a_landscape_section_sits_between_portrait_pages():
    snapshot = sample_copy(language="en")
    carriers = section(snapshot, "carriers")
    carriers["columns"] = ENGLISH_CARRIER_COLUMNS
    carriers["numeric"] = [False, *[True] * 12, False]
    carriers["rows"] = [[row[0], *[1] * 12, "Not accredited"] for row in carriers["rows"]]
    reader = pypdf.PdfReader(io.BytesIO(render_pdf(snapshot)))
    shapes = [(float(page.mediabox.width) > float(page.mediabox.height), page.extract_text()) for page in reader.pages]
    landscape = [text for wide, text in shapes if wide]
    assert len(landscape) == 1, "the per-carrier section on one landscape page"
    assert carriers["title"] in landscape[0] and "admissions" in landscape[0].split()
    assert "Not accredited" in landscape[0]
    following = [text for wide, text in shapes[shapes.index((True, landscape[0])) + 1 :]]
    assert following and not any(wide for wide, _ in shapes[shapes.index((True, landscape[0])) + 1 :])
    assert section(snapshot, "contributors")["title"] in following[0], "the next section back on portrait"
    assert "Page" in landscape[0], "the footer on the landscape page too"
