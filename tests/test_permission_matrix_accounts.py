"""The permission matrix of sign-up, notifications and an enterprise user's own registration: every page and API
endpoint, tried by every role and by an anonymous visitor.

- Sign-up pages are for visitors: every signed-in role is sent home.
- Notifications are personal: every role reads and marks its own ("own"); another user's ("other") answers 404 on
  the web and in the API, and stays unread.
- Registering one's own enterprise is for an enterprise user without one; other roles get 403; an enterprise user
  who already acts for an enterprise is sent to it.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.models import Notification
from accounts.roles import Role
from accounts.tests.factories import NotificationFactory, UserFactory
from enterprises.models import Enterprise, EnterpriseMembership
from enterprises.tests.factories import EnterpriseFactory
from tests import matrix
from tests.matrix import DENIED, EVERYONE, LOGIN, NOT_FOUND, OK, OTHER, OWN, _row, role_id

pytestmark = pytest.mark.django_db

HOME = "sent home"
TO_ENTERPRISE = "sent to their enterprise"

# fmt: off
#                        anonymous  admin   operator  park staff  bureau  expert  enterprise
PUBLIC            = _row(OK,        HOME,   HOME,     HOME,       HOME,   HOME,   HOME)
PERSONAL          = _row(LOGIN,     OK,     OK,       OK,         OK,     OK,     OK)
OTHERS            = _row(LOGIN,     NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND)
REGISTER          = _row(LOGIN,     DENIED, DENIED,   DENIED,     DENIED, DENIED, OK)
REGISTER_AGAIN    = _row(LOGIN,     DENIED, DENIED,   DENIED,     DENIED, DENIED, TO_ENTERPRISE)
# fmt: on
NOTIFICATION = {OWN: PERSONAL, OTHER: OTHERS}
TEAM = {"name": "矩阵团队", "kind": "team", "founder_type": "other"}


@pytest.fixture
def notifications(users) -> dict[Role, dict[str, Notification]]:
    """For each role: a notification of its own and one of another user (someone without a role)."""
    stranger = UserFactory()
    return {
        role: {OWN: NotificationFactory(recipient=user), OTHER: NotificationFactory(recipient=stranger)}
        for role, user in users.items()
    }


def pick(notifications, role, where) -> Notification:
    return notifications[role or Role.OPERATOR][where]


def assert_public(response, outcome: str) -> None:
    if outcome == HOME:
        assert response.status_code == 302 and response["Location"] == reverse("home")
    else:
        matrix.assert_page(response, outcome)


# --- sign-up pages ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", EVERYONE, ids=role_id)
@pytest.mark.parametrize(
    "url",
    [
        lambda: reverse("accounts:sign_up"),
        lambda: reverse("accounts:sign_up_done"),
        lambda: reverse("accounts:resend_verification"),
        lambda: reverse("accounts:verify_email", args=["some-token"]),
    ],
    ids=["sign_up", "sign_up_done", "resend_verification", "verify_email"],
)
def test_sign_up_pages(visit, users, url, role):
    assert_public(visit(role).get(url()), PUBLIC[role])


# --- notifications: web -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", EVERYONE, ids=role_id)
def test_notification_list(visit, notifications, role):
    response = visit(role).get(reverse("accounts:notification_list"))

    matrix.assert_page(response, PERSONAL[role])
    if PERSONAL[role] == OK:
        shown = {n.pk for n in response.context["object_list"]}
        assert shown == {notifications[role][OWN].pk}, "a user sees their own notifications and no one else's"


@pytest.mark.parametrize("where", [OWN, OTHER])
@pytest.mark.parametrize("role", EVERYONE, ids=role_id)
def test_notification_mark_read(visit, notifications, role, where):
    notification = pick(notifications, role, where)
    outcome = NOTIFICATION[where][role]

    response = visit(role).post(reverse("accounts:notification_read", args=[notification.pk]))

    if outcome == OK:
        assert response.status_code == 302
    else:
        matrix.assert_page(response, outcome)
    notification.refresh_from_db()
    assert notification.is_read is (outcome == OK)


@pytest.mark.parametrize("role", EVERYONE, ids=role_id)
def test_notification_mark_all_read(visit, notifications, role):
    response = visit(role).post(reverse("accounts:notification_read_all"))

    if PERSONAL[role] == OK:
        assert response.status_code == 302
        assert Notification.objects.get(pk=notifications[role][OWN].pk).is_read
    else:
        matrix.assert_page(response, LOGIN)
    others = [n[OTHER].pk for n in notifications.values()]
    assert not Notification.objects.filter(pk__in=others).exclude(read_at=None).exists()


# --- notifications: API -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", EVERYONE, ids=role_id)
def test_api_notification_list(visit, notifications, role):
    response = visit(role).get(reverse("notification-list"))

    if PERSONAL[role] == OK:
        assert response.status_code == 200
        assert [row["id"] for row in response.json()["results"]] == [notifications[role][OWN].pk]
    else:
        matrix.assert_api_refused(response, LOGIN)


@pytest.mark.parametrize("where", [OWN, OTHER])
@pytest.mark.parametrize("role", EVERYONE, ids=role_id)
def test_api_notification_retrieve(visit, notifications, role, where):
    notification = pick(notifications, role, where)
    response = visit(role).get(reverse("notification-detail", args=[notification.pk]))

    if NOTIFICATION[where][role] == OK:
        assert response.status_code == 200 and response.json()["id"] == notification.pk
    else:
        matrix.assert_api_refused(response, NOTIFICATION[where][role])


@pytest.mark.parametrize("where", [OWN, OTHER])
@pytest.mark.parametrize("role", EVERYONE, ids=role_id)
def test_api_notification_mark_read(visit, notifications, role, where):
    notification = pick(notifications, role, where)
    outcome = NOTIFICATION[where][role]

    response = visit(role).post(reverse("notification-read", args=[notification.pk]))

    if outcome == OK:
        assert response.status_code == 200
    else:
        matrix.assert_api_refused(response, outcome)
    notification.refresh_from_db()
    assert notification.is_read is (outcome == OK)


@pytest.mark.parametrize("role", EVERYONE, ids=role_id)
def test_api_notification_mark_all_read(visit, notifications, role):
    response = visit(role).post(reverse("notification-read-all"))

    if PERSONAL[role] == OK:
        assert response.status_code == 200 and response.json() == {"marked": 1}
    else:
        matrix.assert_api_refused(response, LOGIN)
    others = [n[OTHER].pk for n in notifications.values()]
    assert not Notification.objects.filter(pk__in=others).exclude(read_at=None).exists()


# --- registering one's own enterprise -----------------------------------------------------------------------------


@pytest.mark.parametrize("has_enterprise", [False, True], ids=["without-enterprise", "with-enterprise"])
@pytest.mark.parametrize("role", EVERYONE, ids=role_id)
def test_own_enterprise_registration(visit, users, role, has_enterprise):
    if has_enterprise:
        for user in users.values():
            EnterpriseMembership.objects.create(user=user, enterprise=EnterpriseFactory())
    outcome = (REGISTER_AGAIN if has_enterprise else REGISTER)[role]
    client = visit(role)
    count = Enterprise.objects.count()

    page = client.get(reverse("enterprises:register"))
    response = client.post(reverse("enterprises:register"), TEAM)

    if outcome == TO_ENTERPRISE:
        for answer in (page, response):
            assert answer.status_code == 302 and answer["Location"] == reverse("enterprises:my_enterprise")
    else:
        matrix.assert_page(page, outcome)
        matrix.assert_form_post(response, outcome)
    assert Enterprise.objects.count() == count + (1 if outcome == OK else 0)
