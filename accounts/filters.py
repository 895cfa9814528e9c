import django_filters
from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext_lazy as _

from accounts.models import AuditAction, AuditEvent, Notification


class AuditEventFilter(django_filters.FilterSet):
    actor = django_filters.CharFilter(field_name="actor_repr", lookup_expr="icontains", label=_("actor"))
    action = django_filters.ChoiceFilter(choices=AuditAction.choices, label=_("action"))
    content_type = django_filters.ModelChoiceFilter(
        queryset=ContentType.objects.filter(app_label__in=["parks", "accounts"]).order_by("app_label", "model"),
        label=_("object type"),
    )
    object = django_filters.CharFilter(field_name="object_repr", lookup_expr="icontains", label=_("object"))
    since = django_filters.DateFilter(field_name="occurred_at", lookup_expr="date__gte", label=_("from date"))
    until = django_filters.DateFilter(field_name="occurred_at", lookup_expr="date__lte", label=_("to date"))

    class Meta:
        model = AuditEvent
        fields = ["actor", "action", "content_type", "object", "since", "until"]


class NotificationFilter(django_filters.FilterSet):
    unread = django_filters.BooleanFilter(field_name="read_at", lookup_expr="isnull", label=_("unread only"))

    class Meta:
        model = Notification
        fields = ["unread"]
