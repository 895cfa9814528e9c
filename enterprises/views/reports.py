"""Operating reports (经营数据填报): filing, editing and moving reports, their history, who has not filed, reminders
and reporting deadlines."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import F
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView, View

from accounts.audit import history_of
from accounts.mixins import (
    PortalView,
    RestrictedListView,
    ServiceFormView,
    WorkflowMoveMixin,
    restricted_object,
    style_filter_form,
)
from accounts.roles import OPERATING_ROLES, Role, can, has_role, roles_of
from enterprises import periods, report_workflow, selectors, services
from enterprises.choices import ReportPeriod, ReportStatus
from enterprises.filters import DeadlineFilter, NotFiledFilter, ReportFilter
from enterprises.forms import (
    RemindForm,
    ReportDeadlineForm,
    ReportForm,
    ReportMoveForm,
    ReportPeriodForm,
)
from enterprises.models import (
    Enterprise,
    EnterpriseMembership,
    OperatingReport,
    ReportDeadline,
    ReportReminder,
)
from parks.choices import Stage
from parks.models import Carrier


def _acts_for(user) -> Enterprise | None:
    """The enterprise an enterprise user acts for (None for anyone else)."""
    if not has_role(user, Role.ENTERPRISE):
        return None
    membership = EnterpriseMembership.objects.filter(user=user).select_related("enterprise").first()
    return membership.enterprise if membership else None


class ReportListView(RestrictedListView):
    """Operating reports: an enterprise user's own (我的经营数据), staff their scope's, the bureau all. The current
    version of each period unless a status filter asks for superseded ones."""

    model = OperatingReport
    template_name = "enterprises/report_list.html"
    filterset_class = ReportFilter
    ordering_options = {
        "enterprise": "enterprise__name",
        "year": "year",
        "period": "period",
        "status": "status",
        "submitted": "submitted_at",
        "revenue": "revenue",
    }
    default_ordering = "-year"

    def base_queryset(self):
        reports = selectors.report_list(user=self.request.user)
        if self.request.GET.get("status") != ReportStatus.SUPERSEDED:
            reports = reports.current()
        return reports

    def get_context_data(self, **kwargs):
        user = self.request.user
        own = _acts_for(user)
        return super().get_context_data(
            own_enterprise=own,
            can_file=own is not None and can(user, "add", OperatingReport),
            is_enterprise_user=has_role(user, Role.ENTERPRISE),
            can_see_not_filed=can(user, "view", "enterprises.reports_not_filed"),
            can_manage_deadlines=can(user, "change", ReportDeadline),
            deadlines=[
                deadline
                for deadline in selectors.report_deadlines(
                    years=[timezone.localdate().year - 1, timezone.localdate().year]
                )
                if deadline.required
            ],  # fmt: skip
            **kwargs,
        )


class ReportFormMixin:
    template_name = "enterprises/report_form.html"
    form_class = ReportForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "new": self.is_new, "today": timezone.localdate()}

    def perform_with_submit(self, save):
        """Save the draft and, when the filer pressed “submit”, submit it, in one transaction (a refusal keeps
        nothing)."""
        with transaction.atomic():
            report = save()
            if self.request.POST.get("action") == "submit":
                report = services.report_act(report=report, move="submit", by=self.request.user)
        return report

    @property
    def success_message(self):
        if self.result.status == ReportStatus.SUBMITTED:
            return _("The report has been submitted; staff will verify it.")
        return _("The draft has been saved. Submit it when the figures are complete.")

    def get_success_url(self) -> str:
        return reverse("enterprises:report_detail", args=[self.result.pk])


class ReportCreateView(ReportFormMixin, ServiceFormView):
    """File a new report: an enterprise user for their own enterprise, the operating company for any
    (?enterprise=<id>)."""

    is_new = True

    @cached_property
    def enterprise(self) -> Enterprise:
        user = self.request.user
        if not can(user, "add", OperatingReport):
            raise PermissionDenied
        own = _acts_for(user)
        if own is not None:
            return own
        if not roles_of(user) & OPERATING_ROLES:
            raise PermissionDenied
        try:
            pk = int(self.request.GET.get("enterprise", ""))
        except ValueError as missing:
            raise Http404 from missing
        return restricted_object(user, Enterprise, pk, "change")

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.enterprise  # noqa: B018 (403/404 before anything else)
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "enterprise_id": self.enterprise.pk}

    def get_initial(self):
        initial = {}
        if self.request.GET.get("year", "").isdigit():
            initial["year"] = int(self.request.GET["year"])
        if self.request.GET.get("period") in ReportPeriod.values:
            initial["period"] = self.request.GET["period"]
        if not initial:  # a period the enterprise has no report for yet
            to_file = selectors.report_period_to_file(enterprise_id=self.enterprise.pk, today=timezone.localdate())
            initial = dict(zip(("year", "period"), to_file, strict=True)) if to_file else {"year": None}
        return initial

    def perform(self, data):
        return self.perform_with_submit(
            lambda: services.report_create(
                enterprise=self.enterprise, year=data["year"], period=data["period"], by=self.request.user,
                data=self.form.figures(),
            )
        )  # fmt: skip

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            enterprise=self.enterprise, title=_("File an operating report"),
            cancel_url=reverse("enterprises:report_list"), **kwargs,
        )  # fmt: skip


class ReportMixin:
    report_action = "view"

    @cached_property
    def report(self) -> OperatingReport:
        return restricted_object(
            self.request.user, OperatingReport, self.kwargs["pk"], self.report_action,
            queryset=OperatingReport.objects.select_related("enterprise", "supersedes"),
        )  # fmt: skip

    def get_success_url(self) -> str:
        return reverse("enterprises:report_detail", args=[self.result.pk])


class ReportUpdateView(ReportMixin, ReportFormMixin, ServiceFormView):
    is_new = False
    report_action = "change"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            services.ensure_filer(request.user, self.report.enterprise)  # 403 for reviewers and readers
        if request.user.is_authenticated and self.report.status not in report_workflow.EDITABLE:
            messages.info(request, _("A submitted or verified report is not edited; a verified one is corrected "
                                     "as a new version."))  # fmt: skip
            return HttpResponseRedirect(reverse("enterprises:report_detail", args=[self.report.pk]))
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        return {name: getattr(self.report, name) for name in services.REPORT_FIGURES}

    def perform(self, data):
        return self.perform_with_submit(
            lambda: services.report_update(report=self.report, by=self.request.user, data=self.form.figures())
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            enterprise=self.report.enterprise, report=self.report,
            title=_("Edit the operating report %(period)s") % {"period": _period(self.report)},
            cancel_url=reverse("enterprises:report_detail", args=[self.report.pk]), **kwargs,
        )  # fmt: skip


def _period(report) -> str:
    return f"{report.year} {report.get_period_display()}"


# Figures as the detail page shows them: (heading, [(field, is_money)]).
REPORT_SECTIONS = [
    (_("Revenue and costs"), [("revenue", True), ("high_tech_revenue", True), ("total_costs", True),
                              ("total_assets", True),
                              ("tax_paid", True), ("exports", True), ("financing", True)]),
    (_("Research and development"), [("rd_expenditure", True), ("rd_in_china", True)]),
    (_("People"), [("employees", False), ("tech_staff", False), ("college_staff", False), ("new_graduates", False)]),
    (_("Valid intellectual property"), [("invention_patents", False), ("utility_models", False), ("designs", False),
                                        ("software_copyrights", False), ("other_ip", False)]),
]  # fmt: skip


class ReportDetailView(ReportMixin, PortalView, TemplateView):
    template_name = "enterprises/report_detail.html"

    def get_context_data(self, **kwargs):
        user, report = self.request.user, self.report
        moves = selectors.report_moves(user=user, report=report, check_preconditions=True)
        sections = [
            (title, [(OperatingReport._meta.get_field(name).verbose_name, getattr(report, name), money)
                     for name, money in fields])
            for title, fields in REPORT_SECTIONS
        ]  # fmt: skip
        return super().get_context_data(
            report=report,
            enterprise=report.enterprise,
            sections=sections,
            moves=[move for move in moves if move.name != "submit"],
            can_submit=any(move.name == "submit" for move in moves),
            can_edit=report.status in report_workflow.EDITABLE and any(m.name == "submit" for m in moves),
            versions=selectors.report_versions(
                user=user, enterprise_id=report.enterprise_id, year=report.year, period=report.period
            ),  # fmt: skip
            history=history_of(report)[:10] if can(user, "view", "accounts.auditevent") else [],
            **kwargs,
        )


class ReportMoveView(WorkflowMoveMixin, ReportMixin, ServiceFormView):
    """One workflow move: submit and verify are confirmed by a button; return and correct ask for the comment or
    the reason."""

    template_name = "enterprises/report_move.html"
    form_class = ReportMoveForm
    report_action = "change"
    workflow = report_workflow.REPORT_WORKFLOW

    @property
    def success_message(self):
        if self.move.name == "correct":
            return _("A new version has been started from the verified figures. Correct them, then submit.")
        return _("Done: the report is now “%(status)s”.") % {"status": self.result.get_status_display()}

    def perform(self, data):
        return services.report_act(report=self.report, move=self.move.name, by=self.request.user,
                                   message=data["message"])  # fmt: skip

    def get_success_url(self) -> str:
        if self.move.name == "correct":
            return reverse("enterprises:report_update", args=[self.result.pk])
        return super().get_success_url()

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            report=self.report, enterprise=self.report.enterprise, move=self.move, title=self.move.label,
            cancel_url=reverse("enterprises:report_detail", args=[self.report.pk]), **kwargs,
        )  # fmt: skip


class ReportHistoryView(PortalView, TemplateView):
    """An enterprise's annual figures year by year with growth rates, and the versions of one period."""

    template_name = "enterprises/report_history.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        if not can(user, "view", OperatingReport):
            raise PermissionDenied
        enterprise = restricted_object(user, Enterprise, self.kwargs["pk"])
        history = list(selectors.annual_history(user=user, enterprise_id=enterprise.pk))
        form = ReportPeriodForm(self.request.GET or None)
        versions = None
        if form.is_bound and form.is_valid():
            versions = selectors.report_versions(
                user=user,
                enterprise_id=enterprise.pk,
                year=form.cleaned_data["year"],
                period=form.cleaned_data["period"],
            )
        all_periods = (
            OperatingReport.objects.for_user(user).filter(enterprise=enterprise).current()
            .order_by("-year", "period").select_related(None)
        )  # fmt: skip
        return super().get_context_data(
            enterprise=enterprise, history=history, versions=versions, period_form=form, reports=all_periods,
            **kwargs,
        )  # fmt: skip


