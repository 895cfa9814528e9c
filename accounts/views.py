from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db import transaction
from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from accounts import audit
from accounts.filters import AuditEventFilter
from accounts.forms import PortalAuthenticationForm
from accounts.mixins import RestrictedListView
from accounts.models import AuditAction, AuditEvent
from accounts.roles import primary_role


class HomeView(LoginRequiredMixin, TemplateView):
    """Each role's home page. Until the tenant and target pages exist, every role starts from the structure
    overview, with a greeting that names the role."""

    template_name = "accounts/home.html"

    def get_context_data(self, **kwargs):
        from parks.selectors import area_by_stage, base_totals, carrier_list

        carriers = carrier_list(user=self.request.user)
        return super().get_context_data(
            carriers=carriers,
            totals=base_totals(carriers=carriers),
            stage_areas=area_by_stage(carriers=carriers),
            role=primary_role(self.request.user),
            **kwargs,
        )


class LoginView(auth_views.LoginView):
    form_class = PortalAuthenticationForm
    redirect_authenticated_user = True


class PasswordChangeView(auth_views.PasswordChangeView):
    success_url = reverse_lazy("home")

    def form_valid(self, form):
        with transaction.atomic():
            response = super().form_valid(form)
            audit.record(actor=self.request.user, action=AuditAction.PASSWORD_CHANGED, obj=self.request.user)
        messages.success(self.request, _("Your password has been changed."))
        return response


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form):
        with transaction.atomic():
            response = super().form_valid(form)
            audit.record(actor=form.user, action=AuditAction.PASSWORD_RESET, obj=form.user)
        return response


def permission_denied(request, exception=None):
    return render(request, "403.html", status=403)


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    # Rendered without the request: the database or Redis may be what failed, and context processors need them.
    return HttpResponseServerError(loader.get_template("500.html").render())


class AuditLogView(RestrictedListView):
    """The audit trail: who did what, when, to which object. Read-only for admin, staff and the bureau."""

    model = AuditEvent
    template_name = "accounts/audit_log.html"
    filterset_class = AuditEventFilter
    paginate_by = 50
    ordering_options = {"time": "occurred_at", "actor": "actor_repr", "action": "action"}
    default_ordering = "-time"

    def base_queryset(self):
        return AuditEvent.objects.select_related("actor", "content_type")
