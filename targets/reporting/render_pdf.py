"""Render a frozen report snapshot (see `targets.reporting`) as an A4 PDF.

A section whose table cannot keep its words whole on a portrait page (the 14-column per-carrier table in English)
is set on landscape pages; the sections around it stay portrait.

The text is set in the Noto Sans SC subset shipped in `fonts/` and embedded in the file (reportlab embeds the glyphs
used as TrueType subsets, /FontFile2), so the PDF shows Chinese correctly on a machine with no Chinese font. Reads
only the snapshot. Apart from nothing: with `invariant=1` the same snapshot gives the same bytes.
"""

from __future__ import annotations

import dataclasses
import functools
import io
import itertools
import logging
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.charts.linecharts import HorizontalLineChart
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Frame,
    KeepTogether,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

logger = logging.getLogger(__name__)

FONT_NAME = "NotoSansSC"
FONT_PATH = Path(__file__).resolve().parent / "fonts" / "NotoSansSC-Regular.ttf"

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN_X = 18 * mm
MARGIN_TOP = 18 * mm
MARGIN_BOTTOM = 20 * mm
FRAME_WIDTH = PAGE_WIDTH - 2 * MARGIN_X
LANDSCAPE_WIDTH, LANDSCAPE_HEIGHT = landscape(A4)
LANDSCAPE_FRAME_WIDTH = LANDSCAPE_WIDTH - 2 * MARGIN_X

INK = colors.HexColor("#1f2933")
MUTED = colors.HexColor("#52606d")
ACCENT = colors.HexColor("#0b5394")
RULE = colors.HexColor("#c8d1dc")
HEADER_FILL = colors.HexColor("#e3ebf5")
ZEBRA_FILL = colors.HexColor("#f5f7fa")
SERIES_COLOURS = [
    colors.HexColor("#0b5394"),
    colors.HexColor("#e69138"),
    colors.HexColor("#6aa84f"),
    colors.HexColor("#a64d79"),
    colors.HexColor("#45818e"),
    colors.HexColor("#cc0000"),
]

TABLE_FONT_SIZE = 8.5
TABLE_LEADING = TABLE_FONT_SIZE * 1.35
CELL_PADDING = 4

WORDS = {
    "zh-hans": {"page": "第 {n} 页", "none": "无记录。", "contents": "目录"},
    "en": {"page": "Page {n}", "none": "None.", "contents": "Contents"},
}


@functools.cache
def register_font() -> str:
    """Register the embedded CJK font with reportlab, once per process; return its name."""
    pdfmetrics.registerFont(TTFont(FONT_NAME, str(FONT_PATH)))
    # One weight only: <b> in a paragraph falls back to the same face rather than failing.
    pdfmetrics.registerFontFamily(FONT_NAME, normal=FONT_NAME, bold=FONT_NAME, italic=FONT_NAME, boldItalic=FONT_NAME)
    return FONT_NAME


@functools.cache
def font_characters() -> frozenset[str]:
    """The characters the embedded font has a glyph for."""
    register_font()
    return frozenset(chr(code) for code in pdfmetrics.getFont(FONT_NAME).face.charToGlyph)


def snapshot_text(snapshot: dict) -> set[str]:
    """Every character the PDF of `snapshot` sets in type (titles, meta, sections, tables, charts)."""
    chars: set[str] = set()

    def add(value) -> None:
        if isinstance(value, str):
            chars.update(value)
        elif isinstance(value, dict):
            for item in value.values():
                add(item)
        elif isinstance(value, list | tuple):
            for item in value:
                add(item)

    add([snapshot.get(key) for key in ("title", "subtitle", "meta")])
    for section in snapshot.get("sections") or []:
        add([section.get(key) for key in ("title", "paragraphs", "columns", "rows", "chart")])
    add(list(_words(snapshot).values()))
    return chars


def missing_glyphs(snapshot: dict) -> str:
    """The characters of the snapshot the embedded font lacks (they would print as empty boxes), sorted."""
    return "".join(sorted(ch for ch in snapshot_text(snapshot) - font_characters() if ch.isprintable() and ch != " "))


def _words(snapshot: dict) -> dict[str, str]:
    return WORDS["en"] if snapshot.get("language") == "en" else WORDS["zh-hans"]


