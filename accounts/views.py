from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponseRedirect, HttpResponseServerError
from django.shortcuts import redirect, render
from django.template import loader
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView, TemplateView, View
from rest_framework import exceptions as api_exceptions

from accounts import audit, services
from accounts.api.exceptions import api_error_response, is_api_request
from accounts.filters import AuditEventFilter, NotificationFilter
from accounts.forms import PortalAuthenticationForm, ResendVerificationForm, SignUpForm
from accounts.mixins import PortalView, RestrictedListView, ServiceFormMixin, restricted_object
from accounts.models import AuditAction, AuditEvent, Notification
from accounts.roles import Role, has_role, primary_role
from enterprises.models import EnterpriseMembership
from parks.selectors import area_by_stage, base_totals, carrier_list
from targets.selectors.evaluation import enterprise_standing, gaps_of


class HomeView(LoginRequiredMixin, TemplateView):
    """Each role's home page. Until the tenant and target pages exist, every role starts from the structure
    overview, with a greeting that names the role."""

    template_name = "accounts/home.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        carriers = carrier_list(user=user)
        # An enterprise user who signed up has no enterprise yet: the page asks them to register it first.
        needs_enterprise = (
            has_role(user, Role.ENTERPRISE) and not EnterpriseMembership.objects.filter(user=user).exists()
        )
        membership = EnterpriseMembership.objects.filter(user=user).select_related("enterprise").first()
        year = timezone.localdate().year
        standing = enterprise_standing(membership.enterprise, year=year) if membership else []
        for evaluation in standing:
            evaluation.gap_items = gaps_of(evaluation.results)
        return super().get_context_data(
            standing=standing,
            standing_enterprise=membership.enterprise if membership else None,
            standing_year=year,
            needs_enterprise=needs_enterprise,
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
    if is_api_request(request):
        return api_error_response(api_exceptions.PermissionDenied)
    return render(request, "403.html", status=403)


def page_not_found(request, exception=None):
    if is_api_request(request):
        return api_error_response(api_exceptions.NotFound)
    return render(request, "404.html", status=404)


def server_error(request):
    if is_api_request(request):
        return api_error_response(api_exceptions.APIException)
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


# --- Self sign-up -------------------------------------------------------------------------------------------------


class AnonymousOnlyMixin:
    """Sign-up pages are for visitors: someone signed in is sent home."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            return redirect("home")
        return super().dispatch(request, *args, **kwargs)


class SignUpView(AnonymousOnlyMixin, ServiceFormMixin, FormView):
    """A person creates their account; it stays inactive until they follow the link mailed to them."""

    template_name = "accounts/sign_up.html"
    form_class = SignUpForm

    def perform(self, data):
        return services.user_sign_up(
            name=data["name"], email=data["email"], password=data["password"], phone=data["phone"]
        )

    def get_success_url(self) -> str:
        # The same page whether or not the address already had an account (its owner was mailed instead).
        self.request.session["signed_up_email"] = services.normalise_email(self.form.cleaned_data["email"])
        return reverse("accounts:sign_up_done")

    def form_invalid(self, form):
        # Every problem at once: what the service would refuse, for the fields the form itself found no fault in.
        data = form.cleaned_data
        problems = services.sign_up_problems(
            name=data.get("name", form.data.get("name", "")),
            email=data.get("email", form.data.get("email", "")),
            password=data.get("password"),
            phone=data.get("phone", ""),
        )
        for field, messages_ in problems.items():
            if field not in form.errors:
                form.add_error(field, messages_)
        return super().form_invalid(form)


class SignUpDoneView(AnonymousOnlyMixin, TemplateView):
    template_name = "accounts/sign_up_done.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(email=self.request.session.get("signed_up_email", ""), **kwargs)


class VerifyEmailView(AnonymousOnlyMixin, TemplateView):
    """The link in the verification mail. Opening it shows a button; the POST verifies, activates and signs in.
    (A mail scanner that follows links must not use up the token, nor be handed a session.)"""

    template_name = "accounts/verify_email.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(resend_form=ResendVerificationForm(), **kwargs)

    def post(self, request, *args, **kwargs):
        try:
            user = services.user_verify_email(token=kwargs["token"])
        except ValidationError as error:
            if error.code == "already_verified":
                messages.info(request, error.messages[0])
                return redirect("accounts:login")
            return self.render_to_response(self.get_context_data(error=error.messages[0]), status=400)
        login(request, user, backend="accounts.backends.PortalModelBackend")
        messages.success(request, _("Your email address is confirmed. Now register your team or company."))
        return redirect("enterprises:register")


class ResendVerificationView(AnonymousOnlyMixin, FormView):
    template_name = "accounts/resend_verification.html"
    form_class = ResendVerificationForm

    def form_valid(self, form):
        services.user_resend_verification(email=form.cleaned_data["email"])
        # The same answer whether or not the address has an account waiting: the page reveals no addresses.
        messages.info(
            self.request,
            _("If an account with this address is waiting for confirmation, we have mailed it a new link."),
        )
        return redirect("accounts:login")


# --- Notifications ------------------------------------------------------------------------------------------------


class NotificationListView(RestrictedListView):
    """The signed-in user's own notifications, newest first; unread ones stand out."""

    model = Notification
    template_name = "accounts/notification_list.html"
    filterset_class = NotificationFilter
    paginate_by = 20

    def base_queryset(self):
        return Notification.objects.order_by("-created_at", "-id")  # get_queryset() keeps the user's own


def _safe_next(request, fallback: str) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return fallback


class NotificationReadView(PortalView, View):
    """POST: mark one of the user's notifications read, then go back (or, with open=1, to the notification's link).
    Another user's notification answers 404."""

    http_method_names = ["post"]

    def post(self, request, pk):
        notification = restricted_object(request.user, Notification, pk, "change")
        services.notification_mark_read(notification=notification, by=request.user)
        link = notification.link
        hosts = {request.get_host(), urlsplit(settings.PORTAL_BASE_URL).netloc}
        if request.POST.get("open") and link and url_has_allowed_host_and_scheme(link, hosts):
            return HttpResponseRedirect(link)
        return HttpResponseRedirect(_safe_next(request, reverse("accounts:notification_list")))


class NotificationReadAllView(PortalView, View):
    http_method_names = ["post"]

    def post(self, request):
        count = services.notifications_mark_all_read(by=request.user)
        if count:
            messages.success(request, _("All notifications are marked as read."))
        return HttpResponseRedirect(_safe_next(request, reverse("accounts:notification_list")))
