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
    ResidencySerializer,
)
from incubation.models import Allocation, Residency
from parks.models import Unit

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
        residency = services.residency_end(residency=residency, by=request.user, **serializer.validated_data)
        return Response(ResidencySerializer(residency).data)


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