@functools.cache
def _styles(cjk: bool) -> dict[str, ParagraphStyle]:
    font = register_font()
    wrap = "CJK" if cjk else None  # CJK text breaks between any two characters
    base = ParagraphStyle("base", fontName=font, fontSize=10, leading=15, textColor=INK, wordWrap=wrap)
    return {
        "title": ParagraphStyle(
            "title", parent=base, fontSize=22, leading=32, alignment=TA_CENTER, textColor=ACCENT, spaceAfter=6 * mm
        ),
        "subtitle": ParagraphStyle(
            "subtitle", parent=base, fontSize=12, leading=18, alignment=TA_CENTER, textColor=MUTED, spaceAfter=14 * mm
        ),
        "heading": ParagraphStyle(
            "heading", parent=base, fontSize=15, leading=22, textColor=ACCENT, spaceBefore=4 * mm, spaceAfter=3 * mm
        ),
        "chart_title": ParagraphStyle("chart_title", parent=base, fontSize=10, leading=14, alignment=TA_CENTER),
        "body": ParagraphStyle("body", parent=base, spaceAfter=2.5 * mm, firstLineIndent=20 if cjk else 0),
        "none": ParagraphStyle("none", parent=base, textColor=MUTED),
        "cell": ParagraphStyle("cell", parent=base, fontSize=TABLE_FONT_SIZE, leading=TABLE_FONT_SIZE * 1.35),
        "meta_label": ParagraphStyle("meta_label", parent=base, textColor=MUTED, alignment=TA_RIGHT),
        "meta_value": ParagraphStyle("meta_value", parent=base),
    }


def format_cell(value) -> str:
    """A cell as the table shows it: numbers with thousands separators, None empty."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float):
        return format(value, ",")
    return str(value)


class _ReportDoc(BaseDocTemplate):
    """A4 pages, portrait ("page") or landscape ("landscape"), one frame each, a footer with the report title and
    the page number; PDF outline per section."""

    def __init__(self, buffer: io.BytesIO, snapshot: dict):
        super().__init__(
            buffer,
            pagesize=A4,
            leftMargin=MARGIN_X,
            rightMargin=MARGIN_X,
            topMargin=MARGIN_TOP,
            bottomMargin=MARGIN_BOTTOM,
            title=snapshot.get("title", ""),
            subject=snapshot.get("subtitle", ""),
            author="临淄一体化孵化平台",
            creator="Linzi incubation portal",
            lang="en" if snapshot.get("language") == "en" else "zh-CN",
            invariant=1,
            initialFontName=register_font(),
        )
        self.snapshot = snapshot
        self.addPageTemplates([self._template("page", A4), self._template("landscape", landscape(A4))])

    def _template(self, name: str, size: tuple[float, float]) -> PageTemplate:
        width, height = size
        frame = Frame(MARGIN_X, MARGIN_BOTTOM, width - 2 * MARGIN_X, height - MARGIN_TOP - MARGIN_BOTTOM, id=name)
        return PageTemplate(id=name, frames=[frame], pagesize=size, onPage=functools.partial(self._footer, width))

    def _footer(self, page_width: float, canvas, doc) -> None:
        canvas.saveState()
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.5)
        y = MARGIN_BOTTOM - 7 * mm
        canvas.line(MARGIN_X, y + 4 * mm, page_width - MARGIN_X, y + 4 * mm)
        canvas.setFont(FONT_NAME, 8)
        canvas.setFillColor(MUTED)
        canvas.drawString(MARGIN_X, y, self.snapshot.get("title", ""))
        canvas.drawRightString(page_width - MARGIN_X, y, _words(self.snapshot)["page"].format(n=doc.page))
        canvas.restoreState()

    def afterFlowable(self, flowable) -> None:
        key = getattr(flowable, "outline_key", None)
        if key:
            self.canv.bookmarkPage(key)
            self.canv.addOutlineEntry(flowable.getPlainText(), key, level=0)


def _paragraph(text, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(format_cell(text)), style)


def _longest_unbreakable(text: str, font_size: float) -> float:
    """The widest run a wrapped cell cannot break: a Latin word or code (CJK text breaks between characters)."""
    widest = 0.0
    run = ""
    for char in text + " ":
        if char.isspace() or ord(char) >= 0x2E80:
            if run:
                widest = max(widest, pdfmetrics.stringWidth(run, FONT_NAME, font_size))
            run = ""
            if not char.isspace():
                widest = max(widest, pdfmetrics.stringWidth(char, FONT_NAME, font_size))
        else:
            run += char
    return widest


# A table too wide for the page at the body size is set smaller, down to the last of these (points).
TABLE_FONT_SIZES = (TABLE_FONT_SIZE, 7.5, 7.0, 6.5)
# Text this short (a level, a status) never breaks: 未认定 on three lines reads as nothing.
UNBROKEN_CHARACTERS = 4


def _header_parts(header: str) -> tuple[str, str]:
    """A header's label and its unit: 营业收入（万元） → (营业收入, （万元）); the unit goes on a line of its own."""
    for opening in ("（", " ("):
        cut = header.rfind(opening)
        if cut > 0 and header.endswith(("）", ")")):
            return header[:cut], header[cut:].strip()
    return header, ""


