from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView, View

from accounts.mixins import PortalView, RestrictedListView, ServiceFormView, WorkflowMoveMixin, restricted_object
from accounts.roles import STAFF_ROLES, Role, can, has_role, roles_of
from enterprises.choices import DocumentKind
from enterprises.models import Enterprise, EnterpriseMembership
from incubation import roster_export, rules, selectors, services, tenant_import, workflow
from incubation.choices import ApplicationStatus, RuleSetKind
from incubation.filters import ApplicationFilter, TenantFilter
from incubation.forms import (
    AdmitForm,
    AllocationForm,
    ApplicationForm,
    AssignExpertForm,
    DocumentUploadForm,
    EndDateForm,
    ExitForm,
    GraduateForm,
    MoveForm,
    PromoteForm,
    ResidencyForm,
    ReviewForm,
    RuleSetVersionForm,
    TenantImportConfirmForm,
    TenantImportUploadForm,
    TransferForm,
)
from incubation.models import Allocation, Application, Residency, Review, RuleSet, TenantImport, TenantImportStatus
from incubation.residency_workflow import earliest_move_date
from incubation.workflow import APPLICATION_WORKFLOW


class TenantRosterView(RestrictedListView):
    """Every tenant in residence now, per carrier and stage: the operating company's daily list."""

    model = Residency
    template_name = "incubation/tenant_roster.html"
    filterset_class = TenantFilter
    paginate_by = 50
    ordering_options = {
        "enterprise": "enterprise__name",
        "carrier": "carrier__sort_order",
        "stage": "stage",
        "started": "started_on",
        "months": "months_in_residence",
        "planned_end": "planned_end_on",
        "area": "area_let",
    }
    default_ordering = "enterprise"

    def base_queryset(self):
        return selectors.tenant_roster(user=self.request.user)

    def get_context_data(self, **kwargs):
        return super().get_context_data(can_import=can(self.request.user, "add", "incubation.tenantimport"), **kwargs)


class EnterpriseActionView(ServiceFormView):
    """A form about one enterprise's residency; back to the enterprise's page afterwards."""

    template_name = "enterprises/form.html"

    def get_success_url(self) -> str:
        return reverse("enterprises:enterprise_detail", args=[self.enterprise.pk]) + "#residencies"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            enterprise=self.enterprise, title=self.title, cancel_url=self.get_success_url(), **kwargs
        )


class ResidencyCreateView(EnterpriseActionView):
    form_class = ResidencyForm
    title = _("Register residency")
    success_message = _("The residency has been registered.")

    @cached_property
    def enterprise(self) -> Enterprise:
        if not can(self.request.user, "add", Residency):
            raise PermissionDenied
        return restricted_object(self.request.user, Enterprise, self.kwargs["pk"])

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def perform(self, data):
        return services.residency_open(enterprise=self.enterprise, by=self.request.user, **data)


class ResidencyActionView(EnterpriseActionView):
    @cached_property
    def residency(self) -> Residency:
        return restricted_object(
            self.request.user,
            Residency,
            self.kwargs["pk"],
            "change",
            queryset=Residency.objects.select_related("enterprise", "carrier"),
        )

    @cached_property
    def enterprise(self) -> Enterprise:
        return self.residency.enterprise

    def get_context_data(self, **kwargs):
        return super().get_context_data(residency=self.residency, **kwargs)


class AllocationCreateView(ResidencyActionView):
    form_class = AllocationForm
    title = _("Allocate space")
    success_message = _("The unit has been allocated.")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "residency": self.residency}

    def perform(self, data):
        return services.allocation_create(residency=self.residency, by=self.request.user, **data)


class MoveDateMixin:
    """A pipeline move's form proposes a date the rules accept (after the residency's start)."""

    def get_initial(self):
        return {**super().get_initial(), "on": earliest_move_date(self.residency, timezone.localdate())}


class ResidencyExitView(MoveDateMixin, ResidencyActionView):
    form_class = ExitForm
    title = _("Record exit")
    success_message = _("The exit has been recorded; its space is free from the exit date.")

    def perform(self, data):
        return services.exit_tenant(residency=self.residency, by=self.request.user, **data)


