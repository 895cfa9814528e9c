"""Self sign-up: an inactive enterprise user, a signed link that verifies the address once, sign-in by email."""

import re
import time
from datetime import timedelta

import pytest
from django.core import mail, signing
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts import services
from accounts.models import AuditAction, AuditEvent, User
from accounts.roles import Role, roles_of
from accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

STRONG = "Qizhihui-Signup-2026"


def sign_up(**overrides) -> User:
    data = {"name": "陈晓", "email": "Chen.Xiao@Example.CN", "password": STRONG, "phone": "13905331234"}
    return services.user_sign_up(**{**data, **overrides})


def link_in(message) -> str:
    """The path of the verification link in a mail."""
    return re.search(r"https?://[^/\s]+(/accounts/signup/verify/\S+/)", message.body).group(1)


def token_in(message) -> str:
    return link_in(message).rstrip("/").rsplit("/", 1)[1]


# --- the services -------------------------------------------------------------------------------------------------


def test_sign_up_creates_an_inactive_enterprise_user_and_mails_a_link(users):
    user = sign_up()

    assert (user.username, user.email, user.name, user.phone) == (
        "chen.xiao@example.cn",
        "chen.xiao@example.cn",
        "陈晓",
        "13905331234",
    )
    assert not user.is_active and user.awaits_email_verification
    assert user.check_password(STRONG)
    assert roles_of(User.objects.get(pk=user.pk)) == frozenset()  # inactive: no role counts yet
    assert user.groups.get().name == "企业用户"
    event = AuditEvent.objects.get(action=AuditAction.SIGN_UP)
    assert event.actor == user and event.changes["email"] == [None, "chen.xiao@example.cn"]
    assert "password" not in event.changes
    [message] = mail.outbox
    assert message.to == ["chen.xiao@example.cn"]
    assert "/accounts/signup/verify/" in message.body and "3" in message.body


@pytest.mark.parametrize(
    ("overrides", "field", "text"),
    [
        ({"email": "不是邮箱"}, "email", ""),
        ({"phone": "0533-7123456"}, "phone", "11 位"),
        ({"phone": "12345678901"}, "phone", "11 位"),
        ({"password": "short1!A"}, "password", ""),
        ({"password": "chenxiao-example"}, "password", ""),
        ({"name": "  "}, "name", ""),
    ],
    ids=["email", "landline", "phone-prefix", "short-password", "simple-password", "name"],
)
def test_bad_input_is_refused_with_a_message_and_nothing_is_saved(users, overrides, field, text):
    with pytest.raises(ValidationError) as refused:
        sign_up(**overrides)

    assert field in refused.value.message_dict
    assert text in " ".join(refused.value.message_dict[field])
    assert not User.objects.filter(email__iexact="chen.xiao@example.cn").exists()
    assert not AuditEvent.objects.filter(action=AuditAction.SIGN_UP).exists()
    assert mail.outbox == []


def test_an_address_in_use_creates_nothing_and_mails_its_owner_a_reset_link(users):
    owner = UserFactory(username="chen", email="chen.xiao@example.cn")
    password_before = owner.password

    assert sign_up(email="CHEN.XIAO@example.cn") is None

    assert User.objects.filter(email__iexact="chen.xiao@example.cn").count() == 1
    owner.refresh_from_db()
    assert owner.password == password_before and owner.username == "chen"
    assert not AuditEvent.objects.filter(action=AuditAction.SIGN_UP).exists()
    [message] = mail.outbox
    assert message.to == ["chen.xiao@example.cn"]
    assert "/accounts/password/reset/" in message.body and "/accounts/signup/verify/" not in message.body


def test_repeated_sign_ups_with_an_address_in_use_mail_its_owner_once_a_minute(users):
    UserFactory(username="chen", email="chen.xiao@example.cn")

    sign_up()
    sign_up()

    assert len(mail.outbox) == 1


