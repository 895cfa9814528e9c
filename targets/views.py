"""Target plans (read by staff and the bureau, kept by the bureau) and the indicator figures with the enterprises
behind each one."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.generic import ListView, TemplateView, View

from accounts.mixins import PortalView, RestrictedListView, ServiceFormView, restricted_object
from accounts.roles import can
from enterprises.models import Enterprise
from incubation.roster_export import download
from parks.models import Carrier
from targets import dashboard, dashboard_export, selectors, services
from targets.choices import SchemeSubject, TargetForm
from targets.filters import CultivationFilter
from targets.forms import (
    CriterionFormSet,
    FollowUpForm,
    PlanAddYearForm,
    PublishForm,
    TargetEditForm,
    VersionForm,
    WhatIfForm,
    bands_as_text,
)
from targets.indicators import INDICATORS
from targets.metrics import valid_certificate
from targets.models import Candidate, Evaluation, Scheme, SchemeVersion, Target, TargetPlan, TargetRevision
from targets.reporting import torch, torch_xlsx
from targets.selectors.evaluation import criteria_with_bands

# --- Target plans --------------------------------------------------------------------------------------------------


class PlanListView(RestrictedListView):
    model = TargetPlan
    template_name = "targets/plan_list.html"
    ordering_options = {"name": "name", "start_year": "start_year", "adopted_on": "adopted_on", "targets": "n_targets"}
    default_ordering = "start_year"

    def base_queryset(self):
        queryset = TargetPlan.objects.annotate(n_targets=Count("targets"))
        query = self.request.GET.get("q", "").strip()
        if query:
            queryset = queryset.filter(Q(name__icontains=query) | Q(source_document__icontains=query))
        return queryset

    def get_context_data(self, **kwargs):
        return super().get_context_data(q=self.request.GET.get("q", ""), **kwargs)


class PlanDetailView(PortalView, TemplateView):
    """The plan's targets: one row per indicator (and carrier, reading), one column per year."""

    template_name = "targets/plan_detail.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        plan = restricted_object(user, TargetPlan, self.kwargs["pk"])
        targets = list(Target.objects.for_user(user).filter(plan=plan).select_related("carrier").order_by("year", "id"))
        years = sorted({target.year for target in targets})
        order = {code: index for index, code in enumerate(INDICATORS)}
        rows: dict[tuple, dict] = {}
        for target in targets:
            key = (order[target.indicator], target.carrier.sort_order if target.carrier else -1, target.carrier_id,
                   target.form)  # fmt: skip
            row = rows.setdefault(
                key,
                {
                    "indicator": INDICATORS[target.indicator],
                    "carrier": target.carrier,
                    "form": target.form,
                    "cells": {},
                },
            )
            row["cells"][target.year] = target
        table = []
        for key in sorted(rows, key=lambda k: (k[0], k[1], k[2] or 0, k[3])):
            row = rows[key]
            row["cells"] = [row["cells"].get(year) for year in years]
            table.append(row)
        return super().get_context_data(
            plan=plan,
            years=years,
            rows=table,
            form_labels=dict(TargetForm.choices),
            can_edit=can(user, "change", Target),
            can_add=can(user, "add", Target),
            **kwargs,
        )


class TargetDetailView(PortalView, ListView):
    """One target and its history of changes, newest first."""

    template_name = "targets/target_detail.html"
    paginate_by = 20

    @cached_property
    def target(self) -> Target:
        return restricted_object(
            self.request.user, Target, self.kwargs["pk"], queryset=Target.objects.select_related("plan", "carrier")
        )

    def get_queryset(self):
        self.target  # noqa: B018 - 403/404 before anything else
        if not can(self.request.user, "view", TargetRevision):
            raise PermissionDenied
        return TargetRevision.objects.filter(target=self.target).select_related("by").order_by("-at", "-id")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        for revision in context["page_obj"].object_list:
            revision.rows = [
                (_field_label(field), change[0] if len(change) > 0 else None, change[1] if len(change) > 1 else None)
                for field, change in revision.changes.items()
            ]
        return super().get_context_data(
            target=self.target,
            indicator=INDICATORS[self.target.indicator],
            can_edit=can(self.request.user, "change", Target),
            query_without_page="",
            **kwargs,
        )