def _two_line_floor(text: str, font_size: float) -> float:
    """The narrowest width that keeps `text` on at most two lines where it may break (between words, between CJK
    characters; short text whole), and never narrower than its longest word."""
    # Prefix sums of the character widths: one pass, however long the cell (a note runs to thousands).
    ends = list(itertools.accumulate((_char_width(char, font_size) for char in text), initial=0.0))
    total = ends[-1]
    if len(text) <= UNBROKEN_CHARACTERS:
        return total
    best = total
    resume = len(text)  # where the second line starts if the text breaks at `cut` (the spaces dropped)
    for cut in range(len(text) - 1, 0, -1):
        before, after = text[cut - 1], text[cut]
        if after != " ":
            resume = cut
        if before == " ":
            continue
        if after == " " or (
            (ord(before) >= 0x2E80 or ord(after) >= 0x2E80) and after not in NO_LINE_START and before not in NO_LINE_END
        ):
            best = min(best, max(ends[cut], total - ends[resume]))
    return max(best, _longest_unbreakable(text, font_size))


def _column_limits(
    columns: list[str], numeric: list[bool], cells: list[list[str]], font_size: float, frame_width: float
) -> tuple[list[float], list[float], list[float]]:
    """Each column's natural width (every cell and its header on one line), its minimum (numbers whole, a header's
    label in at most two lines above its unit, names in at most two lines, no word broken) and what its cells
    need on one line (the header may wrap)."""
    padding = 2 * CELL_PADDING + 1  # the cell's padding, and the half point `_table` keeps from the edge
    natural, minimum, one_line = [], [], []
    for index, header in enumerate(columns):
        texts = [row[index] for row in cells]
        label, unit = _header_parts(header)
        widest = max([pdfmetrics.stringWidth(text, FONT_NAME, font_size) for text in texts], default=0)
        header_floor = max(_two_line_floor(label, font_size), pdfmetrics.stringWidth(unit, FONT_NAME, font_size))
        if numeric[index]:
            floor = widest  # numbers never wrap
        else:
            floor = max([_two_line_floor(text, font_size) for text in texts], default=0)
        lowest = min(max(floor, header_floor) + padding, 0.4 * frame_width)
        minimum.append(lowest)
        one_line.append(max(widest + padding, lowest))
        natural.append(max(widest, pdfmetrics.stringWidth(header, FONT_NAME, font_size)) + padding)
    return natural, minimum, one_line