def test_a_sign_up_with_an_address_still_awaiting_confirmation_mails_the_link_again(users):
    pending = sign_up()
    User.objects.filter(pk=pending.pk).update(verification_sent_at=timezone.now() - timedelta(minutes=5))
    mail.outbox.clear()

    assert sign_up(name="别人", password="Another-Secret-99") is None

    pending.refresh_from_db()
    assert pending.name == "陈晓" and pending.check_password(STRONG)  # the waiting account is not taken over
    [message] = mail.outbox
    assert "/accounts/signup/verify/" in message.body


def test_the_sign_up_page_answers_the_same_whether_or_not_the_address_has_an_account(client, users):
    UserFactory(username="taken", email="taken@example.cn")
    form = {"name": "陈晓", "phone": "", "password": STRONG, "password_confirm": STRONG}

    answers = []
    for address in ("taken@example.cn", "free@example.cn"):
        client.cookies.clear()
        response = client.post(reverse("accounts:sign_up"), {**form, "email": address})
        page = client.get(response["Location"]).content.decode().replace(address, "ADDRESS")
        page = re.sub(r'(csrfmiddlewaretoken" value=|"X-CSRFToken": )"[^"]+"', "", page)  # a token per request
        answers.append((response.status_code, response["Location"], page))

    assert answers[0] == answers[1]
    assert answers[0][:2] == (302, reverse("accounts:sign_up_done"))
    assert [message.to for message in mail.outbox] == [["taken@example.cn"], ["free@example.cn"]]
    assert "/accounts/password/reset/" in mail.outbox[0].body
    assert "/accounts/signup/verify/" in mail.outbox[1].body


def test_a_weak_password_is_refused_alike_for_an_address_in_use(users):
    UserFactory(username="taken", email="taken@example.cn")

    for address in ("taken@example.cn", "free@example.cn"):
        with pytest.raises(ValidationError) as refused:
            sign_up(email=address, password="short1!A")
        assert set(refused.value.message_dict) == {"password"}
    assert mail.outbox == []


def test_the_database_refuses_two_accounts_with_one_address(users):
    from django.db import IntegrityError

    UserFactory(username="a", email="same@example.cn")
    with pytest.raises(IntegrityError):
        User.objects.create(username="b", email="SAME@example.cn")


def test_an_unverified_account_whose_link_expired_can_be_signed_up_again(users):
    squatter = sign_up(name="别人", password="Another-Secret-99")
    User.objects.filter(pk=squatter.pk).update(verification_sent_at=timezone.now() - timedelta(days=4))
    mail.outbox.clear()

    user = sign_up()

    assert user.pk == squatter.pk and user.name == "陈晓" and user.check_password(STRONG)
    assert len(mail.outbox) == 1


def test_verifying_activates_the_account_once(users):
    user = sign_up()

    verified = services.user_verify_email(token=token_in(mail.outbox[0]))

    assert verified.pk == user.pk and verified.is_active and verified.email_verified_at is not None
    assert AuditEvent.objects.filter(action=AuditAction.EMAIL_VERIFIED, actor=user).count() == 1
    with pytest.raises(ValidationError) as again:
        services.user_verify_email(token=token_in(mail.outbox[0]))
    assert again.value.code == "already_verified"


def test_an_expired_or_forged_link_is_refused(users, settings):
    user = sign_up()
    token = token_in(mail.outbox[0])

    with pytest.raises(ValidationError) as forged:
        services.user_verify_email(token=token[:-2] + "xx")
    assert forged.value.code == "invalid"

    settings.EMAIL_VERIFICATION_DAYS = 0
    with pytest.raises(ValidationError) as expired:
        services.user_verify_email(token=signing.dumps({"user": user.pk, "email": user.email}, salt="other"))
    assert expired.value.code == "invalid"
    time.sleep(1)
    with pytest.raises(ValidationError) as expired:
        services.user_verify_email(token=token)
    assert expired.value.code == "expired"
    user.refresh_from_db()
    assert not user.is_active


