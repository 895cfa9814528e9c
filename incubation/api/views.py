"""Residencies and allocations: resources for reading; admission, allocation, ending and exit are commands that
call the same services as the web pages."""

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError as DRFValidationError
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from accounts.api.viewsets import RestrictedViewSet
from accounts.api.workflow_commands import workflow_commands
from accounts.roles import TENANT_OVERSIGHT, has_role
from accounts.workflows import Move
from enterprises.api.serializers import DocumentSerializer
from incubation import selectors, services
from incubation.api.serializers import (
    AdmitSerializer,
    AllocationCreateSerializer,
    AllocationSerializer,
    ApplicationEventSerializer,
    ApplicationSerializer,
    ApplicationUpdateSerializer,
    AssignSerializer,
    DocumentUploadSerializer,
    EndSerializer,
    ExitSerializer,
    GraduateSerializer,
    PromoteSerializer,
    ResidencySerializer,
    ReviewSerializer,
    ScoreSerializer,
    ScreeningSerializer,
    TransferSerializer,
    TransitionSerializer,
)
from incubation.filters import ApplicationFilter
from incubation.models import Allocation, Application, Residency, Review, Transition
from incubation.residency_workflow import RESIDENCY_WORKFLOW
from incubation.workflow import APPLICATION_WORKFLOW
from parks.models import Carrier, Unit


@workflow_commands(
    RESIDENCY_WORKFLOW,
    response=TransitionSerializer,
    bodies={
        "promote": PromoteSerializer, "transfer": TransferSerializer, "graduate": GraduateSerializer,
        "exit": ExitSerializer,
    },
    # An exit answers with the residency it closed (it opens none), the other moves with their Transition.
    responses={"exit": (ResidencySerializer, status.HTTP_200_OK)},
)  # fmt: skip
class ResidencyViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, RestrictedViewSet):
    queryset = Residency.objects.select_related("enterprise", "carrier")
    serializer_class = ResidencySerializer
    filterset_fields = ["enterprise", "carrier", "stage"]
    ordering_fields = ["started_on", "planned_end_on"]
    ordering = ["-started_on", "-id"]

    def scoped_queryset(self):
        return selectors.residencies_with_months(super().scoped_queryset())

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        serializer.instance = services.residency_open(by=self.request.user, **data)

    def perform_move(self, move: Move, message: str, **params) -> Transition:
        """A workflow command (accounts.api.workflow_commands): the pipeline move, by the service the pages call."""
        residency = self.get_object()
        if params.get("to_carrier") is not None:
            params["to_carrier"] = get_object_or_404(Carrier.objects.all(), pk=params["to_carrier"])
        else:
            params.pop("to_carrier", None)
        return services.residency_move(residency=residency, move=move.name, by=self.request.user, note=message,
                                       **params)  # fmt: skip

    def move_response(self, move: Move, transition: Transition) -> dict:
        if move.name == "exit":
            residency = selectors.residencies_with_months(Residency.objects.filter(pk=transition.from_residency_id))
            return ResidencySerializer(residency.get(), context=self.get_serializer_context()).data
        return TransitionSerializer(transition, context=self.get_serializer_context()).data


class TransitionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, RestrictedViewSet):
    """Pipeline moves with the criteria as evaluated then and any override reason."""

    queryset = Transition.objects.select_related("rule_set")  # criteria kept before codes name their rule set
    serializer_class = TransitionSerializer
    filterset_fields = ["enterprise", "kind"]
    ordering = ["-occurred_on", "-id"]


class AllocationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, RestrictedViewSet):
    queryset = Allocation.objects.select_related("residency", "unit")
    serializer_class = AllocationSerializer
    filterset_fields = ["residency", "unit"]
    ordering = ["unit_id", "period"]

    @extend_schema(request=AllocationCreateSerializer, responses={201: AllocationSerializer}, summary="Allocate a unit")
    def create(self, request):
        serializer = AllocationCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        residency = get_object_or_404(Residency.objects.for_user(request.user, "change"), pk=data.pop("residency").pk)
        unit = get_object_or_404(Unit.objects.all(), pk=data.pop("unit"))
        allocation = services.allocation_create(residency=residency, unit=unit, by=request.user, **data)
        return Response(AllocationSerializer(allocation).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=EndSerializer, responses=AllocationSerializer, summary="End an allocation")
    @action(detail=True, methods=["post"], policy_action="change")
    def end(self, request, pk=None):
        allocation = self.get_object()
        serializer = EndSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        allocation = services.allocation_end(allocation=allocation, by=request.user, **serializer.validated_data)
        return Response(AllocationSerializer(allocation).data)


# --- Applications ------------------------------------------------------------------------------------------------

_COMMAND = "change"  # commands need the POLICY "change" right on the application; the service checks the rest


