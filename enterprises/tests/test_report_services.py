"""Operating reports: filing (every rule, every refusal, nothing saved on error), review, correction as a new
version, deadlines, and the daily reminders (idempotent; nothing lost while Redis is down)."""

from __future__ import annotations

import datetime
import threading
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import translation

from accounts.models import AuditAction, AuditEvent, Notification
from accounts.roles import Role
from enterprises import periods, selectors, services
from enterprises.choices import ReminderKind, ReportStatus
from enterprises.models import OperatingReport, ReportDeadline, ReportReminder
from enterprises.tests.factories import EnterpriseMembershipFactory, enterprise_user
from enterprises.tests.report_factories import FIGURES, report, tenant

pytestmark = pytest.mark.django_db

D = datetime.date
TODAY = D(2026, 5, 10)


@pytest.fixture
def own(users):
    return tenant(user=users[Role.ENTERPRISE], name="淄博本企业科技有限公司")


def file(enterprise, by, *, year=2025, period="annual", today=TODAY, **changes):
    return services.report_create(
        enterprise=enterprise, year=year, period=period, by=by, data={**FIGURES, **changes}, today=today
    )


# --- Filing: every rule --------------------------------------------------------------------------------------------


def test_an_enterprise_user_files_a_draft_audited(users, own):
    created = file(own, users[Role.ENTERPRISE])

    assert created.status == ReportStatus.DRAFT and created.version == 1 and created.revenue == Decimal("1200.00")
    event = AuditEvent.objects.get(object_id=str(created.pk), content_type__model="operatingreport")
    assert event.action == AuditAction.CREATE and event.actor == users[Role.ENTERPRISE]


def test_every_problem_is_reported_at_once_and_nothing_is_saved(users, own):
    with translation.override("en"), pytest.raises(ValidationError) as error:
        file(
            own, users[Role.ENTERPRISE], year=2027, employees=10, tech_staff=11, college_staff=12, new_graduates=13,
            rd_expenditure=Decimal("100"), rd_in_china=Decimal("101"), revenue=Decimal("50"),
            high_tech_revenue=Decimal("60"), tax_paid=Decimal("-1"),
        )  # fmt: skip

    problems = error.value.message_dict
    assert problems == {
        "year": ["The year cannot be in the future."],
        "tech_staff": ["Tech staff cannot exceed the employees."],
        "college_staff": ["College-educated staff cannot exceed the employees."],
        "new_graduates": ["New graduates hired cannot exceed the employees."],
        "rd_in_china": ["R&D in China cannot exceed R&D expenditure."],
        "high_tech_revenue": ["High-tech product revenue cannot exceed operating revenue."],
        "tax_paid": ["“tax paid (10k yuan)” cannot be negative."],
    }
    assert not OperatingReport.objects.exists() and not AuditEvent.objects.exists()


def test_a_quarter_cannot_be_filed_before_it_starts(users, own):
    with translation.override("en"), pytest.raises(ValidationError) as error:
        file(own, users[Role.ENTERPRISE], year=2026, period="q3", today=D(2026, 6, 30))
    assert error.value.message_dict == {"period": ["This quarter has not started yet: it begins on 2026-07-01."]}

    started = file(own, users[Role.ENTERPRISE], year=2026, period="q3", today=D(2026, 7, 1))
    assert started.period == "q3"


def test_a_second_current_report_for_a_period_is_refused_but_another_period_is_fine(users, own):
    file(own, users[Role.ENTERPRISE])
    with translation.override("en"), pytest.raises(ValidationError) as error:
        file(own, users[Role.OPERATOR])
    assert "already has a report for this period" in error.value.message_dict["period"][0]

    file(own, users[Role.ENTERPRISE], period="q1")
    assert OperatingReport.objects.count() == 2


