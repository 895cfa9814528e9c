"""Importing existing tenants (在孵企业) from the portal's XLSX template.

Three steps, each a function here:
- `template_workbook(user=)`: the template to fill in, with the carriers, stages and focus fields to choose from;
- `tenant_import_preview(by=, file_name=, content=)`: read the file, check every row against the portal, and store
  the result as a draft `TenantImport`. Nothing is written to enterprises or residencies;
- `tenant_import_apply(tenant_import=, by=)`: write exactly the previewed rows, once, in one transaction, through the
  enterprise and residency services. A file with any row in error is not applied: staff correct it and upload again.

Rows are matched to the portal by USCC (a team, without one, by its exact name), so importing the same file twice
creates nothing the second time.
"""

from __future__ import annotations

import dataclasses
import datetime
import hashlib
import io
import re
import zipfile
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import EmailValidator
from django.db import transaction
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.access import ensure_allowed
from accounts.audit import record
from accounts.models import AuditAction
from accounts.roles import can
from accounts.validators import validate_mainland_phone
from enterprises import services as enterprise_services
from enterprises.choices import EnterpriseKind
from enterprises.models import Enterprise
from enterprises.uscc import normalise_uscc, uscc_problem
from incubation.models import Residency, TenantImport, TenantImportStatus
from incubation.services import residency_open
from parks.choices import Stage
from parks.models import Carrier, FocusField

MAX_ROWS = 5000
MAX_BYTES = 5 * 1024 * 1024
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class RowStatus:
    """What confirming would do with a row."""

    NEW = "new"  # a new enterprise, and its residency
    UPDATE = "update"  # an enterprise already in the portal: details changed and/or a residency opened
    UNCHANGED = "unchanged"  # already in the portal as the file says
    ERROR = "error"  # not importable as it stands

    LABELS = {
        NEW: gettext_lazy("New enterprise and residency"),
        UPDATE: gettext_lazy("Update existing"),
        UNCHANGED: gettext_lazy("Unchanged"),
        ERROR: gettext_lazy("Error"),
    }
    ORDER = (ERROR, NEW, UPDATE, UNCHANGED)


@dataclasses.dataclass(frozen=True)
class Column:
    key: str
    label: Promise
    width: int
    required: bool = False
    is_date: bool = False
    max_length: int | None = None


COLUMNS = [
    Column("name", gettext_lazy("enterprise name"), 32, required=True, max_length=200),
    Column("uscc", gettext_lazy("unified social credit code"), 24),
    Column("registered_on", gettext_lazy("registration date"), 14, is_date=True),
    Column("legal_representative", gettext_lazy("legal representative"), 14, max_length=60),
    Column("contact_name", gettext_lazy("contact person"), 14, max_length=60),
    Column("contact_phone", gettext_lazy("contact phone"), 18, max_length=30),
    Column("contact_email", gettext_lazy("contact email"), 26, max_length=254),
    Column("industry_field", gettext_lazy("industry focus field"), 20),
    Column("carrier", gettext_lazy("carrier"), 28, required=True),
    Column("stage", gettext_lazy("stage"), 12, required=True),
    Column("started_on", gettext_lazy("start date"), 14, required=True, is_date=True),
    Column("planned_end_on", gettext_lazy("planned end date"), 14, is_date=True),
    Column("agreement_no", gettext_lazy("agreement number"), 18, max_length=60),
    Column("note", gettext_lazy("note"), 32, max_length=200),
]
COLUMN_BY_KEY = {column.key: column for column in COLUMNS}
# Enterprise details the import sets; a blank cell leaves the portal's value as it is.
ENTERPRISE_KEYS = (
    "name", "uscc", "registered_on", "legal_representative", "contact_name", "contact_phone", "contact_email",
    "industry_field",
)  # fmt: skip
RESIDENCY_KEYS = ("carrier", "stage", "started_on", "planned_end_on", "agreement_no", "note")


def _both_languages(text) -> set[str]:
    forms = set()
    for language in ("zh-hans", "en"):
        with translation.override(language):
            forms.add(_squash(str(text)))
    return forms


def _squash(text: str) -> str:
    """A header or choice as people type it: no spaces, no required-marker, case-insensitive."""
    return re.sub(r"[\s*＊]", "", text).lower()


def header_text(column: Column) -> str:
    return f"{str(column.label).capitalize()} *" if column.required else str(column.label).capitalize()


