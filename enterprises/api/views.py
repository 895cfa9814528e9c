"""Thin API views over the enterprise selectors; writes call enterprises.services."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view

from accounts.api.viewsets import RestrictedModelViewSet
from enterprises import selectors, services
from enterprises.api.serializers import RECORD_SERIALIZERS, EnterpriseSerializer
from enterprises.filters import EnterpriseFilter
from enterprises.models import (
    Enterprise,
    FinancingEvent,
    Honour,
    HTECertificate,
    TeamMember,
    TechSMERegistration,
)


@extend_schema_view(
    list=extend_schema(summary="List enterprises (search by name or USCC, filter by field and qualification)"),
    create=extend_schema(summary="Register an enterprise or team"),
)
class EnterpriseViewSet(RestrictedModelViewSet):
    queryset = Enterprise.objects.all()
    serializer_class = EnterpriseSerializer
    filterset_class = EnterpriseFilter
    ordering_fields = ["name", "registered_on", "financing_total", "latest_tech_sme_year", "created_at"]
    ordering = ["name"]
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def get_queryset(self):
        if self.request.query_params.get("q") and "ordering" not in self.request.query_params:
            self.ordering = None  # a search keeps its own order: the closest names first
        action = {"update": "change", "partial_update": "change"}.get(self.action, "view")
        return selectors.enterprise_list(user=self.request.user, action=action)

    def perform_create(self, serializer):
        enterprise = services.enterprise_create(by=self.request.user, data=serializer.validated_data)
        serializer.instance = self.get_queryset().get(pk=enterprise.pk)

    def perform_update(self, serializer):
        services.enterprise_update(enterprise=serializer.instance, by=self.request.user, data=serializer.validated_data)
        serializer.instance = self.get_queryset().get(pk=serializer.instance.pk)


class EnterpriseRecordViewSet(RestrictedModelViewSet):
    """Records under an enterprise; `?enterprise=<id>` selects one enterprise's."""

    filterset_fields = ["enterprise"]

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        enterprise = data.pop("enterprise")
        serializer.instance = services.record_create(
            model=self.queryset.model, enterprise=enterprise, by=self.request.user, data=data
        )

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        if data.pop("enterprise", serializer.instance.enterprise) != serializer.instance.enterprise:
            raise ValidationError({"enterprise": _("A record cannot move to another enterprise.")})
        serializer.instance = services.record_update(record=serializer.instance, by=self.request.user, data=data)

    def perform_destroy(self, instance):
        services.record_delete(record=instance, by=self.request.user)


def _record_viewset(model, ordering):
    return type(
        f"{model.__name__}ViewSet",
        (EnterpriseRecordViewSet,),
        {
            "queryset": model.objects.all(),
            "serializer_class": RECORD_SERIALIZERS[model],
            "ordering": ordering,
            "ordering_fields": ordering,
            "__doc__": f"{model._meta.verbose_name_plural} of the enterprises you may see.",
        },
    )


TeamMemberViewSet = _record_viewset(TeamMember, ["id"])
TechSMERegistrationViewSet = _record_viewset(TechSMERegistration, ["-year", "id"])
HTECertificateViewSet = _record_viewset(HTECertificate, ["-issued_on", "id"])
HonourViewSet = _record_viewset(Honour, ["-year", "id"])
FinancingEventViewSet = _record_viewset(FinancingEvent, ["-occurred_on", "id"])
