from django import template
from django.utils.translation import gettext, pgettext

register = template.Library()


@register.filter
def join_list(value) -> str:
    """Lists (many-to-many values in audit events) read as 甲、乙、丙 (A, B, C in English); mappings (a review's
    scores) as 团队：70、市场前景：63."""
    separator = pgettext("list separator", ", ")
    if isinstance(value, dict):
        value = [gettext("%(term)s: %(definition)s") % {"term": key, "definition": item} for key, item in value.items()]
    if isinstance(value, list):
        return separator.join(str(item) for item in value) or "∅"
    return value