def _field_label(name: str) -> str:
    try:
        return str(Target._meta.get_field(name).verbose_name)
    except Exception:  # noqa: BLE001 - a field no longer on the model keeps its recorded name
        return name


class TargetEditView(ServiceFormView):
    template_name = "parks/form.html"
    form_class = TargetEditForm
    success_message = _("The target has been changed; the change is in its history.")

    @cached_property
    def target(self) -> Target:
        return restricted_object(self.request.user, Target, self.kwargs["pk"], action="change")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "target": self.target}

    def get_success_url(self) -> str:
        return reverse("targets:target_detail", args=[self.target.pk])

    def get_context_data(self, **kwargs):
        title = _("Change the target: %(target)s") % {"target": self.target}
        return super().get_context_data(
            title=title, section_title=_("Target plans"), cancel_url=self.get_success_url(), **kwargs
        )

    def perform(self, data):
        reason = data.pop("reason")
        return services.target_update(target=self.target, data=data, reason=reason, by=self.request.user)


class PlanAddYearView(ServiceFormView):
    template_name = "parks/form.html"
    form_class = PlanAddYearForm
    success_message = _("The year and its targets have been added to the plan.")

    @cached_property
    def plan(self) -> TargetPlan:
        if not can(self.request.user, "add", Target):
            raise PermissionDenied
        return restricted_object(self.request.user, TargetPlan, self.kwargs["pk"])

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "initial_year": services.next_year(self.plan)}

    def get_success_url(self) -> str:
        return reverse("targets:plan_detail", args=[self.plan.pk])

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title=_("Add a year to %(plan)s") % {"plan": self.plan.source_document or self.plan.name},
            section_title=_("Target plans"),
            cancel_url=self.get_success_url(),
            **kwargs,
        )

    def perform(self, data):
        return services.plan_add_year(
            plan=self.plan, year=data["year"], targets=self.form.targets(), reason=data["reason"], by=self.request.user
        )


# --- Indicators ----------------------------------------------------------------------------------------------------


class IndicatorScopeMixin:
    """The year and carrier asked for, checked against what the user may see: park staff only their carriers
    (and no district-wide figures: they get their first carrier)."""

    def scope(self) -> tuple[int, Carrier | None, list[Carrier], bool]:
        user = self.request.user
        district, carriers_qs = selectors.figure_scope(user)
        if not can(user, "view", "targets.indicators"):
            raise PermissionDenied
        carriers = list(carriers_qs)
        try:
            year = int(self.kwargs.get("year") or self.request.GET.get("year") or timezone.localdate().year)
        except ValueError:
            raise Http404 from None
        if not 2000 <= year <= 2100:
            raise Http404
        carrier_param = self.request.GET.get("carrier", "")
        carrier = None
        if carrier_param:
            carrier = next((c for c in carriers if str(c.pk) == carrier_param), None)
            if carrier is None:
                if Carrier.objects.filter(pk=carrier_param if carrier_param.isdigit() else 0).exists():
                    raise PermissionDenied
                raise Http404
        elif not district:
            if not carriers:
                raise PermissionDenied
            carrier = carriers[0]
        return year, carrier, carriers, district


