"""The bureau dashboard as an XLSX workbook: one sheet per block of the page, the same numbers (targets.dashboard)."""

from __future__ import annotations

import io
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from parks.choices import AccreditationLevel
from targets.choices import TargetForm
from targets.selectors import STATUS_LABELS


def _level(code: str) -> str:
    return str(dict(AccreditationLevel.choices).get(code, code)) if code else ""


def sheets(context: dict, *, funnel_labels: dict) -> list[tuple[str, list[str], list[list[Any]]]]:
    """(sheet title, header, rows) for each block of the dashboard."""
    tables, data = context["tables"], context["data"]
    forms = dict(TargetForm.choices)
    scope = context["carrier"].display_name if context["carrier"] else _("District-wide")
    computed_at = timezone.localtime(data["computed_at"])
    reports = data["reports"]
    coverage = f"{reports['verified']}/{reports['expected']}"
    about = [
        [_("Year"), context["year"]],
        [_("Scope"), str(scope)],
        [_("Figures computed at"), computed_at.strftime("%Y-%m-%d %H:%M")],
        [_("Reports verified"), coverage],
    ]
    targets = [
        [
            str(row["indicator_obj"].label),
            str(forms.get(row["form"], row["form"])),
            _level(row["target_level"]) if row["target_level"] else row["target_value"],
            _level(row["actual"]) if isinstance(row["actual"], str) else row["actual"],
            row["attainment"],
            row["pipeline"],
            str(STATUS_LABELS[row["status"]]),
            row["reason"],
        ]
        for row in tables["targets"]
    ]
    figures = [
        [
            str(row["indicator"].label),
            _level(row["yearly_level"]) if row["indicator"].kind == "level" else row["yearly"],
            _level(row["cumulative_level"]) if row["indicator"].kind == "level" else row["cumulative"],
            row["indicator"].unit_label,
            str(row["indicator"].yearly_definition),
            str(row["indicator"].cumulative_definition),
            _("Provisional") if row["provisional"] else "",
            coverage if row["provisional"] else "",
        ]
        for row in tables["figures"]
    ]
    carriers = [
        [row["carrier"].display_name]
        + [figure["yearly"] if figure else None for figure in row["figures"]]
        + [f"{row['reports']['verified']}/{row['reports']['expected']}" if row["reports"] else ""]
        for row in tables["carrier_rows"]
    ]
    funnel = [[str(funnel_labels[step]), count] for step, count in tables["funnel"]]
    funnel_trend = [[year, *counts] for year, counts in tables["funnel_trend"]]
    trend = [[year, *values] for year, values in tables["trend"]]
    return [
        (_("About"), [_("Item"), _("Value")], about),
        (
            _("Targets"),
            [
                _("Indicator"),
                _("Reading"),
                _("Target"),
                _("Actual"),
                _("Attainment %"),
                _("Pipeline"),
                _("Status"),
                _("Reason"),
            ],
            targets,
        ),  # fmt: skip
        (
            _("Indicators"),
            [
                _("Indicator"),
                _("In the year"),
                _("Cumulative"),
                _("Unit"),
                _("Definition (in the year)"),
                _("Definition (cumulative)"),
                _("Provisional"),
                _("Reports verified"),
            ],
            figures,
        ),  # fmt: skip
        (
            _("Carriers"),
            [_("Carrier")] + [str(i.label) for i in tables["carrier_indicators"]] + [_("Reports verified")],
            carriers,
        ),
        (_("Pipeline"), [_("Step"), _("Number")], funnel),
        (_("Pipeline by year"), [_("Year")] + [str(label) for label in funnel_labels.values()], funnel_trend),
        (_("Trends"), [_("Year")] + [str(i.label) for i in tables["trend_indicators"]], trend),
    ]


def workbook(context: dict, *, funnel_labels: dict) -> bytes:
    # local import: heavy (openpyxl loaded only when exporting)
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    book.remove(book.active)
    bold = Font(bold=True)
    for title, header, rows in sheets(context, funnel_labels=funnel_labels):
        sheet = book.create_sheet(str(title)[:31])
        sheet.append([str(h) for h in header])
        for cell in sheet[1]:
            cell.font = bold
        for row in rows:
            sheet.append(list(row))
            for cell in sheet[sheet.max_row]:
                if isinstance(cell.value, str):
                    cell.data_type = "s"  # text, never a formula
        sheet.freeze_panes = "A2"
        for column in sheet.columns:
            sheet.column_dimensions[column[0].column_letter].width = 18
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
