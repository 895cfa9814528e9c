from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.views.generic import RedirectView, TemplateView, View

from accounts.audit import history_of
from accounts.mixins import PortalView, RestrictedListView, ServiceFormView, restricted_object
from accounts.roles import can
from enterprises import selectors, services
from enterprises.choices import DocumentKind, EnterpriseKind
from enterprises.filters import EnterpriseFilter
from enterprises.forms import EnterpriseForm, EvidenceForm, record_form
from enterprises.models import (
    Document,
    Enterprise,
    EnterpriseMembership,
    FinancingEvent,
    Honour,
    HTECertificate,
    TeamMember,
    TechSMERegistration,
)
from incubation.models import Residency
from incubation.selectors import applications_of, enterprise_timeline, residencies_of

# URL word -> (model, heading of the add form). The words appear in URLs such as /enterprises/3/hte/add/.
RECORD_KINDS = {
    "team": (TeamMember, _("Add team member")),
    "tech-sme": (TechSMERegistration, _("Record tech-based SME registration")),
    "hte": (HTECertificate, _("Record high-tech enterprise certificate")),
    "honours": (Honour, _("Record honour")),
    "financing": (FinancingEvent, _("Record financing")),
}


class EnterpriseListView(RestrictedListView):
    """The enterprises the user may see: filter by kind, field, qualification; search by name or code."""

    model = Enterprise
    template_name = "enterprises/enterprise_list.html"
    filterset_class = EnterpriseFilter
    paginate_by = 50
    ordering_options = {
        "name": "name",
        "registered": "registered_on",
        "financing": "financing_total",
        "tech_sme": "latest_tech_sme_year",
        "created": "created_at",
    }
    default_ordering = "name"

    def base_queryset(self):
        return selectors.enterprise_list(user=self.request.user)

    def keeps_own_order(self) -> bool:
        # A search without an explicit sort keeps the search's order: the closest names first.
        return bool(self.request.GET.get("q")) and "sort" not in self.request.GET

    def get_context_data(self, **kwargs):
        return super().get_context_data(can_add=can(self.request.user, "add", Enterprise), **kwargs)


class MyEnterpriseView(PortalView, RedirectView):
    """An enterprise user's entry point: their own enterprise's page (or, before they have one, its registration)."""

    def get_redirect_url(self, *args, **kwargs):
        membership = EnterpriseMembership.objects.filter(user=self.request.user).first()
        if membership is None:
            if can(self.request.user, "add", "enterprises.own_registration"):
                return reverse("enterprises:register")
            raise Http404(_("Your account is not linked to an enterprise yet."))
        return reverse("enterprises:enterprise_detail", args=[membership.enterprise_id])


class EnterpriseDetailView(PortalView, TemplateView):
    template_name = "enterprises/enterprise_detail.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        restricted_object(user, Enterprise, self.kwargs["pk"])
        enterprise = selectors.enterprise_detail(user=user, pk=self.kwargs["pk"])
        editable = Enterprise.objects.for_user(user, "change").filter(pk=enterprise.pk).exists()
        show_history = can(user, "view", "accounts.auditevent")
        residencies = list(residencies_of(user=user, enterprise_id=enterprise.pk))
        manageable = set(
            Residency.objects.for_user(user, "change").filter(enterprise=enterprise).values_list("pk", flat=True)
        )
        return super().get_context_data(
            timeline=enterprise_timeline(user=user, enterprise=enterprise),
            applications=list(applications_of(user=user, enterprise=enterprise).order_by("-created_at")),
            documents=list(Document.objects.for_user(user).filter(enterprise=enterprise).order_by("-uploaded_at")),
            residencies=residencies,
            manageable_residencies=manageable,
            can_admit=can(user, "add", Residency) and not any(r.is_open for r in residencies),
            enterprise=enterprise,
            can_edit=editable,
            record_kinds=RECORD_KINDS,
            history=history_of(enterprise)[:10] if show_history else [],
            can_see_history=show_history,
            **kwargs,
        )


