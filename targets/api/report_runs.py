"""Report runs through the API: list and read them (scope: the queryset), trigger one (idempotent by request key:
201 for a new run, 200 for the run a repeated key made), publish one, and download its files."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpResponse
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.api.viewsets import RestrictedViewSet
from parks.models import Carrier
from targets.choices import ReportFormat, ReportKind
from targets.models import ReportRun
from targets.reporting import services
from targets.reporting.views import CONTENT_TYPES, with_formats


class ReportRunSerializer(serializers.ModelSerializer):
    scope_name = serializers.CharField(read_only=True)
    triggered_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
    published_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
    downloads = serializers.SerializerMethodField()

    class Meta:
        model = ReportRun
        fields = [
            "id", "year", "kind", "carrier", "scope_name", "version", "status", "progress", "step", "attempts",
            "request_key", "triggered_by", "language", "as_of", "error", "created_at", "started_at", "finished_at",
            "published_at", "published_by", "downloads",
        ]  # fmt: skip
        read_only_fields = fields

    def get_downloads(self, run) -> dict[str, str]:
        if run.status != "succeeded":
            return {}
        return {
            fmt: reverse("reportrun-download", args=[run.pk, fmt])
            for fmt in ReportFormat.values
            if getattr(run, f"has_{fmt}", False)
        }


class ReportRunTriggerSerializer(serializers.Serializer):
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    kind = serializers.ChoiceField(choices=ReportKind.choices, default=ReportKind.YEARLY)
    carrier = serializers.PrimaryKeyRelatedField(queryset=Carrier.objects.all(), allow_null=True, default=None)
    request_key = serializers.CharField(
        max_length=100, help_text="Any unique string per intended run; repeating it returns the same run."
    )


class ReportRunViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, RestrictedViewSet):
    queryset = ReportRun.objects.all()
    serializer_class = ReportRunSerializer
    filterset_fields = ["year", "kind", "status", "carrier"]
    ordering_fields = ["created_at", "year", "version", "status"]
    ordering = ["-created_at", "-id"]

    def scoped_queryset(self):
        return with_formats(super().scoped_queryset())

    @extend_schema(
        request=ReportRunTriggerSerializer,
        responses={201: ReportRunSerializer, 200: ReportRunSerializer},
        summary="Compile a report (idempotent by request_key)",
    )
    def create(self, request, *args, **kwargs):
        serializer = ReportRunTriggerSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        existed = ReportRun.objects.filter(request_key=data["request_key"].strip()).exists()
        try:
            run = services.trigger_report_run(user=request.user, language=request.LANGUAGE_CODE, **data)
        except DjangoValidationError as error:
            raise serializers.ValidationError(
                error.message_dict if hasattr(error, "error_dict") else error.messages
            ) from None
        run = self.get_queryset().get(pk=run.pk)
        return Response(
            ReportRunSerializer(run).data, status=status.HTTP_200_OK if existed else status.HTTP_201_CREATED
        )

    @extend_schema(request=None, responses=ReportRunSerializer, summary="Publish a succeeded run (once)")
    @action(detail=True, methods=["post"], policy_action="change")
    def publish(self, request, pk=None):
        run = self.get_object()
        try:
            services.publish(run=run, by=request.user)
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.messages) from None
        return Response(ReportRunSerializer(self.get_queryset().get(pk=run.pk)).data)

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiTypes.BINARY}, summary="Download a file")
    @action(detail=True, methods=["get"], url_path=r"download/(?P<fmt>html|pdf|xlsx)")
    def download(self, request, pk=None, fmt=None):
        run = self.get_object()
        content = ReportRun.objects.filter(pk=run.pk).values_list(f"{fmt}_file", flat=True).first()
        if run.status != "succeeded" or content is None:
            raise Http404
        response = HttpResponse(bytes(content), content_type=CONTENT_TYPES[fmt])
        response["Content-Disposition"] = (
            f'attachment; filename="linzi-report-{run.year}-{run.kind}-v{run.version}.{fmt}"'
        )
        return response
