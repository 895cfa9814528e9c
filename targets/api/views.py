"""Target plans and targets (the bureau writes, with a reason), and the indicator figures with their contributors."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, mixins, status
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from accounts.api.viewsets import PolicyAPIView, RestrictedViewSet
from accounts.roles import can
from enterprises.models import Enterprise
from parks.models import Carrier
from targets import dashboard, selectors, services
from targets.api.serializers import (
    ContributorSerializer,
    DashboardSerializer,
    IndicatorFigureSerializer,
    PlanAddYearSerializer,
    TargetCreateSerializer,
    TargetPlanSerializer,
    TargetRevisionSerializer,
    TargetSerializer,
    TargetUpdateSerializer,
)
from targets.choices import TargetForm
from targets.indicators import INDICATORS
from targets.models import Target, TargetPlan, TargetRevision
from targets.reporting import torch, torch_xlsx


class TargetPlanViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, RestrictedViewSet):
    queryset = TargetPlan.objects.prefetch_related("targets")
    serializer_class = TargetPlanSerializer
    ordering_fields = ["start_year", "name"]
    ordering = ["start_year", "id"]

    @extend_schema(request=PlanAddYearSerializer, responses=TargetSerializer(many=True), summary="Add a year")
    @action(detail=True, methods=["post"], url_path="add-year", policy_action="add")
    def add_year(self, request, pk=None):
        plan = self.get_object()
        serializer = PlanAddYearSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        targets = services.plan_add_year(
            plan=plan, year=data["year"], targets=data["targets"], reason=data["reason"], by=request.user
        )
        return Response(TargetSerializer(targets, many=True).data, status=status.HTTP_201_CREATED)


class TargetViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    RestrictedViewSet,
):
    queryset = Target.objects.select_related("carrier")
    serializer_class = TargetSerializer
    filterset_fields = ["plan", "year", "indicator", "carrier", "form"]
    ordering_fields = ["year", "indicator"]
    ordering = ["year", "indicator", "id"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_serializer_class(self):
        if self.action == "create":
            return TargetCreateSerializer
        if self.action == "partial_update":
            return TargetUpdateSerializer
        return TargetSerializer

    @extend_schema(request=TargetCreateSerializer, responses={201: TargetSerializer})
    def create(self, request, *args, **kwargs):
        serializer = TargetCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        target = services.target_create(by=request.user, **serializer.validated_data)
        return Response(TargetSerializer(target).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=TargetUpdateSerializer, responses=TargetSerializer)
    def partial_update(self, request, *args, **kwargs):
        target = self.get_object()
        serializer = TargetUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        reason = data.pop("reason")
        target = services.target_update(target=target, data=data, reason=reason, by=request.user)
        return Response(TargetSerializer(target).data)

    @extend_schema(responses=TargetRevisionSerializer(many=True), summary="The target's history")
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def revisions(self, request, pk=None):
        target = self.get_object()
        if not can(request.user, "view", TargetRevision):
            raise PermissionDenied
        revisions = TargetRevision.objects.filter(target=target).select_related("by").order_by("-at", "-id")
        return Response(TargetRevisionSerializer(revisions, many=True).data)


SCOPE_PARAMETERS = [
    OpenApiParameter("year", OpenApiTypes.INT, description="Calendar year (default: this year)"),
    OpenApiParameter("carrier", OpenApiTypes.INT, description="Carrier id; empty for district-wide"),
]


class IndicatorScopeMixin(PolicyAPIView):
    """The indicator figures' views: PAGES "targets.indicators", the scope of `selectors.figure_scope`."""

    policy_page = "targets.indicators"

    def scope(self) -> tuple[int, Carrier | None]:
        request = self.request
        district, carriers = selectors.figure_scope(request.user)
        try:
            year = int(request.query_params.get("year") or timezone.localdate().year)
        except ValueError:
            raise ValidationError({"year": "Enter a year."}) from None
        if not 2000 <= year <= 2100:
            raise ValidationError({"year": "Enter a year between 2000 and 2100."})
        carrier_param = request.query_params.get("carrier", "")
        if not carrier_param:
            if not district:
                raise PermissionDenied
            return year, None
        if not carrier_param.isdigit():
            raise ValidationError({"carrier": "Enter a carrier id."})
        carrier = carriers.filter(pk=int(carrier_param)).first()
        if carrier is None:
            if Carrier.objects.filter(pk=int(carrier_param)).exists():
                raise PermissionDenied
            raise Http404
        return year, carrier


class IndicatorListView(IndicatorScopeMixin):
    """Every indicator's figure (yearly and cumulative) with its definition, for a year and scope."""

    @extend_schema(parameters=SCOPE_PARAMETERS, responses=IndicatorFigureSerializer(many=True))
    def get(self, request):
        year, carrier = self.scope()
        figures = selectors.indicator_figures(year=year, carrier=carrier)
        return Response(IndicatorFigureSerializer(list(figures.values()), many=True).data)


class IndicatorContributorsView(IndicatorScopeMixin, generics.ListAPIView):
    """The enterprises making up one figure, each with its contribution (they add up to the figure)."""

    serializer_class = ContributorSerializer
    filter_backends = []

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Enterprise.objects.none()
        code = self.kwargs["code"]
        if code not in INDICATORS or code in selectors.LEVELS:
            raise Http404
        year, carrier = self.scope()
        form = self.request.query_params.get("form", TargetForm.YEARLY)
        if form not in TargetForm.values:
            raise ValidationError({"form": "yearly or cumulative"})
        return selectors.indicator_contributors(code=code, year=year, form=form, carrier=carrier).order_by(
            "-contribution", "name", "pk"
        )

    @extend_schema(
        parameters=[
            *SCOPE_PARAMETERS,
            OpenApiParameter("form", OpenApiTypes.STR, enum=TargetForm.values, description="yearly or cumulative"),
        ]
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class DashboardView(IndicatorScopeMixin):
    """The bureau dashboard's figures for a year (2021 to this year) and scope: the targets with their status, every
    indicator, the carriers the user may see, the pipeline funnel and the trends. Cached like the page (and as
    fresh: `computed_at`)."""

    policy_page = "targets.dashboard"

    @extend_schema(parameters=SCOPE_PARAMETERS, responses=DashboardSerializer)
    def get(self, request):
        year, carrier = self.scope()
        if not dashboard.FIRST_YEAR <= year <= timezone.localdate().year:
            raise ValidationError({"year": f"Enter a year from {dashboard.FIRST_YEAR} to this year."})
        _district, carriers = selectors.figure_scope(request.user)
        data = dashboard.dashboard_data(year=year, carrier=carrier)
        visible = list(carriers.values_list("pk", flat=True))
        return Response(DashboardSerializer(data, context={"carriers": visible}).data)


class TorchExportView(PolicyAPIView):
    """The Torch statistics export for a year as an XLSX workbook (money in 千元): the operating company and the
    bureau every carrier, park staff their own carriers' incubators and tenants."""

    policy_page = torch.PAGE

    @extend_schema(
        parameters=[OpenApiParameter("year", OpenApiTypes.INT, required=True, description="Calendar year")],
        responses={(200, torch_xlsx.CONTENT_TYPE): OpenApiTypes.BINARY},
        summary="Torch statistics (XLSX)",
    )
    def get(self, request):
        try:
            year = torch.parse_year(request.query_params.get("year"))
        except ValueError:
            year = None
        if year is None:
            raise ValidationError({"year": "Enter a year."})
        return torch_xlsx.download(torch.torch_export(user=request.user, year=year))
