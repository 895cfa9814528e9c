"""Base classes for the portal's views: sign-in required, and every object or list passes through for_user."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.utils.functional import cached_property
from django.views.generic import FormView, ListView

from accounts.roles import can
from accounts.workflows import Move, Workflow, may_by_role


def restricted_object(user, model: type[models.Model], pk, action: str = "view", queryset=None) -> models.Model:
    """The object with `pk` if `user` may `action` it: 403 if the role may never do that, 404 if out of scope."""
    if not can(user, action, model):
        raise PermissionDenied
    base = queryset if queryset is not None else model._default_manager.all()
    return get_object_or_404(base.for_user(user, action), pk=pk)


def style_filter_form(form: forms.Form) -> None:
    """Small Bootstrap controls for a list's filter bar; dates get the browser's date picker."""
    for field in form.fields.values():
        if isinstance(field, forms.DateField):
            field.widget.input_type = "date"  # the browser's date picker, which wants ISO dates
            field.widget.format = "%Y-%m-%d"
        is_select = isinstance(field.widget, forms.Select | forms.SelectMultiple)
        field.widget.attrs["class"] = "form-select form-select-sm" if is_select else "form-control form-control-sm"


class PortalView(LoginRequiredMixin):
    """Every page of the portal requires a signed-in user."""


class RestrictedListView(PortalView, ListView):
    """A paginated list of the rows the user may see; subclasses narrow it with a FilterSet and an ordering."""

    action = "view"
    paginate_by = 25
    filterset_class = None
    ordering_options: dict[str, str] = {}
    default_ordering = ""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not can(request.user, self.action, self.model):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def base_queryset(self):
        return self.model._default_manager.all()

    def keeps_own_order(self) -> bool:
        """True when the filtered queryset's own order (e.g. search relevance) must not be replaced."""
        return False

    def get_queryset(self):
        queryset = self.base_queryset().for_user(self.request.user, self.action)
        if self.filterset_class is not None:
            self.filterset = self.filterset_class(self.request.GET or None, queryset=queryset, request=self.request)
            style_filter_form(self.filterset.form)
            queryset = self.filterset.qs if self.filterset.is_bound and self.filterset.is_valid() else queryset
        else:
            self.filterset = None
        self.current_ordering = "" if self.keeps_own_order() else self.request.GET.get("sort", self.default_ordering)
        if self.current_ordering.lstrip("-") in self.ordering_options:
            field = self.ordering_options[self.current_ordering.lstrip("-")]
            prefix = "-" if self.current_ordering.startswith("-") else ""
            queryset = queryset.order_by(f"{prefix}{field}", "pk")
        return queryset

    def get_context_data(self, **kwargs):
        query = self.request.GET.copy()
        query.pop("page", None)
        sort_query = query.copy()
        sort_query.pop("sort", None)
        return super().get_context_data(
            filterset=self.filterset,
            current_ordering=self.current_ordering,
            query_without_page=query.urlencode(),
            sort_query=sort_query.urlencode(),
            **kwargs,
        )


class ServiceFormMixin:
    """A form whose valid data goes to one service. The service's ValidationError is shown on the form and
    nothing is saved; its PermissionDenied answers 403."""

    success_message = ""

    def perform(self, data: dict) -> models.Model | None:
        raise NotImplementedError

    def form_valid(self, form):
        self.form = form  # for perform(), when it needs more than the cleaned data
        try:
            self.result = self.perform(form.cleaned_data)
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, errors in error.error_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, error)
            return self.form_invalid(form)
        if self.success_message:
            messages.success(self.request, self.success_message)
        return HttpResponseRedirect(self.get_success_url())


class ServiceFormView(PortalView, ServiceFormMixin, FormView):
    """A signed-in user's form whose valid data goes to one service (see ServiceFormMixin)."""


class BootstrapFormMixin:
    """Gives widgets Bootstrap 5 classes, so templates render any form the same way."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxSelectMultiple | forms.RadioSelect):
                continue
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.Select | forms.SelectMultiple):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()

    def full_clean(self):
        super().full_clean()
        self._mark_invalid_fields()

    def add_error(self, field, error):
        # Errors added after validation (a service's refusal) mark their fields too.
        super().add_error(field, error)
        if hasattr(self, "cleaned_data"):
            self._mark_invalid_fields()

    def _mark_invalid_fields(self) -> None:
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                classes = widget.attrs.get("class", "").split()
                if "is-invalid" not in classes:
                    widget.attrs["class"] = " ".join([*classes, "is-invalid"])


__all__ = ["BootstrapFormMixin", "RestrictedListView", "ServiceFormMixin", "ServiceFormView", "restricted_object"]


class WorkflowMoveMixin:
    """A page confirming one move of a declared workflow (an accounts.workflows.Workflow, e.g. the application or
    the report workflow): the move named in the URL, 404 when there is no such move, 403 before anything else when
    the user's role may never make it; the form gets the move."""

    workflow: Workflow | None = None

    @cached_property
    def move(self) -> Move:
        move = self.workflow.moves.get(self.kwargs["move"])
        if move is None:
            raise Http404
        if not may_by_role(move, self.request.user):
            raise PermissionDenied
        return move

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.move  # noqa: B018 (403 before anything else when the role may never make this move)
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "move": self.move}
