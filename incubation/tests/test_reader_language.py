"""What the portal keeps to show later is read in the reader's language, whoever caused it and in whatever
language they worked: screening results, transitions' criteria and notifications are kept as codes and
parameters (accounts.phrasebook). Rows kept before that show their words as written."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation

from accounts import tasks
from accounts.models import EmailStatus, Notification
from accounts.roles import Role
from enterprises import services as enterprise_services
from enterprises.models import TechSMERegistration
from enterprises.tests.factories import TechSMERegistrationFactory
from incubation import services
from incubation.choices import ApplicationStatus as S
from incubation.models import Application, Transition
from incubation.tests.test_applications import submitted
from parks.models import Carrier

pytestmark = pytest.mark.django_db


def screened_in_chinese(application, applicant, staff) -> Application:
    TechSMERegistrationFactory(enterprise=application.enterprise, year=timezone.localdate().year)
    with translation.override("zh-hans"):
        submitted(application, applicant)
        services.application_act(application=application, move="start_screening", by=staff)
        services.application_act(application=application, move="to_decision", by=staff)
    application.refresh_from_db()
    return application


def test_screening_done_in_chinese_is_read_in_english(client, draft, applicant, users):
    staff = users[Role.OPERATOR]
    application = screened_in_chinese(draft, applicant, staff)
    kept = application.screening_results[0]
    assert set(kept) == {"code", "params", "status", "found"}, "codes and parameters, no words"

    client.force_login(staff)
    english = client.get(reverse("incubation:application_detail", args=[application.pk]), HTTP_ACCEPT_LANGUAGE="en")
    page = english.content.decode()
    assert "Screening: admission criteria as evaluated" in page
    assert "Registered for at most 24 months" in page and "months ago." in page
    assert "注册" not in page.split('id="screening"')[1].split("</div>\n    </div>")[0]
    chinese = client.get(reverse("incubation:application_detail", args=[application.pk]),
                         HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()  # fmt: skip
    assert "个月" in chinese.split('id="screening"')[1]

    api = client.get(f"/api/v1/applications/{application.pk}/", HTTP_ACCEPT_LANGUAGE="en").json()
    assert api["screening_results"][0]["label"] == "Registered for at most 24 months"
    assert api["screening_results"][0]["status"] == "met" and api["screening_results"][0]["detail"].startswith(
        "Registered "
    )


def test_results_kept_as_words_before_codes_show_as_written_with_their_label_made_again(
    client,
    draft,
    applicant,
    users,
):
    staff = users[Role.OPERATOR]
    application = screened_in_chinese(draft, applicant, staff)
    code = application.screening_results[0]["code"]
    Application.objects.filter(pk=application.pk).update(
        screening_results=[
            {"code": code, "label": "注册不超过 24 个月", "status": "met", "detail": "注册于 7 个月前。"}
        ]
    )
    client.force_login(staff)
    api = client.get(f"/api/v1/applications/{application.pk}/", HTTP_ACCEPT_LANGUAGE="en").json()
    assert api["screening_results"] == [
        {"code": code, "label": "Registered for at most 24 months", "status": "met", "detail": "注册于 7 个月前。"}
    ]


def test_a_transition_judged_in_chinese_is_read_in_english(client, users):
    operator = users[Role.OPERATOR]
    core = Carrier.objects.get(kind="core")
    company = enterprise_services.enterprise_create(
        by=operator,
        data={"name": "淄博齐创新材料科技有限公司", "kind": "company", "uscc": "91310110666007217T",
              "registered_on": datetime.date(2023, 3, 1)},
    )  # fmt: skip
    TechSMERegistration.objects.create(enterprise=company, year=2024, registration_no="2024370305000111")
    with translation.override("zh-hans"):
        residency = services.residency_open(
            enterprise=company, carrier=core, stage="seedbed", started_on=datetime.date(2023, 4, 1), by=operator
        )
        services.promote(residency=residency, to_stage="incubator", on=datetime.date(2024, 6, 1), by=operator)
    transition = Transition.objects.get()
    client.force_login(operator)
    api = client.get(f"/api/v1/transitions/{transition.pk}/", HTTP_ACCEPT_LANGUAGE="en").json()
    assert [item["label"] for item in api["criteria"]] == [
        "Registered for at most 24 months", "Registered as a tech-based SME this year or last",
    ]  # fmt: skip
    assert api["criteria"][1]["detail"] == "Registered for 2024."


def test_a_notice_sent_while_working_in_english_is_read_by_each_in_their_language_and_mailed_in_chinese(
    client,
    draft,
    applicant,
    users,
):
    staff = users[Role.OPERATOR]
    TechSMERegistrationFactory(enterprise=draft.enterprise, year=timezone.localdate().year)
    with translation.override("zh-hans"):
        submitted(draft, applicant)
        screening = str(S.SCREENING.label)
    with translation.override("en"):
        services.application_act(application=draft, move="start_screening", by=staff)
    notice = Notification.objects.filter(recipient=applicant).latest("created_at")
    assert notice.subject_phrase["code"] == "application.moved.subject"
    assert screening in notice.subject, "the words kept besides are in the portal's language"

    client.force_login(applicant)
    english = client.get(reverse("accounts:notification_list"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f"Application #{draft.pk}" in english and "The application is now" in english
    chinese = client.get(reverse("accounts:notification_list"), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert f"第 {draft.pk} 号入驻申请" in chinese
    api = client.get("/api/v1/notifications/", HTTP_ACCEPT_LANGUAGE="en").json()
    assert api["results"][0]["subject"].startswith(f"Application #{draft.pk}")

    applicant.email = "founder@example.com"
    applicant.save()
    with translation.override("en"):  # whatever the worker's language, mail goes out in the portal's
        assert tasks.send_notification_email.apply(args=[notice.pk]).get() == EmailStatus.SENT
    [message] = mail.outbox
    assert screening in message.subject and "The application" not in message.body
