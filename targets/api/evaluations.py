"""The qualification engine through the API: the rule schemes with their versions, criteria and bands (read by
everyone signed in), the evaluations kept (scope: the enterprise's readers), and the what-if command: POST an
enterprise, a scheme, a round and figures, get the evaluation back at once; nothing is saved."""

from __future__ import annotations

import django_filters
from django.db.models import Prefetch, Subquery
from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.api.viewsets import RestrictedViewSet
from accounts.mixins import restricted_object
from accounts.phrasebook import render
from enterprises.models import Enterprise
from enterprises.report_rules import report_problems
from targets import selectors, services
from targets.choices import EvaluationOutcome
from targets.forms import WHAT_IF_FIGURES
from targets.models import Band, Candidate, Criterion, Evaluation, FollowUp, Scheme, SchemeVersion
from targets.selectors.evaluation import Judgement, criteria_with_bands, criterion_words


class RuleBandSerializer(serializers.ModelSerializer):
    class Meta:
        model = Band
        fields = ["lower", "lower_inclusive", "value"]


class RuleCriterionSerializer(serializers.ModelSerializer):
    bands = RuleBandSerializer(many=True, read_only=True, source="scale")

    class Meta:
        model = Criterion
        fields = [
            "code", "kind", "part", "metric", "operator", "threshold", "unit", "threshold_metric", "waived_by_route",
            "text", "text_en", "bands",
        ]  # fmt: skip


class SchemeVersionSerializer(serializers.ModelSerializer):
    criteria = RuleCriterionSerializer(many=True, read_only=True, source="rules")

    class Meta:
        model = SchemeVersion
        fields = [
            "id", "version", "title", "issuer", "document_no", "region", "effective_from", "source", "is_example",
            "published_at", "criteria",
        ]  # fmt: skip


class SchemeSerializer(serializers.ModelSerializer):
    versions = SchemeVersionSerializer(many=True, read_only=True, source="published_versions")

    class Meta:
        model = Scheme
        fields = ["id", "code", "subject", "name", "name_en", "description", "versions"]


class SchemeViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, RestrictedViewSet):
    """The rule schemes and their published versions, newest first, each with its criteria and bands."""

    queryset = Scheme.objects.all()
    serializer_class = SchemeSerializer
    ordering = ["position", "code"]
    ordering_fields = ["position", "code"]

    def scoped_queryset(self):
        versions = (
            SchemeVersion.objects.filter(published_at__isnull=False)
            .order_by("-effective_from", "-version")
            .prefetch_related(criteria_with_bands())
        )
        return (
            super()
            .scoped_queryset()
            .prefetch_related(Prefetch("versions", queryset=versions, to_attr="published_versions"))
        )


class ResultSerializer(serializers.Serializer):
    code = serializers.CharField()
    kind = serializers.CharField()
    text = serializers.CharField()
    metric = serializers.CharField()
    operator = serializers.CharField(allow_blank=True)
    threshold = serializers.CharField(allow_null=True)
    unit = serializers.CharField()
    value = serializers.CharField(allow_null=True)
    result = serializers.ChoiceField(choices=["met", "unmet", "unknown", "manual", "not_applicable"])
    points = serializers.CharField(allow_null=True)
    found = serializers.CharField(allow_blank=True, help_text="What was found on the records, in words")
    missing = serializers.ListField(child=serializers.CharField(), help_text="The figures that are missing")
    gap = serializers.CharField(allow_blank=True, help_text="What must change to meet the threshold")
    sources = serializers.ListField(child=serializers.DictField(), help_text="The records the value came from")


def shown_results(results: list[dict]) -> list[dict]:
    """Kept results with their words in the reader's language."""
    return [
        {
            **{
                name: item.get(name)
                for name in (
                    "code",
                    "kind",
                    "metric",
                    "operator",
                    "threshold",
                    "unit",
                    "value",
                    "result",
                    "points",
                    "sources",
                )
            },
            "text": criterion_words(item),
            "found": render(item.get("found")),
            "missing": [render(phrase) for phrase in item.get("missing", [])],
            "gap": render(item.get("gap")),
        }  # fmt: skip
        for item in results
    ]