# --- The template -------------------------------------------------------------------------------------------------


def importable_carriers(user):
    """The carriers `user` may import tenants into (park staff: the ones they manage)."""
    return Carrier.objects.for_user(user, "change").order_by("sort_order", "id")


def _header_row(sheet, font, fill) -> None:
    """The tenants sheet's header: one column per COLUMNS entry, sized, dates and codes formatted, frozen."""
    # local import: heavy (openpyxl loaded only when exporting)
    from openpyxl.utils import get_column_letter

    sheet.append([header_text(column) for column in COLUMNS])
    for index, column in enumerate(COLUMNS, start=1):
        cell = sheet.cell(row=1, column=index)
        cell.font, cell.fill = font, fill
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = column.width
        if column.is_date:
            sheet.column_dimensions[letter].number_format = "yyyy-mm-dd"
        if column.key in ("uscc", "contact_phone", "agreement_no"):
            sheet.column_dimensions[letter].number_format = "@"  # text: Excel must not turn codes into numbers
    sheet.freeze_panes = "A2"


def template_workbook(*, user) -> bytes:
    """The XLSX template: a header row, drop-downs for carrier, stage and focus field, and an instructions sheet
    with an example row."""
    # local import: heavy (openpyxl loaded only when exporting)
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    carriers = [carrier.name for carrier in importable_carriers(user)]
    stages = [str(label) for label in Stage.labels]
    fields = list(FocusField.objects.filter(parent__isnull=False).order_by("parent__sort_order", "sort_order", "id"))
    field_names = [field.name for field in fields]

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Tenants")
    lists = workbook.create_sheet(_("Lists"))
    notes = workbook.create_sheet(_("Instructions"))

    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDEBF7")
    _header_row(sheet, bold, fill)

    for index, (title, values) in enumerate(
        ((_("carrier"), carriers), (_("stage"), stages), (_("industry focus field"), field_names)), start=1
    ):
        lists.cell(row=1, column=index, value=title.capitalize()).font = bold
        lists.column_dimensions[get_column_letter(index)].width = 30
        for row, value in enumerate(values, start=2):
            lists.cell(row=row, column=index, value=value)

    def dropdown(key: str, list_column: str, count: int) -> None:
        if not count:
            return
        letter = get_column_letter(list(COLUMN_BY_KEY).index(key) + 1)
        validation = DataValidation(
            type="list",
            formula1=f"'{lists.title}'!${list_column}$2:${list_column}${count + 1}",
            allow_blank=True,
            showErrorMessage=True,
            errorTitle=_("Not in the list"),
            error=_("Choose a value from the list (sheet “%(sheet)s”).") % {"sheet": lists.title},
        )
        validation.add(f"{letter}2:{letter}{MAX_ROWS + 1}")
        sheet.add_data_validation(validation)

    dropdown("carrier", "A", len(carriers))
    dropdown("stage", "B", len(stages))
    dropdown("industry_field", "C", len(field_names))

    example = _example_row(carriers[0] if carriers else "", field_names[0] if field_names else "")
    notes.append([_("Column"), _("Required"), _("What to write"), _("Example")])
    for cell in notes[1]:
        cell.font, cell.fill = bold, fill
    for column in COLUMNS:
        notes.append(
            [header_text(column), _("yes") if column.required else "", str(HELP[column.key]), example[column.key]]
        )
    notes.append([])
    for line in GENERAL_NOTES:
        notes.append([str(line)])
    for letter, width in zip("ABCD", (24, 8, 70, 30), strict=True):
        notes.column_dimensions[letter].width = width
    for row in notes.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")

    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _example_row(carrier: str, field: str) -> dict[str, Any]:
    return {
        "name": "淄博齐创新材料科技有限公司",
        "uscc": "91370305MA3C4D5E6B",
        "registered_on": "2023-03-01",
        "legal_representative": "张三",
        "contact_name": "李四",
        "contact_phone": "13805331234",
        "contact_email": "contact@example.com",
        "industry_field": field,
        "carrier": carrier,
        "stage": str(Stage.INCUBATOR.label),
        "started_on": "2024-03-01",
        "planned_end_on": "2028-02-29",
        "agreement_no": "QZH-2024-017",
        "note": "",
    }


