"""Render a report snapshot as an XLSX workbook: a cover sheet, then one sheet per section with its notes above its
table. Numeric cells are numbers (not text), so the figures can be added up again. Reads only the snapshot."""

from __future__ import annotations

import io
import re
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

HEADER_FILL = PatternFill("solid", fgColor="EEF3FA")
BOLD = Font(bold=True)
_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def sheet_title(title: str, used: set[str]) -> str:
    """An Excel sheet name (≤ 31 characters, none of []:*?/\\), unique in the workbook."""
    base = _FORBIDDEN.sub(" ", title).strip()[:31] or "Sheet"
    name, n = base, 2
    while name in used:
        suffix = f" ({n})"
        name, n = base[: 31 - len(suffix)] + suffix, n + 1
    used.add(name)
    return name


def header_row(section: dict[str, Any]) -> int:
    """The row (1-based) of a section sheet's column headers: after the title, the notes and a blank row."""
    return 2 + len(section.get("paragraphs", [])) + 1


def render_xlsx(snapshot: dict[str, Any]) -> bytes:
    """The workbook of `snapshot` (REPORT_SNAPSHOT.md) as bytes."""
    workbook = Workbook()
    used: set[str] = set()
    cover = workbook.active
    cover.title = sheet_title(snapshot["title"], used)
    cover["A1"] = snapshot["title"]
    cover["A1"].font = Font(bold=True, size=14)
    cover["A2"] = snapshot["subtitle"]
    for index, (label, value) in enumerate(snapshot["meta"], start=4):
        cover.cell(row=index, column=1, value=str(label)).font = BOLD
        cover.cell(row=index, column=2, value=str(value))
    cover.column_dimensions["A"].width = 18
    cover.column_dimensions["B"].width = 70

    for section in snapshot["sections"]:
        sheet = workbook.create_sheet(sheet_title(section["title"], used))
        sheet["A1"] = section["title"]
        sheet["A1"].font = Font(bold=True, size=12)
        for offset, paragraph in enumerate(section.get("paragraphs", []), start=2):
            sheet.cell(row=offset, column=1, value=paragraph).alignment = Alignment(wrap_text=False)
        first = header_row(section)
        numeric = section.get("numeric") or [False] * len(section["columns"])
        widths = [len(str(c)) * 2 + 2 for c in section["columns"]]
        for column, text in enumerate(section["columns"], start=1):
            cell = sheet.cell(row=first, column=column, value=str(text))
            cell.font, cell.fill = BOLD, HEADER_FILL
            cell.alignment = Alignment(horizontal="right" if numeric[column - 1] else "left", wrap_text=True)
        for r, row in enumerate(section["rows"], start=first + 1):
            for c, value in enumerate(row, start=1):
                cell = sheet.cell(row=r, column=c, value=value)
                if isinstance(value, float):
                    cell.number_format = "#,##0.00"
                elif isinstance(value, int):
                    cell.number_format = "#,##0"
                elif isinstance(value, str):
                    widths[c - 1] = max(widths[c - 1], min(len(value) * 2, 60))
        for c, width in enumerate(widths, start=1):
            sheet.column_dimensions[get_column_letter(c)].width = max(10, min(width, 60))
        sheet.freeze_panes = sheet.cell(row=first + 1, column=1)
        if section["rows"]:
            sheet.auto_filter.ref = (
                f"A{first}:{get_column_letter(len(section['columns']))}{first + len(section['rows'])}"
            )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
