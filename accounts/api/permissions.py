from rest_framework.permissions import BasePermission

from accounts.roles import can

_ACTIONS = {
    "GET": "view",
    "HEAD": "view",
    "OPTIONS": "view",
    "POST": "add",
    "PUT": "change",
    "PATCH": "change",
    "DELETE": "delete",
}


class RolePolicyPermission(BasePermission):
    """Model-level check against accounts.roles.POLICY; object scope comes from the viewset's for_user queryset."""

    def has_permission(self, request, view) -> bool:
        if not request.user or not request.user.is_authenticated:
            return False
        queryset = getattr(view, "queryset", None)
        if queryset is None:
            return bool(getattr(view, "allow_any_role", False))
        # A command endpoint names the POLICY action it needs (e.g. staff "change" an application to screen it).
        action = getattr(view, "policy_actions", {}).get(getattr(view, "action", None)) or _ACTIONS.get(
            request.method, "change"
        )
        if request.method not in view.allowed_methods:
            # Let DRF answer 405 to every role that may write at all, rather than 403 to some.
            action = "change"
        return can(request.user, action, queryset.model)
