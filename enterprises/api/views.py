"""Thin API views over the enterprise selectors; writes call enterprises.services."""

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from accounts.api.viewsets import RestrictedModelViewSet, RestrictedViewSet
from enterprises import selectors, services
from enterprises.api.serializers import (
    RECORD_SERIALIZERS,
    DocumentSerializer,
    EnterpriseSerializer,
    EvidenceUploadSerializer,
)
from enterprises.choices import DocumentKind
from enterprises.filters import EnterpriseFilter
from enterprises.models import (
    CorporateEvent,
    Document,
    Enterprise,
    FinancingEvent,
    Honour,
    HTEApplication,
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

    def scoped_queryset(self):
        if self.request.query_params.get("q") and "ordering" not in self.request.query_params:
            self.ordering = None  # a search keeps its own order: the closest names first
        # Registering reads the new enterprise back as its registrar may see it.
        action = "view" if self.action == "create" else self.policy_action_name
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
HTEApplicationViewSet = _record_viewset(HTEApplication, ["-year", "id"])
HonourViewSet = _record_viewset(Honour, ["-year", "id"])
FinancingEventViewSet = _record_viewset(FinancingEvent, ["-occurred_on", "id"])
CorporateEventViewSet = _record_viewset(CorporateEvent, ["-occurred_on", "id"])


EVIDENCE_MODELS = {
    "tech_sme_registration": TechSMERegistration,
    "hte_certificate": HTECertificate,
    "honour": Honour,
    "corporate_event": CorporateEvent,
}


class DocumentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.DestroyModelMixin, RestrictedViewSet):
    """Uploaded documents of the enterprises you may see. Evidence of a qualification is uploaded here; business
    plans and supplements through the application's `upload` command."""

    queryset = Document.objects.all()
    serializer_class = DocumentSerializer
    filterset_fields = ["enterprise", "kind"]
    ordering = ["-uploaded_at", "-id"]

    def perform_destroy(self, instance):
        services.document_delete(document=instance, by=self.request.user)

    @extend_schema(
        request={"multipart/form-data": EvidenceUploadSerializer},
        responses={201: DocumentSerializer},
        summary="Upload evidence of a tech-SME registration, an HTE certificate, an honour or a corporate event",
    )
    @action(detail=False, methods=["post"], parser_classes=[MultiPartParser], policy_action="add")
    def evidence(self, request):
        serializer = EvidenceUploadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        field = next(name for name in EVIDENCE_MODELS if data.get(name))
        model = EVIDENCE_MODELS[field]
        record = get_object_or_404(
            model.objects.for_user(request.user, "change").select_related("enterprise"), pk=data[field]
        )
        document = services.document_store(
            enterprise=record.enterprise, upload=data["file"], title=data["title"],
            kind=DocumentKind.QUALIFICATION_EVIDENCE, by=request.user, evidence_of=record,
        )  # fmt: skip
        return Response(DocumentSerializer(document, context={"request": request}).data, status=201)