class IndicatorOverviewView(IndicatorScopeMixin, PortalView, TemplateView):
    """Every indicator for a year and scope: the figure in both readings, its definition, the target's status."""

    template_name = "targets/indicators.html"

    def get_context_data(self, **kwargs):
        year, carrier, carriers, district = self.scope()
        plan = selectors.current_plan()
        computed = selectors.compute_figures(years=[year], plan=plan)
        figures = computed.scope(year, carrier.pk if carrier is not None else None)
        attainments = {
            attainment.target.indicator: attainment
            for attainment in selectors.target_attainment(year=year, carrier=carrier, plan=plan, computed=computed)
        }
        rows = [{"figure": figures[code], "attainment": attainments.get(code)} for code in INDICATORS]
        this_year = timezone.localdate().year
        return super().get_context_data(
            year=year,
            carrier=carrier,
            carriers=carriers,
            district=district,
            rows=rows,
            years=list(range(selectors.DEFAULT_START_YEAR, this_year + 1)),
            **kwargs,
        )


class IndicatorDrillDownView(IndicatorScopeMixin, PortalView, ListView):
    """One figure, its definition, and the enterprises that make it up, each with its contribution."""

    template_name = "targets/indicator_detail.html"
    paginate_by = 25
    ordering_options = {"name": "name", "contribution": "contribution"}

    def get_queryset(self):
        code = self.kwargs["code"]
        if code not in INDICATORS:
            raise Http404
        self.indicator = INDICATORS[code]
        self.year, self.carrier, self.carriers, self.district = self.scope()
        self.form = self.request.GET.get("form", TargetForm.YEARLY)
        if self.form not in TargetForm.values:
            self.form = TargetForm.YEARLY
        self.figure = selectors.indicator_figures(year=self.year, carrier=self.carrier)[code]
        if code in selectors.LEVELS:
            return Enterprise.objects.none()
        queryset = selectors.indicator_contributors(code=code, year=self.year, form=self.form, carrier=self.carrier)
        self.q = self.request.GET.get("q", "").strip()
        if self.q:
            queryset = queryset.filter(name__icontains=self.q)
        self.current_ordering = self.request.GET.get("sort", "-contribution")
        field = self.ordering_options.get(self.current_ordering.lstrip("-"), "contribution")
        prefix = "-" if self.current_ordering.startswith("-") else ""
        return queryset.order_by(f"{prefix}{field}", "name", "pk")

    def get_context_data(self, **kwargs):
        query = self.request.GET.copy()
        query.pop("page", None)
        sort_query = query.copy()
        sort_query.pop("sort", None)
        return super().get_context_data(
            indicator=self.indicator,
            figure=self.figure,
            value=self.figure.value(self.form),
            level=self.figure.level(self.form),
            year=self.year,
            carrier=self.carrier,
            carriers=self.carriers,
            district=self.district,
            form=self.form,
            forms=TargetForm.choices,
            q=self.q if hasattr(self, "q") else "",
            current_ordering=self.current_ordering if hasattr(self, "current_ordering") else "",
            query_without_page=query.urlencode(),
            sort_query=sort_query.urlencode(),
            plan=selectors.current_plan(),
            **kwargs,
        )


# --- The bureau dashboard ------------------------------------------------------------------------------------------

FUNNEL_LABELS = {
    "applications": _("Applications submitted"),
    "admissions": _("Admissions"),
    "promotions": _("Promotions"),
    "graduations": _("Graduations"),
}


class DashboardMixin(IndicatorScopeMixin):
    """The dashboard's year (2021 to this year) and scope, and its figures (cached: targets.dashboard)."""

    def dashboard(self) -> dict:
        if not can(self.request.user, "view", "targets.dashboard"):
            raise PermissionDenied
        year, carrier, carriers, district = self.scope()
        this_year = timezone.localdate().year
        if not dashboard.FIRST_YEAR <= year <= this_year:
            raise Http404
        data = dashboard.dashboard_data(year=year, carrier=carrier)
        return {
            "year": year,
            "carrier": carrier,
            "carriers": carriers,
            "district": district,
            "years": list(range(dashboard.FIRST_YEAR, this_year + 1)),
            "data": data,
            "tables": dashboard.tables(data, carriers=carriers),
        }


