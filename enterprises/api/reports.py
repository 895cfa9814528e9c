"""Operating reports over the API: reports (list, detail, create and edit a draft; submit, verify, return and correct
as commands), deadlines, and who has not filed. The same services and selectors as the web pages."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics, mixins, serializers, status
from rest_framework.response import Response

from accounts.api.viewsets import PolicyAPIView, RestrictedViewSet
from accounts.api.workflow_commands import workflow_commands
from accounts.roles import OPERATING_ROLES, roles_of
from accounts.workflows import Move
from enterprises import selectors, services
from enterprises.choices import ReportPeriod, ReportStatus
from enterprises.models import Enterprise, EnterpriseMembership, OperatingReport, ReportDeadline
from enterprises.report_workflow import REPORT_WORKFLOW
from parks.choices import Stage

_FIGURES = list(services.REPORT_FIGURES)


class OperatingReportSerializer(serializers.ModelSerializer):
    """A report as its readers see it; money in 万元 (10k yuan)."""

    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    valid_ip = serializers.IntegerField(read_only=True)
    allowed_moves = serializers.SerializerMethodField()

    class Meta:
        model = OperatingReport
        fields = [
            "id", "enterprise", "enterprise_name", "year", "period", "version", "status", *_FIGURES, "valid_ip",
            "supersedes", "correction_reason", "staff_comment", "created_at", "updated_at", "submitted_at",
            "verified_at", "allowed_moves",
        ]  # fmt: skip
        read_only_fields = [
            "version", "status", "supersedes", "correction_reason", "staff_comment", "created_at", "updated_at",
            "submitted_at", "verified_at",
        ]  # fmt: skip
        extra_kwargs = {"enterprise": {"required": False}}

    def get_allowed_moves(self, report) -> list[str]:
        """The workflow moves the requesting user may make now (the same answer as the report's page)."""
        user = self.context["request"].user
        may_change = report.pk in self._changeable(user)
        return [offer.name for offer in selectors.report_moves(user=user, report=report, may_change=may_change)]

    def _changeable(self, user) -> set[int]:
        """Which of the reports serialized (the page of a list, or the one) the user may change: one query."""
        if "_changeable_reports" not in self.context:
            shown = self.parent.instance if self.parent is not None else [self.instance]
            pks = [report.pk for report in shown]
            self.context["_changeable_reports"] = set(
                OperatingReport.objects.for_user(user, "change").filter(pk__in=pks).values_list("pk", flat=True)
            )
        return self.context["_changeable_reports"]


class OperatingReportCreateSerializer(serializers.Serializer):
    """A new report: its period and figures. `enterprise` is needed only from the operating company (an enterprise
    user files for their own)."""

    enterprise = serializers.IntegerField(required=False)
    year = serializers.IntegerField()
    period = serializers.ChoiceField(choices=ReportPeriod.choices, default=ReportPeriod.ANNUAL)


for _name in _FIGURES:
    _field = OperatingReport._meta.get_field(_name)
    OperatingReportCreateSerializer._declared_fields[_name] = (
        serializers.DecimalField(max_digits=14, decimal_places=2, required=False)
        if _field.get_internal_type() == "DecimalField"
        else serializers.IntegerField(required=False)
    )


class FiguresSerializer(serializers.Serializer):
    """A draft's figures to change (any of them)."""


FiguresSerializer._declared_fields.update(
    {name: field for name, field in OperatingReportCreateSerializer._declared_fields.items() if name in _FIGURES}
)


@workflow_commands(REPORT_WORKFLOW, response=OperatingReportSerializer)
class OperatingReportViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, mixins.UpdateModelMixin,
    RestrictedViewSet,
):  # fmt: skip
    """Operating reports, scoped by role: an enterprise user's own, park staff their carriers' tenants', the
    operating company and the bureau all. `?current=true` keeps the current version of each period."""

    queryset = OperatingReport.objects.all()
    serializer_class = OperatingReportSerializer
    filterset_fields = ["enterprise", "year", "period", "status"]
    ordering_fields = ["year", "period", "submitted_at", "revenue"]
    ordering = ["-year", "period", "-version"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def scoped_queryset(self):
        reports = selectors.report_list(user=self.request.user, action=self.policy_action_name)
        if self.request.query_params.get("current") == "true":
            reports = reports.current()
        return reports

    def get_serializer_class(self):
        if self.action == "create":
            return OperatingReportCreateSerializer
        if self.action == "partial_update":
            return FiguresSerializer
        return super().get_serializer_class()

    def _out(self, report, code=status.HTTP_200_OK) -> Response:
        report = selectors.report_list(user=self.request.user).get(pk=report.pk)
        return Response(OperatingReportSerializer(report, context=self.get_serializer_context()).data, status=code)

    @extend_schema(request=OperatingReportCreateSerializer, responses={201: OperatingReportSerializer},
                   summary="Start a report (a draft)")  # fmt: skip
    def create(self, request, *args, **kwargs):
        serializer = OperatingReportCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        enterprise_id = data.pop("enterprise", None)
        year, period = data.pop("year"), data.pop("period")
        if roles_of(request.user) & OPERATING_ROLES and enterprise_id is not None:
            enterprise = get_object_or_404(Enterprise.objects.for_user(request.user, "change"), pk=enterprise_id)
        else:
            membership = EnterpriseMembership.objects.filter(user=request.user).select_related("enterprise").first()
            if membership is None or (enterprise_id is not None and enterprise_id != membership.enterprise_id):
                raise PermissionDenied(_("Only the enterprise's own users or the operating company file its reports."))
            enterprise = membership.enterprise
        report = services.report_create(enterprise=enterprise, year=year, period=period, by=request.user, data=data)
        return self._out(report, status.HTTP_201_CREATED)

    @extend_schema(request=FiguresSerializer, responses=OperatingReportSerializer, summary="Change a draft's figures")
    def partial_update(self, request, *args, **kwargs):
        report = self.get_object()
        serializer = FiguresSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        report = services.report_update(report=report, by=request.user, data=dict(serializer.validated_data))
        return self._out(report)

    def perform_move(self, move: Move, message: str, **params) -> OperatingReport:
        """A workflow command (accounts.api.workflow_commands): the move, by the service the pages call."""
        return services.report_act(report=self.get_object(), move=move.name, by=self.request.user, message=message)

    def move_response(self, move: Move, report: OperatingReport) -> dict:
        report = selectors.report_list(user=self.request.user).get(pk=report.pk)
        return OperatingReportSerializer(report, context=self.get_serializer_context()).data


class ReportDeadlineSerializer(serializers.ModelSerializer):
    class Meta:
        model = ReportDeadline
        fields = ["id", *services.DEADLINE_FIELDS, "updated_at"]
        read_only_fields = ["updated_at"]
        validators = []  # the service says when a period already has a deadline


class ReportDeadlineViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, mixins.UpdateModelMixin,
    RestrictedViewSet,
):  # fmt: skip
    """The deadlines the operating company has set (read by whoever files or follows reports); a period without
    one has the default deadline."""

    queryset = ReportDeadline.objects.all()
    serializer_class = ReportDeadlineSerializer
    filterset_fields = ["year", "period"]
    ordering = ["-year", "period"]
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def perform_create(self, serializer):
        serializer.instance = services.deadline_save(by=self.request.user, data=serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = services.deadline_save(
            by=self.request.user, data=serializer.validated_data, deadline=serializer.instance
        )


class NotFiledRowSerializer(serializers.Serializer):
    enterprise = serializers.IntegerField(source="pk")
    enterprise_name = serializers.CharField(source="name")
    carrier = serializers.IntegerField(source="residency_carrier")
    stage = serializers.ChoiceField(source="residency_stage", choices=Stage.choices)
    report = serializers.IntegerField(source="report_id", allow_null=True)
    report_status = serializers.ChoiceField(choices=ReportStatus.choices, allow_null=True)
    last_reminded = serializers.DateTimeField(allow_null=True)
    days_overdue = serializers.SerializerMethodField()

    def get_days_overdue(self, row) -> int:
        return self.context["days_overdue"]


class NotFiledQuerySerializer(serializers.Serializer):
    """The period of the not-filed list and whom to show (the web page's NotFiledFilter, as query parameters)."""

    year = serializers.IntegerField(min_value=2017, max_value=2100, required=False, help_text="Default: last year.")
    period = serializers.ChoiceField(choices=ReportPeriod.choices, default=ReportPeriod.ANNUAL)
    carrier = serializers.IntegerField(required=False, min_value=1)
    stage = serializers.ChoiceField(choices=Stage.choices, required=False)


@extend_schema(parameters=[NotFiledQuerySerializer], summary="Enterprises that have not filed a period's report")
class NotFiledView(PolicyAPIView, generics.ListAPIView):
    """Who has not filed a period's report (default: last year's annual report): the tenants in residency then, in
    the user's scope, without a submitted or verified report."""

    policy_page = "enterprises.reports_not_filed"
    serializer_class = NotFiledRowSerializer
    filter_backends = []

    def query(self) -> dict:
        if not hasattr(self, "_query"):
            serializer = NotFiledQuerySerializer(data=self.request.query_params)
            serializer.is_valid(raise_exception=True)
            self._query = {"year": timezone.localdate().year - 1, **serializer.validated_data}
        return self._query

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Enterprise.objects.none()
        query = self.query()
        rows = selectors.not_filed(user=self.request.user, year=query["year"], period=query["period"])
        if "carrier" in query:
            rows = rows.filter(residency_carrier=query["carrier"])
        if "stage" in query:
            rows = rows.filter(residency_stage=query["stage"])
        return rows.order_by("name", "pk")

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if not getattr(self, "swagger_fake_view", False):
            query = self.query()
            deadline = selectors.report_deadline(year=query["year"], period=query["period"])
            context["days_overdue"] = deadline.days_overdue(timezone.localdate())
        return context
