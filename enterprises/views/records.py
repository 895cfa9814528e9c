"""An enterprise's records: team members, tech-SME registrations, HTE certificates and applications, honours,
financing, and its documents (downloads, evidence uploads, deletion)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView, View

from accounts.mixins import (
    PortalView,
    ServiceFormView,
    restricted_object,
)
from accounts.roles import can
from enterprises import services, uploads
from enterprises.choices import DocumentKind
from enterprises.forms import (
    EvidenceForm,
    record_form,
)
from enterprises.models import (
    CorporateEvent,
    Document,
    Enterprise,
    FinancingEvent,
    Honour,
    HTEApplication,
    HTECertificate,
    TeamMember,
    TechSMERegistration,
)

# URL word -> (model, heading of the add form). The words appear in URLs such as /enterprises/3/hte/add/.
RECORD_KINDS = {
    "team": (TeamMember, _("Add team member")),
    "tech-sme": (TechSMERegistration, _("Record tech-based SME registration")),
    "hte": (HTECertificate, _("Record high-tech enterprise certificate")),
    "hte-application": (HTEApplication, _("Record high-tech enterprise application")),
    "honours": (Honour, _("Record honour")),
    "financing": (FinancingEvent, _("Record financing")),
    "corporate-events": (CorporateEvent, _("Record a merger, acquisition or listing")),
}

EVIDENCE_KINDS = ("tech-sme", "hte", "honours", "corporate-events")


class RecordKindMixin:
    """Views on one kind of record under an enterprise, chosen by the URL's `kind` word; `record` is the one in
    the URL, if the user may `record_action` it."""

    record_action = "change"

    @cached_property
    def record_model(self):
        if self.kwargs["kind"] not in RECORD_KINDS:
            raise Http404
        return RECORD_KINDS[self.kwargs["kind"]][0]

    @cached_property
    def record(self):
        return restricted_object(
            self.request.user,
            self.record_model,
            self.kwargs["record_pk"],
            self.record_action,
            queryset=self.record_model.objects.filter(enterprise_id=self.kwargs["pk"]).select_related("enterprise"),
        )

    @cached_property
    def enterprise(self) -> Enterprise:
        return self.record.enterprise

    def get_success_url(self) -> str:
        return reverse("enterprises:enterprise_detail", args=[self.enterprise.pk])


class RecordFormView(RecordKindMixin, ServiceFormView):
    """The form of one kind of record, on the enterprise's behalf; `title` heads it."""

    template_name = "enterprises/form.html"

    def title(self) -> str:
        raise NotImplementedError

    def get_form_class(self):
        return record_form(self.record_model)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            enterprise=self.enterprise, title=self.title(), cancel_url=self.get_success_url(), **kwargs
        )


class RecordCreateView(RecordFormView):
    @cached_property
    def enterprise(self) -> Enterprise:
        if not can(self.request.user, "add", self.record_model):
            raise PermissionDenied
        return restricted_object(self.request.user, Enterprise, self.kwargs["pk"], "change")

    def title(self) -> str:
        return str(RECORD_KINDS[self.kwargs["kind"]][1])

    def perform(self, data):
        return services.record_create(
            model=self.record_model, enterprise=self.enterprise, by=self.request.user, data=data
        )


class RecordUpdateView(RecordFormView):
    success_message = _("Saved.")

    def title(self) -> str:
        return _("Edit %(record)s") % {"record": self.record_model._meta.verbose_name}

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.record}

    def perform(self, data):
        return services.record_update(record=self.record, by=self.request.user, data=data)


class RecordDeleteView(RecordKindMixin, PortalView, TemplateView):
    template_name = "parks/confirm_delete.html"
    record_action = "delete"

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
            handle,
            as_attachment=not inline,
            filename=uploads.download_name(document.original_name, document.content_type),
            content_type=document.content_type,
        )
        response["X-Content-Type-Options"] = "nosniff"
        response["Content-Security-Policy"] = "default-src 'none'; sandbox"
        response["Cache-Control"] = "private, no-store"
        return response


class EvidenceAddView(ServiceFormView):
    """Upload evidence (a certificate scan, the registry page, an exchange's announcement) for a tech-SME
    registration, an HTE certificate, an honour, or a merger, acquisition or listing."""

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
