"""Notifications: one row per active recipient, mailed exactly once after commit (retried, swept up when the
broker was down), shown in the portal with a bell, and private to their recipient."""

import smtplib
from contextlib import contextmanager
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts import services, tasks
from accounts.models import AuditAction, AuditEvent, EmailStatus, Notification
from accounts.roles import Role
from accounts.tests.factories import NotificationFactory, UserFactory
from config.celery import app

pytestmark = pytest.mark.django_db


def notify_one(user, **kwargs) -> Notification:
    [notification] = services.notify(
        recipients=[user], subject=kwargs.pop("subject", "申请已提交"), body="请查看。", **kwargs
    )
    return notification


# --- notify() -----------------------------------------------------------------------------------------------------


def test_notify_makes_one_row_per_active_recipient_and_audits_it(users, django_capture_on_commit_callbacks):
    operator, bureau = users[Role.OPERATOR], users[Role.BUREAU]
    inactive = UserFactory(is_active=False)

    with django_capture_on_commit_callbacks() as callbacks:
        made = services.notify(
            recipients=[operator, bureau, operator, inactive],
            subject="新的入驻申请",
            body="齐创科技提交了入驻申请。",
            link="/incubation/",
            by=users[Role.ENTERPRISE],
        )

    assert [n.recipient for n in made] == [operator, bureau]
    assert all(n.pk and n.email_status == EmailStatus.PENDING and n.read_at is None for n in made)
    assert len(callbacks) == 2, "one mail task per notification, queued on commit"
    events = AuditEvent.objects.filter(action=AuditAction.CREATE, content_type__model="notification")
    assert [event.actor for event in events] == [users[Role.ENTERPRISE]] * 2


def test_notify_with_nobody_to_tell_makes_nothing(users):
    assert services.notify(recipients=[], subject="x", body="") == []


@pytest.mark.parametrize("link", ["javascript:alert(1)", "//evil.example/x", "ftp://host/x"])
def test_notify_refuses_a_link_that_is_neither_a_path_nor_http(users, link):
    with pytest.raises(ValidationError):
        notify_one(users[Role.OPERATOR], link=link)
    assert not Notification.objects.exists()


def test_notify_runs_in_the_callers_transaction(users):
    from django.db import transaction

    with pytest.raises(RuntimeError), transaction.atomic():
        notify_one(users[Role.OPERATOR])
        raise RuntimeError("the caller's service failed")
    assert not Notification.objects.exists()


# --- the mail task ------------------------------------------------------------------------------------------------


def test_the_task_mails_once_even_when_delivered_twice(users):
    users[Role.OPERATOR].email = "op@example.cn"
    users[Role.OPERATOR].save()
    notification = notify_one(users[Role.OPERATOR], link="/enterprises/")

    assert tasks.send_notification_email.apply(args=[notification.pk]).get() == EmailStatus.SENT
    assert tasks.send_notification_email.apply(args=[notification.pk]).get() == EmailStatus.SENT

    [message] = mail.outbox
    assert message.to == ["op@example.cn"] and message.subject == "申请已提交"
    assert "请查看。" in message.body and "http://127.0.0.1:8000/enterprises/" in message.body
    notification.refresh_from_db()
    assert notification.email_sent_at is not None and notification.email_attempts == 1


def test_a_recipient_without_an_address_is_skipped_with_the_reason(users):
    notification = notify_one(users[Role.BUREAU])  # the fixture users have no email

    assert tasks.send_notification_email.apply(args=[notification.pk]).get() == EmailStatus.SKIPPED
    notification.refresh_from_db()
    assert "no email address" in notification.last_error and mail.outbox == []


@contextmanager
def mail_server_failing(monkeypatch, error: Exception, times: int):
    """The mail backend raises `error` the first `times` sends, then delivers."""
    from django.core.mail.backends.locmem import EmailBackend

    real = EmailBackend.send_messages
    calls = {"n": 0}

    def flaky(self, messages):
        calls["n"] += 1
        if calls["n"] <= times:
            raise error
        return real(self, messages)

    monkeypatch.setattr(EmailBackend, "send_messages", flaky)
    yield calls