HELP = {
    "name": gettext_lazy("The registered name, or the team's name."),
    "uscc": gettext_lazy("18 characters. Leave empty for a team that is not registered yet."),
    "registered_on": gettext_lazy("Required for a registered company. A date, e.g. 2023-03-01."),
    "legal_representative": gettext_lazy("Optional."),
    "contact_name": gettext_lazy("Optional."),
    "contact_phone": gettext_lazy("A mobile number or a landline with its area code."),
    "contact_email": gettext_lazy("Optional."),
    "industry_field": gettext_lazy("A focus field from the sheet “Lists”."),
    "carrier": gettext_lazy("A carrier from the sheet “Lists” (its name or code)."),
    "stage": gettext_lazy("Seedbed, incubator, accelerator or industrial park; the carrier must offer it."),
    "started_on": gettext_lazy("When the residency began."),
    "planned_end_on": gettext_lazy("Optional; after the start date."),
    "agreement_no": gettext_lazy("Optional."),
    "note": gettext_lazy("Optional."),
}
GENERAL_NOTES = [
    gettext_lazy("Fill in the first sheet, one enterprise per row, from the second row on; keep the header row."),
    gettext_lazy("Enterprises are matched by their code (a team by its exact name): a row for an enterprise already "
                 "in the portal updates it, and an empty cell keeps the portal's value."),
    gettext_lazy("An enterprise already in residence at another carrier or stage is not moved by the import: use "
                 "promotion or transfer on its page."),
    gettext_lazy("At most 5,000 rows per file."),
]  # fmt: skip


# --- Reading the file ---------------------------------------------------------------------------------------------


def read_workbook(content: bytes) -> tuple[list[str | None], list[tuple[int, tuple]]]:
    """The header row and the non-empty data rows (line number, values) of the file's first sheet. Raises
    ValidationError with a message a user can act on when the file is not an XLSX workbook or is too long."""
    # local import: heavy (openpyxl loaded only when importing)
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    if len(content) > MAX_BYTES:
        raise ValidationError(_("The file is larger than 5 MB; split it into several files."))
    if content[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise ValidationError(
            _("This is an old Excel file (.xls). Open it in Excel or WPS and save it as an .xlsx workbook.")
        )
    if content[:4] != b"PK\x03\x04":
        raise ValidationError(
            _("This file is not an Excel workbook (.xlsx). Download the template and fill it in, then upload it.")
        )
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError, TypeError) as error:
        raise ValidationError(
            _("This file cannot be read as an Excel workbook (.xlsx); it may be damaged or of another kind.")
        ) from error
    try:
        sheet = workbook.worksheets[0]
        rows = sheet.iter_rows(values_only=True)
        header = list(next(rows, ()))
        data: list[tuple[int, tuple]] = []
        for line, values in enumerate(rows, start=2):
            if all(value is None or (isinstance(value, str) and not value.strip()) for value in values):
                continue
            if len(data) == MAX_ROWS or line > 4 * MAX_ROWS:  # (mostly blank lines count too: bound the work)
                raise ValidationError(
                    _("The file has more than %(max)s rows of data; split it into several files.")
                    % {"max": f"{MAX_ROWS:,}"}
                )
            data.append((line, tuple(values)))
    finally:
        workbook.close()
    return header, data


def map_header(header: list[str | None]) -> dict[str, int]:
    """Which position holds each column, recognised by its Chinese or English name. Raises ValidationError naming
    the missing required columns."""
    known = {form: column.key for column in COLUMNS for form in _both_languages(column.label) | {column.key}}
    positions: dict[str, int] = {}
    for index, title in enumerate(header):
        key = known.get(_squash(str(title))) if title is not None else None
        if key is not None and key not in positions:
            positions[key] = index
    missing = [header_text(column) for column in COLUMNS if column.required and column.key not in positions]
    if missing:
        raise ValidationError(
            _("The first row must hold the template's column names; these are missing: %(columns)s.")
            % {"columns": "、".join(missing)}
        )
    return positions


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value).strip()


DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日", "%Y%m%d")


def _date(value: Any) -> datetime.date | None:
    """A date from a cell: an Excel date, a serial number, or text such as 2024-03-01, 2024/3/1 or 2024年3月1日."""
    # local import: heavy (openpyxl loaded only when importing)
    from openpyxl.utils.datetime import from_excel

    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, int | float) and 1 <= value < 2958466:
        converted = from_excel(value)
        return converted.date() if isinstance(converted, datetime.datetime) else converted
    text = _text(value).replace(" ", "")
    for form in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, form).date()  # noqa: DTZ007 (a calendar date, no time)
        except ValueError:
            continue
    return None


