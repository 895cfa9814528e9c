"""The carriers' annual returns (载体年报): the list, starting a year's return, editing a draft, a return's page with
its moves, and each move's confirmation. The services and selectors are the API's too."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from accounts.audit import history_of
from accounts.mixins import PortalView, RestrictedListView, ServiceFormView, WorkflowMoveMixin, restricted_object
from accounts.roles import can, carriers_in_scope
from enterprises.choices import ReportStatus
from enterprises.forms import ReportMoveForm
from targets import return_rules, services
from targets.filters import CarrierReturnFilter
from targets.forms import CarrierReturnForm, ReturnStartForm
from targets.models import PORTAL_FIGURE_NAMES, CarrierReturn
from targets.return_workflow import RETURN_WORKFLOW
from targets.selectors.carrier_returns import (
    carriers_to_file,
    filing_year,
    return_deadline,
    return_list,
    return_moves,
    return_versions,
)

# The portal figure -> the indicator whose drill-down lists the records behind it.
FIGURE_INDICATORS = {
    "tenants": "tenants_year_end", "new_tenants": "admissions", "graduates": "graduations",
    "tenants_financed": "tenants_financed",
}  # fmt: skip


class ReturnListView(RestrictedListView):
    """Every return the person may see (park staff: their carriers'), filtered and sorted; above it, the carriers
    that have not filed last year's return, each with a link to start it (for those who file)."""

    model = CarrierReturn
    template_name = "targets/returns/list.html"
    filterset_class = CarrierReturnFilter
    ordering_options = {
        "carrier": "carrier__sort_order", "year": "year", "status": "status", "submitted": "submitted_at",
        "verified": "verified_at",
    }  # fmt: skip
    default_ordering = "-year"

    def base_queryset(self):
        returns = return_list(user=self.request.user)
        if self.request.GET.get("status") != ReportStatus.SUPERSEDED:
            returns = returns.current()
        return returns

    def get_context_data(self, **kwargs):
        today = timezone.localdate()
        user, year = self.request.user, filing_year(today)
        can_file = can(user, "add", CarrierReturn)
        deadline = return_deadline(year=year)
        return super().get_context_data(
            due_year=year,
            deadline=deadline,
            days_overdue=deadline.days_overdue(today),
            not_filed=list(carriers_to_file(user=user, year=year, action="add" if can_file else "view")),
            can_file=can_file,
            **kwargs,
        )


class ReturnStartView(ServiceFormView):
    """Start a carrier's return for a year: choose the carrier (among those the person files for) and the year, or
    come with both from the list; the draft is saved at once and opens for editing."""

    template_name = "targets/returns/start.html"
    form_class = ReturnStartForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not can(request.user, "add", CarrierReturn):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        carriers = carriers_in_scope(self.request.user, "add", CarrierReturn)
        return {**super().get_form_kwargs(), "carriers": carriers, "today": timezone.localdate()}

    def get_initial(self):
        initial = {"year": filing_year(timezone.localdate())}
        if self.request.GET.get("carrier", "").isdigit():
            initial["carrier"] = int(self.request.GET["carrier"])
        if self.request.GET.get("year", "").isdigit():
            initial["year"] = int(self.request.GET["year"])
        return initial

    def perform(self, data):
        return services.return_create(carrier=data["carrier"], year=data["year"], by=self.request.user, data={})

    success_message = _("The return has been started. Enter the figures, then submit it.")

    def get_success_url(self) -> str:
        return reverse("targets:return_update", args=[self.result.pk])

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title=_("Start an annual return"), cancel_url=reverse("targets:returns"), **kwargs
        )


class ReturnMixin:
    return_action = "view"

    @cached_property
    def carrier_return(self) -> CarrierReturn:
        return restricted_object(
            self.request.user, CarrierReturn, self.kwargs["pk"], self.return_action,
            queryset=CarrierReturn.objects.select_related("carrier", "supersedes", "submitted_by", "verified_by"),
        )  # fmt: skip

    def get_success_url(self) -> str:
        return reverse("targets:return_detail", args=[self.result.pk])


def portal_rows(carrier_return: CarrierReturn) -> tuple[list[dict], bool]:
    """The figures the portal computed (label, value, is an area, link to the records), and whether frozen."""
    figures, frozen = return_rules.shown_portal_figures(carrier_return)
    rows = []
    for name, is_area in return_rules.PORTAL_FIGURES:
        value = figures.get(name)
        code = FIGURE_INDICATORS.get(name)
        link = ""
        if code:
            link = reverse("targets:indicator_detail", args=[code, carrier_return.year])
            link += f"?carrier={carrier_return.carrier_id}"
        rows.append({
            "label": PORTAL_FIGURE_NAMES[name], "value": Decimal(value) if is_area and value else value,
            "area": is_area, "link": link,
        })  # fmt: skip
    return rows, frozen