def test_a_transient_mail_error_is_retried_then_sent(users, monkeypatch, settings):
    app.conf.task_always_eager = True  # retries run at once, in this thread
    settings.CELERY_TASK_ALWAYS_EAGER = True
    user = UserFactory()
    notification = notify_one(user)
    try:
        with mail_server_failing(monkeypatch, smtplib.SMTPServerDisconnected("gone"), times=2) as calls:
            tasks.send_notification_email.apply(args=[notification.pk])
    finally:
        app.conf.task_always_eager = False

    assert calls["n"] == 3 and len(mail.outbox) == 1
    notification.refresh_from_db()
    assert notification.email_status == EmailStatus.SENT and notification.email_attempts == 3


def test_a_permanent_mail_error_is_recorded_and_not_retried(users, monkeypatch):
    user = UserFactory()
    notification = notify_one(user)
    refused = smtplib.SMTPRecipientsRefused({user.email: (550, b"no such mailbox")})

    with mail_server_failing(monkeypatch, refused, times=99) as calls:
        assert tasks.send_notification_email.apply(args=[notification.pk]).get() == "failed"

    assert calls["n"] == 1
    notification.refresh_from_db()
    assert notification.email_status == EmailStatus.FAILED and "SMTPRecipientsRefused" in notification.last_error
    assert tasks.send_notification_email.apply(args=[notification.pk]).get() == EmailStatus.FAILED  # left alone


def test_retries_give_up_after_the_last_and_record_the_failure(users, monkeypatch):
    app.conf.task_always_eager = True
    notification = notify_one(UserFactory())
    try:
        with mail_server_failing(monkeypatch, ConnectionRefusedError("smtp down"), times=99) as calls:
            tasks.send_notification_email.apply(args=[notification.pk])
    finally:
        app.conf.task_always_eager = False

    assert calls["n"] == tasks.NOTIFICATION_MAIL_RETRIES + 1
    notification.refresh_from_db()
    assert notification.email_status == EmailStatus.FAILED
    assert notification.email_attempts == tasks.NOTIFICATION_MAIL_RETRIES + 1
    assert "ConnectionRefusedError" in notification.last_error


@pytest.mark.parametrize(
    ("error", "transient"),
    [
        (smtplib.SMTPServerDisconnected(), True),
        (smtplib.SMTPResponseException(421, b"try later"), True),
        (smtplib.SMTPResponseException(554, b"rejected"), False),
        (smtplib.SMTPAuthenticationError(535, b"bad credentials"), False),
        (TimeoutError(), True),
        (ValueError("a bug"), False),
    ],
    ids=["disconnected", "421", "554", "535", "timeout", "bug"],
)
def test_which_mail_errors_are_transient(error, transient):
    assert tasks.is_transient(error) is transient


def test_a_recipient_switched_off_since_is_not_mailed(users):
    user = UserFactory()
    notification = notify_one(user)
    user.is_active = False
    user.save()

    assert tasks.send_notification_email.apply(args=[notification.pk]).get() == EmailStatus.SKIPPED
    assert mail.outbox == []


# --- Redis down: the request succeeds, the sweep sends later, once -------------------------------------------------


@contextmanager
def broker_unreachable():
    """Point this process's Celery app at a closed port (nothing listens on port 1); the shared Redis keeps running."""
    saved = app.conf.broker_url, app.conf.broker_write_url
    app.conf.broker_url = app.conf.broker_write_url = "redis://127.0.0.1:1/0"
    app._pool = None  # forget connections made to the real broker
    app.amqp._producer_pool = None
    try:
        yield
    finally:
        app.conf.broker_url, app.conf.broker_write_url = saved
        app._pool = None
        app.amqp._producer_pool = None