@dataclasses.dataclass
class Reference:
    """The carriers, stages and focus fields rows are matched against, loaded once per file."""

    carriers: dict[str, list[Carrier]]
    carriers_by_id: dict[int, Carrier]
    fields: dict[str, list[FocusField]]
    fields_by_id: dict[int, FocusField]
    stages: dict[str, str]

    @classmethod
    def load(cls) -> Reference:
        carriers: dict[str, list[Carrier]] = defaultdict(list)
        carriers_by_id = {}
        for carrier in Carrier.objects.order_by("sort_order", "id"):
            carriers_by_id[carrier.pk] = carrier
            for form in {_squash(carrier.name), _squash(carrier.name_en), _squash(carrier.code)} - {""}:
                carriers[form].append(carrier)
        fields: dict[str, list[FocusField]] = defaultdict(list)
        fields_by_id = {}
        for field in FocusField.objects.select_related("parent").order_by("parent__sort_order", "sort_order", "id"):
            fields_by_id[field.pk] = field
            for form in {_squash(field.name), _squash(field.name_en)} - {""}:
                fields[form].append(field)
                if field.parent is not None:
                    fields[f"{_squash(field.parent.name)}/{form}"].append(field)
        stages = {}
        for stage in Stage:
            for form in _both_languages(stage.label) | {stage.value}:
                stages[form] = stage.value
        return cls(carriers, carriers_by_id, fields, fields_by_id, stages)


def clean_row(line: int, values: tuple, positions: dict[str, int], reference: Reference) -> dict:
    """One row checked on its own: its cells as read (`cells`), its cleaned values (`data`: ids for carrier and
    field, ISO dates) and what is wrong with it (`errors`). Checks against other rows and the portal come later."""
    raw = {key: values[index] if index < len(values) else None for key, index in positions.items()}
    cells = {column.key: _text(raw.get(column.key)) for column in COLUMNS}
    errors: list[str] = []
    data: dict[str, Any] = {}

    def fail(key: str, message: str) -> None:
        errors.append(f"{str(COLUMN_BY_KEY[key].label).capitalize()}：{message}")

    _clean_texts(cells, data, fail)
    _clean_uscc(raw, data, fail)
    _clean_dates(raw, cells, data, fail)
    if data["uscc"] and not data["registered_on"] and not any(e.startswith(_label("registered_on")) for e in errors):
        fail("registered_on", _("required for a registered company (a row with a code)."))
    if data["started_on"] and data["planned_end_on"] and data["planned_end_on"] <= data["started_on"]:
        fail("planned_end_on", _("The planned end date must come after the start date."))
    _clean_contacts(data, fail)
    data["industry_field"] = _clean_field(data["industry_field"], reference, fail)
    carrier = _clean_carrier(data["carrier"], reference, fail)
    data["carrier"] = carrier.pk if carrier else None
    data["stage"] = _clean_stage(data["stage"], carrier, reference, fail)

    cells["contact_phone"] = mask_phone(cells["contact_phone"])  # cells are for display: phones stay masked
    return {"line": line, "cells": cells, "data": data, "errors": errors, "notes": []}


def _clean_texts(cells: dict[str, str], data: dict[str, Any], fail: Callable[[str, str], None]) -> None:
    """The text columns: required ones filled in, none too long."""
    for column in COLUMNS:
        if column.is_date:
            continue
        text = cells[column.key]
        if column.required and not text:
            fail(column.key, _("required."))
        elif column.max_length and len(text) > column.max_length:
            fail(column.key, _("at most %(count)d characters.") % {"count": column.max_length})
        data[column.key] = text


def _clean_uscc(raw: dict[str, Any], data: dict[str, Any], fail: Callable[[str, str], None]) -> None:
    # USCC: a number cell has lost its last digits in Excel already.
    if isinstance(raw.get("uscc"), int | float):
        fail("uscc", _("stored as a number, so Excel may have changed its last digits; format the column as text "
                       "and type the code again."))  # fmt: skip
        data["uscc"] = ""
    elif data["uscc"]:
        data["uscc"] = normalise_uscc(data["uscc"])
        problem = uscc_problem(data["uscc"])
        if problem:
            fail("uscc", problem)


