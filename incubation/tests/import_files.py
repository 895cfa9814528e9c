"""Spreadsheets for the tenant-import tests: the template's header and rows given as {column key: value}."""

from __future__ import annotations

import io
from typing import Any

from openpyxl import Workbook, load_workbook

from incubation.tenant_import import COLUMNS, header_text

VALID_USCC = "91310110666007217T"  # DOMAIN.md §6, worked example
OTHER_USCC = "91310115591693856A"


def tenant_row(**values: Any) -> dict[str, Any]:
    """A valid row: a registered company entering the big-data park's incubator."""
    row = {
        "name": "淄博齐创新材料科技有限公司",
        "uscc": VALID_USCC,
        "registered_on": "2023-03-01",
        "legal_representative": "张三",
        "contact_name": "李四",
        "contact_phone": "13805331234",
        "contact_email": "li@example.com",
        "industry_field": "人工智能",
        "carrier": "大数据产业园",
        "stage": "孵化器",
        "started_on": "2024-03-01",
        "planned_end_on": "2028-02-29",
        "agreement_no": "DSJ-2024-001",
        "note": "",
    }
    row.update(values)
    return row


def xlsx(rows: list[dict[str, Any]], *, header: list[str] | None = None) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header if header is not None else [header_text(column) for column in COLUMNS])
    for row in rows:
        sheet.append([row.get(column.key) for column in COLUMNS])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def fill_template(template: bytes, rows: list[dict[str, Any]]) -> bytes:
    """The portal's own template with `rows` typed into its first sheet."""
    workbook = load_workbook(io.BytesIO(template))
    sheet = workbook.worksheets[0]
    for row in rows:
        sheet.append([row.get(column.key) for column in COLUMNS])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
