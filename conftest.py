"""Fixtures shared by every app's tests: one user per role, a client signed in as one, and the reference structure
from migrations."""

import importlib

import pytest
from django.contrib.auth.models import Group
from django.utils import translation

from accounts.roles import GROUP_NAMES, Role


@pytest.fixture(autouse=True)
def _media_in_a_temporary_directory(settings, tmp_path_factory):
    """Uploaded files go to a fresh directory per test, never to var/media."""
    settings.MEDIA_ROOT = str(tmp_path_factory.mktemp("media"))


@pytest.fixture(autouse=True)
def _clear_cache_between_tests(settings):
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture(autouse=True)
def _portal_language_after_each_test():
    """A request leaves its language active in the thread (LocaleMiddleware does not reset it): each test starts
    from the portal's default, whatever the previous one read."""
    yield
    translation.deactivate()


def ensure_reference_data() -> None:
    """Transactional tests (live server, Celery worker) end with a flush that empties every table, including
    what the data migrations loaded; reload the plan's structure and the role groups when they are gone."""
    from django.apps import apps

    from accounts.roles import sync_role_groups
    from parks.migrations._reference_2021 import load_reference_structure
    from parks.models import Carrier

    if not Carrier.objects.exists():
        from incubation.migrations._review_scoring import load_review_scoring
        from incubation.migrations._rule_sets_2018 import load_rule_sets
        from incubation.migrations._target_counting import load_target_counting

        load_reference_structure(apps)
        load_rule_sets(apps)
        load_review_scoring(apps)
        load_target_counting(apps)
        importlib.import_module("targets.migrations.0002_plan_2021").seed(apps, None)
        importlib.import_module("targets.migrations.0006_tech_sme_and_hte_rules").ship(apps, None)
        importlib.import_module("targets.migrations.0013_accreditation_rules").ship(apps, None)
        sync_role_groups()


def make_user(username: str, *roles: Role, **extra):
    from accounts.models import User

    user = User.objects.create_user(username=username, password="Pa55word!x", name=extra.pop("name", username), **extra)
    for role in roles:
        user.groups.add(Group.objects.get(name=GROUP_NAMES[role]))
    return user


@pytest.fixture
def users(db):
    """One user per role; the park administrator manages 大数据产业园 (code big-data) only."""
    from parks.models import Carrier

    ensure_reference_data()
    created = {
        Role.ADMIN: make_user("admin1", Role.ADMIN, is_staff=True),
        Role.OPERATOR: make_user("operator1", Role.OPERATOR),
        Role.PARK_STAFF: make_user("park1", Role.PARK_STAFF),
        Role.BUREAU: make_user("bureau1", Role.BUREAU),
        Role.EXPERT: make_user("expert1", Role.EXPERT),
        Role.ENTERPRISE: make_user("enterprise1", Role.ENTERPRISE),
    }
    Carrier.objects.get(code="big-data").staff.add(created[Role.PARK_STAFF])
    return created


@pytest.fixture
def own_park(db):
    from parks.models import Carrier

    ensure_reference_data()
    return Carrier.objects.get(code="big-data")


@pytest.fixture
def other_park(db):
    from parks.models import Carrier

    ensure_reference_data()
    return Carrier.objects.get(code="new-medicine")


@pytest.fixture
def client_for(client):
    """client_for(user) -> a test client signed in as that user."""

    def sign_in(user):
        client.force_login(user)
        return client

    return sign_in


@pytest.fixture
def visit(client, users):
    """visit(role) -> a test client signed in with that role (anonymous for None); for the permission matrices."""

    def as_role(role: Role | None):
        if role is not None:
            client.force_login(users[role])
        return client

    return as_role
