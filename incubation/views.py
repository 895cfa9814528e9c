from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from accounts.mixins import PortalView, RestrictedListView, ServiceFormView, restricted_object
from accounts.roles import can
from enterprises.models import Enterprise
from incubation import rules, selectors, services
from incubation.choices import RuleSetKind
from incubation.filters import TenantFilter
from incubation.forms import (
    AllocationForm,
    EndDateForm,
    ExitForm,
    GraduateForm,
    PromoteForm,
    ResidencyForm,
    RuleSetVersionForm,
    TransferForm,
)
from incubation.models import Allocation, Residency, RuleSet


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


class ResidencyExitView(ResidencyActionView):
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


class MoveView(ResidencyActionView):
    """Promote, transfer or graduate a tenant. The page shows each criterion of the rules in force, met, not met
    or unknown, evaluated for the date and stage in the form."""

    template_name = "incubation/move_form.html"
    kind = ""

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "residency": self.residency, "user": self.request.user}

    def preview(self, form):
        data = form.cleaned_data if form.is_bound and hasattr(form, "cleaned_data") else {}
        on = data.get("on") or timezone.localdate()
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
    """What needs staff's attention: incubation time nearing its limit, high-tech certificates expiring, tech-based
    SME registrations not renewed this year."""

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
            hte_alerts=selectors.hte_expiry_alerts(user=user, today=today)[:200],
            sme_alerts=selectors.tech_sme_renewal_alerts(user=user, today=today)[:200],
            **kwargs,
        )


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
from django.core.exceptions import ValidationError  # noqa: E402
from django.core.paginator import Paginator  # noqa: E402

from incubation import roster_export, tenant_import  # noqa: E402
from incubation.forms import TenantImportConfirmForm, TenantImportUploadForm  # noqa: E402
from incubation.models import TenantImport, TenantImportStatus  # noqa: E402


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