class ReturnDetailView(ReturnMixin, PortalView, TemplateView):
    template_name = "targets/returns/detail.html"

    def get_context_data(self, **kwargs):
        user, carrier_return = self.request.user, self.carrier_return
        moves = return_moves(user=user, carrier_return=carrier_return, check_preconditions=True)
        portal, frozen = portal_rows(carrier_return)
        sections = [
            (title, [(CarrierReturn._meta.get_field(name).verbose_name, getattr(carrier_return, name),
                      name in return_rules.MONEY_FIGURES) for name in names])
            for title, names in return_rules.RETURN_SECTIONS
        ]  # fmt: skip
        missing = [name for name in return_rules.RETURN_FIGURES if getattr(carrier_return, name) is None]
        return super().get_context_data(
            carrier_return=carrier_return,
            carrier=carrier_return.carrier,
            portal=portal,
            frozen=frozen,
            sections=sections,
            missing=[CarrierReturn._meta.get_field(name).verbose_name for name in missing],
            moves=[move for move in moves if move.name != "submit"],
            can_submit=any(move.name == "submit" for move in moves),
            can_edit=carrier_return.status in return_rules.EDITABLE and any(m.name == "submit" for m in moves),
            versions=return_versions(user=user, carrier_return=carrier_return),
            history=history_of(carrier_return)[:10] if can(user, "view", "accounts.auditevent") else [],
            **kwargs,
        )


class ReturnUpdateView(ReturnMixin, ServiceFormView):
    """Enter or change a draft's figures (or a returned one's); save, or save and submit in one step."""

    template_name = "targets/returns/form.html"
    form_class = CarrierReturnForm
    return_action = "change"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not can(request.user, "add", CarrierReturn):
            raise PermissionDenied  # the bureau reads returns; it does not file them
        if request.user.is_authenticated and self.carrier_return.status not in return_rules.EDITABLE:
            messages.info(request, _("A submitted or verified return is not edited; a verified one is corrected "
                                     "as a new version."))  # fmt: skip
            return HttpResponseRedirect(reverse("targets:return_detail", args=[self.carrier_return.pk]))
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "today": timezone.localdate()}

    def get_initial(self):
        return {name: getattr(self.carrier_return, name) for name in return_rules.RETURN_FIGURES}

    def perform(self, data):
        with transaction.atomic():  # saved and submitted together, or neither
            carrier_return = services.return_update(
                carrier_return=self.carrier_return, by=self.request.user, data=self.form.figures()
            )
            if self.request.POST.get("action") == "submit":
                carrier_return = services.return_act(carrier_return=carrier_return, move="submit", by=self.request.user)
        return carrier_return

    @property
    def success_message(self):
        if self.result.status == ReportStatus.SUBMITTED:
            return _("The return has been submitted; the operating company will verify it.")
        return _("The draft has been saved. Submit it when every figure is in.")

    def get_context_data(self, **kwargs):
        portal, frozen = portal_rows(self.carrier_return)
        return super().get_context_data(
            carrier_return=self.carrier_return, carrier=self.carrier_return.carrier, portal=portal,
            title=_("Annual return %(year)s") % {"year": self.carrier_return.year},
            cancel_url=reverse("targets:return_detail", args=[self.carrier_return.pk]), **kwargs,
        )  # fmt: skip


class ReturnMoveView(WorkflowMoveMixin, ReturnMixin, ServiceFormView):
    """One move: submit and verify are confirmed by a button; return and correct ask for the comment or reason."""

    template_name = "targets/returns/move.html"
    form_class = ReportMoveForm
    return_action = "change"
    workflow = RETURN_WORKFLOW

    @property
    def success_message(self):
        if self.move.name == "correct":
            return _("A new version has been started from the verified figures. Correct them, then submit.")
        return _("Done: the return is now “%(status)s”.") % {"status": self.result.get_status_display()}

    def perform(self, data):
        return services.return_act(carrier_return=self.carrier_return, move=self.move.name, by=self.request.user,
                                   message=data["message"])  # fmt: skip

    def get_success_url(self) -> str:
        if self.move.name == "correct":
            return reverse("targets:return_update", args=[self.result.pk])
        return super().get_success_url()

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            carrier_return=self.carrier_return, carrier=self.carrier_return.carrier, move=self.move,
            title=self.move.label, cancel_url=reverse("targets:return_detail", args=[self.carrier_return.pk]),
            **kwargs,
        )  # fmt: skip
