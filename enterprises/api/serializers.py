from rest_framework import serializers

from enterprises import services
from enterprises.models import (
    Enterprise,
    FinancingEvent,
    Honour,
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
    for model in (TeamMember, TechSMERegistration, HTECertificate, Honour, FinancingEvent)
}
