from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from incubation import selectors
from incubation.choices import ResidencyEndReason, SpaceOutcome
from incubation.models import Allocation, Application, ApplicationEvent, Residency, Review, Transition


class ResidencySerializer(serializers.ModelSerializer):
    months_in_residence = serializers.SerializerMethodField()

    class Meta:
        model = Residency
        fields = [
            "id", "enterprise", "carrier", "stage", "started_on", "planned_end_on", "agreement_no", "note",
            "ended_on", "end_reason", "months_in_residence",
        ]  # fmt: skip
        read_only_fields = ["ended_on", "end_reason"]

    def get_months_in_residence(self, residency) -> int:
        """Whole months from the start to the end (or to today): the selector's annotation, or one query."""
        months = getattr(residency, "months_in_residence", None)
        if months is None:
            months = (
                selectors.residencies_with_months(Residency.objects.filter(pk=residency.pk))
                .values_list("months_in_residence", flat=True)
                .get()
            )
        return months


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
    space = serializers.ChoiceField(
        choices=SpaceOutcome.choices, default=SpaceOutcome.ENDED,
        help_text="What happens to the tenant's running allocations: kept for the new residency (same carrier only) "
        "or ended on the date of the move.",
    )  # fmt: skip
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


class CriterionSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    status = serializers.ChoiceField(choices=["met", "unmet", "unknown"])
    detail = serializers.CharField()


class TransitionSerializer(serializers.ModelSerializer):
    criteria = serializers.SerializerMethodField()

    class Meta:
        model = Transition
        fields = [
            "id", "enterprise", "kind", "occurred_on", "from_residency", "to_residency", "rule_set", "criteria",
            "override_reason", "note", "space", "by", "created_at",
        ]  # fmt: skip

    @extend_schema_field(CriterionSerializer(many=True))
    def get_criteria(self, transition) -> list[dict]:
        """The criteria as judged at the move, in the reader's language."""
        return CriterionSerializer(selectors.transition_criteria(transition=transition), many=True).data


# --- Applications ------------------------------------------------------------------------------------------------


class ApplicationEventSerializer(serializers.ModelSerializer):
    by_name = serializers.CharField(source="by.name", read_only=True)

    class Meta:
        model = ApplicationEvent
        fields = ["id", "action", "from_status", "to_status", "message", "by", "by_name", "at"]


class ApplicationSerializer(serializers.ModelSerializer):
    """An application as the applicant, staff, experts and the bureau read it; drafts are written with the same
    fields (carrier and stage only on creation)."""

    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    experts_assigned = serializers.SerializerMethodField()
    experts_done = serializers.SerializerMethodField()
    allowed_moves = serializers.SerializerMethodField()
    screening_results = serializers.SerializerMethodField()

    class Meta:
        model = Application
        fields = [
            "id", "enterprise", "enterprise_name", "carrier", "stage", "status", "project_name", "technology",
            "intellectual_property", "team", "market", "finances", "funding_needs", "funding_amount",
            "requested_area", "requested_space_type", "documents", "screening_rule_set", "screening_results",
            "scoring_rule_set", "decision_reason", "residency", "submitted_at", "decided_at", "created_at",
            "experts_assigned", "experts_done", "allowed_moves",
        ]  # fmt: skip
        read_only_fields = [
            "enterprise", "status", "documents", "screening_rule_set", "screening_results", "scoring_rule_set",
            "decision_reason", "residency", "submitted_at", "decided_at", "created_at",
        ]  # fmt: skip

    @staticmethod
    def _review_counts(application) -> Application:
        """The application with its review counts: the queue's annotations, or one query (a command's answer)."""
        if not hasattr(application, "experts_assigned"):
            counts = selectors.with_review_counts(Application.objects.filter(pk=application.pk))
            application.experts_assigned, application.experts_done = counts.values_list(
                "experts_assigned", "experts_done"
            ).get()
        return application

    def get_experts_assigned(self, application) -> int:
        return self._review_counts(application).experts_assigned

    def get_experts_done(self, application) -> int:
        return self._review_counts(application).experts_done

    @extend_schema_field(CriterionSerializer(many=True))
    def get_screening_results(self, application) -> list[dict]:
        """The admission criteria as evaluated when screening ended, in the reader's language."""
        return CriterionSerializer(selectors.screening_kept(application=application), many=True).data

    def get_allowed_moves(self, application) -> list[str]:
        """The workflow moves the requesting user may make now (the same answer as the application's page)."""
        moves = selectors.application_moves(
            user=self.context["request"].user,
            application=application,
            may_change=getattr(application, "may_change", None),
        )
        return [move.name for move in moves]


class ApplicationUpdateSerializer(ApplicationSerializer):
    class Meta(ApplicationSerializer.Meta):
        read_only_fields = [*ApplicationSerializer.Meta.read_only_fields, "carrier", "stage"]


class AssignSerializer(serializers.Serializer):
    expert = serializers.IntegerField(help_text="The id of a user with the expert reviewer role.")


class AdmitSerializer(serializers.Serializer):
    started_on = serializers.DateField()
    planned_end_on = serializers.DateField(required=False, allow_null=True)
    agreement_no = serializers.CharField(required=False, allow_blank=True, default="", max_length=60)
    units = serializers.ListField(child=serializers.IntegerField(), required=False, default=list)
    allocation_end = serializers.DateField(required=False, allow_null=True)


class DocumentUploadSerializer(serializers.Serializer):
    file = serializers.FileField()
    kind = serializers.ChoiceField(choices=["business_plan", "supplement"])
    title = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)


class ScreeningSerializer(serializers.Serializer):
    rule_set = serializers.IntegerField(allow_null=True)
    satisfied = serializers.BooleanField()
    criteria = CriterionSerializer(many=True)


class ReviewSerializer(serializers.ModelSerializer):
    expert_name = serializers.CharField(source="expert.name", read_only=True)

    class Meta:
        model = Review
        fields = [
            "id", "application", "expert", "expert_name", "assigned_by", "assigned_at", "scores", "comment",
            "weighted_score", "submitted_at",
        ]  # fmt: skip


class ScoreSerializer(serializers.Serializer):
    scores = serializers.DictField(
        child=serializers.IntegerField(min_value=0, max_value=100),
        help_text="Criterion code of the application's scoring rubric -> score from 0 to 100.",
    )
    comment = serializers.CharField()