def test_a_notification_made_while_redis_is_down_is_kept_and_mailed_once_by_the_sweep(
    client_for, users, caplog, django_capture_on_commit_callbacks
):
    from enterprises.models import Enterprise

    operator = users[Role.OPERATOR]
    operator.email = "operator@example.cn"
    operator.save()
    founder = users[Role.ENTERPRISE]
    client = client_for(founder)

    # A request that calls notify(): an enterprise user registers their team; the operating company is told.
    with broker_unreachable(), django_capture_on_commit_callbacks(execute=True):
        team = {"name": "齐智汇创业团队", "kind": "team", "founder_type": "other"}
        response = client.post(reverse("enterprises:register"), team)

    assert response.status_code == 302, "the request succeeds although the broker is down"
    assert Enterprise.objects.filter(name="齐智汇创业团队").exists()
    [notification] = Notification.objects.all()
    assert notification.recipient == operator and notification.email_status == EmailStatus.PENDING
    assert "could not enqueue accounts.tasks.send_notification_email" in caplog.text
    assert mail.outbox == []

    # The broker is back. A notification younger than a minute may still have its task on the way: not swept.
    app.conf.task_always_eager = True
    try:
        assert tasks.send_pending_notification_emails.apply().get() == 0
        Notification.objects.update(created_at=timezone.now() - timedelta(minutes=2))
        assert tasks.send_pending_notification_emails.apply().get() == 1
        assert tasks.send_pending_notification_emails.apply().get() == 0  # sent: nothing left to sweep
    finally:
        app.conf.task_always_eager = False

    [message] = mail.outbox
    assert message.to == ["operator@example.cn"] and "齐智汇创业团队" in message.subject
    notification.refresh_from_db()
    assert notification.email_status == EmailStatus.SENT and notification.email_attempts == 1


def test_the_sweep_is_in_the_beat_schedule_every_five_minutes():
    entry = app.conf.beat_schedule["accounts.send_pending_notification_emails"]
    assert entry["task"] == "accounts.tasks.send_pending_notification_emails"
    assert entry["schedule"].minute == set(range(0, 60, 5))


# --- the pages ----------------------------------------------------------------------------------------------------


def test_the_bell_shows_the_unread_count_without_a_query_of_its_own(client_for, users, django_assert_max_num_queries):
    user = users[Role.BUREAU]
    NotificationFactory.create_batch(3, recipient=user)
    NotificationFactory(recipient=user, read_at=timezone.now())
    NotificationFactory.create_batch(2, recipient=users[Role.OPERATOR])
    client = client_for(user)

    # Loaded with the user (PortalModelBackend): the page costs what it cost before the bell.
    with django_assert_max_num_queries(6) as captured:  # session, the user with their count, session save (3)
        html = client.get(reverse("accounts:password_change")).content.decode()

    assert 'id="nav-notifications"' in html and "3 条未读" in html
    own_queries = [q["sql"] for q in captured.captured_queries if 'FROM "accounts_notification"' in q["sql"]]
    assert all(sql.startswith('SELECT "accounts_user"') for sql in own_queries), own_queries


@pytest.mark.parametrize("size", [3, 60])
def test_the_inbox_lists_only_ones_own_in_bounded_queries(client_for, users, size, django_assert_max_num_queries):
    user = users[Role.EXPERT]
    NotificationFactory.create_batch(size, recipient=user)
    NotificationFactory(recipient=users[Role.OPERATOR], subject="别人的通知")
    client = client_for(user)

    with django_assert_max_num_queries(8):  # session, user, groups, count, page, session save (3)
        response = client.get(reverse("accounts:notification_list"))

    assert response.status_code == 200
    assert len(response.context["object_list"]) == min(size, 20)
    assert "别人的通知" not in response.content.decode()


