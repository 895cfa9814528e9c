import re

import pytest
from django.conf import settings
from django.core import mail

from accounts.models import AuditAction, AuditEvent
from accounts.roles import Role

pytestmark = pytest.mark.django_db

PASSWORD = "Pa55word!x"  # conftest.make_user's password


def sign_in(client, username, password):
    return client.post("/accounts/login/", {"username": username, "password": password})


def test_sign_in_leads_home_and_is_audited(client, users):
    response = sign_in(client, "operator1", PASSWORD)

    assert response.status_code == 302
    assert response["Location"] == "/"
    event = AuditEvent.objects.get(action=AuditAction.LOGIN)
    assert event.actor == users[Role.OPERATOR]
    assert event.remote_addr == "127.0.0.1"


def test_a_failed_sign_in_is_audited_with_the_name_tried(client, users):
    response = sign_in(client, "operator1", "wrong-password")

    assert response.status_code == 200
    assert AuditEvent.objects.get(action=AuditAction.LOGIN_FAILED).object_repr == "operator1"


def test_repeated_failures_lock_the_account_even_with_the_right_password(client, users):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "operator1", "wrong-password")

    response = sign_in(client, "operator1", PASSWORD)

    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    assert "临时锁定" in response.content.decode() or "locked" in response.content.decode().lower()


def test_a_lockout_of_one_account_does_not_lock_another(client, users):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "operator1", "wrong-password")

    assert sign_in(client, "bureau1", PASSWORD).status_code == 302


def test_sign_out_ends_the_session_and_is_audited(client, users):
    sign_in(client, "bureau1", PASSWORD)
    response = client.post("/accounts/logout/")

    assert response.status_code == 302
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action=AuditAction.LOGOUT, actor=users[Role.BUREAU]).exists()


def test_sessions_expire_when_idle_and_with_the_browser():
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
    assert settings.SESSION_COOKIE_HTTPONLY


@pytest.mark.parametrize(
    ("password", "reason"),
    [("short1!A", "too short"), ("alllowercaseletters", "one character class"), ("1234567890123", "numeric")],
)
def test_weak_passwords_are_refused(client_for, users, password, reason):
    client = client_for(users[Role.OPERATOR])
    response = client.post(
        "/accounts/password/change/",
        {"old_password": PASSWORD, "new_password1": password, "new_password2": password},
    )

    assert response.status_code == 200, reason
    assert response.context["form"].errors["new_password2"]
    users[Role.OPERATOR].refresh_from_db()
    assert users[Role.OPERATOR].check_password(PASSWORD)


def test_a_strong_password_change_succeeds(client_for, users):
    client = client_for(users[Role.OPERATOR])
    new = "Linzi-Incubator-2026"
    response = client.post(
        "/accounts/password/change/", {"old_password": PASSWORD, "new_password1": new, "new_password2": new}
    )

    assert response.status_code == 302
    users[Role.OPERATOR].refresh_from_db()
    assert users[Role.OPERATOR].check_password(new)