def _column_widths(
    columns: list[str], numeric: list[bool], cells: list[list[str]], font_size: float, frame_width: float
) -> list[float]:
    """Widths that fit the frame. Every column gets at least its minimum (see `_column_limits`). What is left goes
    first to the text columns, the nearest to their cells on one line first (a line saved in a body cell is saved
    on every row, one in a header only once), then to every column in proportion to how much more its longest
    cell or header needs, so that long text (names, notes) gets the room and short columns are not wasted."""
    natural, minimum, one_line = _column_limits(columns, numeric, cells, font_size, frame_width)
    if sum(natural) <= frame_width:
        # Everything fits on one line: spread the spare room over the text columns (or all, if none).
        grow = [not n for n in numeric] if not all(numeric) else [True] * len(numeric)
        spare = (frame_width - sum(natural)) / sum(w for w, g in zip(natural, grow, strict=True) if g)
        return [w * (1 + spare) if g else w for w, g in zip(natural, grow, strict=True)]
    if sum(minimum) >= frame_width:
        scale = frame_width / sum(minimum)
        return [w * scale for w in minimum]
    room = frame_width - sum(minimum)
    widths = list(minimum)
    lack = [0.0 if n else w - m for w, m, n in zip(one_line, minimum, numeric, strict=True)]
    order = sorted((i for i, short in enumerate(lack) if short > 0), key=lack.__getitem__)
    for position, index in enumerate(order):
        if lack[index] > room:
            # Not enough to make this one whole: the rest share what is left by what they lack.
            lacking = sum(lack[i] for i in order[position:])
            for rest in order[position:]:
                widths[rest] += room * lack[rest] / lacking
            return widths
        widths[index] += lack[index]
        room -= lack[index]
    excess = [n - w for n, w in zip(natural, widths, strict=True)]
    return [w + room * e / sum(excess) for w, e in zip(widths, excess, strict=True)]


def _formatted(rows: list[list], numeric: list[bool]) -> list[list[str]]:
    """The rows as the table prints them: counts (compile.number gives them as int) whole, amounts and percentages
    (float) with two decimals, so that a column reads alike row to row, also where it mixes units (section 6 puts
    an indicator per row, counts beside money)."""
    formatted = []
    for row in rows:
        cells = []
        for index, value in enumerate(row):
            if numeric[index] and isinstance(value, int) and not isinstance(value, bool):
                cells.append(format(value, ","))
            elif numeric[index] and isinstance(value, float):
                cells.append(format(value, ",.2f"))
            else:
                cells.append(format_cell(value))
        formatted.append(cells + [""] * (len(numeric) - len(cells)))
    return formatted


@dataclasses.dataclass(frozen=True)
class TableLayout:
    """How a section's table is set: on a landscape page or not, its type size, its column widths (points) and
    each header's lines and each text cell's lines as the PDF draws them."""

    landscape: bool
    font_size: float
    widths: list[float]
    header_lines: list[list[str]]
    cells: list[list[str]]  # each cell's text as drawn: lines joined by newlines


def _orientation(columns: list[str], numeric: list[bool], cells: list[list[str]]) -> tuple[bool, float]:
    """Portrait at the largest of TABLE_FONT_SIZES at which every column gets its minimum width; else landscape at
    the largest that fits there (a table that fits neither is squeezed onto landscape at the smallest size)."""
    for landscape_page, frame_width in ((False, FRAME_WIDTH), (True, LANDSCAPE_FRAME_WIDTH)):
        for size in TABLE_FONT_SIZES:
            if sum(_column_limits(columns, numeric, cells, size, frame_width)[1]) <= frame_width:
                return landscape_page, size
    return True, TABLE_FONT_SIZES[-1]


def table_layout(section: dict) -> TableLayout:
    """The layout of `section`'s table (see `TableLayout`)."""
    register_font()
    columns = [str(c) for c in section["columns"]]
    numeric = list(section.get("numeric") or [False] * len(columns))
    cells = _formatted(section["rows"], numeric)
    sample = cells[:400]  # wide enough to see the longest names; cheap on thousands of rows
    landscape_page, size = _orientation(columns, numeric, sample)
    widths = _column_widths(columns, numeric, sample, size, LANDSCAPE_FRAME_WIDTH if landscape_page else FRAME_WIDTH)
    room = [width - 2 * CELL_PADDING - 0.5 for width in widths]

    def header(text: str, index: int) -> list[str]:
        label, unit = _header_parts(text)
        return [*wrap_lines(label, size, room[index]), *([unit] if unit else [])]

    def as_cell(text: str, index: int) -> str:
        if numeric[index]:
            return text
        return "\n".join(wrap_lines(text, size, room[index]))

    return TableLayout(
        landscape=landscape_page,
        font_size=size,
        widths=widths,
        header_lines=[header(text, index) for index, text in enumerate(columns)],
        cells=[[as_cell(text, index) for index, text in enumerate(row)] for row in cells],
    )