def _clean_dates(
    raw: dict[str, Any], cells: dict[str, str], data: dict[str, Any], fail: Callable[[str, str], None]
) -> None:
    """The date columns as ISO dates (None when empty or not a date), shown as read."""
    for column in COLUMNS:
        if not column.is_date:
            continue
        value = raw.get(column.key)
        if value is None or (isinstance(value, str) and not value.strip()):
            data[column.key] = None
            if column.required:
                fail(column.key, _("required."))
            continue
        date = _date(value)
        if date is None:
            fail(column.key, _("“%(value)s” is not a date; write it as 2024-03-01.") % {"value": cells[column.key]})
            data[column.key] = None
        else:
            data[column.key] = date.isoformat()
            cells[column.key] = date.isoformat()


def _clean_contacts(data: dict[str, Any], fail: Callable[[str, str], None]) -> None:
    if data["contact_phone"]:
        try:
            validate_mainland_phone(data["contact_phone"])
        except ValidationError as error:
            fail("contact_phone", " ".join(error.messages))
    if data["contact_email"]:
        try:
            EmailValidator()(data["contact_email"])
        except ValidationError as error:
            fail("contact_email", " ".join(error.messages))


def _clean_field(text: str, reference: Reference, fail: Callable[[str, str], None]) -> int | None:
    """The id of the focus field named `text` (a field, or industry/field), None when empty or unknown."""
    if not text:
        return None
    matches = list({f.pk: f for f in reference.fields.get(_squash(text).replace("／", "/"), [])}.values())
    if len(matches) > 1 and len([f for f in matches if f.parent_id]) == 1:
        matches = [f for f in matches if f.parent_id]  # 大数据 the field, not 大数据 the industry
    if not matches:
        fail("industry_field", _("“%(value)s” is not a focus field of the portal; choose one from the sheet "
                                 "“Lists”.") % {"value": text})  # fmt: skip
        return None
    if len({field.pk for field in matches}) > 1:
        params = {"value": text, "example": f"{matches[0].parent}/{matches[0].name}"}
        fail("industry_field", _("“%(value)s” is in more than one industry; write it as industry/field, e.g. "
                                 "%(example)s.") % params)  # fmt: skip
        return None
    return matches[0].pk


def _clean_carrier(text: str, reference: Reference, fail: Callable[[str, str], None]) -> Carrier | None:
    if not text:
        return None
    matches = reference.carriers.get(_squash(text), [])
    if len(matches) == 1:
        return matches[0]
    fail("carrier", _("“%(value)s” is not a carrier of the portal; use one of: %(carriers)s.") % {
        "value": text, "carriers": "、".join(c.name for c in reference.carriers_by_id.values()),
    })  # fmt: skip
    return None


def _clean_stage(
    text: str, carrier: Carrier | None, reference: Reference, fail: Callable[[str, str], None]
) -> str | None:
    """The stage named `text`, if `carrier` (when known) offers it."""
    if not text:
        return None
    stage = reference.stages.get(_squash(text))
    if stage is None:
        fail("stage", _("“%(value)s” is not a stage; use one of: %(stages)s.") % {
            "value": text, "stages": "、".join(str(label) for label in Stage.labels),
        })  # fmt: skip
    elif carrier is not None and stage not in carrier.stages:
        fail("stage", _("%(carrier)s does not offer this stage; choose one of: %(stages)s.") % {
            "carrier": carrier.name, "stages": "、".join(str(label) for label in carrier.stage_labels()),
        })  # fmt: skip
    return stage


def mask_phone(phone: str) -> str:
    """138****1234: phone numbers are shown masked (DOMAIN.md §8)."""
    return f"{phone[:3]}****{phone[-4:]}" if len(phone) >= 8 else phone


def _label(key: str) -> str:
    return str(COLUMN_BY_KEY[key].label).capitalize()


# --- Checking rows against each other and the portal -------------------------------------------------------------