def test_an_account_switched_off_after_verification_is_not_switched_on_by_its_old_link(users):
    user = sign_up()
    token = token_in(mail.outbox[0])
    services.user_verify_email(token=token)
    User.objects.filter(pk=user.pk).update(is_active=False)  # an administrator switched it off

    with pytest.raises(ValidationError):
        services.user_verify_email(token=token)
    user.refresh_from_db()
    assert not user.is_active


def test_resend_mails_a_new_link_at_most_once_a_minute(users):
    user = sign_up()
    User.objects.filter(pk=user.pk).update(verification_sent_at=timezone.now() - timedelta(minutes=2))
    mail.outbox.clear()

    assert services.user_resend_verification(email="CHEN.xiao@example.cn") is True
    assert services.user_resend_verification(email="chen.xiao@example.cn") is False  # within the minute
    assert services.user_resend_verification(email="nobody@example.cn") is False
    assert len(mail.outbox) == 1
    assert services.user_verify_email(token=token_in(mail.outbox[0])).is_active


def test_a_verified_or_staff_account_gets_no_verification_mail(users):
    staff = users[Role.OPERATOR]
    staff.email = "operator@example.cn"
    staff.save()

    assert services.user_resend_verification(email="operator@example.cn") is False
    assert mail.outbox == []


# --- the pages ----------------------------------------------------------------------------------------------------


def test_the_login_page_links_to_sign_up(client):
    html = client.get(reverse("accounts:login")).content.decode()
    assert reverse("accounts:sign_up") in html and "注册" in html


def test_sign_up_through_the_pages_then_verify_lands_on_the_enterprise_registration(client, users):
    response = client.post(
        reverse("accounts:sign_up"),
        {
            "name": "陈晓",
            "email": "chen@example.cn",
            "phone": "",
            "password": STRONG,
            "password_confirm": STRONG,
        },
    )
    assert response.status_code == 302 and response["Location"] == reverse("accounts:sign_up_done")
    page = client.get(response["Location"]).content.decode()
    assert "chen@example.cn" in page and "查收" in page

    # Not yet: the account cannot sign in, and the page says why.
    refused = client.post(reverse("accounts:login"), {"username": "chen@example.cn", "password": STRONG})
    assert refused.status_code == 200 and "确认您的电子邮箱" in refused.content.decode()

    link = link_in(mail.outbox[0])
    confirm = client.get(link)
    assert confirm.status_code == 200 and "_auth_user_id" not in client.session  # opening the link changes nothing
    response = client.post(link)

    assert response.status_code == 302 and response["Location"] == reverse("enterprises:register")
    assert int(client.session["_auth_user_id"]) == User.objects.get(email="chen@example.cn").pk
    assert client.get(reverse("enterprises:register")).status_code == 200


def test_sign_up_form_errors_are_in_chinese_and_nothing_is_saved(client, users):
    form = {"name": "陈晓", "email": "chen@example.cn", "phone": "1390533", "password": STRONG}
    response = client.post(reverse("accounts:sign_up"), {**form, "password_confirm": "x"})

    html = response.content.decode()
    assert response.status_code == 200
    assert "两次输入的密码不一致" in html
    assert not User.objects.filter(email="chen@example.cn").exists()

    response = client.post(reverse("accounts:sign_up"), {**form, "password_confirm": STRONG})
    assert "11 位" in response.content.decode()
    assert not User.objects.filter(email="chen@example.cn").exists()


