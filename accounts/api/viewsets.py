"""The base API viewset: every queryset passes through the model's for_user restriction."""

from rest_framework import viewsets

_ACTIONS = {
    "list": "view",
    "retrieve": "view",
    "create": "add",
    "update": "change",
    "partial_update": "change",
    "destroy": "delete",
}


class RestrictedModelViewSet(viewsets.ModelViewSet):
    """Subclasses set `queryset` (the selector's queryset); rows outside the user's scope answer 404."""

    def get_queryset(self):
        action = _ACTIONS.get(self.action, "view")
        return super().get_queryset().for_user(self.request.user, action)