@workflow_commands(APPLICATION_WORKFLOW, response=ApplicationSerializer)
class ApplicationViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, mixins.UpdateModelMixin,
    RestrictedViewSet,
):  # fmt: skip
    """Applications, scoped by role (an applicant's own, staff their carriers', experts those assigned to them,
    the bureau all submitted ones). Drafts are created and edited by the applicant; every move of the workflow
    table (incubation.workflow) is a command of the same name, calling the service the web pages call."""

    queryset = Application.objects.all()
    serializer_class = ApplicationSerializer
    filterset_class = ApplicationFilter
    ordering_fields = ["submitted_at", "created_at", "status"]
    ordering = ["-submitted_at", "-created_at", "-id"]
    http_method_names = ["get", "post", "patch", "head", "options"]
    policy_actions = {
        "create": "add",
        "partial_update": "change",
        "assign": _COMMAND,
        "admit": _COMMAND,
        "upload": _COMMAND,
    }

    def scoped_queryset(self):
        if self.action in ("list", "retrieve"):
            user = self.request.user
            changeable = Application.objects.for_user(user, "change").filter(pk=OuterRef("pk"))
            return selectors.application_queue(user=user, with_documents=True).annotate(may_change=Exists(changeable))
        return super().scoped_queryset()

    def get_serializer_class(self):
        if self.action == "partial_update":
            return ApplicationUpdateSerializer
        return super().get_serializer_class()

    def _application_for(self, command: str = "change") -> Application:
        return get_object_or_404(Application.objects.for_user(self.request.user, command), pk=self.kwargs["pk"])

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        membership = getattr(self.request.user, "membership", None)
        if membership is None:
            raise PermissionDenied(_("Your account is not linked to an enterprise yet."))
        carrier, stage = data.pop("carrier"), data.pop("stage")
        serializer.instance = services.application_create(
            enterprise=membership.enterprise, carrier=carrier, stage=stage, by=self.request.user, data=data
        )

    def perform_update(self, serializer):
        serializer.instance = services.application_update(
            application=self._application_for(), by=self.request.user, data=dict(serializer.validated_data)
        )

    def perform_move(self, move: Move, message: str, **params) -> Application:
        """A workflow command (accounts.api.workflow_commands): the move, by the service the pages call."""
        return services.application_act(
            application=self._application_for(), move=move.name, by=self.request.user, message=message
        )

    def move_response(self, move: Move, application: Application) -> dict:
        return ApplicationSerializer(application, context=self.get_serializer_context()).data

    @extend_schema(request=AssignSerializer, responses={201: ReviewSerializer}, summary="Assign an expert (staff)")
    @action(detail=True, methods=["post"])
    def assign(self, request, pk=None):
        serializer = AssignSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        expert = get_object_or_404(selectors.experts_available(), pk=serializer.validated_data["expert"])
        review = services.review_assign(application=self._application_for(), expert=expert, by=request.user)
        return Response(ReviewSerializer(review).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=AdmitSerializer, responses={201: ResidencySerializer}, summary="Admit (staff)")
    @action(detail=True, methods=["post"])
    def admit(self, request, pk=None):
        application = self._application_for()
        serializer = AdmitSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        unit_ids = data.pop("units")
        units = list(Unit.objects.filter(pk__in=unit_ids, building__carrier=application.carrier_id))
        if len(units) != len(set(unit_ids)):
            raise DRFValidationError({"units": [_("Choose units of the carrier applied to.")]})
        residency = services.application_admit(application=application, by=request.user, units=units, **data)
        return Response(ResidencySerializer(residency).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request={"multipart/form-data": DocumentUploadSerializer},
        responses={201: DocumentSerializer},
        summary="Upload a document (applicant)",
    )
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser])
    def upload(self, request, pk=None):
        serializer = DocumentUploadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        document = services.application_attach(application=self._application_for(), by=request.user,
                                               upload=serializer.validated_data["file"],
                                               title=serializer.validated_data["title"],
                                               kind=serializer.validated_data["kind"])  # fmt: skip
        return Response(DocumentSerializer(document, context=self.get_serializer_context()).data, status=201)

    @extend_schema(responses=ScreeningSerializer, summary="Admission criteria evaluated now (staff, bureau)")
    @action(detail=True, methods=["get"])
    def screening(self, request, pk=None):
        if not has_role(request.user, *TENANT_OVERSIGHT):
            raise PermissionDenied
        evaluation = selectors.screening_preview(application=self.get_object())
        answer = {"rule_set": evaluation.rule_set.pk if evaluation.rule_set else None,
                  "satisfied": evaluation.satisfied, "criteria": evaluation.results}  # fmt: skip
        return Response(ScreeningSerializer(answer).data)

    @extend_schema(responses=ApplicationEventSerializer(many=True), summary="The status timeline")
    @action(detail=True, methods=["get"], pagination_class=None)
    def events(self, request, pk=None):
        application = self.get_object()
        events = application.events.select_related("by").order_by("at", "id")
        return Response(ApplicationEventSerializer(events, many=True).data)


class ReviewViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.DestroyModelMixin, RestrictedViewSet):
    """Expert reviews: staff see those of their carriers' applications, an expert their own (and the others' of
    an application once they have submitted theirs). Scoring is a command; withdrawing an assignment is DELETE."""

    queryset = Review.objects.select_related("expert")
    serializer_class = ReviewSerializer
    filterset_fields = ["application", "expert"]
    ordering = ["assigned_at", "id"]

    def perform_destroy(self, instance):
        services.review_unassign(review=instance, by=self.request.user)

    @extend_schema(request=ScoreSerializer, responses=ReviewSerializer, summary="Submit scores (the expert)")
    @action(detail=True, methods=["post"], policy_action="change")
    def score(self, request, pk=None):
        review = self.get_object()
        serializer = ScoreSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        review = services.review_submit(review=review, by=request.user, **serializer.validated_data)
        return Response(ReviewSerializer(review).data)