class AllocationEndView(EnterpriseActionView):
    form_class = EndDateForm
    title = _("End allocation")
    success_message = _("The allocation has been ended.")

    @cached_property
    def allocation(self) -> Allocation:
        allocation = restricted_object(
            self.request.user,
            Allocation,
            self.kwargs["pk"],
            "view",
            queryset=Allocation.objects.select_related("residency__enterprise", "unit__building"),
        )
        if not Residency.objects.for_user(self.request.user, "change").filter(pk=allocation.residency_id).exists():
            raise PermissionDenied
        return allocation

    @cached_property
    def enterprise(self) -> Enterprise:
        return self.allocation.residency.enterprise

    def perform(self, data):
        return services.allocation_end(allocation=self.allocation, by=self.request.user, **data)


class BuildingOccupancyView(PortalView, TemplateView):
    """Each unit of a building: who is in it now and until when, and when it is next let."""

    template_name = "incubation/building_occupancy.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        if not can(user, "view", "incubation.occupancy"):
            raise PermissionDenied
        buildings = selectors.occupancy_buildings(user=user).select_related("carrier")
        building = get_object_or_404(buildings, pk=self.kwargs["pk"])
        return super().get_context_data(
            building=building,
            rows=selectors.building_occupancy(building=building),
            totals=selectors.occupancy_totals(units=building.units.all()),
            **kwargs,
        )


class MoveView(MoveDateMixin, ResidencyActionView):
    """Promote, transfer or graduate a tenant. The page shows each criterion of the rules in force, met, not met
    or unknown, evaluated for the date and stage in the form."""

    template_name = "incubation/move_form.html"
    kind = ""

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "residency": self.residency, "user": self.request.user}

    def preview(self, form):
        data = form.cleaned_data if form.is_bound and hasattr(form, "cleaned_data") else {}
        on = data.get("on") or earliest_move_date(self.residency, timezone.localdate())
        to_stage = data.get("to_stage") or (form.fields["to_stage"].choices[0][0] if "to_stage" in form.fields
                                             and form.fields["to_stage"].choices else None)  # fmt: skip
        if self.kind == "promote" and to_stage is None:
            return None
        return services.move_preview(kind=self.kind, residency=self.residency, on=on, to_stage=to_stage)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["evaluation"] = self.preview(context["form"])
        return context


class PromoteView(MoveView):
    form_class = PromoteForm
    kind = "promote"
    title = _("Promote to a later stage")
    success_message = _("The tenant has been promoted.")

    def perform(self, data):
        return services.promote(residency=self.residency, by=self.request.user, **data)


class TransferView(MoveView):
    form_class = TransferForm
    kind = "transfer"
    title = _("Transfer to another carrier")
    success_message = _("The tenant has been transferred.")

    def perform(self, data):
        return services.transfer(residency=self.residency, by=self.request.user, **data)


class GraduateView(MoveView):
    form_class = GraduateForm
    kind = "graduate"
    title = _("Graduate")
    success_message = _("The tenant has graduated.")

    def perform(self, data):
        return services.graduate(residency=self.residency, by=self.request.user, **data)


class AlertsView(PortalView, TemplateView):
    """What needs staff's attention: incubation time nearing its limit, tenants past their planned end, high-tech
    certificates expiring, tech-based SME registrations not renewed this year."""

    template_name = "incubation/alerts.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        if not can(user, "view", "incubation.alerts"):
            raise PermissionDenied
        today = timezone.localdate()
        period = rules.incubation_period(today)
        return super().get_context_data(
            today=today,
            period=period,
            limit_alerts=selectors.incubation_limit_alerts(user=user, today=today)[:200],
            overdue_alerts=selectors.planned_end_passed_alerts(user=user, today=today)[:200],
            hte_alerts=selectors.hte_expiry_alerts(user=user, today=today)[:200],
            sme_alerts=selectors.tech_sme_renewal_alerts(user=user, today=today)[:200],
            **kwargs,
        )


# --- Applications ------------------------------------------------------------------------------------------------


class ApplicationQueueView(RestrictedListView):
    """Staff's application queue (the carriers they run), an applicant's own applications, an expert's
    assignments, the bureau's overview: one list, scoped by role, filtered and sorted."""

    model = Application
    template_name = "incubation/application_list.html"
    filterset_class = ApplicationFilter
    ordering_options = {
        "submitted": "submitted_at",
        "enterprise": "enterprise__name",
        "carrier": "carrier__sort_order",
        "stage": "stage",
        "status": "status",
        "score": "average_score",
    }
    default_ordering = "-submitted"

    def base_queryset(self):
        return selectors.application_queue(user=self.request.user)

    def get_context_data(self, **kwargs):
        user = self.request.user
        memberships = EnterpriseMembership.objects.filter(user=user).select_related("enterprise")
        is_applicant, is_expert = has_role(user, Role.ENTERPRISE), has_role(user, Role.EXPERT)
        return super().get_context_data(
            can_apply=can(user, "add", Application),
            has_enterprise=memberships.exists(),
            shows_scores=can(user, "view", Review) and not is_expert,
            # An applicant has a handful of their own applications: no filters, no reviewers' progress.
            is_applicant=is_applicant,
            is_expert=is_expert,
            is_filtered=any(self.request.GET.get(name) for name in self.filterset_class.base_filters),
            **kwargs,
        )


