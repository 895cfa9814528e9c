"""Residencies and allocations: resources for reading; admission, allocation, ending and exit are commands that
call the same services as the web pages."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from incubation import services
from incubation.api.serializers import (
    AllocationCreateSerializer,
    AllocationSerializer,
    EndSerializer,
    ExitSerializer,
    GraduateSerializer,
    PromoteSerializer,
    ResidencySerializer,
    TransferSerializer,
    TransitionSerializer,
)
from incubation.models import Allocation, Residency, Transition
from parks.models import Carrier, Unit

_ACTIONS = {"list": "view", "retrieve": "view", "create": "add"}


class ResidencyViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    queryset = Residency.objects.select_related("enterprise", "carrier")
    serializer_class = ResidencySerializer
    filterset_fields = ["enterprise", "carrier", "stage"]
    ordering_fields = ["started_on", "planned_end_on"]
    ordering = ["-started_on", "-id"]

    def get_queryset(self):
        return super().get_queryset().for_user(self.request.user, _ACTIONS.get(self.action, "change"))

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        serializer.instance = services.residency_open(by=self.request.user, **data)

    @extend_schema(request=ExitSerializer, responses=ResidencySerializer, summary="Record an exit")
    @action(detail=True, methods=["post"])
    def exit(self, request, pk=None):
        residency = self.get_object()
        serializer = ExitSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.exit_tenant(residency=residency, by=request.user, **serializer.validated_data)
        residency.refresh_from_db()
        return Response(ResidencySerializer(residency).data)

    def _move(self, request, serializer_class, service, carrier_field=None):
        residency = self.get_object()
        serializer = serializer_class(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        if carrier_field and data.get(carrier_field) is not None:
            data[carrier_field] = get_object_or_404(Carrier.objects.all(), pk=data[carrier_field])
        elif carrier_field:
            data.pop(carrier_field, None)
        transition = service(residency=residency, by=request.user, **data)
        return Response(TransitionSerializer(transition).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=PromoteSerializer, responses={201: TransitionSerializer}, summary="Promote to a later stage")
    @action(detail=True, methods=["post"])
    def promote(self, request, pk=None):
        return self._move(request, PromoteSerializer, services.promote, "to_carrier")

    @extend_schema(request=TransferSerializer, responses={201: TransitionSerializer}, summary="Transfer to a carrier")
    @action(detail=True, methods=["post"])
    def transfer(self, request, pk=None):
        return self._move(request, TransferSerializer, services.transfer, "to_carrier")

    @extend_schema(request=GraduateSerializer, responses={201: TransitionSerializer}, summary="Graduate")
    @action(detail=True, methods=["post"])
    def graduate(self, request, pk=None):
        return self._move(request, GraduateSerializer, services.graduate)


class TransitionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Pipeline moves with the criteria as evaluated then and any override reason."""

    queryset = Transition.objects.all()
    serializer_class = TransitionSerializer
    filterset_fields = ["enterprise", "kind"]
    ordering = ["-occurred_on", "-id"]

    def get_queryset(self):
        return super().get_queryset().for_user(self.request.user, "view")


class AllocationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    queryset = Allocation.objects.select_related("residency", "unit")
    serializer_class = AllocationSerializer
    filterset_fields = ["residency", "unit"]
    ordering = ["unit_id", "period"]

    def get_queryset(self):
        return super().get_queryset().for_user(self.request.user, _ACTIONS.get(self.action, "change"))

    @extend_schema(request=AllocationCreateSerializer, responses={201: AllocationSerializer}, summary="Allocate a unit")
    def create(self, request):
        serializer = AllocationCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        residency = get_object_or_404(Residency.objects.for_user(request.user, "change"), pk=data.pop("residency").pk)
        unit = get_object_or_404(Unit.objects.all(), pk=data.pop("unit"))
        allocation = services.allocation_create(residency=residency, unit=unit, by=request.user, **data)
        return Response(AllocationSerializer(allocation).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=EndSerializer, responses=AllocationSerializer, summary="End an allocation")
    @action(detail=True, methods=["post"])
    def end(self, request, pk=None):
        allocation = self.get_object()
        serializer = EndSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        allocation = services.allocation_end(allocation=allocation, by=request.user, **serializer.validated_data)
        return Response(AllocationSerializer(allocation).data)
