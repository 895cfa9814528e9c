from django.urls import reverse
from django.utils.translation import gettext as _
from rest_framework import serializers

from enterprises import services
from enterprises.models import (
    EVIDENCE_FIELDS,
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


class EnterpriseSerializer(serializers.ModelSerializer):
    latest_tech_sme_year = serializers.IntegerField(read_only=True, allow_null=True)
    has_valid_hte = serializers.BooleanField(read_only=True)
    financing_total = serializers.DecimalField(max_digits=16, decimal_places=2, read_only=True)
    team_size = serializers.IntegerField(read_only=True)

    class Meta:
        model = Enterprise
        fields = [
            "id", *services.ENTERPRISE_FIELDS, "is_demo", "latest_tech_sme_year", "has_valid_hte",
            "financing_total", "team_size", "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = ["is_demo", "created_at", "updated_at"]
        # The USCC's uniqueness and check character are validated by the model (with a message that says why).
        # (max_length 40: a code pasted with spaces or hyphens is normalised by the service.)
        extra_kwargs = {"uscc": {"validators": [], "max_length": 40}}


def record_serializer(model):
    """A serializer for one kind of record under an enterprise; `enterprise` is fixed once created."""

    class Meta:
        fields = ["id", "enterprise", *services.RECORD_FIELDS[model]] + (
            ["expires_on"] if model is HTECertificate else []
        )
        read_only_fields = ["expires_on"]

    Meta.model = model
    return type(f"{model.__name__}Serializer", (serializers.ModelSerializer,), {"Meta": Meta})


RECORD_SERIALIZERS = {
    model: record_serializer(model)
    for model in (
        TeamMember,
        TechSMERegistration,
        HTECertificate,
        HTEApplication,
        Honour,
        FinancingEvent,
        CorporateEvent,
    )
}


class DocumentSerializer(serializers.ModelSerializer):
    """An uploaded document's description; `download` is the permission-checked URL that serves the file."""

    download = serializers.SerializerMethodField()

    class Meta:
        model = Document
        fields = [
            "id", "enterprise", "kind", "title", "original_name", "content_type", "size", "sha256",
            "tech_sme_registration", "hte_certificate", "honour", "corporate_event", "uploaded_by", "uploaded_at",
            "download",
        ]  # fmt: skip
        read_only_fields = fields

    def get_download(self, document) -> str:
        path = reverse("enterprises:document_download", args=[document.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path


class EvidenceUploadSerializer(serializers.Serializer):
    """Exactly one of the four record ids: what the file is evidence of."""

    file = serializers.FileField()
    title = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)
    tech_sme_registration = serializers.IntegerField(required=False)
    hte_certificate = serializers.IntegerField(required=False)
    honour = serializers.IntegerField(required=False)
    corporate_event = serializers.IntegerField(required=False, help_text="A merger, acquisition or listing")

    def validate(self, attrs):
        given = [name for name in EVIDENCE_FIELDS if attrs.get(name)]
        if len(given) != 1:
            raise serializers.ValidationError(_("Name exactly one record the file is evidence of."))
        return attrs
