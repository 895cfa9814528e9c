from django import template

from parks.choices import AccreditationLevel, Stage

register = template.Library()


@register.filter
def level_label(value: str | None) -> str:
    try:
        return AccreditationLevel(value).label
    except ValueError:
        return value or ""


@register.filter
def stage_label(value: str | None) -> str:
    try:
        return Stage(value).label
    except ValueError:
        return value or ""
