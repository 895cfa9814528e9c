"""Accreditation readiness (认定条件对照): every carrier against every accreditation level's rules in force, for a
year, and one carrier's conditions in full with their history. Read by the operating company and the bureau (every
carrier) and park staff (their own carriers); judged now from the records, nothing kept."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone
from django.views.generic import TemplateView

from accounts.mixins import PortalView
from accounts.roles import can
from parks.choices import AccreditationLevel
from targets.choices import CriterionResult
from targets.selectors.carrier_returns import filing_year
from targets.selectors.readiness import (
    FIRST_YEAR,
    PAGE,
    accreditation_targets,
    carrier_readiness,
    carriers_for_readiness,
    readiness_date,
)
from targets.selectors.sql import CORE_CARRIER_CODE

OPEN = (CriterionResult.UNMET, CriterionResult.UNKNOWN)


def _year(value, *, today) -> int:
    """The year asked for (the plan's first year to this one), else the year whose returns are filed now."""
    try:
        year = int(value)
    except (TypeError, ValueError):
        return filing_year(today)
    return year if FIRST_YEAR <= year <= today.year else filing_year(today)


def open_items(judgement) -> list[dict]:
    """A judgement's conditions that are not met or not known yet, as the results table reads them."""
    if judgement is None:
        return []
    return [item for item in judgement.results_json() if item["result"] in OPEN and item["kind"] == "gate"]


class ReadinessMixin(PortalView):
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not can(request.user, "view", PAGE):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def year_context(self) -> dict:
        today = timezone.localdate()
        year = _year(self.request.GET.get("year"), today=today)
        return {
            "today": today,
            "year": year,
            "years": list(range(today.year, FIRST_YEAR - 1, -1)),
            "as_of": readiness_date(year, today),
        }


class ReadinessView(ReadinessMixin, TemplateView):
    """Every carrier in the reader's scope by every accreditation scheme: the outcome, the share of conditions met,
    what is still open; the plan's accreditation targets for the core and what the core must still do for its next
    level."""

    template_name = "targets/readiness/overview.html"

    def get_context_data(self, **kwargs):
        context = self.year_context()
        rows = carrier_readiness(
            carriers=carriers_for_readiness(self.request.user), year=context["year"], today=context["today"]
        )
        core = next((row for row in rows if row.carrier.code == CORE_CARRIER_CODE), None)
        next_level = core.next_level if core else None
        schemes = [item.scheme for item in rows[0].levels] if rows else []
        return super().get_context_data(
            **context,
            rows=rows,
            schemes=schemes,
            core=core,
            core_next=next_level,
            core_open=open_items(next_level.judgement) if next_level else [],
            targets=accreditation_targets() if core else [],
            levels=dict(AccreditationLevel.choices),
            **kwargs,
        )


class CarrierReadinessView(ReadinessMixin, TemplateView):
    """One carrier's readiness for a year by every scheme, each condition with its value, threshold, result, gap and
    records, and its outcome by each scheme for every year of the plan so far."""

    template_name = "targets/readiness/carrier.html"

    def get_context_data(self, **kwargs):
        context = self.year_context()
        carriers = carriers_for_readiness(self.request.user)
        carrier = next((item for item in carriers if item.pk == self.kwargs["pk"]), None)
        if carrier is None:
            raise Http404
        history = [
            (year, carrier_readiness(carriers=[carrier], year=year, today=context["today"])[0])
            for year in range(context["year"], FIRST_YEAR - 1, -1)
        ]
        row = history[0][1]
        return super().get_context_data(
            **context,
            carrier=carrier,
            row=row,
            sections=[(item, item.judgement.results_json() if item.judgement else []) for item in row.levels],
            history=history,
            **kwargs,
        )
