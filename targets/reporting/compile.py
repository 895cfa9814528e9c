"""Compile the frozen snapshot of a progress report (the contract: REPORT_SNAPSHOT.md, summarised in docs/reports.md).

Every number comes from the indicator selectors (targets.selectors), read once; the renderers never touch the
database. All text is translated into the run's language here, so the snapshot renders the same way for ever.
A constant number of queries, whatever the number of enterprises (one or two more per target for its contributors).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import Count, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from incubation.choices import ApplicationStatus, TransitionKind
from incubation.models import Application, Residency, Transition
from parks.choices import ACCREDITATION_RANK, AccreditationLevel
from parks.models import Carrier
from targets import selectors
from targets.choices import Comparison, ReportKind, TargetForm
from targets.indicators import INDICATORS, Indicator
from targets.indicators import Unit as IndicatorUnit
from targets.models import Target

SCHEMA = 1

Progress = Callable[[int, str], None]
Cell = str | int | float | None

# The indicators of the per-carrier breakdown, in this order (yearly reading).
CARRIER_COLUMNS = (
    "tenants_year_end",
    "admissions",
    "graduations",
    "exits",
    "tech_smes",
    "htes",
    "revenue",
    "rd_expenditure",
    "rd_intensity",
    "financing",
    "occupancy_rate",
    "jobs",
)


def number(value: Decimal | None, indicator: Indicator | None = None) -> int | float | None:
    """A plain JSON number, already rounded: whole numbers for counts, two decimals for money and percentages."""
    if value is None:
        return None
    if indicator is not None and indicator.unit not in (IndicatorUnit.WAN_YUAN, IndicatorUnit.PERCENT):
        return int(value.quantize(Decimal(1)))
    rounded = float(round(value, 2))
    return int(rounded) if indicator is None and rounded == int(rounded) else rounded


def level_label(level: str) -> str:
    return str(dict(AccreditationLevel.choices).get(level or AccreditationLevel.NONE, level))


def _qualified(label: object, note: object) -> str:
    """`label (note)` in English, `label（note）` in Chinese: the catalogue chooses the parentheses."""
    # Translators: a label and what qualifies it (a unit, a reading); Chinese takes full-width parentheses.
    return _("%(label)s (%(note)s)") % {"label": label, "note": note}


def _label_with_unit(indicator: Indicator) -> str:
    return _qualified(indicator.label, indicator.unit_label) if indicator.unit_label else str(indicator.label)


def _form_label(form: str) -> str:
    return str(dict(TargetForm.choices)[form])


def _change(before: Decimal | None, after: Decimal | None, indicator: Indicator) -> tuple[Cell, Cell]:
    if before is None or after is None:
        return None, None
    diff = after - before
    percent = number(diff * 100 / before) if before else None
    if isinstance(percent, int):
        percent = float(percent)
    return number(diff, indicator), percent


def compile_snapshot(
    *,
    year: int,
    kind: str,
    carrier: Carrier | None,
    as_of: datetime.date,
    language: str,
    progress: Progress | None = None,
    version: int = 1,
    compiled_by: str = "",
) -> dict[str, Any]:
    """The report's snapshot (schema 1) for `year` in `carrier`'s scope (None: the whole district), figures taken as
    of `as_of`, text in `language`. `progress(percent, step)` is told before each section."""

    def tell(percent: int, step: str) -> None:
        if progress is not None:
            progress(percent, step)

    with translation.override(language):
        plan = selectors.current_plan()
        tell(2, _("Computing the indicators"))
        # Once, for the year and the year before (the prior-year comparison); the targets read the same figures.
        computed = selectors.compute_figures(years=[year - 1, year], plan=plan)
        carriers = list(Carrier.objects.order_by("sort_order", "id"))
        if carrier is not None:
            carriers = [c for c in carriers if c.pk == carrier.pk]
        scope_id = carrier.pk if carrier is not None else None

        figures = computed.scope

        tell(10, _("Targets against actual"))
        # Figures as of 31 December judge a finished year (met or missed), not one still running.
        judged_on = as_of + datetime.timedelta(days=1) if as_of >= datetime.date(year, 12, 31) else as_of
        attainments = selectors.target_attainment(
            year=year, carrier=carrier, plan=plan, today=judged_on, computed=computed
        )
        sections = [_targets_section(attainments, as_of)]

        tell(25, _("Per-carrier breakdown"))
        sections.append(_carriers_section(carriers, figures, year, district=carrier is None))

        tell(40, _("Enterprises counted toward each target"))
        sections.append(_contributors_section(attainments, year, carrier, plan))

        tell(60, _("Pipeline movements"))
        sections.append(_pipeline_section(carriers, year, as_of, district=carrier is None))

        tell(72, _("Accreditation progress"))
        sections.append(_accreditation_section(carriers, figures, year, plan))

        tell(82, _("Comparison with the prior year"))
        sections.append(_prior_year_section(figures(year - 1, scope_id), figures(year, scope_id), year))

        scope_name = carrier.display_name if carrier is not None else _("Whole district")
        title_format = (
            _("Linzi District integrated incubation system: %(year)s yearly progress report")
            if kind == ReportKind.YEARLY
            else _("Linzi District integrated incubation system: %(year)s interim progress report")
        )
        compiled_at = timezone.localtime()
        meta = [
            [_("Plan"), plan.name if plan is not None else "—"],
            [_("Source document"), (plan.source_document if plan is not None else "") or "—"],
            [_("Scope"), str(scope_name)],
            [_("Figures as of"), as_of.isoformat()],
            [_("Version"), str(version)],
            [_("Compiled by"), compiled_by or _("Celery beat (scheduled)")],
            [_("Compiled at"), compiled_at.strftime("%Y-%m-%d %H:%M")],
            [
                _("Indicator definitions"),
                _("Section 1 of this report; every indicator on the portal's page %(url)s")
                % {"url": settings.PORTAL_BASE_URL + reverse("targets:indicators")},
            ],
        ]
        return {
            "schema": SCHEMA,
            "language": language,
            "title": title_format % {"year": year},
            "subtitle": _("%(scope)s · as of %(date)s · version %(version)s")
            % {"scope": scope_name, "date": as_of.isoformat(), "version": version},
            "year": year,
            "kind": str(kind),
            "as_of": as_of.isoformat(),
            "scope": {"carrier_id": scope_id, "name": str(scope_name)},
            "version": version,
            "compiled_at": compiled_at.isoformat(timespec="seconds"),
            "meta": meta,
            "sections": sections,
        }


def _target_label(attainment: selectors.Attainment) -> str:
    target = attainment.target
    label = _qualified(INDICATORS[target.indicator].label, _form_label(target.form))
    if target.carrier_id is not None and target.indicator == "accreditation_level":
        label = f"{label} · {target.carrier.display_name}"
    return label


def _targets_section(attainments: list[selectors.Attainment], as_of: datetime.date) -> dict[str, Any]:
    rows: list[list[Cell]] = []
    chart_labels, chart_target, chart_actual = [], [], []
    definitions: list[str] = []
    for item in attainments:
        target = item.target
        indicator = INDICATORS[target.indicator]
        comparison = str(dict(Comparison.choices)[target.comparison])
        if target.indicator in selectors.LEVELS:
            goal: Cell = level_label(target.level)
            actual: Cell = level_label(str(item.actual or ""))
        else:
            goal = number(target.value, indicator)
            actual = number(item.actual if isinstance(item.actual, Decimal) else None, indicator)
            chart_labels.append(_target_label(item))
            chart_target.append(goal)
            chart_actual.append(actual)
        rows.append(
            [
                str(indicator.label),
                indicator.unit_label or None,
                _form_label(target.form),
                comparison,
                goal,
                actual,
                number(item.attainment),
                item.status_label,
                item.status_reason,
            ]
        )
        definition = indicator.cumulative_definition if target.form == TargetForm.CUMULATIVE else None
        # Translators: a term and its definition; Chinese takes a full-width colon.
        text = _("%(term)s: %(definition)s") % {
            "term": _qualified(indicator.label, _form_label(target.form)),
            "definition": definition or indicator.yearly_definition,
        }
        if text not in definitions:
            definitions.append(text)
    paragraphs = [
        _(
            "The plan does not say whether a year's target counts that year only or cumulatively. Each target is "
            "judged on the reading it names; section 6 shows both readings of every indicator."
        ),
        _(
            "Status as of %(date)s: met; on track (pro rata through the year, counting the known pipeline); at "
            "risk; missed (the year is over and the target was not reached); no data."
        )
        % {"date": as_of.isoformat()},
        *definitions,
    ]
    if not rows:
        paragraphs.insert(0, _("The plan sets no target for this year and scope."))
    section: dict[str, Any] = {
        "key": "targets",
        "title": _("1. Targets against actual"),
        "paragraphs": paragraphs,
        "columns": [
            _("Indicator"),
            _("Unit"),
            _("Reading"),
            _("Comparison"),
            _("Target"),
            _("Actual"),
            _("Attainment %"),
            _("Status"),
            _("Why"),
        ],
        "numeric": [False, False, False, False, True, True, True, False, False],
        "rows": rows,
    }
    if chart_labels:
        section["chart"] = {
            "type": "bar",
            "title": _("Target and actual"),
            "labels": chart_labels,
            "series": [{"name": _("Target"), "values": chart_target}, {"name": _("Actual"), "values": chart_actual}],
        }
    return section


def _carriers_section(carriers: list[Carrier], figures, year: int, *, district: bool) -> dict[str, Any]:
    indicators = [INDICATORS[code] for code in CARRIER_COLUMNS]
    rows: list[list[Cell]] = []
    scopes: list[tuple[str, int | None]] = [(c.display_name, c.pk) for c in carriers]
    if district:
        scopes.append((_("Whole district"), None))
    for name, carrier_id in scopes:
        values = figures(year, carrier_id)
        rows.append(
            [
                str(name),
                *(number(values[i.code].yearly, i) for i in indicators),
                level_label(values["accreditation_level"].yearly_level),
            ]
        )
    carrier_rows = rows[: len(carriers)]
    return {
        "key": "carriers",
        "title": _("2. Per-carrier breakdown"),
        "paragraphs": [
            _(
                "Figures in the year (stocks at 31 December). An enterprise counts at each carrier where it "
                "qualified, once district-wide, so the carriers may add up to more than the district."
            )
        ],
        "columns": [_("Carrier"), *(_label_with_unit(i) for i in indicators), _("Accreditation level")],
        "numeric": [False, *([True] * len(indicators)), False],
        "rows": rows,
        "chart": {
            "type": "bar",
            "title": _("Tenants and qualified enterprises by carrier"),
            "labels": [row[0] for row in carrier_rows],
            "series": [
                {
                    "name": str(INDICATORS[code].label),
                    "values": [row[1 + CARRIER_COLUMNS.index(code)] for row in carrier_rows],
                }
                for code in ("tenants_year_end", "tech_smes", "htes")
            ],
        },
    }


def _contributors_section(
    attainments: list[selectors.Attainment], year: int, carrier: Carrier | None, plan
) -> dict[str, Any]:
    dec31 = datetime.date(year, 12, 31)
    where = Subquery(
        Residency.objects.filter(enterprise=OuterRef("pk"), started_on__lte=dec31)
        .order_by("-started_on", "-id")
        .values("carrier_id")[:1]
    )
    names = {c.pk: c.display_name for c in Carrier.objects.all()}
    rows: list[list[Cell]] = []
    for item in attainments:
        target = item.target
        if target.indicator in selectors.LEVELS:
            continue
        indicator = INDICATORS[target.indicator]
        enterprises = (
            selectors.indicator_contributors(
                code=target.indicator, year=year, form=target.form, carrier=carrier, plan=plan
            )
            .annotate(carrier_id=where)
            .order_by("name", "id")
            .values_list("name", "uscc", "carrier_id", "contribution")
        )
        label = _target_label(item)
        for name, uscc, carrier_id, contribution in enterprises:
            rows.append(
                [
                    label,
                    name,
                    uscc or None,
                    carrier.display_name if carrier is not None else names.get(carrier_id),
                    number(contribution, indicator),
                ]
            )
    return {
        "key": "contributors",
        "title": _("3. Enterprises counted toward each target"),
        "paragraphs": [
            _(
                "One row per enterprise counted toward a target; its contributions add up to the actual figure of "
                "section 1. The carrier is where the enterprise was last in residency in the year."
            )
        ],
        "columns": [_("Target"), _("Enterprise"), _("Unified social credit code"), _("Carrier"), _("Contribution")],
        "numeric": [False, False, False, False, True],
        "rows": rows,
    }


def _pipeline_section(carriers: list[Carrier], year: int, as_of: datetime.date, *, district: bool) -> dict[str, Any]:
    start, end = datetime.date(year, 1, 1), min(as_of, datetime.date(year, 12, 31))
    ids = [c.pk for c in carriers]
    applications = {
        row["carrier_id"]: row
        for row in Application.objects.filter(carrier_id__in=ids)
        .values("carrier_id")
        .annotate(
            submitted=Count("pk", filter=Q(submitted_at__date__range=(start, end))),
            approved=Count("pk", filter=Q(status=ApplicationStatus.APPROVED, decided_at__date__range=(start, end))),
        )
    }
    # An admission is a residency that no promotion or transfer opened.
    admissions = dict(
        Residency.objects.filter(carrier_id__in=ids, started_on__range=(start, end))
        .exclude(pk__in=Transition.objects.filter(to_residency__isnull=False).values("to_residency_id"))
        .values("carrier_id")
        .annotate(n=Count("pk"))
        .values_list("carrier_id", "n")
    )
    moves: dict[tuple[int, str], int] = {
        (carrier_id, kind): n
        for carrier_id, kind, n in Transition.objects.filter(
            from_residency__carrier_id__in=ids, occurred_on__range=(start, end)
        )
        .values("from_residency__carrier_id", "kind")
        .annotate(n=Count("pk"))
        .values_list("from_residency__carrier_id", "kind", "n")
    }
    kinds = [TransitionKind.PROMOTE, TransitionKind.TRANSFER, TransitionKind.GRADUATE, TransitionKind.EXIT]
    rows: list[list[Cell]] = []
    for c in carriers:
        app = applications.get(c.pk, {})
        rows.append(
            [
                c.display_name,
                app.get("submitted", 0),
                app.get("approved", 0),
                admissions.get(c.pk, 0),
                *(moves.get((c.pk, kind), 0) for kind in kinds),
            ]
        )
    totals = [sum(int(row[i] or 0) for row in rows) for i in range(1, 8)]
    if district:
        rows.append([_("Whole district"), *totals])
    columns = [
        _("Carrier"),
        _("Applications submitted"),
        _("Applications approved"),
        _("Admissions"),
        _("Promotions"),
        _("Transfers"),
        _("Graduations"),
        _("Exits"),
    ]
    return {
        "key": "pipeline",
        "title": _("4. Pipeline movements"),
        "paragraphs": [
            _("Movements from %(start)s to %(end)s, at the carrier the enterprise applied to or moved from.")
            % {"start": start.isoformat(), "end": end.isoformat()}
        ],
        "columns": columns,
        "numeric": [False, *([True] * 7)],
        "rows": rows,
        "chart": {
            "type": "bar",
            "title": _("Pipeline: applications → admissions → promotions → graduations"),
            "labels": [str(label) for label in columns[1:]],
            "series": [{"name": str(_("Whole district") if district else carriers[0].display_name), "values": totals}],
        },
    }


def _accreditation_section(carriers: list[Carrier], figures, year: int, plan) -> dict[str, Any]:
    goals = {}
    if plan is not None:
        for target in Target.objects.filter(
            plan=plan, year=year, indicator="accreditation_level", carrier_id__in=[c.pk for c in carriers]
        ).order_by("id"):
            goals[target.carrier_id] = target.level
    rows: list[list[Cell]] = []
    for c in carriers:
        before = figures(year - 1, c.pk)["accreditation_level"].yearly_level or AccreditationLevel.NONE
        now = figures(year, c.pk)["accreditation_level"].yearly_level or AccreditationLevel.NONE
        goal = goals.get(c.pk)
        if goal is None:
            status = _("No target")
        elif ACCREDITATION_RANK[now] >= ACCREDITATION_RANK[goal]:
            status = _("Reached")
        else:
            status = _("Not reached")
        rows.append(
            [
                c.display_name,
                level_label(before),
                level_label(now),
                level_label(goal) if goal else None,
                status,
            ]
        )
    return {
        "key": "accreditation",
        "title": _("5. Accreditation progress"),
        "paragraphs": [
            _("The highest level each carrier held on 31 December of the prior year and of %(year)s.") % {"year": year}
        ],
        "columns": [
            _("Carrier"),
            _("Level at the end of %(year)s") % {"year": year - 1},
            _("Level at the end of %(year)s") % {"year": year},
            _("Target level"),
            _("Status"),
        ],
        "numeric": [False, False, False, False, False],
        "rows": rows,
    }


def _prior_year_section(before: dict, after: dict, year: int) -> dict[str, Any]:
    rows: list[list[Cell]] = []
    chart_labels, chart_before, chart_after = [], [], []
    for code, indicator in INDICATORS.items():
        for form in (TargetForm.YEARLY, TargetForm.CUMULATIVE):
            if code in selectors.LEVELS:
                rows.append(
                    [
                        str(indicator.label),
                        None,
                        _form_label(form),
                        level_label(before[code].level(form)),
                        level_label(after[code].level(form)),
                        None,
                        None,
                    ]
                )
                continue
            old, new = before[code].value(form), after[code].value(form)
            diff, percent = _change(old, new, indicator)
            rows.append(
                [
                    str(indicator.label),
                    indicator.unit_label or None,
                    _form_label(form),
                    number(old, indicator),
                    number(new, indicator),
                    diff,
                    percent,
                ]
            )
            if form == TargetForm.YEARLY and indicator.unit == IndicatorUnit.ENTERPRISES:
                chart_labels.append(str(indicator.label))
                chart_before.append(number(old, indicator))
                chart_after.append(number(new, indicator))
    return {
        "key": "prior_year",
        "title": _("6. Comparison with the prior year"),
        "paragraphs": [
            _("Every indicator in both readings, %(year)s against %(prior)s. A change in percent needs a prior figure.")
            % {"year": year, "prior": year - 1}
        ],
        "columns": [
            _("Indicator"),
            _("Unit"),
            _("Reading"),
            str(year - 1),
            str(year),
            pgettext("prior-year comparison: the difference", "Change"),
            _("Change %"),
        ],
        "numeric": [False, False, False, True, True, True, True],
        "rows": rows,
        "chart": {
            "type": "bar",
            "title": _("Enterprises counted, %(prior)s and %(year)s") % {"prior": year - 1, "year": year},
            "labels": chart_labels,
            "series": [
                {"name": str(year - 1), "values": chart_before},
                {"name": str(year), "values": chart_after},
            ],
        },
    }