def test_a_database_refusal_is_the_same_message_not_a_500(users, own):
    """Two filers at once: both pass the check, the unique constraint refuses the second, in the same words."""
    file(own, users[Role.ENTERPRISE])
    # The race itself: the constraint's refusal is mapped.
    duplicate = OperatingReport(enterprise=own, year=2025, period="annual", created_by=users[Role.OPERATOR])
    with translation.override("en"), pytest.raises(ValidationError) as error:
        services.save_report(duplicate)
    assert "already has a report for this period" in error.value.message_dict["period"][0]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"employees": 5, "tech_staff": 6}, "tech_staff"),
        ({"rd_expenditure": Decimal("1"), "rd_in_china": Decimal("2")}, "rd_in_china"),
        ({"revenue": Decimal("1"), "high_tech_revenue": Decimal("2")}, "high_tech_revenue"),
    ],
)
def test_check_constraints_are_mapped_to_the_fields_messages(users, own, changes, field):
    bad = OperatingReport(enterprise=own, year=2025, period="annual", created_by=users[Role.OPERATOR],
                          **{**FIGURES, **changes})  # fmt: skip
    with pytest.raises(ValidationError) as error:
        services.save_report(bad)
    assert field in error.value.message_dict


def test_only_the_enterprises_users_and_the_operating_company_file(users, own):
    stranger = enterprise_user("stranger")
    EnterpriseMembershipFactory(user=stranger)  # acts for another enterprise

    for user in (users[Role.PARK_STAFF], users[Role.BUREAU], users[Role.EXPERT], stranger):
        with pytest.raises(PermissionDenied):
            file(own, user)
    assert not OperatingReport.objects.exists()
    assert file(own, users[Role.OPERATOR]).created_by == users[Role.OPERATOR]


def test_a_draft_is_edited_with_the_same_checks_and_a_submitted_one_is_not(users, own):
    draft = file(own, users[Role.ENTERPRISE])
    with pytest.raises(ValidationError):
        services.report_update(report=draft, by=users[Role.ENTERPRISE], data={"tech_staff": 41}, today=TODAY)
    draft.refresh_from_db()
    assert draft.tech_staff == 12

    services.report_update(report=draft, by=users[Role.ENTERPRISE], data={"employees": 45}, today=TODAY)
    services.report_act(report=draft, move="submit", by=users[Role.ENTERPRISE], today=TODAY)
    with pytest.raises(ValidationError):
        services.report_update(report=draft, by=users[Role.ENTERPRISE], data={"employees": 46}, today=TODAY)
    draft.refresh_from_db()
    assert draft.employees == 45 and draft.status == "submitted" and draft.submitted_by == users[Role.ENTERPRISE]


# --- Review ----------------------------------------------------------------------------------------------------------


def test_staff_verify_and_the_enterprise_is_told_and_the_report_locked(users, own):
    submitted = report(own, status="submitted")

    verified = services.report_act(report=submitted, move="verify", by=users[Role.PARK_STAFF])

    assert verified.status == "verified" and verified.verified_by == users[Role.PARK_STAFF]
    [notice] = Notification.objects.filter(recipient=users[Role.ENTERPRISE])
    assert notice.link.endswith(f"/reports/{verified.pk}/")
    for data in ({"employees": 1}, {"revenue": Decimal("1")}):
        with pytest.raises(ValidationError):
            services.report_update(report=verified, by=users[Role.ENTERPRISE], data=data)
    with pytest.raises(ValidationError):
        services.report_act(report=verified, move="submit", by=users[Role.ENTERPRISE])


def test_a_return_needs_a_comment_which_the_enterprise_reads(users, own):
    submitted = report(own, status="submitted")
    with pytest.raises(ValidationError) as error:
        services.report_act(report=submitted, move="return", by=users[Role.OPERATOR], message="  ")
    assert "comment" in error.value.message_dict
    submitted.refresh_from_db()
    assert submitted.status == "submitted"

    returned = services.report_act(report=submitted, move="return", by=users[Role.OPERATOR], message="研发投入请核对")

    assert returned.status == "returned" and returned.staff_comment == "研发投入请核对"
    [notice] = Notification.objects.filter(recipient=users[Role.ENTERPRISE])
    assert notice.body == "研发投入请核对"
    services.report_update(report=returned, by=users[Role.ENTERPRISE], data={"rd_in_china": Decimal("140")})
    assert services.report_act(report=returned, move="submit", by=users[Role.ENTERPRISE]).status == "submitted"


