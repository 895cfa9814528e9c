"""Thin API views: resources are viewsets over the selectors' querysets; writes call the parks services."""

from drf_spectacular.utils import extend_schema, extend_schema_view

from accounts.api.viewsets import RestrictedModelViewSet
from parks import selectors, services
from parks.api import serializers as s
from parks.filters import (
    AccreditationFilter,
    AnchorOrganisationFilter,
    BuildingFilter,
    CarrierFilter,
    FocusFieldFilter,
    UnitFilter,
)
from parks.models import Accreditation, AnchorOrganisation, Carrier, FocusField, Unit


@extend_schema_view(
    list=extend_schema(summary="List carriers (the core and the parks) with their space totals"),
    retrieve=extend_schema(summary="One carrier"),
    update=extend_schema(summary="Change a carrier's description, contacts, stages and focus fields"),
    partial_update=extend_schema(summary="Change some of a carrier's fields"),
)
class CarrierViewSet(RestrictedModelViewSet):
    queryset = Carrier.objects.all()
    serializer_class = s.CarrierSerializer
    filterset_class = CarrierFilter
    ordering_fields = ["sort_order", "name", "total_area"]
    ordering = ["sort_order"]
    http_method_names = ["get", "put", "patch", "head", "options"]

    def scoped_queryset(self):
        return selectors.carrier_list(user=self.request.user, action=self.policy_action_name)

    def perform_update(self, serializer):
        services.carrier_update(carrier=serializer.instance, by=self.request.user, data=serializer.validated_data)
        serializer.instance = self.get_queryset().get(pk=serializer.instance.pk)


class FocusFieldViewSet(RestrictedModelViewSet):
    queryset = FocusField.objects.select_related("parent")
    serializer_class = s.FocusFieldSerializer
    filterset_class = FocusFieldFilter
    ordering_fields = ["sort_order", "name"]
    ordering = ["parent__sort_order", "sort_order", "id"]

    def perform_create(self, serializer):
        serializer.instance = services.focus_field_create(by=self.request.user, data=serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = services.focus_field_update(
            field=serializer.instance, by=self.request.user, data=serializer.validated_data
        )

    def perform_destroy(self, instance):
        services.focus_field_delete(field=instance, by=self.request.user)


class AnchorOrganisationViewSet(RestrictedModelViewSet):
    queryset = AnchorOrganisation.objects.all()
    filterset_class = AnchorOrganisationFilter
    ordering_fields = ["sort_order", "name"]
    ordering = ["carrier__sort_order", "sort_order", "id"]

    def get_serializer_class(self):
        if self.action in ("update", "partial_update"):
            return s.AnchorOrganisationUpdateSerializer
        return s.AnchorOrganisationSerializer

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        serializer.instance = services.anchor_create(carrier=data.pop("carrier"), by=self.request.user, data=data)

    def perform_update(self, serializer):
        serializer.instance = services.anchor_update(
            anchor=serializer.instance, by=self.request.user, data=serializer.validated_data
        )

    def perform_destroy(self, instance):
        services.anchor_delete(anchor=instance, by=self.request.user)


class AccreditationViewSet(RestrictedModelViewSet):
    queryset = Accreditation.objects.all()
    filterset_class = AccreditationFilter
    ordering_fields = ["awarded_on", "level"]
    ordering = ["-awarded_on", "-id"]

    def get_serializer_class(self):
        if self.action in ("update", "partial_update"):
            return s.AccreditationUpdateSerializer
        return s.AccreditationSerializer

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        serializer.instance = services.accreditation_create(
            carrier=data.pop("carrier"), by=self.request.user, data=data
        )

    def perform_update(self, serializer):
        serializer.instance = services.accreditation_update(
            accreditation=serializer.instance, by=self.request.user, data=serializer.validated_data
        )

    def perform_destroy(self, instance):
        services.accreditation_delete(accreditation=instance, by=self.request.user)


class BuildingViewSet(RestrictedModelViewSet):
    queryset = selectors.building_list()
    filterset_class = BuildingFilter
    ordering_fields = ["name", "total_area"]
    ordering = ["carrier__sort_order", "name", "id"]

    def get_serializer_class(self):
        if self.action in ("update", "partial_update"):
            return s.BuildingUpdateSerializer
        return s.BuildingSerializer

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        building = services.building_create(carrier=data.pop("carrier"), by=self.request.user, data=data)
        serializer.instance = self.get_queryset().get(pk=building.pk)

    def perform_update(self, serializer):
        services.building_update(building=serializer.instance, by=self.request.user, data=serializer.validated_data)
        serializer.instance = self.get_queryset().get(pk=serializer.instance.pk)

    def perform_destroy(self, instance):
        services.building_delete(building=instance, by=self.request.user)


class UnitViewSet(RestrictedModelViewSet):
    queryset = Unit.objects.select_related("building")
    filterset_class = UnitFilter
    ordering_fields = ["code", "area_m2", "floor"]
    ordering = ["building__name", "floor", "code", "id"]

    def get_serializer_class(self):
        if self.action in ("update", "partial_update"):
            return s.UnitUpdateSerializer
        return s.UnitSerializer

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        serializer.instance = services.unit_create(building=data.pop("building"), by=self.request.user, data=data)

    def perform_update(self, serializer):
        serializer.instance = services.unit_update(
            unit=serializer.instance, by=self.request.user, data=serializer.validated_data
        )

    def perform_destroy(self, instance):
        services.unit_delete(unit=instance, by=self.request.user)