class NotFiledView(PortalView, TemplateView):
    """Who has not filed a period's report: the tenants in residency then (in the user's scope) without a
    submitted or verified report, with the days overdue; filter by carrier and stage, sort, remind one by hand."""

    template_name = "enterprises/report_not_filed.html"
    paginate_by = 50
    ordering_options = {
        "enterprise": "name",
        "carrier": "residency_carrier_order",
        "stage": "residency_stage",
        "status": "report_status",
        "reminded": "last_reminded",
    }

    def get_context_data(self, **kwargs):
        user = self.request.user
        if not can(user, "view", "enterprises.reports_not_filed"):
            raise PermissionDenied
        today = timezone.localdate()
        last_year = selectors.report_deadline(year=today.year - 1, period=ReportPeriod.ANNUAL)
        form = NotFiledFilter(self.request.GET or None, initial={"year": today.year - 1, "period": "annual"})
        if form.is_bound and form.is_valid():
            year, period = form.cleaned_data["year"], form.cleaned_data["period"]
        else:
            year, period = last_year.year, last_year.period
        deadline = selectors.report_deadline(year=year, period=period)
        rows = selectors.not_filed(user=user, year=year, period=period)
        if form.is_bound and form.is_valid():
            if form.cleaned_data.get("carrier"):
                rows = rows.filter(residency_carrier=form.cleaned_data["carrier"].pk)
            if form.cleaned_data.get("stage"):
                rows = rows.filter(residency_stage=form.cleaned_data["stage"])
            if form.cleaned_data.get("q"):
                rows = rows.filter(name__icontains=form.cleaned_data["q"])
        sort = self.request.GET.get("sort", "enterprise")
        field = self.ordering_options.get(sort.lstrip("-"), "name")
        descending = sort.startswith("-")
        rows = rows.order_by(F(field).desc(nulls_last=True) if descending else F(field).asc(nulls_first=True), "pk")
        page = Paginator(rows, self.paginate_by).get_page(self.request.GET.get("page"))
        carriers = {carrier.pk: carrier for carrier in Carrier.objects.all()}
        for row in page.object_list:
            row.carrier = carriers.get(row.residency_carrier)
            row.stage_label = Stage(row.residency_stage).label if row.residency_stage in Stage.values else ""
        query = self.request.GET.copy()
        query.pop("page", None)
        sort_query = query.copy()
        sort_query.pop("sort", None)
        style_filter_form(form)
        return super().get_context_data(
            filter_form=form, year=year, period=period, deadline=deadline, today=today,
            days_overdue=deadline.days_overdue(today), page_obj=page, current_ordering=sort,
            query_without_page=query.urlencode(), sort_query=sort_query.urlencode(),
            can_remind=can(user, "add", ReportReminder), **kwargs,
        )  # fmt: skip