def test_password_reset_by_email(client, users):
    user = users[Role.ENTERPRISE]
    user.email = "chen@example.com"
    user.save()

    response = client.post("/accounts/password/reset/", {"email": "chen@example.com"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = re.search(r"http://testserver(/accounts/password/reset/\S+/)", mail.outbox[0].body).group(1)

    form_url = client.get(link)["Location"]  # Django swaps the token for a session-held one
    new = "Qizhihui-Reset-2026"
    response = client.post(form_url, {"new_password1": new, "new_password2": new})

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(new)


def test_password_reset_for_an_unknown_address_reveals_nothing(client, users):
    response = client.post("/accounts/password/reset/", {"email": "nobody@example.com"})

    assert response.status_code == 302
    assert mail.outbox == []


def test_behind_a_trusted_proxy_the_audit_records_the_clients_address(client, users, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    client.post(
        "/accounts/login/",
        {"username": "operator1", "password": PASSWORD},
        HTTP_X_FORWARDED_FOR="10.9.9.9, 203.0.113.7",  # the first entry is the client's own claim: not trusted
    )

    assert AuditEvent.objects.get(action=AuditAction.LOGIN).remote_addr == "203.0.113.7"


def test_without_a_trusted_proxy_forwarded_headers_are_ignored(client, users):
    client.post("/accounts/login/", {"username": "operator1", "password": PASSWORD}, HTTP_X_FORWARDED_FOR="203.0.113.7")

    assert AuditEvent.objects.get(action=AuditAction.LOGIN).remote_addr == "127.0.0.1"


# --- The lockout counts the account, not the string typed ---------------------------------------------------------


def _fail(client, username, times):
    for _ in range(times):
        sign_in(client, username, "wrong-password")


@pytest.mark.parametrize(
    "alias",
    ["operator@example.com", "OPERATOR@Example.COM", "  operator@example.com  ", "OPERATOR1", " operator1 "],
)
def test_failures_under_an_alias_lock_the_account_for_every_spelling(client, users, alias):
    users[Role.OPERATOR].email = "operator@example.com"
    users[Role.OPERATOR].save()
    _fail(client, alias, settings.AXES_FAILURE_LIMIT)

    for spelling in ("operator1", "operator@example.com", "Operator@Example.com"):
        response = sign_in(client, spelling, PASSWORD)
        assert response.status_code == 429, spelling
        assert "_auth_user_id" not in client.session


def test_a_locked_username_cannot_sign_in_by_its_email_address(client, users):
    users[Role.OPERATOR].email = "operator@example.com"
    users[Role.OPERATOR].save()
    _fail(client, "operator1", settings.AXES_FAILURE_LIMIT)

    assert sign_in(client, "operator@example.com", PASSWORD).status_code == 429
    assert "_auth_user_id" not in client.session


def test_failures_spread_over_case_variants_of_an_address_add_up(client, users):
    users[Role.PARK_STAFF].email = "park@example.com"
    users[Role.PARK_STAFF].save()
    variants = ["park@example.com", "Park@example.com", "PARK@EXAMPLE.COM", "park@Example.com", " pArk@example.com"]
    for variant in variants[: settings.AXES_FAILURE_LIMIT]:
        sign_in(client, variant, "wrong-password")

    assert sign_in(client, "park1", PASSWORD).status_code == 429


def test_case_variants_of_an_unknown_name_count_as_one(client, users):
    for variant in [
        "ghost@example.com",
        "GHOST@example.com",
        "Ghost@Example.com",
        "gHost@example.com",
        " ghost@example.com",
    ]:
        sign_in(client, variant, "wrong-password")

    assert sign_in(client, "GHOST@EXAMPLE.COM", "wrong-password").status_code == 429


def test_an_alias_lockout_does_not_lock_another_account(client, users):
    users[Role.OPERATOR].email = "operator@example.com"
    users[Role.OPERATOR].save()
    _fail(client, "OPERATOR@example.com", settings.AXES_FAILURE_LIMIT)

    assert sign_in(client, "bureau1", PASSWORD).status_code == 302


def test_many_failures_from_one_address_lock_that_address_over_every_account(client, users, settings):
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 8
    names = [f"guess{number}" for number in range(settings.LOGIN_ADDRESS_FAILURE_LIMIT)]
    for name in names:  # one failure each: no account reaches its own limit
        sign_in(client, name, "wrong-password")

    response = sign_in(client, "bureau1", PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    # Another address is not locked.
    other = client.post("/accounts/login/", {"username": "bureau1", "password": PASSWORD}, REMOTE_ADDR="198.51.100.4")
    assert other.status_code == 302


def test_below_the_address_limit_an_office_still_signs_in(client, users, settings):
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 8
    for name in [f"typo{number}" for number in range(settings.LOGIN_ADDRESS_FAILURE_LIMIT - 1)]:
        sign_in(client, name, "wrong-password")

    assert sign_in(client, "bureau1", PASSWORD).status_code == 302
