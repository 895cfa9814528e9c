"""The signed-in user's own notifications: list, read one, mark one or all read."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts import selectors, services
from accounts.api.serializers import MarkedReadSerializer, NotificationSerializer
from accounts.api.viewsets import RestrictedViewSet
from accounts.filters import NotificationFilter
from accounts.models import Notification


@extend_schema_view(
    list=extend_schema(summary="List your notifications, newest first (?unread=true: unread only)"),
    retrieve=extend_schema(summary="Read one of your notifications"),
)
class NotificationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, RestrictedViewSet):
    """Your own notifications; another user's answer 404, whatever your role."""

    # Every signed-in user has notifications; the queryset keeps each to their own (accounts.roles POLICY).
    queryset = Notification.objects.all()
    serializer_class = NotificationSerializer
    filterset_class = NotificationFilter
    ordering_fields = ["created_at"]
    ordering = ["-created_at", "-id"]

    def scoped_queryset(self):
        return selectors.notifications_of(user=self.request.user)

    @extend_schema(summary="Mark one of your notifications read", request=None, responses=NotificationSerializer)
    @action(detail=True, methods=["post"], policy_action="change")
    def read(self, request, pk=None):
        notification = services.notification_mark_read(notification=self.get_object(), by=request.user)
        return Response(self.get_serializer(notification).data)

    @extend_schema(summary="Mark all your notifications read", request=None, responses=MarkedReadSerializer)
    @action(
        detail=False, methods=["post"], url_path="read-all", filterset_class=None, pagination_class=None,
        policy_action="change",
    )  # fmt: skip
    def read_all(self, request):
        return Response(MarkedReadSerializer({"marked": services.notifications_mark_all_read(by=request.user)}).data)