class DashboardView(DashboardMixin, PortalView, TemplateView):
    """The bureau's view of the base: targets against actual, every indicator, the carriers, the pipeline funnel and
    the trends, each chart with its numbers in a table."""

    template_name = "targets/dashboard.html"

    def get_context_data(self, **kwargs):
        context = self.dashboard()
        tables = context["tables"]
        numeric_targets = [row for row in tables["targets"] if row["target_value"] is not None]
        charts = {
            "targets": {
                "type": "bar",
                "labels": [str(row["indicator_obj"].label) for row in numeric_targets],
                "datasets": [
                    {
                        "label": str(_("Target")),
                        "data": [dashboard.as_number(r["target_value"]) for r in numeric_targets],
                    },
                    {"label": str(_("Actual")), "data": [dashboard.as_number(r["actual"]) for r in numeric_targets]},
                ],
            },
            "carriers": {
                "type": "bar",
                "labels": [row["carrier"].display_name for row in tables["carrier_rows"]],
                "datasets": [
                    {
                        "label": str(indicator.label),
                        "data": [
                            dashboard.as_number(row["figures"][index]["yearly"]) if row["figures"][index] else 0
                            for row in tables["carrier_rows"]
                        ],
                    }
                    for index, indicator in enumerate(tables["carrier_indicators"])
                    if indicator.code in ("tenants_year_end", "tech_smes", "htes", "admissions", "graduations")
                ],
            },
            "funnel": {
                "type": "bar",
                "horizontal": True,
                "labels": [str(FUNNEL_LABELS[step]) for step, _count in tables["funnel"]],
                "datasets": [{"label": str(_("Enterprises or moves")), "data": [n for _step, n in tables["funnel"]]}],
            },
            "trend": {
                "type": "line",
                "labels": [y for y, _values in tables["trend"]],
                "datasets": [
                    {
                        "label": str(indicator.label),
                        "data": [dashboard.as_number(v[index]) for _y, v in tables["trend"]],
                    }
                    for index, indicator in enumerate(tables["trend_indicators"])
                    if indicator.code in ("tech_smes", "htes", "admissions", "graduations")
                ],
            },
        }
        query = self.request.GET.copy()
        # The engine's forecast is this year's, from the evaluations kept each night (not cached with the figures).
        forecasts = (
            selectors.target_forecasts(tables["targets"], year=context["year"], carrier=context["carrier"])
            if context["year"] == timezone.localdate().year
            else []
        )
        return super().get_context_data(
            **context,
            forecasts=forecasts,
            charts=charts,
            funnel_labels=FUNNEL_LABELS,
            export_query=query.urlencode(),
            today=timezone.localdate(),
            **kwargs,
        )


class DashboardExportView(DashboardMixin, PortalView, View):
    """Everything on the dashboard as an XLSX workbook, one sheet per block."""

    def get(self, request, *args, **kwargs):
        context = self.dashboard()
        content = dashboard_export.workbook(context, funnel_labels=FUNNEL_LABELS)
        scope = context["carrier"].code if context["carrier"] else "district"
        title = _("dashboard")
        return download(
            content,
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            name=f"{title}-{context['year']}-{scope}.xlsx",
            fallback=f"dashboard-{context['year']}-{scope}.xlsx",
        )


# --- Torch statistics export ----------------------------------------------------------------------------------------


class TorchExportView(PortalView, TemplateView):
    """火炬统计: GET ?year=Y downloads the year's XLSX (targets.reporting.torch); without a year, the page to choose
    one, saying what the file holds and which carriers it covers for this user."""

    template_name = "targets/torch_export.html"

    def get(self, request, *args, **kwargs):
        if not can(request.user, "view", torch.PAGE):
            raise PermissionDenied
        try:
            year = torch.parse_year(request.GET.get("year"))
        except ValueError:
            raise Http404 from None
        if year is not None:
            return torch_xlsx.download(torch.torch_export(user=request.user, year=year))
        district, carriers = torch.export_scope(request.user)
        this_year = timezone.localdate().year
        context = self.get_context_data(
            district=district,
            carriers=carriers,
            years=list(range(this_year, selectors.DEFAULT_START_YEAR - 1, -1)),
            default_year=this_year - 1,  # the Torch survey covers the last full year
            incubator_columns=torch.INCUBATOR_COLUMNS,
            tenant_columns=torch.TENANT_COLUMNS,
            **kwargs,
        )
        return self.render_to_response(context)


