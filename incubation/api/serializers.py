from rest_framework import serializers

from incubation.choices import ResidencyEndReason
from incubation.models import Allocation, Residency


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