class ApplicantEnterpriseMixin:
    """The enterprise the signed-in applicant acts for (their first membership)."""

    @cached_property
    def enterprise(self) -> Enterprise:
        if not can(self.request.user, "add", Application):
            raise PermissionDenied
        membership = (
            EnterpriseMembership.objects.filter(user=self.request.user)
            .select_related("enterprise__industry_field")
            .order_by("pk")
            .first()
        )
        if membership is None:
            raise Http404(_("Your account is not linked to an enterprise yet."))
        return membership.enterprise


class ApplicationCreateView(ApplicantEnterpriseMixin, ServiceFormView):
    template_name = "incubation/application_form.html"
    form_class = ApplicationForm
    success_message = _("Your draft has been saved. Upload the business plan, then submit.")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "places": selectors.application_places(enterprise=self.enterprise)}

    def get_initial(self):
        carrier, stage = self.request.GET.get("carrier"), self.request.GET.get("stage")
        return {"place": f"{carrier}:{stage}"} if carrier and stage else {}

    def perform(self, data):
        place, business_plan = data["place"], data.get("business_plan")
        with transaction.atomic():  # a refused business plan leaves no draft behind
            application = services.application_create(
                enterprise=self.enterprise, carrier=place["carrier"], stage=place["stage"], by=self.request.user,
                data=self.form.content(),
            )  # fmt: skip
            if business_plan:
                try:
                    services.application_attach(application=application, upload=business_plan, title="",
                                                kind=DocumentKind.BUSINESS_PLAN, by=self.request.user)  # fmt: skip
                except ValidationError as error:
                    raise ValidationError({"business_plan": error.messages}) from error
                self.success_message = _("Your draft has been saved with its business plan. Complete it, then submit.")
        return application

    def get_success_url(self) -> str:
        return reverse("incubation:application_detail", args=[self.result.pk])

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title=_("New application"), enterprise=self.enterprise, cancel_url=reverse("incubation:applications"),
            **kwargs,
        )  # fmt: skip


class ApplicationMixin:
    """The application in the URL, if the user may `application_action` it (403 by role, 404 out of scope)."""

    application_action = "view"

    @cached_property
    def application(self) -> Application:
        return restricted_object(
            self.request.user, Application, self.kwargs["pk"], self.application_action,
            queryset=Application.objects.select_related("enterprise", "carrier", "scoring_rule_set"),
        )  # fmt: skip

    def get_success_url(self) -> str:
        return reverse("incubation:application_detail", args=[self.application.pk])


class ApplicationEditView(ApplicationMixin, ServiceFormView):
    template_name = "incubation/application_form.html"
    form_class = ApplicationForm
    application_action = "change"
    success_message = _("The application has been saved.")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.application, "places": None}

    def perform(self, data):
        return services.application_update(application=self.application, by=self.request.user,
                                           data=self.form.content())  # fmt: skip

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title=_("Edit application"), enterprise=self.application.enterprise, application=self.application,
            cancel_url=self.get_success_url(), **kwargs,
        )  # fmt: skip