def test_who_may_review(users, own, other_park):
    submitted = report(own, status="submitted")
    elsewhere = report(tenant(carrier_code="new-medicine"), status="submitted")

    for user in (users[Role.ENTERPRISE], users[Role.BUREAU], users[Role.EXPERT]):
        with pytest.raises(PermissionDenied):
            services.report_act(report=submitted, move="verify", by=user)
    with pytest.raises(PermissionDenied):  # park staff: only their carriers' tenants
        services.report_act(report=elsewhere, move="verify", by=users[Role.PARK_STAFF])
    with pytest.raises(PermissionDenied):  # park staff do not file
        services.report_act(report=report(own, year=2024), move="submit", by=users[Role.PARK_STAFF])
    assert set(OperatingReport.objects.values_list("status", flat=True)) == {"submitted", "draft"}


def test_a_draft_cannot_be_verified_and_a_second_verification_says_it_moved_on(users, own):
    draft = report(own)
    with pytest.raises(ValidationError):
        services.report_act(report=draft, move="verify", by=users[Role.OPERATOR])
    submitted = report(own, year=2024, status="submitted")
    services.report_act(report=submitted, move="verify", by=users[Role.OPERATOR])
    with translation.override("en"), pytest.raises(ValidationError) as error:
        services.report_act(report=submitted, move="verify", by=users[Role.ADMIN])
    assert "no longer applies" in error.value.messages[0]


