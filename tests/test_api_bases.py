"""Every API view derives from one restricted base (accounts.api.viewsets): a model viewset from RestrictedViewSet,
so its queryset is restricted with the one action->policy map; any other view from PolicyAPIView, naming the PAGES
entry it checks. A new endpoint that forgets it fails here."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.routers import APIRootView

from accounts.api.permissions import STANDARD_ACTIONS, RolePolicyPermission
from accounts.api.viewsets import PolicyAPIView, RestrictedViewSet
from accounts.roles import PAGES, POLICY

# The router's index lists the endpoints' addresses and reads no data.
EXEMPT = {APIRootView}


def _api_views(resolver=None, prefix=""):
    for pattern in (resolver or get_resolver()).url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from _api_views(pattern, route)
        elif isinstance(pattern, URLPattern) and route.startswith("api/v1/"):
            yield route, pattern.callback


API_VIEWS = list(_api_views())


def test_the_walk_finds_the_api():
    routes = {route for route, _view in API_VIEWS}
    assert len(routes) > 40
    assert any("applications" in route for route in routes)
    assert any("torch-export" in route for route in routes)


@pytest.mark.parametrize(("route", "view"), API_VIEWS, ids=[route for route, _view in API_VIEWS])
def test_every_api_view_inherits_a_restricted_base(route, view):
    cls = getattr(view, "cls", None)
    assert cls is not None, f"{route} is a function view: make it a PolicyAPIView"
    if cls in EXEMPT:
        return
    if issubclass(cls, RestrictedViewSet):
        assert cls.queryset is not None, f"{cls.__name__} names no queryset: the policy map has no model"
        assert cls.queryset.model._meta.label_lower in POLICY, f"{cls.__name__}'s model has no POLICY entry"
        assert RolePolicyPermission in cls.permission_classes
        # The actions this route offers: each either standard or declaring what it needs when it writes.
        for method, action in (getattr(view, "actions", None) or {}).items():
            if action in STANDARD_ACTIONS or method in ("get", "head", "options"):
                continue
            initkwargs = getattr(view, "initkwargs", {})
            declared = initkwargs.get("policy_action") or cls.policy_actions.get(action)
            assert declared in ("view", "add", "change", "delete"), (
                f"{cls.__name__}.{action} ({method.upper()} {route}) declares no policy_action"
            )
        return
    assert issubclass(cls, PolicyAPIView), f"{route} ({cls.__name__}) inherits neither restricted base"
    assert cls.policy_page in PAGES, f"{cls.__name__} names no PAGES policy"


def test_object_ids_are_whole_numbers_on_every_viewset():
    detail_routes = [
        route
        for route, view in API_VIEWS
        if "(?P<pk>" in route and issubclass(getattr(view, "cls", object), RestrictedViewSet)
    ]
    assert detail_routes
    assert all("(?P<pk>[0-9]+)" in route for route in detail_routes), detail_routes
