"""The tenant roster as a spreadsheet: every row the roster shows the user (same selector, filters and order), in
XLSX (openpyxl, write-only) or CSV (UTF-8 with a BOM, so Excel reads the Chinese)."""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any
from urllib.parse import quote

from django.http import HttpResponse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from incubation.models import Residency

# (header, value of a residency, column width in the XLSX)
COLUMNS: list[tuple[Promise, Callable[[Residency], Any], int]] = [
    (gettext_lazy("Enterprise"), lambda r: r.enterprise.name, 34),
    (gettext_lazy("Unified social credit code"), lambda r: r.enterprise.uscc or "", 22),
    (gettext_lazy("Carrier"), lambda r: r.carrier.display_name, 26),
    (gettext_lazy("Stage"), lambda r: r.get_stage_display(), 10),
    (gettext_lazy("Industry field"), lambda r: r.enterprise.industry_field.display_name
     if r.enterprise.industry_field else "", 18),
    (gettext_lazy("Start date"), lambda r: r.started_on, 12),
    (gettext_lazy("Planned end date"), lambda r: r.planned_end_on, 12),
    (gettext_lazy("Months in residence"), lambda r: r.months_in_residence, 10),
    (gettext_lazy("Area let (m²)"), lambda r: r.area_let, 12),
    (gettext_lazy("Units let"), lambda r: units(r), 24),
    (gettext_lazy("Qualifications"), lambda r: qualifications(r), 40),
    (gettext_lazy("Agreement number"), lambda r: r.agreement_no, 18),
]  # fmt: skip


def units(residency: Residency) -> str:
    return "、".join(f"{a.unit.building.name} {a.unit.code}" for a in residency.units_let_today)


def qualifications(residency: Residency) -> str:
    """Tech-based SME registrations of this year and last, and valid high-tech certificates, in words."""
    parts = []
    enterprise = residency.enterprise
    if enterprise.recent_tech_sme:
        years = "、".join(str(registration.year) for registration in enterprise.recent_tech_sme)
        parts.append(_("Tech-based SME (%(years)s)") % {"years": years})
    parts.extend(
        _("High-tech enterprise (certificate %(number)s, valid until %(date)s)")
        % {"number": certificate.certificate_no, "date": certificate.expires_on.isoformat()}
        for certificate in enterprise.valid_hte
    )
    return "；".join(parts)


def headers() -> list[str]:
    return [str(label) for label, _value, _width in COLUMNS]


def rows(residencies: Iterable[Residency]) -> Iterable[list[Any]]:
    for residency in residencies:
        yield [value(residency) for _label, value, _width in COLUMNS]


def _safe_text(value: str) -> str:
    """Text a spreadsheet must not run as a formula (CSV injection): a leading =, +, -, @ is quoted."""
    return f"'{value}" if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def as_csv(residencies: Iterable[Residency]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(headers())
    for row in rows(residencies):
        writer.writerow(
            [
                value.isoformat()
                if isinstance(value, datetime.date)
                else _safe_text(value)
                if isinstance(value, str)
                else ("" if value is None else value)
                for value in row
            ]
        )
    return buffer.getvalue().encode("utf-8-sig")


def as_xlsx(residencies: Iterable[Residency], *, title: str) -> bytes:
    # local import: heavy (openpyxl loaded only when exporting)
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title[:31])
    for index, (_label, _value, width) in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header = []
    for text in headers():
        cell = WriteOnlyCell(sheet, value=text)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    for row in rows(residencies):
        cells = []
        for value in row:
            if isinstance(value, datetime.date):
                cell = WriteOnlyCell(sheet, value=value)
                cell.number_format = "yyyy-mm-dd"
            elif isinstance(value, Decimal):
                cell = WriteOnlyCell(sheet, value=value)
                cell.number_format = "0.00"
            else:
                cell = WriteOnlyCell(sheet, value=value)
                if isinstance(value, str) and value.startswith("="):
                    cell.data_type = "s"  # text, never a formula
            cells.append(cell)
        sheet.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def file_name(extension: str, today: datetime.date) -> str:
    """在孵企业名册-2026-11-26.xlsx (in English: tenant-roster-2026-11-26.xlsx)."""
    name = _("tenant-roster")
    return f"{name}-{today.isoformat()}.{extension}"


def content_disposition(name: str, fallback: str) -> str:
    """An attachment header with an ASCII name for old clients and the real name (RFC 5987/6266) for the rest."""
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"


def download(content: bytes, *, content_type: str, name: str, fallback: str):
    """An HTTP response that downloads `content` as `name` (ASCII `fallback` for old clients)."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition(name, fallback)
    response["Cache-Control"] = "no-store"
    return response