@pytest.mark.django_db(transaction=True)
def test_two_staff_verifying_at_once_verify_once(users):
    """A real race on two connections: the row lock makes the second wait, then see it verified."""
    own = tenant(user=users[Role.ENTERPRISE])
    submitted = report(own, status="submitted")
    results: dict[str, str] = {}
    barrier = threading.Barrier(2)

    def verify(role):
        try:
            barrier.wait()
            services.report_act(report=submitted, move="verify", by=users[role])
            results[role] = "verified"
        except ValidationError:
            results[role] = "refused"
        finally:
            connection.close()

    threads = [threading.Thread(target=verify, args=(role,)) for role in (Role.OPERATOR, Role.PARK_STAFF)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(results.values()) == ["refused", "verified"]
    events = AuditEvent.objects.filter(content_type__model="operatingreport", action=AuditAction.UPDATE)
    assert events.count() == 1, "one status change, audited once"


# --- Correction: a new version ---------------------------------------------------------------------------------------


def test_a_correction_is_a_new_version_superseding_the_verified_one(users, own):
    verified = report(own, status="verified")
    with pytest.raises(ValidationError) as error:
        services.report_act(report=verified, move="correct", by=users[Role.ENTERPRISE], message="")
    assert "reason" in error.value.message_dict

    correction = services.report_act(report=verified, move="correct", by=users[Role.ENTERPRISE],
                                     message="审计后营业收入调整")  # fmt: skip

    verified.refresh_from_db()
    assert verified.status == "superseded"
    assert correction.version == 2 and correction.supersedes == verified and correction.status == "draft"
    assert correction.correction_reason == "审计后营业收入调整" and correction.revenue == verified.revenue
    assert selectors.current_report(enterprise_id=own.pk, year=2025) == correction
    assert selectors.verified_annual_report(enterprise_id=own.pk, year=2025) is None
    actions = list(AuditEvent.objects.filter(content_type__model="operatingreport").values_list("action", "object_id"))
    assert (AuditAction.UPDATE, str(verified.pk)) in actions and (AuditAction.CREATE, str(correction.pk)) in actions
    # … and goes through submit and verify again
    services.report_update(report=correction, by=users[Role.ENTERPRISE], data={"revenue": Decimal("1300")})
    services.report_act(report=correction, move="submit", by=users[Role.ENTERPRISE])
    services.report_act(report=correction, move="verify", by=users[Role.OPERATOR])
    assert selectors.verified_annual_report(enterprise_id=own.pk, year=2025).revenue == Decimal("1300.00")
    third = services.report_act(report=correction, move="correct", by=users[Role.OPERATOR], message="再次更正")
    assert third.version == 3 and third.supersedes == correction


def test_staff_and_others_cannot_correct(users, own):
    verified = report(own, status="verified")
    for user in (users[Role.PARK_STAFF], users[Role.BUREAU]):
        with pytest.raises(PermissionDenied):
            services.report_act(report=verified, move="correct", by=user, message="x")
    assert OperatingReport.objects.count() == 1


# --- Deadlines ------------------------------------------------------------------------------------------------------


def test_the_default_deadlines():
    assert periods.default_due_on(2025, "annual") == D(2026, 3, 31)
    assert periods.default_due_on(2025, "q1") == D(2025, 4, 20)
    assert periods.default_due_on(2025, "q2") == D(2025, 7, 20)
    assert periods.default_due_on(2025, "q4") == D(2026, 1, 20)


def test_staff_set_a_deadline_which_then_applies(users):
    assert selectors.report_deadline(year=2025, period="annual").is_default
    deadline = services.deadline_save(by=users[Role.OPERATOR], data={"year": 2025, "period": "annual",
                                                                      "due_on": D(2026, 4, 30)})  # fmt: skip
    applied = selectors.report_deadline(year=2025, period="annual")
    assert applied.due_on == D(2026, 4, 30) and not applied.is_default and applied.pk == deadline.pk
    with pytest.raises(ValidationError):
        services.deadline_save(by=users[Role.OPERATOR], data={"year": 2025, "period": "annual",
                                                               "due_on": D(2026, 5, 1)})  # fmt: skip
    for role in (Role.PARK_STAFF, Role.BUREAU, Role.ENTERPRISE):
        with pytest.raises(PermissionDenied):
            services.deadline_save(by=users[role], data={"year": 2024, "period": "q1", "due_on": D(2024, 5, 1)})
    assert ReportDeadline.objects.count() == 1


# --- Reminders --------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (D(2026, 3, 16), None),
        (D(2026, 3, 17), (ReminderKind.DUE_SOON, 0)),
        (D(2026, 3, 28), (ReminderKind.DUE_IMMINENT, 0)),
        (D(2026, 3, 31), (ReminderKind.DUE_IMMINENT, 0)),
        (D(2026, 4, 1), (ReminderKind.OVERDUE, 1)),
        (D(2026, 4, 7), (ReminderKind.OVERDUE, 1)),
        (D(2026, 4, 8), (ReminderKind.OVERDUE, 2)),
    ],
)
def test_which_reminder_is_due(today, expected):
    assert services.reminder_kind(due_on=D(2026, 3, 31), today=today) == expected


def test_the_daily_job_reminds_once_whatever_how_often_it_runs(users, own):
    other_user = enterprise_user("filed")
    filed = tenant(user=other_user)
    report(filed, status="submitted")  # has filed: no reminder
    tenant(started_on=D(2026, 1, 5), user=enterprise_user("newcomer"))  # not in residency during 2025
    tenant(user=None)  # nobody to tell

    assert services.reminders_send(today=D(2026, 3, 20)) == 1
    assert services.reminders_send(today=D(2026, 3, 20)) == 0
    assert services.reminders_send(today=D(2026, 3, 21)) == 0, "the two-week reminder is sent once"

    [reminder] = ReportReminder.objects.all()
    assert (reminder.enterprise, reminder.kind, reminder.year, reminder.period) == (own, "due_soon", 2025, "annual")
    [notice] = Notification.objects.all()
    assert notice.recipient == users[Role.ENTERPRISE] and "2025" in notice.subject

    assert services.reminders_send(today=D(2026, 3, 29)) == 1  # three days before
    assert services.reminders_send(today=D(2026, 4, 2)) == 1  # overdue, week 1
    assert services.reminders_send(today=D(2026, 4, 5)) == 0
    assert services.reminders_send(today=D(2026, 4, 9)) == 1  # week 2
    assert Notification.objects.count() == 4

    report(own, status="submitted")
    assert services.reminders_send(today=D(2026, 4, 20)) == 0, "filed: no more reminders"


