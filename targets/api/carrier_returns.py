"""The carriers' annual returns (载体年报) through the API: list and read (scope: park staff their carriers'), start
one, change a draft's figures, and the workflow's moves as commands. The same services and selectors as the pages."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status
from rest_framework.response import Response

from accounts.api.viewsets import RestrictedViewSet
from accounts.api.workflow_commands import workflow_commands
from accounts.workflows import Move
from parks.models import Carrier
from targets import return_rules, services
from targets.models import CarrierReturn
from targets.return_workflow import RETURN_WORKFLOW
from targets.selectors.carrier_returns import return_list, return_moves

_FIGURES = list(return_rules.RETURN_FIGURES)


def _figure_field(name: str) -> serializers.Field:
    if name in return_rules.MONEY_FIGURES:
        return serializers.DecimalField(max_digits=14, decimal_places=2, required=False, allow_null=True, min_value=0)
    return serializers.IntegerField(required=False, allow_null=True, min_value=0)


class PortalFiguresSerializer(serializers.Serializer):
    """What the portal computed for the carrier's year (areas in m²): frozen when the return was submitted."""

    total_area = serializers.DecimalField(max_digits=14, decimal_places=2)
    tenant_area = serializers.DecimalField(max_digits=14, decimal_places=2)
    public_service_area = serializers.DecimalField(max_digits=14, decimal_places=2)
    tenants = serializers.IntegerField(allow_null=True)
    new_tenants = serializers.IntegerField(allow_null=True)
    graduates = serializers.IntegerField(allow_null=True)
    graduates_cumulative = serializers.IntegerField()
    tenants_financed = serializers.IntegerField(allow_null=True)
    tenants_with_ip = serializers.IntegerField()


class CarrierReturnSerializer(serializers.ModelSerializer):
    """A return as its readers see it: the figures entered by hand (money in 万元), the figures the portal computed
    (`portal_figures`, with `portal_figures_frozen`), and the moves the reader may make now."""

    carrier_name = serializers.CharField(source="carrier.name", read_only=True)
    total_income = serializers.DecimalField(max_digits=15, decimal_places=2, read_only=True, allow_null=True)
    entered_by_hand = serializers.SerializerMethodField()
    allowed_moves = serializers.SerializerMethodField()

    class Meta:
        model = CarrierReturn
        fields = [
            "id", "carrier", "carrier_name", "year", "version", "status", *_FIGURES, "total_income",
            "entered_by_hand", "supersedes", "correction_reason", "staff_comment", "created_at", "updated_at",
            "submitted_at", "verified_at", "allowed_moves",
        ]  # fmt: skip
        read_only_fields = fields

    def get_entered_by_hand(self, carrier_return) -> list[str]:
        """The names of the figures entered by hand (every other figure is computed by the portal)."""
        return _FIGURES

    def get_allowed_moves(self, carrier_return) -> list[str]:
        user = self.context["request"].user
        may_change = carrier_return.pk in self._changeable(user)
        return [offer.name for offer in return_moves(user=user, carrier_return=carrier_return, may_change=may_change)]

    def _changeable(self, user) -> set[int]:
        """Which of the returns serialized the user may change: one query for a page."""
        if "_changeable_returns" not in self.context:
            shown = self.parent.instance if self.parent is not None else [self.instance]
            pks = [item.pk for item in shown]
            self.context["_changeable_returns"] = set(
                CarrierReturn.objects.for_user(user, "change").filter(pk__in=pks).values_list("pk", flat=True)
            )
        return self.context["_changeable_returns"]


class CarrierReturnDetailSerializer(CarrierReturnSerializer):
    portal_figures = serializers.SerializerMethodField()
    portal_figures_frozen = serializers.SerializerMethodField()

    class Meta(CarrierReturnSerializer.Meta):
        fields = [*CarrierReturnSerializer.Meta.fields, "portal_figures", "portal_figures_frozen"]
        read_only_fields = fields

    def _portal(self, carrier_return) -> tuple[dict, bool]:
        if "_portal" not in self.context:
            self.context["_portal"] = return_rules.shown_portal_figures(carrier_return)
        return self.context["_portal"]

    @extend_schema_field(PortalFiguresSerializer)
    def get_portal_figures(self, carrier_return) -> dict:
        return PortalFiguresSerializer(self._portal(carrier_return)[0]).data

    def get_portal_figures_frozen(self, carrier_return) -> bool:
        """True once submitted: the figures as they stood then; false for a draft (computed now)."""
        return self._portal(carrier_return)[1]