class ApplicationDetailView(PortalView, TemplateView):
    """Everything about one application on one page: the content, documents, the timeline, and, for whoever may
    act, the moves the workflow allows now, the screening criteria, the experts' reviews and the admission."""

    template_name = "incubation/application_detail.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        if not can(user, "view", Application):
            raise PermissionDenied
        try:
            application = selectors.application_detail(user=user, pk=self.kwargs["pk"])
        except Application.DoesNotExist as missing:
            raise Http404 from missing
        is_applicant = has_role(user, Role.ENTERPRISE) and any(
            membership.user_id == user.pk for membership in application.enterprise.memberships.all()
        )
        may_change = Application.objects.for_user(user, "change").filter(pk=application.pk).exists()
        is_staff_here = may_change and bool(roles_of(user) & STAFF_ROLES)
        moves = selectors.application_moves(
            user=user, application=application, may_change=may_change, check_preconditions=True
        )
        reviews = selectors.reviews_visible(user=user, application=application) if can(user, "view", Review) else []
        own_review = next((review for review in reviews if review.expert_id == user.pk), None)
        rubric = rules.rubric(application.scoring_rule_set) if application.scoring_rule_set else []
        for review in reviews:
            review.score_list = [review.scores.get(item.code) for item in rubric]
        content_rows = [
            (Application._meta.get_field(name).verbose_name, getattr(application, name))
            for name in ("technology", "intellectual_property", "team", "market", "finances", "funding_needs")
        ]
        context = {
            "application": application,
            "content_rows": content_rows,
            "enterprise": application.enterprise,
            "events": application.events.all(),
            "documents": application.documents.all(),
            "moves": moves,
            "is_applicant": is_applicant,
            # Staff and the bureau open the enterprise's page; experts see only what the application shows.
            "links_enterprise": can(user, "view", Enterprise),
            "can_edit": is_applicant and application.status in workflow.EDITABLE,
            "is_staff_here": is_staff_here,
            "reviews": reviews,
            "own_review": own_review,
            "rubric": rubric,
            "review_summary": selectors.review_summary(reviews),
            "show_reviews": bool(reviews) and (not has_role(user, Role.EXPERT) or (own_review and
                                                                                   own_review.submitted_at)),
            "upload_form": DocumentUploadForm() if is_applicant and application.status in workflow.EDITABLE else None,
        }  # fmt: skip
        if is_staff_here or has_role(user, Role.BUREAU):
            if application.status in (ApplicationStatus.SUBMITTED, ApplicationStatus.SCREENING):
                context["screening"] = selectors.screening_preview(application=application)
            elif application.screening_results:
                context["screening_kept"] = selectors.screening_kept(application=application)
            if is_staff_here and application.status in workflow.ASSIGNABLE:
                assigned = [review.expert_id for review in reviews]
                context["assign_form"] = AssignExpertForm(
                    experts=selectors.experts_available().exclude(pk__in=assigned)
                )
            context["can_admit"] = (
                is_staff_here and application.status == ApplicationStatus.APPROVED and application.residency_id is None
            )
        if application.status in workflow.EDITABLE and is_applicant:
            context["problems"] = workflow.application_problems(application)
        return super().get_context_data(**context, **kwargs)


class ApplicationMoveView(WorkflowMoveMixin, ApplicationMixin, ServiceFormView):
    """Confirm one workflow move, with the message it needs (a request for material, a decision's reason)."""

    template_name = "incubation/application_move.html"
    form_class = MoveForm
    application_action = "change"
    workflow = APPLICATION_WORKFLOW

    @property
    def success_message(self):
        return _("Done: the application is now “%(status)s”.") % {"status": self.result.get_status_display()}

    def perform(self, data):
        return services.application_act(
            application=self.application, move=self.move.name, by=self.request.user, message=data["message"]
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            application=self.application, move=self.move, title=self.move.label, cancel_url=self.get_success_url(),
            **kwargs,
        )  # fmt: skip


class ApplicationDocumentAddView(ApplicationMixin, ServiceFormView):
    template_name = "incubation/application_form.html"
    form_class = DocumentUploadForm
    application_action = "change"
    success_message = _("The document has been uploaded.")

    def perform(self, data):
        return services.application_attach(
            application=self.application, upload=data["file"], title=data["title"], kind=data["kind"],
            by=self.request.user,
        )  # fmt: skip

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title=_("Upload a document"), enterprise=self.application.enterprise, application=self.application,
            cancel_url=self.get_success_url(), multipart=True, **kwargs,
        )  # fmt: skip


class ApplicationDocumentRemoveView(ApplicationMixin, PortalView, View):
    application_action = "change"

    def post(self, request, pk, document_pk):
        document = get_object_or_404(self.application.documents.all(), pk=document_pk)
        try:
            services.application_detach(application=self.application, document=document, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The document has been removed from the application."))
        return redirect(self.get_success_url())


class ReviewAssignView(ApplicationMixin, ServiceFormView):
    template_name = "incubation/application_move.html"
    form_class = AssignExpertForm
    application_action = "change"
    success_message = _("The expert has been assigned.")

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not can(request.user, "add", Review):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "experts": selectors.experts_available()}

    def perform(self, data):
        return services.review_assign(application=self.application, expert=data["expert"], by=self.request.user)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            application=self.application, title=_("Assign an expert"), cancel_url=self.get_success_url(), **kwargs
        )