def test_a_reminder_is_read_in_the_readers_language(users, own):
    with translation.override("en"):  # the job runs in whatever language
        assert services.reminders_send(today=D(2026, 4, 2)) == 1
    [notice] = Notification.objects.all()
    assert "2025年全年" in notice.subject, "the words kept besides are in the portal's language"
    with translation.override("en"):
        assert notice.subject_text == "Please file the operating report for 2025 Full year"
        assert "was due on 2026-03-31 and is 2 days overdue" in notice.body_text
    with translation.override("zh-hans"):
        assert "2025年全年" in notice.body_text and "2026-03-31" in notice.body_text


def test_a_returned_or_draft_report_is_not_filed(users, own):
    report(own, status="returned")
    assert services.reminders_send(today=D(2026, 4, 2)) == 1


def test_an_optional_quarter_is_not_reminded_unless_staff_require_it(users, own):
    assert services.reminders_send(today=D(2026, 4, 15)) == 1  # the 2025 annual report only, not 2026 Q1
    services.deadline_save(by=users[Role.OPERATOR], data={"year": 2026, "period": "q1", "due_on": D(2026, 4, 20),
                                                           "required": True})  # fmt: skip
    assert services.reminders_send(today=D(2026, 4, 15)) == 1
    assert set(ReportReminder.objects.values_list("period", flat=True)) == {"annual", "q1"}


def test_staff_remind_one_enterprise_by_hand_once_a_day(users, own):
    reminder = services.reminder_send_manual(enterprise=own, year=2025, period="annual", by=users[Role.PARK_STAFF],
                                             today=TODAY)  # fmt: skip
    assert reminder.kind == ReminderKind.MANUAL and reminder.sent_by == users[Role.PARK_STAFF]
    with pytest.raises(ValidationError):
        services.reminder_send_manual(enterprise=own, year=2025, period="annual", by=users[Role.OPERATOR],
                                      today=TODAY)  # fmt: skip
    elsewhere = tenant(carrier_code="new-medicine")
    with pytest.raises(PermissionDenied):
        services.reminder_send_manual(enterprise=elsewhere, year=2025, period="annual", by=users[Role.PARK_STAFF])
    with pytest.raises(PermissionDenied):
        services.reminder_send_manual(enterprise=own, year=2025, period="annual", by=users[Role.BUREAU])
    assert ReportReminder.objects.count() == 1


def test_the_reminder_job_is_in_the_beat_schedule_daily():
    from config.celery import app

    entry = app.conf.beat_schedule["enterprises.send_report_reminders"]
    assert entry["task"] == "enterprises.tasks.send_report_reminders"
    assert entry["schedule"].hour == {8} and entry["schedule"].minute == {30}


def test_reminders_made_while_redis_is_down_are_kept_and_mailed_once_by_the_sweep(
    users, own, caplog, django_capture_on_commit_callbacks
):
    from datetime import timedelta

    from django.core import mail
    from django.utils import timezone

    from accounts import tasks as account_tasks
    from accounts.models import EmailStatus
    from accounts.tests.test_notifications import broker_unreachable
    from config.celery import app
    from enterprises import tasks

    users[Role.ENTERPRISE].email = "founder@example.cn"
    users[Role.ENTERPRISE].save()
    with broker_unreachable(), django_capture_on_commit_callbacks(execute=True):
        assert tasks.send_report_reminders.apply(kwargs={"today": "2026-04-02"}).get() == 1

    [notification] = Notification.objects.all()
    assert notification.email_status == EmailStatus.PENDING and mail.outbox == []
    assert "could not enqueue" in caplog.text

    app.conf.task_always_eager = True
    try:
        Notification.objects.update(created_at=timezone.now() - timedelta(minutes=2))
        assert account_tasks.send_pending_notification_emails.apply().get() >= 1
        assert account_tasks.send_pending_notification_emails.apply().get() == 0
    finally:
        app.conf.task_always_eager = False
    assert [message.to for message in mail.outbox].count(["founder@example.cn"]) >= 1
    assert tasks.send_report_reminders.apply(kwargs={"today": "2026-04-02"}).get() == 0, "not lost, not sent twice"
    assert Notification.objects.count() == 1


