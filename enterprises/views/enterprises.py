"""The enterprise pages: the list, an enterprise's page, registering and editing an enterprise."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.views.generic import RedirectView, TemplateView

from accounts.audit import history_of
from accounts.mixins import (
    PortalView,
    RestrictedListView,
    ServiceFormView,
    restricted_object,
)
from accounts.roles import OPERATING_ROLES, can, roles_of
from enterprises import selectors, services
from enterprises.choices import EnterpriseKind
from enterprises.filters import EnterpriseFilter
from enterprises.forms import (
    EnterpriseForm,
)
from enterprises.models import (
    Document,
    Enterprise,
    EnterpriseMembership,
    OperatingReport,
)
from enterprises.views.records import RECORD_KINDS
from incubation.models import Residency
from incubation.selectors import applications_of, enterprise_timeline, residencies_of


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
            report_history=list(selectors.annual_history(user=user, enterprise_id=enterprise.pk))
            if can(user, "view", OperatingReport)
            else None,
            can_file_report=can(user, "add", OperatingReport)
            and (
                bool(roles_of(user) & OPERATING_ROLES)
                or any(membership.user_id == user.pk for membership in enterprise.memberships.all())
            ),
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