class ReviewMixin:
    @cached_property
    def review(self) -> Review:
        return restricted_object(
            self.request.user, Review, self.kwargs["pk"], self.review_action,
            queryset=Review.objects.select_related("application__enterprise", "application__carrier",
                                                   "application__scoring_rule_set", "expert"),
        )  # fmt: skip

    def get_success_url(self) -> str:
        return reverse("incubation:application_detail", args=[self.review.application_id])


class ReviewRemoveView(ReviewMixin, PortalView, View):
    review_action = "delete"

    def post(self, request, pk):
        try:
            services.review_unassign(review=self.review, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The assignment has been withdrawn."))
        return redirect(self.get_success_url())


class ReviewScoreView(ReviewMixin, ServiceFormView):
    template_name = "incubation/review_form.html"
    form_class = ReviewForm
    review_action = "change"
    success_message = _("Your scores have been submitted. You can now see the other experts' scores.")

    def get_form_kwargs(self):
        if self.review.expert_id != self.request.user.pk:
            raise PermissionDenied
        return {**super().get_form_kwargs(), "rubric": rules.rubric(self.review.application.scoring_rule_set)}

    def perform(self, data):
        return services.review_submit(
            review=self.review, scores=self.form.scores(), comment=data["comment"], by=self.request.user
        )

    def get_context_data(self, **kwargs):
        application = self.review.application
        return super().get_context_data(
            review=self.review, application=application, title=_("Score the application"),
            documents=application.documents.all(), cancel_url=self.get_success_url(), **kwargs,
        )  # fmt: skip


class ApplicationAdmitView(ApplicationMixin, ServiceFormView):
    template_name = "incubation/application_move.html"
    form_class = AdmitForm
    application_action = "change"
    success_message = _("The applicant has been admitted; the residency is open.")

    def get_form_kwargs(self):
        if not has_role(self.request.user, *STAFF_ROLES):
            raise PermissionDenied
        return {**super().get_form_kwargs(), "application": self.application}

    def perform(self, data):
        return services.application_admit(
            application=self.application, by=self.request.user, started_on=data["started_on"],
            planned_end_on=data["planned_end_on"], agreement_no=data["agreement_no"], units=list(data["units"]),
            allocation_end=data["allocation_end"],
        )  # fmt: skip

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            application=self.application, title=_("Admit the applicant"), cancel_url=self.get_success_url(),
            **kwargs,
        )  # fmt: skip


class RuleSetListView(PortalView, TemplateView):
    """Every rule set, each version with its date and criteria; the operating company adds new versions."""

    template_name = "incubation/rule_sets.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        if not can(user, "view", RuleSet):
            raise PermissionDenied
        today = timezone.localdate()
        order = {kind: index for index, kind in enumerate(RuleSetKind.values)}  # pipeline order, not alphabetical
        versions = sorted(
            RuleSet.objects.select_related("created_by").order_by("-effective_from", "-version"),
            key=lambda version: order.get(version.kind, len(order)),
        )
        in_force = {kind: rules.rule_set_in_force(kind, today) for kind in {v.kind for v in versions}}
        for version in versions:
            version.labels = [rules.label_of(item) for item in version.criteria]
            version.in_force = in_force.get(version.kind) == version
        return super().get_context_data(versions=versions, can_add=can(user, "add", RuleSet), **kwargs)


class RuleSetVersionCreateView(ServiceFormView):
    template_name = "parks/form.html"
    form_class = RuleSetVersionForm
    success_message = _("The new version has been saved; it applies from its date.")

    @cached_property
    def base(self) -> RuleSet:
        if not can(self.request.user, "add", RuleSet):
            raise PermissionDenied
        return get_object_or_404(RuleSet, pk=self.kwargs["pk"])

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "base": self.base}

    def get_success_url(self) -> str:
        return reverse("incubation:rule_sets")

    def get_context_data(self, **kwargs):
        title = _("New version of %(rule_set)s") % {"rule_set": self.base.get_kind_display()}
        return super().get_context_data(
            title=title, section_title=_("Rule sets"), cancel_url=self.get_success_url(), **kwargs
        )

    def perform(self, data):
        return services.rule_set_new_version(
            base=self.base, effective_from=data["effective_from"], params=self.form.params(), by=self.request.user,
            source=data["source"], note=data["note"],
        )  # fmt: skip