def test_sign_up_shows_every_error_of_a_submit_at_once(client, users):
    response = client.post(
        reverse("accounts:sign_up"),
        {"name": " ", "email": "chen@example.cn", "phone": "1390533", "password": "abc", "password_confirm": "x"},
    )

    errors = response.context["form"].errors
    assert set(errors) >= {"name", "phone", "password", "password_confirm"}
    html = response.content.decode()
    assert "11 位" in html and "两次输入的密码不一致" in html
    assert "密码长度太短" in html and "至少包含" in html
    for name in ("name", "phone", "password", "password_confirm"):  # each field in error is marked as such
        assert re.search(rf'<input[^>]*name="{name}"[^>]*class="[^"]*is-invalid', html), name
    assert not User.objects.filter(email="chen@example.cn").exists()


def test_password_errors_are_in_the_pages_language(client, users):
    form = {"name": "陈晓", "email": "chen@example.cn", "phone": "", "password": "Ab1!", "password_confirm": "Ab1!"}

    chinese = client.post(reverse("accounts:sign_up"), form).content.decode()
    assert "密码长度太短。密码必须包含至少 10 个字符。" in chinese
    assert "too short" not in chinese

    client.cookies["django_language"] = "en"
    english = client.post(reverse("accounts:sign_up"), form).content.decode()
    assert "This password is too short. It must contain at least 10 characters." in english


def test_the_sign_in_form_is_styled_as_every_other_form(client):
    html = client.get(reverse("accounts:login")).content.decode()

    assert re.search(r'<input type="text" name="username"[^>]*class="form-control', html)
    assert re.search(r'<input type="password" name="password"[^>]*class="form-control', html)


def test_a_bad_link_page_offers_to_send_a_new_one(client, users):
    response = client.post(reverse("accounts:verify_email", args=["not-a-token"]))

    assert response.status_code == 400
    html = response.content.decode()
    assert "链接无效" in html and reverse("accounts:resend_verification") in html


def test_resend_page_answers_the_same_for_any_address(client, users):
    sign_up()
    User.objects.update(verification_sent_at=timezone.now() - timedelta(minutes=5))
    mail.outbox.clear()

    known = client.post(reverse("accounts:resend_verification"), {"email": "chen.xiao@example.cn"}, follow=True)
    unknown = client.post(reverse("accounts:resend_verification"), {"email": "nobody@example.cn"}, follow=True)

    assert len(mail.outbox) == 1
    notice = "如果该邮箱的账号正在等待确认"
    assert notice in known.content.decode() and notice in unknown.content.decode()


def test_signed_in_users_are_sent_home_from_the_sign_up_pages(client_for, users):
    client = client_for(users[Role.OPERATOR])
    assert client.get(reverse("accounts:sign_up"))["Location"] == reverse("home")


# --- sign-in by email ---------------------------------------------------------------------------------------------


def test_a_verified_user_signs_in_with_their_email_in_any_case(client, users):
    sign_up()
    services.user_verify_email(token=token_in(mail.outbox[0]))

    response = client.post(reverse("accounts:login"), {"username": "CHEN.Xiao@example.cn", "password": STRONG})

    assert response.status_code == 302 and response["Location"] == "/"


def test_usernames_still_sign_in_and_a_wrong_password_by_email_fails(client, users):
    users[Role.OPERATOR].email = "operator@example.cn"
    users[Role.OPERATOR].save()

    signed_in = client.post(reverse("accounts:login"), {"username": "operator1", "password": "Pa55word!x"})
    assert signed_in.status_code == 302
    client.logout()
    wrong = client.post(reverse("accounts:login"), {"username": "operator@example.cn", "password": "nope-nope"})
    assert wrong.status_code == 200 and "_auth_user_id" not in client.session


def test_a_failed_sign_in_by_email_names_the_account_in_the_audit_trail(client, users):
    sign_up()
    services.user_verify_email(token=token_in(mail.outbox[0]))

    client.post(reverse("accounts:login"), {"username": "Chen.Xiao@example.cn", "password": "wrong-password"})

    event = AuditEvent.objects.get(action=AuditAction.LOGIN_FAILED)
    assert event.object_id == str(User.objects.get(email="chen.xiao@example.cn").pk)
