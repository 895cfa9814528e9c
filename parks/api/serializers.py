from rest_framework import serializers

from parks.choices import Stage
from parks.models import Accreditation, AnchorOrganisation, Building, Carrier, FocusField, Unit


class FocusFieldSerializer(serializers.ModelSerializer):
    class Meta:
        model = FocusField
        fields = ["id", "name", "name_en", "parent", "sort_order"]


class AnchorOrganisationSerializer(serializers.ModelSerializer):
    class Meta:
        model = AnchorOrganisation
        fields = ["id", "carrier", "name", "name_en", "kind", "sort_order"]


class AnchorOrganisationUpdateSerializer(AnchorOrganisationSerializer):
    class Meta(AnchorOrganisationSerializer.Meta):
        read_only_fields = ["carrier"]


class AccreditationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Accreditation
        fields = ["id", "carrier", "level", "awarded_on", "certificate_no", "authority", "note"]


class AccreditationUpdateSerializer(AccreditationSerializer):
    class Meta(AccreditationSerializer.Meta):
        read_only_fields = ["carrier"]


class UnitSerializer(serializers.ModelSerializer):
    carrier = serializers.IntegerField(source="building.carrier_id", read_only=True)

    class Meta:
        model = Unit
        fields = ["id", "building", "carrier", "code", "floor", "area_m2", "kind", "stage_zone", "note"]


class UnitUpdateSerializer(UnitSerializer):
    class Meta(UnitSerializer.Meta):
        read_only_fields = ["building"]


class BuildingSerializer(serializers.ModelSerializer):
    total_area = serializers.DecimalField(max_digits=14, decimal_places=2, read_only=True)
    unit_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Building
        fields = ["id", "carrier", "name", "address", "floors", "note", "total_area", "unit_count"]


class BuildingUpdateSerializer(BuildingSerializer):
    class Meta(BuildingSerializer.Meta):
        read_only_fields = ["carrier"]


class CarrierSerializer(serializers.ModelSerializer):
    stages = serializers.ListField(child=serializers.ChoiceField(choices=Stage.choices), allow_empty=False)
    focus_fields = serializers.PrimaryKeyRelatedField(many=True, queryset=FocusField.objects.all())
    accreditation_level = serializers.CharField(read_only=True, allow_null=True)
    total_area = serializers.DecimalField(max_digits=14, decimal_places=2, read_only=True)
    unit_count = serializers.IntegerField(read_only=True)
    building_count = serializers.IntegerField(read_only=True)
    anchor_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Carrier
        fields = [
            "id",
            "code",
            "kind",
            "name",
            "name_en",
            "stages",
            "aim",
            "aim_en",
            "description",
            "address",
            "contact_name",
            "contact_phone",
            "focus_fields",
            "accreditation_level",
            "total_area",
            "unit_count",
            "building_count",
            "anchor_count",
            "sort_order",
        ]
        read_only_fields = ["code", "kind", "name", "sort_order"]
