"""How rule results read: a value or threshold with its unit, a criterion's condition, the records behind it."""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from accounts.phrasebook import render
from targets.choices import CriterionResult, EvaluationOutcome, Operator, Unit
from targets.metrics import METRICS
from targets.selectors.evaluation import criterion_words

register = template.Library()


def _number(value) -> str:
    """Grouped by thousands, to two decimals at most, without trailing zeros: 20,000 / 2.5 / 3.16."""
    value = Decimal(value).quantize(Decimal("0.01")).normalize()
    places = max(0, -value.as_tuple().exponent)  # type: ignore[operator]
    return number_format(value, decimal_pos=places, use_l10n=True, force_grouping=True)


@register.filter
def result_label(value: str) -> str:
    try:
        return str(CriterionResult(value).label)
    except ValueError:
        return value


@register.filter
def with_unit(value, unit: str) -> str:
    """A metric's value in its unit: 4.5%, 1,200 万元, 62 分, 是/否."""
    if value in (None, ""):
        return "—"
    if unit == Unit.YES_NO:
        return _("yes") if Decimal(value) == 1 else _("no")
    shown = _number(value)
    return {
        Unit.PERCENT: f"{shown}%",
        Unit.WAN_YUAN: _("%(amount)s × 10k yuan") % {"amount": shown},
        Unit.MONTHS: _("%(months)s months") % {"months": shown},
        Unit.POINTS: _("%(points)s points") % {"points": shown},
        Unit.SQUARE_METRES: f"{shown} m²",
        Unit.PER_TEN_TENANTS: _("%(count)s per 10 tenants") % {"count": shown},
        Unit.PER_THOUSAND_M2: _("%(count)s per 1,000 m²") % {"count": shown},
    }.get(unit, shown)


@register.simple_tag
def condition(item: dict) -> str:
    """A kept result's condition: ≥ 10%, ≤ 500, yes; '≥ 5% (by sales band)' when bands give the threshold."""
    operator = item.get("operator") or ""
    if not operator:
        return "—"
    if operator == Operator.YES:
        return _("yes")
    return f"{Operator(operator).label} {with_unit(item.get('threshold'), item.get('unit', ''))}"


@register.filter
def phrase(stored) -> str:
    return render(stored)


@register.filter
def criterion_text(item: dict) -> str:
    return criterion_words(item)


@register.simple_tag
def source_link(source: dict, enterprise_id: int) -> dict:
    """(text, url) of a record a value came from: an operating report, a certificate, figures entered."""
    kind = source.get("kind")
    if kind == "report":
        return {"text": _("%(year)s annual report") % {"year": source["year"]},
                "url": reverse("enterprises:report_detail", args=[source["id"]])}  # fmt: skip
    if kind == "hte_certificate":
        return {"text": _("High-tech enterprise certificate"),
                "url": reverse("enterprises:enterprise_detail", args=[enterprise_id]) + "#records-hte"}  # fmt: skip
    if kind == "entered":
        return {"text": _("%(year)s figures as entered") % {"year": source["year"]}, "url": ""}
    if kind == "carrier_return":
        return {"text": _("%(year)s annual return") % {"year": source["year"]},
                "url": reverse("targets:return_detail", args=[source["id"]])}  # fmt: skip
    if kind == "indicator":
        url = reverse("targets:indicator_detail", args=[source["code"], source["year"]])
        return {"text": _("%(year)s records") % {"year": source["year"]}, "url": f"{url}?carrier={source['carrier']}"}
    if kind == "carrier_space":
        return {"text": _("Space"), "url": reverse("parks:carrier_detail", args=[source["carrier"]])}
    return {"text": str(kind), "url": ""}


@register.filter
def metric_label(code: str) -> str:
    metric = METRICS.get(code)
    return str(metric.label) if metric else code


@register.simple_tag
def criterion_condition(criterion) -> str:
    """A criterion's own condition: '≥ 10%', 'yes', 'by the bands of Sales (last year)', '' for a score band."""
    if not criterion.operator:
        return ""
    if criterion.operator == Operator.YES:
        return _("yes")
    if criterion.threshold_metric:
        return _("%(operator)s the threshold of its band of %(metric)s") % {
            "operator": Operator(criterion.operator).label, "metric": metric_label(criterion.threshold_metric),
        }  # fmt: skip
    return f"{Operator(criterion.operator).label} {with_unit(criterion.threshold, criterion.unit)}"


@register.simple_tag
def band_text(band, criterion) -> str:
    """'from 10%: 4 points', 'above 5,000 × 10k yuan: 4%', 'below: 0 points'."""
    unit = Unit.PERCENT if criterion.threshold_metric else Unit.POINTS
    by_unit = METRICS[criterion.threshold_metric].unit if criterion.threshold_metric else criterion.unit
    value = with_unit(band.value, unit)
    if band.lower is None:
        return _("from the bottom: %(value)s") % {"value": value}
    lower = with_unit(band.lower, by_unit)
    if band.lower_inclusive:
        return _("from %(lower)s: %(value)s") % {"lower": lower, "value": value}
    return _("above %(lower)s: %(value)s") % {"lower": lower, "value": value}


@register.filter
def outcome_label(value: str) -> str:
    try:
        return str(EvaluationOutcome(value).label)
    except ValueError:
        return value