# --- Qualification engine: an enterprise's evaluation by each scheme, and the what-if calculator -------------------


class EnterpriseQualificationView(PortalView, TemplateView):
    """An enterprise's evaluation for a round, judged now from its records by the version in force: every
    condition with its value, threshold, result and records, the gaps in words, the year's filing window, and the
    evaluations kept before. POST is the what-if calculator: the figures entered are judged and nothing is saved."""

    template_name = "targets/qualification/enterprise.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.enterprise = restricted_object(request.user, Enterprise, kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data(posted=request.POST))

    def get_template_names(self):
        if self.request.headers.get("HX-Request"):
            return ["targets/qualification/_workspace.html"]
        return [self.template_name]

    def get_context_data(self, posted=None, **kwargs):
        today = timezone.localdate()
        query = self.request.POST if posted is not None else self.request.GET
        schemes = list(Scheme.objects.filter(subject=SchemeSubject.ENTERPRISE))
        scheme = next((item for item in schemes if item.code == query.get("scheme")), schemes[0] if schemes else None)
        year = _year(query.get("year"), default=today.year)
        form = WhatIfForm(posted, today=today) if posted is not None else None
        figures = form.figures() if form is not None and form.is_valid() else None
        judgement = (
            selectors.judge_enterprise(scheme, self.enterprise, year=year, on=today, figures=figures)
            if scheme is not None
            else None
        )
        if form is None and judgement is not None:
            kept = judgement.facts.figures.get(year - 1)
            form = WhatIfForm(initial=dict(kept.values) if kept else {}, today=today)
        return super().get_context_data(
            enterprise=self.enterprise,
            schemes=schemes,
            scheme=scheme,
            year=year,
            years=range(today.year + 1, today.year - 5, -1),
            judgement=judgement,
            results=judgement.results_json() if judgement else [],
            certificate=valid_certificate(judgement.facts) if judgement else None,
            what_if=figures is not None,
            form=form,
            window=scheme.windows.filter(year=year).first() if scheme else None,
            history=selectors.evaluation_history(scheme, self.enterprise) if scheme else [],
            can_mark=can(self.request.user, "add", Candidate),
            candidacy=selectors.candidacy(scheme, self.enterprise, year) if scheme else None,
            follow_up_form=FollowUpForm(initial={"occurred_on": today}),
            **kwargs,
        )


def _year(value, *, default: int) -> int:
    try:
        year = int(value)
    except (TypeError, ValueError):
        return default
    return year if 2017 <= year <= default + 1 else default


# --- Rule schemes: read by everyone signed in; the operating company drafts and publishes versions --------------


class RuleSchemeListView(PortalView, TemplateView):
    template_name = "targets/rules/scheme_list.html"

    def get_context_data(self, **kwargs):
        today = timezone.localdate()
        schemes = list(
            Scheme.objects.for_user(self.request.user).prefetch_related(
                Prefetch("versions", queryset=SchemeVersion.objects.order_by("-effective_from", "-version"))
            )
        )
        rows = []
        for scheme in schemes:
            versions = list(scheme.versions.all())
            in_force = next((v for v in versions if v.is_published and v.effective_from <= today), None)
            upcoming = [v for v in versions if v.is_published and v.effective_from > today]
            draft = next((v for v in versions if not v.is_published), None)
            rows.append({"scheme": scheme, "in_force": in_force, "upcoming": upcoming, "draft": draft,
                         "count": len(versions)})  # fmt: skip
        return super().get_context_data(rows=rows, **kwargs)