def _table(layout: TableLayout, numeric: list[bool]) -> Table:
    size = layout.font_size
    leading = size * 1.35
    # Cells are plain strings broken into lines by wrap_lines (numbers never wrap): plain strings lay out many
    # times faster than a Paragraph per cell, which keeps thousands of contributor rows quick, and the header
    # breaks by the same rules as the body (between words, a unit on its own line).
    data = [["\n".join(lines) for lines in layout.header_lines], *layout.cells]
    # Row heights known in advance (lines × leading): reportlab would measure every remaining row again at each
    # page break, which grows with the square of the rows.
    padding = 2 * 2.5
    heights = [max(cell.count("\n") + 1 for cell in row) * leading + padding for row in data]
    commands = [
        ("FONTNAME", (0, 0), (-1, -1), FONT_NAME),
        ("FONTSIZE", (0, 0), (-1, -1), size),
        ("LEADING", (0, 0), (-1, -1), leading),
        ("TEXTCOLOR", (0, 0), (-1, -1), INK),
        ("TEXTCOLOR", (0, 0), (-1, 0), ACCENT),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
        ("LINEBELOW", (0, 0), (-1, 0), 0.8, ACCENT),
        ("LINEBELOW", (0, -1), (-1, -1), 0.5, RULE),
        ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, ZEBRA_FILL]),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
        ("LEFTPADDING", (0, 0), (-1, -1), CELL_PADDING),
        ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PADDING),
    ]
    commands += [("ALIGN", (i, 0), (i, -1), "RIGHT") for i, is_number in enumerate(numeric) if is_number]
    # splitInRow: a row taller than a page (a very long note) continues on the next page instead of failing.
    return Table(
        data,
        colWidths=layout.widths,
        rowHeights=heights,
        repeatRows=1,
        splitInRow=1,
        style=TableStyle(commands),
        hAlign="LEFT",
    )


LABEL_SIZE = 7.5


# Kinsoku: no line starts with closing punctuation, none ends with opening punctuation.
NO_LINE_START = set("，。、；：？！）》」』】〕〉”’%‰·…—,.;:?!)]}")
NO_LINE_END = set("（《「『【〔〈“‘([{")


@functools.cache
def _char_width(char: str, size: float) -> float:
    return pdfmetrics.stringWidth(char, register_font(), size)


def _text_width(text: str, size: float) -> float:
    return sum(_char_width(char, size) for char in text)