class CarrierReturnCreateSerializer(serializers.Serializer):
    """A new return: the carrier, the year and any figures known (a draft may leave some blank)."""

    carrier = serializers.IntegerField()
    year = serializers.IntegerField(min_value=2017, max_value=2100)


class ReturnFiguresSerializer(serializers.Serializer):
    """A draft's figures to change (any of them; null: not known yet)."""


for _name in _FIGURES:
    CarrierReturnCreateSerializer._declared_fields[_name] = _figure_field(_name)
    ReturnFiguresSerializer._declared_fields[_name] = _figure_field(_name)


@workflow_commands(RETURN_WORKFLOW, response=CarrierReturnDetailSerializer)
class CarrierReturnViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, mixins.UpdateModelMixin,
    RestrictedViewSet,
):  # fmt: skip
    """Carriers' annual returns, scoped by role: park staff their carriers', the operating company and the bureau
    all. `?current=true` keeps the current version of each carrier's year."""

    queryset = CarrierReturn.objects.all()
    serializer_class = CarrierReturnSerializer
    filterset_fields = ["carrier", "year", "status"]
    ordering_fields = ["year", "submitted_at", "verified_at"]
    ordering = ["-year", "carrier__sort_order", "-version"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def scoped_queryset(self):
        returns = return_list(user=self.request.user, action=self.policy_action_name)
        if self.request.query_params.get("current") == "true":
            returns = returns.current()
        return returns

    def get_serializer_class(self):
        if self.action == "create":
            return CarrierReturnCreateSerializer
        if self.action == "partial_update":
            return ReturnFiguresSerializer
        if self.action == "retrieve":
            return CarrierReturnDetailSerializer
        return super().get_serializer_class()

    def _out(self, carrier_return, code=status.HTTP_200_OK) -> Response:
        carrier_return = CarrierReturn.objects.select_related("carrier").get(pk=carrier_return.pk)
        serializer = CarrierReturnDetailSerializer(carrier_return, context=self.get_serializer_context())
        return Response(serializer.data, status=code)

    @extend_schema(request=CarrierReturnCreateSerializer, responses={201: CarrierReturnDetailSerializer},
                   summary="Start a carrier's return for a year (a draft)")  # fmt: skip
    def create(self, request, *args, **kwargs):
        serializer = CarrierReturnCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        carrier = get_object_or_404(Carrier.objects.all(), pk=data.pop("carrier"))
        carrier_return = services.return_create(carrier=carrier, year=data.pop("year"), by=request.user, data=data)
        return self._out(carrier_return, status.HTTP_201_CREATED)

    @extend_schema(request=ReturnFiguresSerializer, responses=CarrierReturnDetailSerializer,
                   summary="Change a draft's figures")  # fmt: skip
    def partial_update(self, request, *args, **kwargs):
        carrier_return = self.get_object()
        serializer = ReturnFiguresSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        carrier_return = services.return_update(
            carrier_return=carrier_return, by=request.user, data=dict(serializer.validated_data)
        )
        return self._out(carrier_return)

    def perform_move(self, move: Move, message: str, **params) -> CarrierReturn:
        """A workflow command (accounts.api.workflow_commands): the move, by the service the pages call."""
        return services.return_act(carrier_return=self.get_object(), move=move.name, by=self.request.user,
                                   message=message)  # fmt: skip

    def move_response(self, move: Move, carrier_return: CarrierReturn) -> dict:
        carrier_return = CarrierReturn.objects.select_related("carrier").get(pk=carrier_return.pk)
        return CarrierReturnDetailSerializer(carrier_return, context=self.get_serializer_context()).data