def plan_rows(rows: list[dict], *, user, reference: Reference) -> None:
    """Decide, for each row without errors of its own, what confirming would do, and explain why a row cannot be
    imported: a code twice in the file, an enterprise in residence elsewhere, a carrier the user does not manage, a
    new enterprise the user's role may not register. Sets each row's status, enterprise and actions, in a fixed
    number of queries whatever the number of rows."""
    candidates = [row for row in rows if not row["errors"]]
    _flag_duplicates(candidates)
    usccs = {row["data"]["uscc"] for row in candidates if row["data"]["uscc"]}
    names = {row["data"]["name"] for row in candidates if not row["data"]["uscc"]}
    by_uscc = {e.uscc: e for e in Enterprise.objects.filter(uscc__in=usccs)} if usccs else {}
    by_name: dict[str, list[Enterprise]] = defaultdict(list)
    for enterprise in Enterprise.objects.filter(name__in=names) if names else []:
        by_name[enterprise.name].append(enterprise)
    known_ids = {e.pk for e in by_uscc.values()} | {e.pk for found in by_name.values() for e in found}
    open_residencies = {
        residency.enterprise_id: residency
        for residency in Residency.objects.current().filter(enterprise_id__in=known_ids).select_related("carrier")
    }
    changeable = set(Enterprise.objects.for_user(user, "change").filter(pk__in=known_ids).values_list("pk", flat=True))
    may_register = can(user, "add", Enterprise)
    allowed_carriers = set(Carrier.objects.for_user(user, "change").values_list("pk", flat=True))

    for row in rows:
        if row["errors"]:
            row.update(status=RowStatus.ERROR, enterprise_id=None, enterprise_action="", residency_action="",
                       changes={})  # fmt: skip
            continue
        data = row["data"]
        enterprise = _known_enterprise(row, by_uscc, by_name)
        carrier = reference.carriers_by_id[data["carrier"]]
        if data["carrier"] not in allowed_carriers:
            _error(row, _("You may import tenants only into the carriers you manage; %(carrier)s is not one of them.")
                   % {"carrier": carrier.name})  # fmt: skip

        changes: dict[str, list] = {}
        if enterprise is None:
            enterprise_action = "create"
            if not may_register:
                _error(row, _("This enterprise is not in the portal yet, and your role may not register enterprises: "
                              "ask the operating company to register it first."))  # fmt: skip
        else:
            changes = _changes(enterprise, data, reference)
            enterprise_action = "update" if changes else "keep"
            if changes and enterprise.pk not in changeable:
                row["notes"].append(
                    _("The file's details differ from the portal's (%(fields)s); your role may not change enterprise "
                      "records, so the portal's are kept.") % {"fields": "、".join(_label(key) for key in changes)}
                )  # fmt: skip
                changes, enterprise_action = {}, "keep"

        current = open_residencies.get(enterprise.pk) if enterprise is not None else None
        residency_action = _residency_action(row, current)
        if row["errors"]:
            status = RowStatus.ERROR
        elif enterprise_action == "create":
            status = RowStatus.NEW
        elif enterprise_action == "update" or residency_action == "open":
            status = RowStatus.UPDATE
        else:
            status = RowStatus.UNCHANGED
        row.update(
            status=status, enterprise_id=enterprise.pk if enterprise else None, enterprise_action=enterprise_action,
            residency_action=residency_action, changes=changes,
        )  # fmt: skip


def _known_enterprise(
    row: dict, by_uscc: dict[str, Enterprise], by_name: dict[str, list[Enterprise]]
) -> Enterprise | None:
    """The enterprise of the portal a row names: by its code, else the one team of that name (a row without a
    code that names a company, or several teams, is an error)."""
    data = row["data"]
    if data["uscc"]:
        return by_uscc.get(data["uscc"])
    teams = [e for e in by_name.get(data["name"], []) if e.kind == EnterpriseKind.TEAM]
    companies = [e for e in by_name.get(data["name"], []) if e.kind == EnterpriseKind.COMPANY]
    if len(teams) > 1:
        _error(row, _("More than one team in the portal is called “%(name)s”; rename one of them first.")
               % {"name": data["name"]})  # fmt: skip
    elif teams:
        return teams[0]
    elif companies:
        _error(row, _("“%(name)s” is registered in the portal with the code %(uscc)s: fill in its code.")
               % {"name": data["name"], "uscc": companies[0].uscc})  # fmt: skip
    return None


def _residency_action(row: dict, current: Residency | None) -> str:
    """ "open" a residency, or "keep" the open one at the row's carrier and stage; one elsewhere is an error."""
    data = row["data"]
    if current is None:
        return "open"
    if current.carrier_id == data["carrier"] and current.stage == data["stage"]:
        if current.started_on.isoformat() != data["started_on"]:
            row["notes"].append(
                _("Already in residence here since %(date)s; that residency is kept as it is.")
                % {"date": current.started_on.isoformat()}
            )
        return "keep"
    _error(row, _("Already in residence at %(carrier)s (%(stage)s) since %(date)s; the import does not "
                  "move tenants: record a promotion or transfer on the enterprise's page.") % {
        "carrier": current.carrier.name, "stage": current.get_stage_display(),
        "date": current.started_on.isoformat(),
    })  # fmt: skip
    return "open"