class RuleSchemeDetailView(PortalView, TemplateView):
    """A scheme's versions, newest first, each with its criteria and bands; its filing windows."""

    template_name = "targets/rules/scheme_detail.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        scheme = get_object_or_404(Scheme.objects.for_user(user), code=self.kwargs["code"])
        versions = list(
            SchemeVersion.objects.filter(scheme=scheme)
            .select_related("published_by", "created_by")
            .order_by("-effective_from", "-version")
            .prefetch_related(criteria_with_bands())
        )
        drafts = [version for version in versions if not version.is_published]
        return super().get_context_data(
            scheme=scheme,
            versions=[version for version in versions if version.is_published],
            draft=drafts[0] if drafts else None,
            windows=scheme.windows.order_by("-year"),
            in_force=selectors.version_in_force(scheme, timezone.localdate()),
            can_author=can(user, "add", SchemeVersion),
            **kwargs,
        )


class VersionDraftView(PortalView, View):
    """POST: a new draft of the scheme, copied from its latest version; then its editor."""

    def post(self, request, code):
        scheme = get_object_or_404(Scheme.objects.for_user(request.user), code=code)
        try:
            draft = services.draft_version(scheme=scheme, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("targets:rule_scheme", code=code)
        return redirect("targets:rule_version_edit", pk=draft.pk)


class _DraftMixin:
    def draft(self, request, pk) -> SchemeVersion:
        version = restricted_object(request.user, SchemeVersion, pk, action="change")
        if version.is_published:
            raise Http404
        return version


class VersionEditView(PortalView, _DraftMixin, TemplateView):
    template_name = "targets/rules/version_form.html"

    def get(self, request, pk):
        version = self.draft(request, pk)
        criteria = version.criteria.order_by("position", "id").prefetch_related("bands")
        initial = [
            {**{name: getattr(item, name) for name in services.CRITERION_FIELDS},
             "bands": bands_as_text(item.bands.all())}
            for item in criteria
        ]  # fmt: skip
        return self.render_to_response(self.get_context_data(
            version=version, form=VersionForm(instance=version),
            formset=CriterionFormSet(initial=initial, prefix="c", form_kwargs={"subject": version.scheme.subject}),
        ))  # fmt: skip

    def post(self, request, pk):
        version = self.draft(request, pk)
        form = VersionForm(request.POST, instance=SchemeVersion.objects.get(pk=version.pk))
        formset = CriterionFormSet(request.POST, prefix="c", form_kwargs={"subject": version.scheme.subject})
        if form.is_valid() and formset.is_valid():
            rows = [row for row in formset.cleaned_data if row and not row.get("DELETE")]
            try:
                services.update_draft(
                    version=version, data={name: form.cleaned_data[name] for name in services.VERSION_FIELDS},
                    criteria=rows, by=request.user,
                )  # fmt: skip
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The draft is saved. Publish it when it is ready."))
                return redirect("targets:rule_scheme", code=version.scheme.code)
        return self.render_to_response(self.get_context_data(version=version, form=form, formset=formset))


class VersionPublishView(PortalView, _DraftMixin, TemplateView):
    """GET: what publishing would do (for a date in the past: the decisions it would contradict and the frozen
    reports compiled since); POST: publish, with the confirmation when the date is in the past."""

    template_name = "targets/rules/version_publish.html"

    def get(self, request, pk):
        version = self.draft(request, pk)
        return self.render_to_response(self._context(version, PublishForm()))

    def post(self, request, pk):
        version = self.draft(request, pk)
        form = PublishForm(request.POST)
        form.is_valid()
        try:
            services.publish_version(
                version=version,
                by=request.user,
                confirm_retroactive=form.cleaned_data.get("confirm_retroactive", False),
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self.render_to_response(self._context(version, form))
        messages.success(request, _("Version %(version)s is published.") % {"version": version.version})
        return redirect("targets:rule_scheme", code=version.scheme.code)

    def _context(self, version, form):
        return self.get_context_data(
            version=version, form=form, effects=services.retroactive_effects(version),
            criteria=SchemeVersion.objects.prefetch_related(criteria_with_bands()).get(pk=version.pk).rules,
        )  # fmt: skip


class VersionDiscardView(PortalView, _DraftMixin, View):
    def post(self, request, pk):
        version = self.draft(request, pk)
        code = version.scheme.code
        services.discard_draft(version=version, by=request.user)
        messages.success(request, _("The draft is discarded."))
        return redirect("targets:rule_scheme", code=code)


# --- Cultivation (培育库): ranked candidates for a round, their gaps, marks and follow-ups --------------------------


class CultivationListView(RestrictedListView):
    """Candidates for a qualification's round among the tenants the reader oversees, readiest first, each with
    what it lacks. Staff mark candidates and record follow-ups (on the enterprise's qualification page)."""

    model = Evaluation
    template_name = "targets/cultivation_list.html"
    filterset_class = CultivationFilter
    ordering_options = {"readiness": "readiness", "gaps": "gaps", "score": "score", "name": "enterprise__name"}

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not can(request.user, "view", "targets.cultivation"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    @cached_property
    def round(self) -> tuple[Scheme | None, int]:
        today = timezone.localdate()
        schemes = Scheme.objects.filter(subject=SchemeSubject.ENTERPRISE)
        scheme = schemes.filter(code=self.request.GET.get("scheme", "")).first() or schemes.first()
        return scheme, _year(self.request.GET.get("year"), default=today.year)

    def base_queryset(self):
        scheme, year = self.round
        if scheme is None:
            return Evaluation.objects.none()
        return selectors.cultivation_candidates(self.request.user, scheme=scheme, year=year)

    def get_context_data(self, **kwargs):
        scheme, year = self.round
        context = super().get_context_data(scheme=scheme, year=year, can_mark=can(self.request.user, "add", Candidate),
                                           **kwargs)  # fmt: skip
        for row in selectors.with_candidacy(list(context["object_list"])):
            row.gaps_found = selectors.gap_summary(row.results)
        return context


class CandidateMarkView(PortalView, View):
    """POST: mark (or, with `unmark`, unmark) an enterprise as a candidate for a round; back to where it came from."""

    def post(self, request, pk):
        enterprise = restricted_object(request.user, Enterprise, pk)
        scheme = get_object_or_404(Scheme, code=request.POST.get("scheme", ""))
        year = _year(request.POST.get("year"), default=timezone.localdate().year)
        if request.POST.get("unmark"):
            candidate = get_object_or_404(
                Candidate.objects.for_user(request.user), scheme=scheme, enterprise=enterprise, year=year
            )
            services.unmark_candidate(candidate=candidate, by=request.user)
            messages.success(request, _("%(name)s is no longer a candidate.") % {"name": enterprise.name})
        else:
            services.mark_candidate(
                scheme=scheme, enterprise=enterprise, year=year, note=request.POST.get("note", ""), by=request.user
            )
            messages.success(request, _("%(name)s is marked as a candidate.") % {"name": enterprise.name})
        back = request.POST.get("next", "")
        if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
            back = reverse("targets:enterprise_qualifications", args=[enterprise.pk])
        return redirect(back)


class FollowUpCreateView(PortalView, View):
    def post(self, request, pk):
        candidate = restricted_object(request.user, Candidate, pk, action="change")
        form = FollowUpForm(request.POST)
        url = reverse("targets:enterprise_qualifications", args=[candidate.enterprise_id])
        url += f"?scheme={candidate.scheme.code}&year={candidate.year}#cultivation"
        if form.is_valid():
            try:
                services.record_follow_up(candidate=candidate, by=request.user, **form.cleaned_data)
            except ValidationError as error:
                for message in error.messages:
                    messages.error(request, message)
            else:
                messages.success(request, _("The follow-up is recorded."))
        else:
            for errors in form.errors.values():
                for message in errors:
                    messages.error(request, message)
        return redirect(url)