# --- Selectors -------------------------------------------------------------------------------------------------------


def test_annual_history_with_growth_computed_by_the_database(users, own):
    report(own, year=2022, status="verified", revenue=Decimal("100"), rd_expenditure=Decimal("10"), employees=10,
           tech_staff=2, college_staff=5, new_graduates=1, invention_patents=1, utility_models=0, designs=0,
           software_copyrights=0, high_tech_revenue=Decimal("50"), rd_in_china=Decimal("10"))  # fmt: skip
    report(own, year=2023, status="verified", revenue=Decimal("150"), rd_expenditure=Decimal("5"), employees=12,
           tech_staff=2, college_staff=5, new_graduates=1, invention_patents=3, utility_models=0, designs=0,
           software_copyrights=0, high_tech_revenue=Decimal("50"), rd_in_china=Decimal("5"))  # fmt: skip
    old = report(own, year=2025, status="superseded", revenue=Decimal("999"))
    figures = {**FIGURES, "revenue": Decimal("300"), "high_tech_revenue": Decimal("100")}
    OperatingReport.objects.create(enterprise=own, year=2025, period="annual", version=2, supersedes=old,
                                   created_by=users[Role.OPERATOR], **figures)  # fmt: skip
    report(own, year=2025, period="q1", status="verified")  # quarters are not in the annual history

    rows = list(selectors.annual_history(user=users[Role.BUREAU], enterprise_id=own.pk))

    assert [row.year for row in rows] == [2022, 2023, 2025]
    assert rows[0].revenue_growth is None
    assert rows[1].revenue_growth == Decimal("50") and rows[1].rd_growth == Decimal("-50")
    assert str(rows[1].employees_growth) == "20.0" and rows[1].ip_growth == Decimal("200")  # one place, by SQL
    assert rows[2].revenue == Decimal("300") and rows[2].revenue_growth is None, "2024 is missing: no growth"
    assert rows[2].valid_ip_total == 11


def test_not_filed_lists_tenants_in_residency_without_a_filed_report(users, own):
    drafted = tenant(name="草稿企业")
    report(drafted, status="draft")
    report(tenant(name="已报企业"), status="verified")
    tenant(name="新入驻企业", started_on=D(2026, 2, 1))
    tenant(name="已毕业企业", started_on=D(2021, 1, 1), ended_on=D(2024, 12, 31))
    tenant(name="年中毕业企业", started_on=D(2021, 1, 1), ended_on=D(2025, 6, 30))
    tenant(name="他园企业", carrier_code="new-medicine")

    names = set(
        selectors.not_filed(user=users[Role.OPERATOR], year=2025, period="annual").values_list("name", flat=True)
    )
    assert names == {"淄博本企业科技有限公司", "草稿企业", "年中毕业企业", "他园企业"}
    park = set(
        selectors.not_filed(user=users[Role.PARK_STAFF], year=2025, period="annual").values_list("name", flat=True)
    )
    assert park == names - {"他园企业"}


def test_the_banner_lists_what_the_users_enterprise_must_file(users, own):
    def banner(today):
        rows = selectors.report_banner(user=users[Role.ENTERPRISE], today=today)
        return [(row.deadline.year, row.deadline.period) for row in rows]

    # In residency since 2022 and never filed: 2024's report is overdue (the banner looks two years back); 2025's
    # is due in 11 days.
    assert banner(D(2026, 3, 20)) == [(2024, "annual"), (2025, "annual")]
    assert banner(D(2026, 3, 1)) == [(2024, "annual")], "2025's deadline is more than 14 days away"
    report(own, year=2024, status="verified")
    report(own, status="submitted")
    assert banner(D(2026, 4, 20)) == []
    assert selectors.report_banner(user=users[Role.OPERATOR], today=D(2026, 4, 20)) == [], "not an enterprise user"