class EvaluationSerializer(serializers.ModelSerializer):
    scheme = serializers.SlugRelatedField(slug_field="code", read_only=True)
    document_no = serializers.CharField(source="version.document_no", read_only=True)
    version = serializers.IntegerField(source="version.version", read_only=True)
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    results = serializers.SerializerMethodField()

    class Meta:
        model = Evaluation
        fields = [
            "id", "scheme", "version", "document_no", "enterprise", "enterprise_name", "year", "evaluated_on",
            "outcome", "score", "readiness", "gaps", "is_current", "results", "created_at",
        ]  # fmt: skip
        read_only_fields = fields

    @extend_schema_field(ResultSerializer(many=True))
    def get_results(self, evaluation) -> list[dict]:
        return ResultSerializer(shown_results(evaluation.results), many=True).data


class EvaluationSummarySerializer(EvaluationSerializer):
    """An evaluation in a list: its outcome and figures; its results are in the evaluation itself."""

    class Meta(EvaluationSerializer.Meta):
        fields = [name for name in EvaluationSerializer.Meta.fields if name != "results"]
        read_only_fields = fields


class EvaluationFilter(django_filters.FilterSet):
    scheme = django_filters.CharFilter(method="by_scheme", help_text="A scheme's code, e.g. tech_sme_evaluation")
    outcome = django_filters.ChoiceFilter(choices=EvaluationOutcome.choices)
    current = django_filters.BooleanFilter(field_name="is_current")

    class Meta:
        model = Evaluation
        fields = ["scheme", "year", "enterprise", "outcome", "current"]

    def by_scheme(self, queryset, name, value):
        # The scheme's id as a value, not a join: the ranking index (scheme, readiness) then serves the order.
        return queryset.filter(scheme=Subquery(Scheme.objects.filter(code=value).values("pk")[:1]))


class WhatIfSerializer(serializers.Serializer):
    enterprise = serializers.IntegerField()
    scheme = serializers.SlugRelatedField(slug_field="code", queryset=Scheme.objects.all())
    year = serializers.IntegerField(min_value=2017, max_value=2100, required=False)
    figures = serializers.DictField(
        child=serializers.DecimalField(max_digits=14, decimal_places=2, min_value=0),
        required=False,
        help_text=f"Last year's figures to use instead of the report's: {', '.join(WHAT_IF_FIGURES)}.",
    )

    def validate_figures(self, figures):
        unknown = sorted(set(figures) - set(WHAT_IF_FIGURES))
        if unknown:
            raise serializers.ValidationError(
                f"Unknown figures: {', '.join(unknown)}. Known: {', '.join(WHAT_IF_FIGURES)}."
            )
        problems = report_problems(figures=figures, year=None, period=None, today=timezone.localdate())
        if problems:
            raise serializers.ValidationError(problems)
        return figures


class JudgementSerializer(serializers.Serializer):
    enterprise = serializers.IntegerField()
    scheme = serializers.CharField()
    version = serializers.IntegerField()
    document_no = serializers.CharField()
    year = serializers.IntegerField()
    evaluated_on = serializers.DateField()
    outcome = serializers.ChoiceField(choices=EvaluationOutcome.choices)
    score = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True)
    readiness = serializers.DecimalField(max_digits=5, decimal_places=2)
    gaps = serializers.IntegerField()
    saved = serializers.BooleanField(help_text="Always false: a what-if evaluation is never kept.")
    results = ResultSerializer(many=True)


def judgement_data(judgement: Judgement) -> dict:
    return {
        "enterprise": judgement.facts.enterprise_id,
        "scheme": judgement.version.scheme.code,
        "version": judgement.version.version,
        "document_no": judgement.version.document_no,
        "year": judgement.facts.year,
        "evaluated_on": judgement.facts.on,
        "outcome": judgement.outcome,
        "score": judgement.score,
        "readiness": judgement.readiness,
        "gaps": judgement.gaps,
        "saved": False,
        "results": shown_results(judgement.results_json()),
    }


class EvaluationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, RestrictedViewSet):
    """Evaluations kept by the engine (nightly, and when staff run it): filter by scheme, year, enterprise, outcome;
    `current=true` for the latest of each enterprise, scheme and year. The list gives each one's outcome and
    figures; an evaluation's page gives every criterion's value, threshold, result and sources."""

    queryset = Evaluation.objects.select_related("scheme", "version", "enterprise")
    serializer_class = EvaluationSerializer

    def get_serializer_class(self):
        return EvaluationSummarySerializer if self.action == "list" else EvaluationSerializer

    def get_queryset(self):
        queryset = super().get_queryset()
        return queryset.defer("results") if self.action == "list" else queryset

    filterset_class = EvaluationFilter
    ordering_fields = ["readiness", "score", "gaps", "created_at", "year"]
    ordering = ["-created_at", "-id"]

    @extend_schema(request=WhatIfSerializer, responses=JudgementSerializer, summary="What if: evaluate figures")
    @action(
        detail=False, methods=["post"], url_path="what-if", policy_action="view", filterset_class=None,
        pagination_class=None,
    )  # fmt: skip
    def what_if(self, request):
        serializer = WhatIfSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        enterprise = restricted_object(request.user, Enterprise, data["enterprise"])
        today = timezone.localdate()
        year = data.get("year") or today.year
        judgement = selectors.judge_enterprise(
            data["scheme"], enterprise, year=year, on=today, figures=data.get("figures") or None
        )
        if judgement is None:
            raise serializers.ValidationError({"scheme": "No version of this scheme is in force."})
        return Response(JudgementSerializer(judgement_data(judgement)).data)


class FollowUpSerializer(serializers.ModelSerializer):
    by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = FollowUp
        fields = ["id", "occurred_on", "note", "next_on", "by", "created_at"]
        read_only_fields = ["id", "by", "created_at"]


class CandidateSerializer(serializers.ModelSerializer):
    scheme = serializers.SlugRelatedField(slug_field="code", queryset=Scheme.objects.all())
    marked_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    follow_ups = FollowUpSerializer(many=True, read_only=True)

    class Meta:
        model = Candidate
        fields = ["id", "scheme", "enterprise", "year", "note", "marked_by", "marked_at", "follow_ups"]
        read_only_fields = ["id", "marked_by", "marked_at", "follow_ups"]


class CandidateFilter(django_filters.FilterSet):
    scheme = django_filters.CharFilter(field_name="scheme__code")

    class Meta:
        model = Candidate
        fields = ["scheme", "year", "enterprise"]


class CandidateViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, mixins.DestroyModelMixin,
    RestrictedViewSet,
):  # fmt: skip
    """The cultivation list's marks (培育库): staff mark an enterprise they oversee as a candidate for a round,
    record follow-ups, and unmark it; the bureau reads."""

    queryset = Candidate.objects.select_related("scheme", "marked_by").prefetch_related("follow_ups__by")
    serializer_class = CandidateSerializer
    filterset_class = CandidateFilter
    ordering_fields = ["marked_at", "year"]
    ordering = ["-marked_at", "-id"]

    def perform_create(self, serializer):
        data = serializer.validated_data
        enterprise = restricted_object(self.request.user, Enterprise, data["enterprise"].pk)
        serializer.instance = services.mark_candidate(
            scheme=data["scheme"], enterprise=enterprise, year=data["year"], note=data.get("note", ""),
            by=self.request.user,
        )  # fmt: skip

    def perform_destroy(self, instance):
        services.unmark_candidate(candidate=instance, by=self.request.user)

    @extend_schema(request=FollowUpSerializer, responses=FollowUpSerializer, summary="Record a follow-up")
    @action(detail=True, methods=["post"], url_path="follow-ups", policy_action="change")
    def follow_ups(self, request, pk=None):
        candidate = self.get_object()
        serializer = FollowUpSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        follow_up = services.record_follow_up(candidate=candidate, by=request.user, **serializer.validated_data)
        return Response(FollowUpSerializer(follow_up).data, status=201)