def wrap_lines(text: str, size: float, width: float) -> list[str]:
    """`text` broken into lines no wider than `width` points in the embedded font: between words, between any two
    CJK characters (not before closing or after opening punctuation), and inside a word only when it alone is too
    wide. Character widths are cached, so thousands of cells wrap quickly (reportlab's Paragraph measures each
    character of each cell again on every layout pass)."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        pieces: list[str] = []
        for char in paragraph:
            cjk = ord(char) >= 0x2E80
            if not pieces or cjk or char == " " or pieces[-1] == " " or ord(pieces[-1][-1]) >= 0x2E80:
                pieces.append(char)
            else:
                pieces[-1] += char
        line: list[str] = []  # the pieces of the line being filled
        line_width = 0.0
        for piece in pieces:
            piece_width = _text_width(piece, size)
            if "".join(line).strip() and line_width + piece_width > width and piece != " ":
                if piece in NO_LINE_START and all(p in NO_LINE_START for p in line[1:]):
                    # Nothing to carry over (one word fills the line): the punctuation hangs past the edge.
                    line.append(piece)
                    line_width += piece_width
                    continue
                # Carry whole pieces over rather than start a line with closing punctuation or end one with opening.
                while len(line) > 1 and (piece[0] in NO_LINE_START or line[-1][-1] in NO_LINE_END):
                    piece = line.pop() + piece
                lines.append("".join(line).rstrip())
                line, line_width = [], 0.0
                piece = piece.lstrip()
                piece_width = _text_width(piece, size)
            while piece_width > width and len(piece) > 1 and not line:
                # A single word wider than the column: break it where it must.
                cut = len(piece) - 1
                while cut > 1 and (_text_width(piece[:cut], size) > width or piece[cut] in NO_LINE_START):
                    cut -= 1
                lines.append(piece[:cut])
                piece = piece[cut:]
                piece_width = _text_width(piece, size)
            line.append(piece)
            line_width += piece_width
        lines.append("".join(line).rstrip())
    return lines


def _wrap_label(label: str, font: str, size: float, width: float) -> list[str]:
    """A category label as lines no wider than `width`."""
    return [line for line in wrap_lines(label, size, width) if line] or [""]


def _shorten(label: str, font: str, size: float, width: float) -> str:
    if pdfmetrics.stringWidth(label, font, size) <= width:
        return label
    while label and pdfmetrics.stringWidth(label + "…", font, size) > width:
        label = label[:-1]
    return label + "…"


def _chart(chart: dict, cjk: bool, width: float, height: float) -> Drawing:
    """A bar or line chart with a legend, `width` points wide and its plot and legend `height` tall, over the same
    numbers as the section's table."""
    font = register_font()
    labels = [str(label) for label in chart["labels"]]
    series = chart["series"]
    data = [[value if value is not None else None for value in s["values"]] for s in series]
    slot = (width - 60) / max(len(labels), 1)
    wrapped = [_wrap_label(label, font, LABEL_SIZE, slot - 4) for label in labels]
    angle = 0
    lines = max((len(label) for label in wrapped), default=1)
    if lines > 3:
        # Too many categories for words under each: slanted, shortened labels (the table has them in full).
        angle = 40
        wrapped = [[_shorten(label, font, LABEL_SIZE, 70)] for label in labels]
        label_room = 55
    else:
        label_room = lines * (LABEL_SIZE + 1.5) + 8
    legend_room = 22
    drawing = Drawing(width, height + label_room)
    drawing.initialFontName = font  # else the renderer selects Helvetica, a font the PDF would not embed

    plot = VerticalBarChart() if chart.get("type", "bar") == "bar" else HorizontalLineChart()
    plot.x, plot.y = 40, label_room
    plot.width, plot.height = width - 60, height - legend_room
    plot.data = data
    plot.categoryAxis.categoryNames = ["\n".join(label) for label in wrapped]
    plot.categoryAxis.labels.fontName = font
    plot.categoryAxis.labels.fontSize = LABEL_SIZE
    plot.categoryAxis.labels.leading = LABEL_SIZE + 1.5
    if angle:
        plot.categoryAxis.labels.angle = angle
        plot.categoryAxis.labels.boxAnchor = "ne"
        plot.categoryAxis.labels.dx, plot.categoryAxis.labels.dy = 4, -2
    else:
        plot.categoryAxis.labels.boxAnchor = "n"
        plot.categoryAxis.labels.dy = -3
    plot.valueAxis.labels.fontName = font
    plot.valueAxis.labels.fontSize = 7.5
    values = [v for s in data for v in s if v is not None]
    plot.valueAxis.valueMin = min([0, *values])
    if values and max(values) > 0:
        plot.valueAxis.valueMax = max(values) * 1.12  # headroom for the value labels under the legend
    plot.valueAxis.visibleGrid = True
    plot.valueAxis.gridStrokeColor = RULE
    plot.valueAxis.gridStrokeWidth = 0.4
    for index in range(len(series)):
        colour = SERIES_COLOURS[index % len(SERIES_COLOURS)]
        if isinstance(plot, VerticalBarChart):
            plot.bars[index].fillColor = colour
            plot.bars[index].strokeColor = None
        else:
            plot.lines[index].strokeColor = colour
            plot.lines[index].strokeWidth = 1.5
    if isinstance(plot, VerticalBarChart):
        plot.barSpacing = 1
        plot.groupSpacing = 8
        # The value on top of each bar: the chart carries the table's numbers, readable without the axis.
        plot.barLabelFormat = lambda value: format_cell(value)
        plot.barLabels.fontName = font
        plot.barLabels.fontSize = 6.5
        plot.barLabels.nudge = 5
    else:
        plot.joinedLines = 1
        plot.lineLabelFormat = lambda value: format_cell(value)
        plot.lineLabels.fontName = font
        plot.lineLabels.fontSize = 6.5
        plot.lineLabels.dy = 5
    drawing.add(plot)

    legend = Legend()
    legend.fontName = font
    legend.fontSize = 8
    legend.alignment = "right"
    legend.columnMaximum = 1
    legend.dx = legend.dy = 7
    legend.deltax = max(pdfmetrics.stringWidth(s["name"], font, 8) for s in series) + 30 if series else 60
    legend.boxAnchor = "n"
    legend.x, legend.y = width / 2, height + label_room - 1
    legend.colorNamePairs = [(SERIES_COLOURS[i % len(SERIES_COLOURS)], str(s["name"])) for i, s in enumerate(series)]
    drawing.add(legend)
    return drawing