def _error(row: dict, message: str) -> None:
    row["errors"].append(message)


def _flag_duplicates(rows: list[dict]) -> None:
    """The same code (or, for teams, the same name) on more than one row: each such row says which others."""
    seen: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for row in rows:
        data = row["data"]
        seen[("uscc", data["uscc"]) if data["uscc"] else ("team", data["name"])].append(row)
    for (kind, _value), group in seen.items():
        if len(group) < 2:
            continue
        for row in group:
            others = "、".join(str(other["line"]) for other in group if other is not row)
            if kind == "uscc":
                _error(row, _("The same code is on row %(rows)s too; list each enterprise once.") % {"rows": others})
            else:
                _error(
                    row, _("A team of the same name is on row %(rows)s too; list each team once.") % {"rows": others}
                )


def _display(key: str, value: Any, reference: Reference) -> str:
    if key == "industry_field":
        field = reference.fields_by_id.get(value) if value else None
        return field.name if field else ""
    if isinstance(value, datetime.date):
        return value.isoformat()
    return "" if value is None else str(value)


def _changes(enterprise: Enterprise, data: dict, reference: Reference) -> dict[str, list[str]]:
    """{key: [portal's value, file's value]} for each filled-in cell that differs from the portal's record."""
    changes = {}
    for key in ENTERPRISE_KEYS:
        new = data.get(key)
        if new in ("", None):
            continue  # an empty cell keeps the portal's value
        old = enterprise.industry_field_id if key == "industry_field" else getattr(enterprise, key)
        old_text = _display(key, old, reference)
        new_text = _display(key, new, reference)
        if old_text != new_text:
            if key == "contact_phone":  # shown masked; the value written comes from the row's data
                old_text, new_text = mask_phone(old_text), mask_phone(new_text)
            changes[key] = [old_text, new_text]
    return changes


def count_rows(rows: list[dict]) -> dict[str, int]:
    counts = dict.fromkeys(RowStatus.ORDER, 0)
    for row in rows:
        counts[row["status"]] += 1
    counts["total"] = len(rows)
    return counts


# --- Services -----------------------------------------------------------------------------------------------------


def tenant_import_preview(*, by, file_name: str, content: bytes) -> TenantImport:
    """Read and check an uploaded file and store the result as a draft import; nothing else is written. A file that
    is not a readable XLSX, has no template header or too many rows raises ValidationError (and nothing is stored)."""
    if not can(by, "add", TenantImport):
        raise PermissionDenied(_("You do not have permission to do this."))
    header, data_rows = read_workbook(content)
    positions = map_header(header)
    if not data_rows:
        raise ValidationError(_("The file has no rows of data under the header row."))
    reference = Reference.load()
    rows = [clean_row(line, values, positions, reference) for line, values in data_rows]
    plan_rows(rows, user=by, reference=reference)
    with transaction.atomic():
        tenant_import = TenantImport.objects.create(
            created_by=by, file_name=file_name[:255], file_sha256=hashlib.sha256(content).hexdigest(), rows=rows,
            counts=count_rows(rows),
        )  # fmt: skip
        changes = {"file_name": [None, tenant_import.file_name], "counts": [None, tenant_import.counts]}
        record(actor=by, action=AuditAction.CREATE, obj=tenant_import, changes=changes)
    return tenant_import


def _signature(row: dict) -> tuple:
    return (row["status"], row["enterprise_id"], row["enterprise_action"], row["residency_action"],
            sorted(row["changes"].items()))  # fmt: skip