def test_mark_one_read_and_mark_all_read(client_for, users):
    user = users[Role.EXPERT]
    first, second, third = NotificationFactory.create_batch(3, recipient=user)
    others = NotificationFactory(recipient=users[Role.OPERATOR])
    client = client_for(user)

    response = client.post(reverse("accounts:notification_read", args=[first.pk]))
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.read_at is not None
    assert Notification.objects.filter(recipient=user).unread().count() == 2

    response = client.post(reverse("accounts:notification_read_all"))
    assert response.status_code == 302
    assert not Notification.objects.filter(recipient=user).unread().exists()
    others.refresh_from_db()
    assert others.read_at is None, "marking all read touches only one's own"


def test_opening_a_notification_marks_it_read_and_follows_its_link(client_for, users):
    notification = NotificationFactory(recipient=users[Role.EXPERT], link="/parks/")
    response = client_for(users[Role.EXPERT]).post(
        reverse("accounts:notification_read", args=[notification.pk]), {"open": "1"}
    )
    assert response["Location"] == "/parks/"
    notification.refresh_from_db()
    assert notification.is_read


def test_another_users_notification_cannot_be_marked(client_for, users):
    others = NotificationFactory(recipient=users[Role.OPERATOR])

    response = client_for(users[Role.EXPERT]).post(reverse("accounts:notification_read", args=[others.pk]))

    assert response.status_code == 404
    others.refresh_from_db()
    assert others.read_at is None
    with pytest.raises(PermissionDenied):
        services.notification_mark_read(notification=others, by=users[Role.EXPERT])


def test_the_inbox_reads_get_only(client_for, users):
    notification = NotificationFactory(recipient=users[Role.EXPERT])
    response = client_for(users[Role.EXPERT]).get(reverse("accounts:notification_read", args=[notification.pk]))
    assert response.status_code == 405


# --- the API ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("size", [3, 60])
def test_api_lists_ones_own_notifications_in_bounded_queries(client_for, users, size, django_assert_max_num_queries):
    user = users[Role.ENTERPRISE]
    NotificationFactory.create_batch(size, recipient=user)
    NotificationFactory(recipient=users[Role.OPERATOR])
    client = client_for(user)

    with django_assert_max_num_queries(8):  # session, user, groups, paginator count, page, session save (3)
        response = client.get(reverse("notification-list"))

    body = response.json()
    assert response.status_code == 200 and body["count"] == size
    assert {row["id"] for row in body["results"]} <= set(user.notifications.values_list("pk", flat=True))


def test_api_filters_unread_and_marks_read(client_for, users):
    user = users[Role.ENTERPRISE]
    read = NotificationFactory(recipient=user, read_at=timezone.now())
    unread = NotificationFactory(recipient=user)
    client = client_for(user)

    assert [row["id"] for row in client.get(reverse("notification-list"), {"unread": "true"}).json()["results"]] == [
        unread.pk
    ]
    response = client.post(reverse("notification-read", args=[unread.pk]))
    assert response.status_code == 200 and response.json()["is_read"] is True
    NotificationFactory.create_batch(2, recipient=user)
    assert client.post(reverse("notification-read-all")).json() == {"marked": 2}
    assert read.pk  # untouched rows keep their time
    assert not user.notifications.unread().exists()


def test_api_answers_404_for_another_users_notification(client_for, users):
    others = NotificationFactory(recipient=users[Role.OPERATOR])
    client = client_for(users[Role.ENTERPRISE])

    assert client.get(reverse("notification-detail", args=[others.pk])).status_code == 404
    assert client.post(reverse("notification-read", args=[others.pk])).status_code == 404
    others.refresh_from_db()
    assert others.read_at is None


def test_api_refuses_anonymous_visitors(client):
    assert client.get(reverse("notification-list")).status_code in (401, 403)


def test_the_administrator_sees_notifications_and_their_mail_status_in_the_admin(client_for, users):
    NotificationFactory(recipient=users[Role.EXPERT], email_status=EmailStatus.FAILED, last_error="SMTP 550")

    response = client_for(users[Role.ADMIN]).get(reverse("admin:accounts_notification_changelist"))

    assert response.status_code == 200 and "SMTP 550" in response.content.decode()
