"""The report archive (every run, its status, who triggered it, its downloads), the trigger form, a run's page with
its progress (htmx polling while it is queued or running) and result, publishing, and the permission-checked
downloads of the three files."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import TemplateView

from accounts.mixins import PortalView, RestrictedListView, ServiceFormView, restricted_object
from accounts.roles import can
from targets import selectors
from targets.choices import ReportFormat
from targets.models import ReportRun
from targets.reporting import services
from targets.reporting.filters import ReportRunFilter
from targets.reporting.forms import ReportRunTriggerForm

CONTENT_TYPES = {
    ReportFormat.HTML: "text/html; charset=utf-8",
    ReportFormat.PDF: "application/pdf",
    ReportFormat.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def with_formats(queryset):
    """Runs without their payload, annotated with which files they have (has_html, has_pdf, has_xlsx)."""
    return (
        queryset.without_payload()
        .select_related("carrier", "triggered_by", "published_by")
        .annotate(
            has_html=Q(html_file__isnull=False),
            has_pdf=Q(pdf_file__isnull=False),
            has_xlsx=Q(xlsx_file__isnull=False),
        )
    )


def first_year() -> int:
    plan = selectors.current_plan()
    return plan.start_year if plan is not None else selectors.DEFAULT_START_YEAR


class ReportRunListView(RestrictedListView):
    model = ReportRun
    template_name = "targets/report_run_list.html"
    filterset_class = ReportRunFilter
    ordering_options = {"created": "created_at", "year": "year", "version": "version", "status": "status"}
    default_ordering = "-created"

    def base_queryset(self):
        return with_formats(ReportRun.objects.all())

    def get_context_data(self, **kwargs):
        can_trigger = can(self.request.user, "add", ReportRun)
        return super().get_context_data(
            can_trigger=can_trigger,
            trigger_form=ReportRunTriggerForm(first_year=first_year()) if can_trigger else None,
            **kwargs,
        )


class ReportRunTriggerView(ServiceFormView):
    form_class = ReportRunTriggerForm
    template_name = "parks/form.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not can(request.user, "add", ReportRun):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "first_year": first_year()}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title=_("Compile a progress report"),
            section_title=_("Progress reports"),
            cancel_url=reverse("targets:report_runs"),
            **kwargs,
        )

    def perform(self, data):
        return services.trigger_report_run(
            user=self.request.user,
            year=data["year"],
            kind=data["kind"],
            carrier=data["carrier"],
            request_key=data["request_key"],
            language=self.request.LANGUAGE_CODE,
        )

    def get_success_url(self) -> str:
        return reverse("targets:report_run_detail", args=[self.result.pk])


class RunMixin(PortalView):
    @cached_property
    def run(self) -> ReportRun:
        return restricted_object(
            self.request.user, ReportRun, self.kwargs["pk"], queryset=with_formats(ReportRun.objects.all())
        )

    def run_context(self) -> dict:
        run = self.run
        return {
            "run": run,
            "can_publish": run.published_at is None
            and run.status == "succeeded"
            and can(self.request.user, "change", ReportRun),
            "formats": [(fmt, label) for fmt, label in ReportFormat.choices if getattr(run, f"has_{fmt}", False)],
        }


class ReportRunDetailView(RunMixin, TemplateView):
    template_name = "targets/report_run_detail.html"

    def get_context_data(self, **kwargs):
        versions = (
            ReportRun.objects.for_user(self.request.user)
            .without_payload()
            .filter(year=self.run.year, kind=self.run.kind, carrier_id=self.run.carrier_id)
            .select_related("triggered_by")
            .order_by("-version")[:20]
        )
        return super().get_context_data(versions=versions, **self.run_context(), **kwargs)


class ReportRunStatusView(RunMixin, View):
    """The status card alone, for htmx polling: it keeps polling while the run is queued or running."""

    def get(self, request, *args, **kwargs):
        response = render(request, "targets/_report_run_status.html", self.run_context())
        if request.headers.get("HX-Request") and not self.run.is_active:
            response["HX-Refresh"] = "true"  # done: reload the page, so its facts and versions are current too
        return response


class ReportRunPublishView(RunMixin, View):
    def post(self, request, *args, **kwargs):
        try:
            services.publish(run=self.run, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The report is published. Its files will never change."))
        return HttpResponseRedirect(reverse("targets:report_run_detail", args=[self.run.pk]))


class ReportRunDownloadView(PortalView, View):
    def get(self, request, pk: int, fmt: str):
        if fmt not in ReportFormat.values:
            raise Http404
        run = restricted_object(
            request.user,
            ReportRun,
            pk,
            queryset=ReportRun.objects.only("pk", "year", "kind", "version", f"{fmt}_file", "status"),
        )
        content = getattr(run, f"{fmt}_file")
        if run.status != "succeeded" or content is None:
            raise Http404
        response = HttpResponse(bytes(content), content_type=CONTENT_TYPES[fmt])
        name = f"linzi-report-{run.year}-{run.kind}-v{run.version}.{fmt}"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "private, max-age=0"
        return response
