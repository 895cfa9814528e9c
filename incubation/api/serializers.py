from rest_framework import serializers

from incubation.choices import ResidencyEndReason
from incubation.models import Allocation, Residency, Transition


class ResidencySerializer(serializers.ModelSerializer):
    months_in_residence = serializers.IntegerField(read_only=True, required=False)

    class Meta:
        model = Residency
        fields = [
            "id", "enterprise", "carrier", "stage", "started_on", "planned_end_on", "agreement_no", "note",
            "ended_on", "end_reason", "months_in_residence",
        ]  # fmt: skip
        read_only_fields = ["ended_on", "end_reason"]


class AllocationSerializer(serializers.ModelSerializer):
    start = serializers.DateField(source="period.lower", read_only=True)
    end = serializers.DateField(source="period.upper", read_only=True, allow_null=True)

    class Meta:
        model = Allocation
        fields = ["id", "residency", "unit", "start", "end"]


class AllocationCreateSerializer(serializers.Serializer):
    residency = serializers.PrimaryKeyRelatedField(queryset=Residency.objects.all())
    unit = serializers.IntegerField()
    start = serializers.DateField()
    end = serializers.DateField(required=False, allow_null=True)


class EndSerializer(serializers.Serializer):
    on = serializers.DateField()


class ExitSerializer(serializers.Serializer):
    on = serializers.DateField()
    reason = serializers.ChoiceField(
        choices=[(r.value, r.label) for r in (ResidencyEndReason.EXITED_VOLUNTARY, ResidencyEndReason.EXITED_REMOVED)]
    )
    note = serializers.CharField(max_length=200)


class PromoteSerializer(serializers.Serializer):
    to_stage = serializers.ChoiceField(choices=["incubator", "accelerator", "industrial_park"])
    to_carrier = serializers.IntegerField(required=False, allow_null=True)
    on = serializers.DateField()
    planned_end_on = serializers.DateField(required=False, allow_null=True)
    override_reason = serializers.CharField(required=False, allow_blank=True, default="")
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)


class TransferSerializer(serializers.Serializer):
    to_carrier = serializers.IntegerField()
    on = serializers.DateField()
    planned_end_on = serializers.DateField(required=False, allow_null=True)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)


class GraduateSerializer(serializers.Serializer):
    on = serializers.DateField()
    override_reason = serializers.CharField(required=False, allow_blank=True, default="")
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)


class TransitionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Transition
        fields = [
            "id", "enterprise", "kind", "occurred_on", "from_residency", "to_residency", "rule_set", "criteria",
            "override_reason", "note", "by", "created_at",
        ]  # fmt: skip