class ReportRemindView(PortalView, View):
    """Staff remind one enterprise by hand to file a period's report."""

    def post(self, request, pk):
        if not can(request.user, "add", ReportReminder):
            raise PermissionDenied
        enterprise = restricted_object(request.user, Enterprise, pk)
        form = RemindForm(request.POST)
        if not form.is_valid():
            raise Http404
        year, period = form.cleaned_data["year"], form.cleaned_data["period"]
        try:
            services.reminder_send_manual(enterprise=enterprise, year=year, period=period, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("%(enterprise)s has been reminded.") % {"enterprise": enterprise.name})
        back = request.POST.get("next", "")
        if not back.startswith("/") or back.startswith("//"):
            back = reverse("enterprises:report_not_filed")
        return HttpResponseRedirect(back)


class DeadlineListView(RestrictedListView):
    """The deadlines staff have set (the defaults apply to every other period), and the deadlines that apply to
    this year and last."""

    model = ReportDeadline
    template_name = "enterprises/deadline_list.html"
    filterset_class = DeadlineFilter
    ordering_options = {"year": "year", "period": "period", "due_on": "due_on"}
    default_ordering = "-year"

    def get_context_data(self, **kwargs):
        today = timezone.localdate()
        return super().get_context_data(
            applying=selectors.report_deadlines(years=[today.year, today.year - 1]),
            can_add=can(self.request.user, "add", ReportDeadline),
            can_change=can(self.request.user, "change", ReportDeadline),
            **kwargs,
        )


class DeadlineFormView(ServiceFormView):
    template_name = "enterprises/form.html"
    form_class = ReportDeadlineForm
    success_message = _("The deadline has been saved.")

    def get_success_url(self) -> str:
        return reverse("enterprises:deadline_list")

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=self.title, cancel_url=self.get_success_url(), **kwargs)


class DeadlineCreateView(DeadlineFormView):
    title = _("Set a reporting deadline")

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not can(request.user, "add", ReportDeadline):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        year, period = timezone.localdate().year, ReportPeriod.ANNUAL
        return {"year": year, "period": period, "due_on": periods.default_due_on(year, period)}

    def perform(self, data):
        return services.deadline_save(by=self.request.user, data=data)


class DeadlineUpdateView(DeadlineFormView):
    title = _("Edit the reporting deadline")

    @cached_property
    def deadline(self) -> ReportDeadline:
        return restricted_object(self.request.user, ReportDeadline, self.kwargs["pk"], "change")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.deadline}

    def perform(self, data):
        return services.deadline_save(by=self.request.user, data=data, deadline=self.deadline)