def tenant_import_apply(*, tenant_import: TenantImport, by) -> TenantImport:
    """Write the previewed rows: register the new enterprises, update the changed ones, open the residencies, all
    or nothing, in one transaction, audited. Applying an import that is already applied changes nothing (double
    clicks, two tabs): the import row is locked and its status checked. Refused while any row is in error, and
    when the portal has changed since the preview so that a row would now do something else."""
    with transaction.atomic():
        tenant_import = TenantImport.objects.select_for_update().get(pk=tenant_import.pk)
        ensure_allowed(by, "change", tenant_import)
        tenant_import.applied_now = False
        if tenant_import.status == TenantImportStatus.APPLIED:
            return tenant_import
        rows = tenant_import.rows
        if any(row["status"] == RowStatus.ERROR for row in rows):
            raise ValidationError(_("Rows with errors remain: correct them in the file and upload it again."))

        # The portal may have changed since the preview: the rows must still do exactly what was shown.
        reference = Reference.load()
        fresh = [{**row, "errors": [], "notes": []} for row in rows]
        plan_rows(fresh, user=by, reference=reference)
        drifted = [str(new["line"]) for old, new in zip(rows, fresh, strict=True) if _signature(old) != _signature(new)]
        if drifted:
            raise ValidationError(
                _("The portal has changed since this preview (rows %(rows)s); upload the file again to see the "
                  "current result.") % {"rows": "、".join(drifted[:20])}
            )  # fmt: skip

        known = [row["enterprise_id"] for row in rows if row["enterprise_id"]]
        enterprises = {e.pk: e for e in Enterprise.objects.select_for_update().filter(pk__in=known).order_by("pk")}
        done = {"enterprises_created": 0, "enterprises_updated": 0, "residencies_opened": 0}
        for row in rows:
            try:
                _apply_row(row, by=by, enterprises=enterprises, reference=reference, done=done)
            except ValidationError as error:
                raise ValidationError(
                    _("Row %(line)s: %(problem)s") % {"line": row["line"], "problem": " ".join(error.messages)}
                ) from error

        tenant_import.status = TenantImportStatus.APPLIED
        tenant_import.applied_at = timezone.now()
        tenant_import.applied_by = by
        tenant_import.counts = {**tenant_import.counts, **done}
        tenant_import.save(update_fields=["status", "applied_at", "applied_by", "counts"])
        record(
            actor=by, action=AuditAction.UPDATE, obj=tenant_import,
            changes={"status": [TenantImportStatus.DRAFT, TenantImportStatus.APPLIED],
                     **{key: [None, value] for key, value in done.items()}},
        )  # fmt: skip
        tenant_import.applied_now = True
    return tenant_import


def _apply_row(row: dict, *, by, enterprises: dict[int, Enterprise], reference: Reference, done: dict) -> None:
    data = row["data"]
    field = reference.fields_by_id.get(data["industry_field"]) if data["industry_field"] else None
    date = datetime.date.fromisoformat
    if row["enterprise_action"] == "create":
        values = {key: data[key] for key in ENTERPRISE_KEYS}
        values.update(
            kind=EnterpriseKind.COMPANY if data["uscc"] else EnterpriseKind.TEAM, uscc=data["uscc"] or None,
            registered_on=date(data["registered_on"]) if data["registered_on"] else None, industry_field=field,
        )  # fmt: skip
        enterprise = enterprise_services.enterprise_create(by=by, data=values)
        done["enterprises_created"] += 1
    else:
        enterprise = enterprises[row["enterprise_id"]]
        if row["enterprise_action"] == "update":
            values = {key: data[key] for key in row["changes"]}
            if "registered_on" in values:
                values["registered_on"] = date(values["registered_on"])
            if "industry_field" in values:
                values["industry_field"] = field
            enterprise = enterprise_services.enterprise_update(enterprise=enterprise, by=by, data=values)
            done["enterprises_updated"] += 1
    if row["residency_action"] == "open":
        residency_open(
            enterprise=enterprise, carrier=reference.carriers_by_id[data["carrier"]], stage=data["stage"],
            started_on=date(data["started_on"]),
            planned_end_on=date(data["planned_end_on"]) if data["planned_end_on"] else None,
            agreement_no=data["agreement_no"], note=data["note"], by=by,
        )  # fmt: skip
        done["residencies_opened"] += 1


def rows_for_display(tenant_import: TenantImport, status: str = "") -> list[dict]:
    """The import's rows, errors first, each with its status label and its changes labelled, for the preview page."""
    order = {status: index for index, status in enumerate(RowStatus.ORDER)}
    rows = [row for row in tenant_import.rows if not status or row["status"] == status]
    rows.sort(key=lambda row: (order[row["status"]], row["line"]))
    for row in rows:
        row["status_label"] = RowStatus.LABELS[row["status"]]
        row["change_list"] = [(_label(key), old, new) for key, (old, new) in row.get("changes", {}).items()]
    return rows