def _section(section: dict, styles: dict[str, ParagraphStyle], words: dict[str, str], cjk: bool) -> tuple[bool, list]:
    """The section's flowables, and whether they go on landscape pages (its table needs them)."""
    layout = table_layout(section) if section.get("rows") else None
    landscape_page = layout is not None and layout.landscape
    heading = Paragraph(escape(section["title"]), styles["heading"])
    heading.outline_key = f"section-{section['key']}"
    # The heading stays with its text and chart: no heading alone at the foot of a page.
    opening: list = [heading]
    opening += [_paragraph(text, styles["body"]) for text in section.get("paragraphs") or []]
    chart = section.get("chart")
    if chart and chart.get("labels") and chart.get("series"):
        # A landscape page is wider and shorter: a flatter chart leaves the table room on the same page.
        width, height = (LANDSCAPE_FRAME_WIDTH, 50 * mm) if landscape_page else (FRAME_WIDTH, 68 * mm)
        opening += [
            Paragraph(escape(chart.get("title", "")), styles["chart_title"]),
            _chart(chart, cjk, width, height),
        ]
        opening.append(Spacer(1, 4 * mm))
    story: list = [CondPageBreak(40 * mm), KeepTogether(opening)]
    if layout is not None:
        story.append(_table(layout, list(section.get("numeric") or [False] * len(layout.widths))))
    else:
        story.append(Paragraph(escape(words["none"]), styles["none"]))
    return landscape_page, story


def _title_page(snapshot: dict, styles: dict[str, ParagraphStyle]) -> list:
    story: list = [Spacer(1, 55 * mm), _paragraph(snapshot.get("title", ""), styles["title"])]
    if snapshot.get("subtitle"):
        story.append(_paragraph(snapshot["subtitle"], styles["subtitle"]))
    meta = snapshot.get("meta") or []
    if meta:
        rows = [
            [_paragraph(label, styles["meta_label"]), _paragraph(value, styles["meta_value"])] for label, value in meta
        ]
        table = Table(rows, colWidths=[45 * mm, 105 * mm], hAlign="CENTER")
        table.setStyle(
            TableStyle(
                [
                    ("FONTNAME", (0, 0), (-1, -1), FONT_NAME),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LINEABOVE", (0, 0), (-1, 0), 0.8, ACCENT),
                    ("LINEBELOW", (0, -1), (-1, -1), 0.8, ACCENT),
                    ("LINEBELOW", (0, 0), (-1, -2), 0.3, RULE),
                    ("TOPPADDING", (0, 0), (-1, -1), 4),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
                ]
            )
        )
        story.append(table)
    return story


def render_pdf(snapshot: dict) -> bytes:
    """The report as an A4 PDF: a title page, then each section's heading, text, chart and table."""
    cjk = snapshot.get("language") != "en"
    missing = missing_glyphs(snapshot)
    if missing:
        # A rare character outside the subset (scripts/subset_font.py adds the repository's own text): the PDF
        # still carries it as text, but it prints as a box. Say so, so that the font can be rebuilt with it.
        logger.warning("report PDF: no glyph in the embedded font for %s", missing, extra={"characters": missing})
    styles = _styles(cjk)
    words = _words(snapshot)
    story = _title_page(snapshot, styles)
    landscape_now: bool | None = None  # the title page is portrait, and every section starts on a new page after it
    for section in snapshot.get("sections") or []:
        landscape_page, flowables = _section(section, styles, words, cjk)
        if landscape_page != landscape_now:
            # A change of orientation starts a new page: landscape for a wide table, portrait again after it.
            story += [NextPageTemplate("landscape" if landscape_page else "page"), PageBreak()]
            landscape_now = landscape_page
        else:
            story.append(Spacer(1, 6 * mm))
        story += flowables
    buffer = io.BytesIO()
    _ReportDoc(buffer, snapshot).build(story)
    return buffer.getvalue()