class EnterpriseFormView(ServiceFormView):
    template_name = "enterprises/form.html"
    form_class = EnterpriseForm

    def get_success_url(self) -> str:
        return reverse("enterprises:enterprise_detail", args=[self.result.pk])

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=self.title, **kwargs)


class EnterpriseCreateView(EnterpriseFormView):
    title = _("Register enterprise")
    success_message = _("The enterprise has been registered.")

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not can(request.user, "add", Enterprise):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(cancel_url=reverse("enterprises:enterprise_list"), **kwargs)

    def perform(self, data):
        return services.enterprise_create(by=self.request.user, data=data)


class EnterpriseRegisterView(EnterpriseFormView):
    """An enterprise user without an enterprise registers their own team or company; they act for it afterwards.
    Other roles get 403; an enterprise user who already has one is sent to it."""

    template_name = "enterprises/register.html"
    title = _("Register your team or company")
    success_message = _("Your enterprise has been registered. The operating company has been told.")

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            if not can(request.user, "add", "enterprises.own_registration"):
                raise PermissionDenied
            if EnterpriseMembership.objects.filter(user=request.user).exists():
                messages.info(request, _("Your account already acts for an enterprise."))
                return HttpResponseRedirect(reverse("enterprises:my_enterprise"))
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        user = self.request.user
        return {
            "kind": EnterpriseKind.TEAM,
            "contact_name": user.get_full_name(),
            "contact_phone": user.phone,
            "contact_email": user.email,
        }

    def get_context_data(self, **kwargs):
        return super().get_context_data(cancel_url=reverse("home"), **kwargs)

    def perform(self, data):
        return services.enterprise_register(by=self.request.user, data=data)


class EnterpriseUpdateView(EnterpriseFormView):
    title = _("Edit enterprise")
    success_message = _("The enterprise has been saved.")

    @cached_property
    def enterprise(self) -> Enterprise:
        return restricted_object(self.request.user, Enterprise, self.kwargs["pk"], "change")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.enterprise}

    def get_context_data(self, **kwargs):
        cancel = reverse("enterprises:enterprise_detail", args=[self.enterprise.pk])
        return super().get_context_data(enterprise=self.enterprise, cancel_url=cancel, **kwargs)

    def perform(self, data):
        return services.enterprise_update(enterprise=self.enterprise, by=self.request.user, data=data)


class RecordKindMixin:
    """Views on one kind of record under an enterprise, chosen by the URL's `kind` word."""

    @cached_property
    def record_model(self):
        if self.kwargs["kind"] not in RECORD_KINDS:
            raise Http404
        return RECORD_KINDS[self.kwargs["kind"]][0]

    def get_success_url(self) -> str:
        return reverse("enterprises:enterprise_detail", args=[self.enterprise.pk])


class RecordCreateView(RecordKindMixin, ServiceFormView):
    template_name = "enterprises/form.html"

    @cached_property
    def enterprise(self) -> Enterprise:
        if not can(self.request.user, "add", self.record_model):
            raise PermissionDenied
        return restricted_object(self.request.user, Enterprise, self.kwargs["pk"], "change")

    def get_form_class(self):
        return record_form(self.record_model)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            enterprise=self.enterprise,
            title=RECORD_KINDS[self.kwargs["kind"]][1],
            cancel_url=self.get_success_url(),
            **kwargs,
        )

    def perform(self, data):
        return services.record_create(
            model=self.record_model, enterprise=self.enterprise, by=self.request.user, data=data
        )