# --- Roster export and tenant import -------------------------------------------------------------------------------
# Imported here, next to the views that use them, so this section merges cleanly with concurrent work above.


class TenantRosterExportView(TenantRosterView):
    """The roster as XLSX or CSV: every row the roster would show the user, with its filters and order, not only
    one page."""

    def get(self, request, *args, **kwargs):
        today = timezone.localdate()
        residencies = selectors.tenant_roster_for_export(self.get_queryset(), today=today)
        fmt = self.kwargs["fmt"]
        if fmt == "csv":
            content, content_type = roster_export.as_csv(residencies), "text/csv; charset=utf-8"
        else:
            content = roster_export.as_xlsx(residencies, title=str(_("Tenants")))
            content_type = tenant_import.XLSX_CONTENT_TYPE
        return roster_export.download(
            content,
            content_type=content_type,
            name=roster_export.file_name(fmt, today),
            fallback=f"tenant-roster-{today.isoformat()}.{fmt}",
        )


class TenantImportAccessMixin:
    """Staff only (accounts.roles: incubation.tenantimport); what each row may write is the services' business."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not can(request.user, "add", TenantImport):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class TenantImportTemplateView(TenantImportAccessMixin, PortalView, TemplateView):
    def get(self, request, *args, **kwargs):
        return roster_export.download(
            tenant_import.template_workbook(user=request.user),
            content_type=tenant_import.XLSX_CONTENT_TYPE,
            name=str(_("tenant-import-template")) + ".xlsx",
            fallback="tenant-import-template.xlsx",
        )


class TenantImportUploadView(TenantImportAccessMixin, ServiceFormView):
    """Upload the filled-in template; the next page is the preview."""

    template_name = "incubation/tenant_import_upload.html"
    form_class = TenantImportUploadForm

    def perform(self, data):
        upload = data["file"]
        if upload.size > tenant_import.MAX_BYTES:
            raise ValidationError({"file": _("The file is larger than 5 MB; split it into several files.")})
        try:
            return tenant_import.tenant_import_preview(by=self.request.user, file_name=upload.name,
                                                       content=upload.read())  # fmt: skip
        except ValidationError as error:
            raise ValidationError({"file": error.messages}) from error

    def get_success_url(self) -> str:
        return reverse("incubation:tenant_import_detail", args=[self.result.pk])

    def get_context_data(self, **kwargs):
        recent = TenantImport.objects.for_user(self.request.user).select_related("created_by")[:10]
        return super().get_context_data(recent=recent, max_rows=f"{tenant_import.MAX_ROWS:,}", **kwargs)


class TenantImportDetailView(TenantImportAccessMixin, ServiceFormView):
    """The preview: each row's status and explanation. Posting confirms it; confirming twice applies once."""

    template_name = "incubation/tenant_import_detail.html"
    form_class = TenantImportConfirmForm
    per_page = 100

    @cached_property
    def tenant_import(self) -> TenantImport:
        return restricted_object(
            self.request.user, TenantImport, self.kwargs["pk"], "view",
            queryset=TenantImport.objects.select_related("created_by", "applied_by"),
        )  # fmt: skip

    def perform(self, data):
        return tenant_import.tenant_import_apply(tenant_import=self.tenant_import, by=self.request.user)

    @property
    def success_message(self):
        if getattr(self.result, "applied_now", False):
            return _("The import has been applied.")
        return _("This import had already been applied; nothing more was written.")

    def get_success_url(self) -> str:
        return reverse("incubation:tenant_import_detail", args=[self.tenant_import.pk])

    def get_context_data(self, **kwargs):
        record = self.tenant_import
        status = self.request.GET.get("status", "")
        status = status if status in tenant_import.RowStatus.LABELS else ""
        page = Paginator(tenant_import.rows_for_display(record, status), self.per_page).get_page(
            self.request.GET.get("page")
        )
        earlier = (
            TenantImport.objects.filter(file_sha256=record.file_sha256, status=TenantImportStatus.APPLIED)
            .exclude(pk=record.pk)
            .order_by("-applied_at")
            .first()
        )
        tabs = [("", _("All"), record.counts.get("total", 0))] + [
            (key, tenant_import.RowStatus.LABELS[key], record.counts.get(key, 0))
            for key in tenant_import.RowStatus.ORDER
        ]
        return super().get_context_data(
            tenant_import=record, page_obj=page, status=status, tabs=tabs, earlier=earlier,
            is_applied=record.status == TenantImportStatus.APPLIED, **kwargs,
        )  # fmt: skip
