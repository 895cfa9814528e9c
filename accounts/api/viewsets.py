"""The restricted bases of the API (NetBox `BaseViewSet.initial()`): every model viewset derives from
`RestrictedViewSet`, every other API view from `PolicyAPIView`, and `tests/test_api_bases.py` walks the URL conf to
keep it so.

One map says which POLICY action (accounts.roles) a request needs: `policy_action_of(view)`. The permission class
asks `can()` with it, and the viewset's queryset is restricted with it (`Model.objects.for_user(user, action)`), so
a row outside the user's scope answers 404 and a role without the right 403, the same for every endpoint."""

from __future__ import annotations

from rest_framework import mixins, viewsets
from rest_framework.views import APIView

from accounts.api.permissions import PagePolicyPermission, RolePolicyPermission, policy_action_of


class RestrictedViewSet(viewsets.GenericViewSet):
    """The base of every model viewset: mix in the actions it offers (`mixins.ListModelMixin`, …).

    `get_queryset()` restricts `queryset` to the rows the user may act on with the request's POLICY action; a
    subclass whose rows come from a selector overrides `scoped_queryset()` and passes `self.policy_action_name` on
    (the selector applies `for_user`). Object ids are whole numbers: `/applications/AAA/` is a 404 at the router."""

    permission_classes = [RolePolicyPermission]
    lookup_value_regex = r"[0-9]+"
    # Set per custom @action (`@action(detail=True, methods=["post"], policy_action="change")`).
    policy_action: str | None = None
    policy_actions: dict[str, str] = {}

    @property
    def policy_action_name(self) -> str:
        return policy_action_of(self)

    def scoped_queryset(self):
        return super().get_queryset().for_user(self.request.user, self.policy_action_name)

    def get_queryset(self):
        return self.scoped_queryset()


class RestrictedModelViewSet(
    mixins.CreateModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    mixins.ListModelMixin,
    RestrictedViewSet,
):
    """A restricted viewset with every standard action."""


class PolicyAPIView(APIView):
    """The base of every API view that is not a model viewset (figures, exports, reports): it names the PAGES
    policy (accounts.roles) it answers to in `policy_page`; the view applies the page's object scope itself."""

    permission_classes = [PagePolicyPermission]
    policy_page: str = ""
