from django import template

register = template.Library()


@register.filter
def join_list(value) -> str:
    """Lists (many-to-many values in audit events) read as 甲、乙、丙."""
    if isinstance(value, list):
        return "、".join(str(item) for item in value) or "∅"
    return value