class RecordUpdateView(RecordKindMixin, ServiceFormView):
    template_name = "enterprises/form.html"
    success_message = _("Saved.")

    @cached_property
    def record(self):
        return restricted_object(
            self.request.user,
            self.record_model,
            self.kwargs["record_pk"],
            "change",
            queryset=self.record_model.objects.filter(enterprise_id=self.kwargs["pk"]).select_related("enterprise"),
        )

    @cached_property
    def enterprise(self) -> Enterprise:
        return self.record.enterprise

    def get_form_class(self):
        return record_form(self.record_model)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.record}

    def get_context_data(self, **kwargs):
        title = _("Edit %(record)s") % {"record": self.record_model._meta.verbose_name}
        return super().get_context_data(
            enterprise=self.enterprise, title=title, cancel_url=self.get_success_url(), **kwargs
        )

    def perform(self, data):
        return services.record_update(record=self.record, by=self.request.user, data=data)


class RecordDeleteView(RecordKindMixin, PortalView, TemplateView):
    template_name = "parks/confirm_delete.html"

    @cached_property
    def record(self):
        return restricted_object(
            self.request.user,
            self.record_model,
            self.kwargs["record_pk"],
            "delete",
            queryset=self.record_model.objects.filter(enterprise_id=self.kwargs["pk"]).select_related("enterprise"),
        )

    @cached_property
    def enterprise(self) -> Enterprise:
        return self.record.enterprise

    def get_context_data(self, **kwargs):
        return super().get_context_data(object=self.record, cancel_url=self.get_success_url(), **kwargs)

    def post(self, request, *args, **kwargs):
        try:
            services.record_delete(record=self.record, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Deleted."))
        return HttpResponseRedirect(self.get_success_url())


class DocumentDownloadView(PortalView, View):
    """Serve an uploaded document to someone who may see it (files have no public URL). The stored content type
    is the one judged from the file's bytes at upload; browsers are told not to second-guess it."""

    def get(self, request, pk):
        document = restricted_object(request.user, Document, pk)
        try:
            handle = document.file.open("rb")
        except FileNotFoundError as missing:
            raise Http404(_("The file is missing from storage; ask the operating company.")) from missing
        inline = document.content_type in ("application/pdf", "image/png", "image/jpeg")
        response = FileResponse(
            handle, as_attachment=not inline, filename=document.original_name, content_type=document.content_type
        )
        response["X-Content-Type-Options"] = "nosniff"
        response["Content-Security-Policy"] = "default-src 'none'; sandbox"
        response["Cache-Control"] = "private, no-store"
        return response


class EvidenceAddView(ServiceFormView):
    """Upload evidence (a certificate scan, the registry page) for a tech-SME registration, an HTE certificate or
    an honour."""

    template_name = "enterprises/form.html"
    form_class = EvidenceForm
    success_message = _("The evidence has been uploaded.")

    @cached_property
    def record(self):
        kind = self.kwargs["kind"]
        if kind not in EVIDENCE_KINDS:
            raise Http404
        model = RECORD_KINDS[kind][0]
        if not can(self.request.user, "add", Document):
            raise PermissionDenied
        record = restricted_object(self.request.user, model, self.kwargs["record_pk"], "change",
                                   queryset=model.objects.select_related("enterprise"))  # fmt: skip
        if record.enterprise_id != self.kwargs["pk"]:
            raise Http404
        return record

    def perform(self, data):
        return services.document_store(
            enterprise=self.record.enterprise, upload=data["file"], title=data["title"],
            kind=DocumentKind.QUALIFICATION_EVIDENCE, by=self.request.user, evidence_of=self.record,
        )  # fmt: skip

    def get_success_url(self) -> str:
        return reverse("enterprises:enterprise_detail", args=[self.record.enterprise_id]) + "#qualifications"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            enterprise=self.record.enterprise, multipart=True,
            title=_("Upload evidence for %(record)s") % {"record": self.record},
            cancel_url=self.get_success_url(), **kwargs,
        )  # fmt: skip


class DocumentDeleteView(PortalView, View):
    def post(self, request, pk):
        document = restricted_object(request.user, Document, pk, "delete")
        try:
            services.document_delete(document=document, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The document has been deleted."))
        return HttpResponseRedirect(reverse("enterprises:enterprise_detail", args=[document.enterprise_id]))


EVIDENCE_KINDS = ("tech-sme", "hte", "honours")
