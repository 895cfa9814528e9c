"""The Torch statistics export as an XLSX workbook: 孵化载体 (one row per incubator), 在孵企业 (one row per tenant)
and 说明 (where each field comes from, and which §7 fields the portal does not record)."""

from __future__ import annotations

import io
from decimal import Decimal

from django.conf import settings
from django.urls import reverse

from incubation.roster_export import download as attachment
from targets.reporting.torch import INCUBATOR_COLUMNS, RETURN_COLUMNS, TENANT_COLUMNS, Column, TorchExport

NUMBER_FORMATS = {"money": "#,##0.0", "area": "#,##0.00", "count": "0"}
SHEET_INCUBATORS = "孵化载体"
SHEET_TENANTS = "在孵企业"
SHEET_NOTES = "说明"


CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def file_name(year: int) -> str:
    return f"火炬统计-{year}.xlsx"


def download(export: TorchExport):
    """The workbook as an HTTP attachment (火炬统计-Y.xlsx; torch-statistics-Y.xlsx for old clients)."""
    return attachment(
        render_torch_xlsx(export),
        content_type=CONTENT_TYPE,
        name=file_name(export.year),
        fallback=f"torch-statistics-{export.year}.xlsx",
    )


def _sheet(workbook, title: str, heading: str, columns: list[Column], rows: list[dict]) -> None:
    # local import: heavy (openpyxl loaded only when exporting)
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    sheet = workbook.create_sheet(title)
    for index, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    sheet.freeze_panes = "C3" if title == SHEET_TENANTS else "B3"
    title_cell = WriteOnlyCell(sheet, value=heading)
    title_cell.font = Font(bold=True, size=13)
    sheet.append([title_cell])
    header_fill = PatternFill("solid", fgColor="E3EBF5")
    by_hand_fill = PatternFill("solid", fgColor="FFF4DB")  # filled from the carriers' returns, entered by hand
    header = []
    for column in columns:
        cell = WriteOnlyCell(sheet, value=column.header)
        cell.font = Font(bold=True)
        cell.fill = by_hand_fill if column.key in RETURN_COLUMNS else header_fill
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        header.append(cell)
    sheet.append(header)
    for row in rows:
        cells = []
        for column in columns:
            value = row.get(column.key)
            cell = WriteOnlyCell(sheet, value=value)
            if isinstance(value, str):
                cell.data_type = "s"  # a name starting with "=" stays text, never a formula
            elif isinstance(value, int | Decimal):
                cell.number_format = NUMBER_FORMATS[column.kind]
            cells.append(cell)
        sheet.append(cells)


def _notes(workbook, export: TorchExport) -> None:
    # local import: heavy (openpyxl loaded only when exporting)
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font

    sheet = workbook.create_sheet(SHEET_NOTES)
    sheet.column_dimensions["A"].width = 12
    sheet.column_dimensions["B"].width = 36
    sheet.column_dimensions["C"].width = 80
    bold = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    lines = [
        f"{export.year} 年度火炬统计：孵化载体与在孵企业数据，字段按科技部火炬高技术产业开发中心年度火炬统计调查中"
        "孵化载体及在孵企业的统计口径填列。",
        "金额单位为千元：企业填报的万元 × 10，保留一位小数；面积单位为平方米。",
        "在孵企业：当年任一时间入驻所列载体的企业，按其当年最后一次入驻的载体列示；企业数据只取当年已审核的年度经营数据"
        "（现行版本），未审核或未填报的企业只列状态、不填数字。",
        f"指标口径与平台“目标与指标”页面一致：{settings.PORTAL_BASE_URL}{reverse('targets:indicators')}。",
    ]
    for line in lines:
        cell = WriteOnlyCell(sheet, value=line)
        cell.alignment = Alignment(wrap_text=False)
        sheet.append([cell])
    sheet.append([])
    header = []
    for text in ("工作表", "字段", "来源与口径"):
        cell = WriteOnlyCell(sheet, value=text)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    for sheet_name, columns in ((SHEET_INCUBATORS, INCUBATOR_COLUMNS), (SHEET_TENANTS, TENANT_COLUMNS)):
        for column in columns:
            if not column.note:
                continue
            cells = [WriteOnlyCell(sheet, value=text) for text in (sheet_name, column.header, column.note)]
            for cell in cells:
                cell.alignment = wrap
            sheet.append(cells)


def render_torch_xlsx(export: TorchExport) -> bytes:
    # local import: heavy (openpyxl loaded only when exporting)
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    _sheet(
        workbook,
        SHEET_INCUBATORS,
        f"{export.year} 年度火炬统计 · 孵化载体（金额单位：千元）",
        INCUBATOR_COLUMNS,
        export.incubators,
    )
    _sheet(
        workbook,
        SHEET_TENANTS,
        f"{export.year} 年度火炬统计 · 在孵企业（金额单位：千元）",
        TENANT_COLUMNS,
        export.tenants,
    )
    _notes(workbook, export)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
