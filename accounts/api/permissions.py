from django.core.exceptions import ImproperlyConfigured
from rest_framework.permissions import BasePermission

from accounts.roles import can

# The standard viewset actions and the POLICY action each needs.
STANDARD_ACTIONS = {
    "list": "view",
    "retrieve": "view",
    "create": "add",
    "update": "change",
    "partial_update": "change",
    "destroy": "delete",
}
# What a request by method needs when the view does not say: a custom action that only reads, OPTIONS, a 405.
METHOD_ACTIONS = {"GET": "view", "HEAD": "view", "OPTIONS": "view"}


def policy_action_of(view) -> str:
    """The POLICY action the view's current request needs: a standard action's by STANDARD_ACTIONS, a custom
    `@action`'s as declared on it (`@action(..., policy_action="change")`) or in the class's `policy_actions`; a
    custom action that only reads needs "view". A custom action that writes must declare what it needs."""
    action = getattr(view, "action", None)
    if action in STANDARD_ACTIONS:
        return STANDARD_ACTIONS[action]
    declared = getattr(view, "policy_action", None) or getattr(view, "policy_actions", {}).get(action)
    if declared:
        return declared
    method = view.request.method if getattr(view, "request", None) is not None else "GET"
    if method not in METHOD_ACTIONS and action not in (None, "metadata"):
        raise ImproperlyConfigured(f"{type(view).__name__}.{action} writes but declares no policy_action")
    return METHOD_ACTIONS.get(method, "change")


class RolePolicyPermission(BasePermission):
    """Model-level check against accounts.roles.POLICY with the action the viewset's one map names
    (accounts.api.viewsets.policy_action_of); object scope comes from the viewset's for_user queryset."""

    def has_permission(self, request, view) -> bool:
        if not request.user or not request.user.is_authenticated:
            return False
        queryset = getattr(view, "queryset", None)
        if queryset is None:
            return False
        if request.method not in view.allowed_methods:
            # Let DRF answer 405 to every role that may write at all, rather than 403 to some.
            return can(request.user, "change", queryset.model)
        return can(request.user, policy_action_of(view), queryset.model)


class PagePolicyPermission(BasePermission):
    """The check of a view that is no model viewset: may the user view the PAGES entry it names (`policy_page`)?"""

    def has_permission(self, request, view) -> bool:
        if not request.user or not request.user.is_authenticated:
            return False
        return can(request.user, "view", view.policy_page)
