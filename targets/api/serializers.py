from rest_framework import serializers

from parks.choices import AccreditationLevel
from parks.models import Carrier
from targets.choices import Comparison, TargetForm
from targets.indicators import INDICATOR_CHOICES
from targets.models import Target, TargetPlan, TargetRevision


class TargetPlanSerializer(serializers.ModelSerializer):
    years = serializers.SerializerMethodField()

    class Meta:
        model = TargetPlan
        fields = ["id", "name", "source_document", "adopted_on", "start_year", "note", "years"]

    def get_years(self, plan) -> list[int]:
        return sorted({target.year for target in plan.targets.all()})


class TargetSerializer(serializers.ModelSerializer):
    carrier_code = serializers.CharField(source="carrier.code", read_only=True, default=None, allow_null=True)
    # Declared, not generated: a read-only model field loses allow_blank, and the schema would then refuse the empty
    # level of every target that is not an accreditation target.
    level = serializers.ChoiceField(choices=AccreditationLevel.choices, allow_blank=True, read_only=True)

    class Meta:
        model = Target
        fields = [
            "id", "plan", "year", "indicator", "carrier", "carrier_code", "form", "comparison", "value", "level",
            "note", "updated_at",
        ]  # fmt: skip
        read_only_fields = fields


class TargetCreateSerializer(serializers.Serializer):
    plan = serializers.PrimaryKeyRelatedField(queryset=TargetPlan.objects.all())
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    indicator = serializers.ChoiceField(choices=INDICATOR_CHOICES)
    carrier = serializers.PrimaryKeyRelatedField(queryset=Carrier.objects.all(), required=False, allow_null=True)
    form = serializers.ChoiceField(choices=TargetForm.choices, default=TargetForm.YEARLY)
    comparison = serializers.ChoiceField(choices=Comparison.choices, default=Comparison.AT_LEAST)
    value = serializers.DecimalField(max_digits=16, decimal_places=2, required=False, allow_null=True, min_value=0)
    level = serializers.ChoiceField(choices=AccreditationLevel.choices, required=False, allow_blank=True)
    note = serializers.CharField(max_length=300, required=False, allow_blank=True)
    reason = serializers.CharField()


class TargetUpdateSerializer(serializers.Serializer):
    form = serializers.ChoiceField(choices=TargetForm.choices, required=False)
    comparison = serializers.ChoiceField(choices=Comparison.choices, required=False)
    value = serializers.DecimalField(max_digits=16, decimal_places=2, required=False, allow_null=True, min_value=0)
    level = serializers.ChoiceField(choices=AccreditationLevel.choices, required=False, allow_blank=True)
    note = serializers.CharField(max_length=300, required=False, allow_blank=True)
    reason = serializers.CharField()


class YearTargetSerializer(serializers.Serializer):
    indicator = serializers.ChoiceField(choices=INDICATOR_CHOICES)
    carrier = serializers.PrimaryKeyRelatedField(queryset=Carrier.objects.all(), required=False, allow_null=True)
    form = serializers.ChoiceField(choices=TargetForm.choices, default=TargetForm.YEARLY)
    comparison = serializers.ChoiceField(choices=Comparison.choices, default=Comparison.AT_LEAST)
    value = serializers.DecimalField(max_digits=16, decimal_places=2, required=False, allow_null=True, min_value=0)
    level = serializers.ChoiceField(choices=AccreditationLevel.choices, required=False, allow_blank=True)
    note = serializers.CharField(max_length=300, required=False, allow_blank=True)


class PlanAddYearSerializer(serializers.Serializer):
    year = serializers.IntegerField(min_value=2024, max_value=2100)
    reason = serializers.CharField()
    targets = YearTargetSerializer(many=True)


class TargetRevisionSerializer(serializers.ModelSerializer):
    by = serializers.CharField(source="by.username", read_only=True, default=None)

    class Meta:
        model = TargetRevision
        fields = ["id", "target", "changes", "reason", "by", "at"]
        read_only_fields = fields


