import django_filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from parks.models import FocusField


class FocusFieldLabelled(django_filters.fields.ModelChoiceField):
    def label_from_instance(self, obj: FocusField) -> str:
        return obj.display_name if obj.parent_id is None else f"{obj.parent.display_name} · {obj.display_name}"


@extend_schema_field(OpenApiTypes.INT)
class FocusFieldFilter(django_filters.ModelChoiceFilter):
    """A focus field chosen from a list (an industry covers the fields under it); the API takes its id."""

    field_class = FocusFieldLabelled

    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "queryset", FocusField.objects.select_related("parent").order_by("parent__sort_order", "sort_order", "id")
        )
        super().__init__(*args, **kwargs)