class IndicatorFigureSerializer(serializers.Serializer):
    code = serializers.CharField(source="indicator.code")
    label = serializers.CharField(source="indicator.label")
    unit = serializers.CharField(source="indicator.unit")
    unit_label = serializers.CharField(source="indicator.unit_label")
    kind = serializers.CharField(source="indicator.kind")
    yearly_definition = serializers.CharField(source="indicator.yearly_definition")
    cumulative_definition = serializers.CharField(source="indicator.cumulative_definition")
    year = serializers.IntegerField()
    carrier = serializers.IntegerField(source="carrier_id", allow_null=True)
    yearly = serializers.DecimalField(max_digits=20, decimal_places=2, allow_null=True)
    cumulative = serializers.DecimalField(max_digits=20, decimal_places=2, allow_null=True)
    yearly_level = serializers.CharField()
    cumulative_level = serializers.CharField()


class ContributorSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    contribution = serializers.DecimalField(max_digits=20, decimal_places=6)


# --- The bureau dashboard (targets.dashboard): the same numbers as the page and its XLSX ---------------------------

_FIGURE = {"max_digits": 20, "decimal_places": 2, "allow_null": True}


class DashboardTargetSerializer(serializers.Serializer):
    indicator = serializers.CharField()
    target = serializers.IntegerField(source="target_id")
    form = serializers.CharField()
    comparison = serializers.CharField()
    target_value = serializers.DecimalField(**_FIGURE)
    target_level = serializers.CharField()
    actual = serializers.CharField(allow_null=True, help_text="A number, or a level code for accreditation")
    attainment = serializers.DecimalField(max_digits=8, decimal_places=1, allow_null=True, help_text="percent")
    pipeline = serializers.DecimalField(max_digits=20, decimal_places=2)
    status = serializers.CharField()
    reason = serializers.CharField()
    provisional = serializers.BooleanField(help_text="The actual is read from reports not all verified yet")


class DashboardFigureSerializer(serializers.Serializer):
    code = serializers.CharField()
    yearly = serializers.DecimalField(**_FIGURE)
    cumulative = serializers.DecimalField(**_FIGURE)
    yearly_level = serializers.CharField()
    cumulative_level = serializers.CharField()
    provisional = serializers.BooleanField(
        help_text="Read from the tenants' annual reports, not all verified yet (see `reports`): not a final figure"
    )


class ReportCoverageSerializer(serializers.Serializer):
    verified = serializers.IntegerField(help_text="Verified annual reports the report-based figures rest on")
    expected = serializers.IntegerField(help_text="Tenants expected to file one (in residency in the year)")
    provisional = serializers.BooleanField(help_text="Fewer verified than expected")


class DashboardCarrierSerializer(serializers.Serializer):
    carrier = serializers.IntegerField()
    figures = serializers.DictField(child=serializers.DecimalField(**_FIGURE), help_text="code -> yearly figure")
    reports = ReportCoverageSerializer()


class FunnelSerializer(serializers.Serializer):
    applications = serializers.IntegerField()
    admissions = serializers.IntegerField()
    promotions = serializers.IntegerField()
    graduations = serializers.IntegerField()


class FunnelYearSerializer(FunnelSerializer):
    year = serializers.IntegerField()


class TrendYearSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    figures = serializers.DictField(child=serializers.DecimalField(**_FIGURE), help_text="code -> yearly figure")


class DashboardSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    carrier = serializers.IntegerField(source="carrier_id", allow_null=True)
    computed_at = serializers.DateTimeField()
    targets = DashboardTargetSerializer(many=True, source="attainments")
    figures = DashboardFigureSerializer(many=True)
    reports = ReportCoverageSerializer()
    carriers = DashboardCarrierSerializer(many=True)
    funnel = FunnelSerializer()
    funnel_trend = FunnelYearSerializer(many=True)
    trend = TrendYearSerializer(many=True)

    def to_representation(self, instance):
        """`instance` is targets.dashboard's dict, limited to the carriers the user may see (view's `carriers`)."""
        visible = self.context["carriers"]
        shaped = {
            **instance,
            "figures": [{"code": code, **figure} for code, figure in instance["figures"].items()],
            "carriers": [
                {
                    "carrier": pk,
                    "figures": {code: f["yearly"] for code, f in instance["carriers"][pk].items()},
                    "reports": instance["carrier_reports"][pk],
                }
                for pk in visible
                if pk in instance["carriers"]
            ],
            "funnel_trend": [{"year": year, **steps} for year, steps in sorted(instance["funnel_trend"].items())],
            "trend": [{"year": year, "figures": figures} for year, figures in sorted(instance["trend"].items())],
        }
        return super().to_representation(shaped)
