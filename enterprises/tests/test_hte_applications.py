"""高新技术企业认定申报 records: the database refuses what cannot be (two for one year, a pending application with a
decision date, a decision without one or before the submission), and the service says why with nothing saved."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import translation

from accounts.models import AuditEvent
from accounts.roles import Role
from enterprises import services
from enterprises.choices import HTEOutcome
from enterprises.models import HTEApplication
from enterprises.tests.factories import EnterpriseFactory, HTEApplicationFactory

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def operator(users):
    return users[Role.OPERATOR]


def _refused(operator, enterprise, data) -> list[str]:
    """The messages of the refusal, in English; asserts nothing of the application was written."""
    applications, events = HTEApplication.objects.count(), AuditEvent.objects.count()
    with translation.override("en"), pytest.raises(ValidationError) as error:
        services.record_create(model=HTEApplication, enterprise=enterprise, by=operator, data=data)
    assert HTEApplication.objects.count() == applications
    assert AuditEvent.objects.count() == events
    return error.value.messages


def test_a_second_application_for_the_same_year_is_refused(operator):
    enterprise = EnterpriseFactory()
    HTEApplicationFactory(enterprise=enterprise, year=2025)

    messages = _refused(operator, enterprise, {"year": 2025, "submitted_on": D(2025, 7, 1), "outcome": "pending"})

    assert messages == ["This enterprise already has a high-tech enterprise application for this year."]
    # Another year, or another enterprise, is fine.
    services.record_create(
        model=HTEApplication, enterprise=enterprise, by=operator, data={"year": 2026, "submitted_on": D(2026, 6, 1)}
    )
    HTEApplicationFactory(year=2025)


@pytest.mark.parametrize(
    "outcome, decided_on",
    [("pending", D(2025, 12, 1)), ("certified", None), ("rejected", None)],
    ids=["pending-with-decision", "certified-without-date", "rejected-without-date"],
)
def test_the_decision_date_goes_with_a_decided_outcome(operator, outcome, decided_on):
    messages = _refused(
        operator,
        EnterpriseFactory(),
        {"year": 2025, "submitted_on": D(2025, 6, 10), "outcome": outcome, "decided_on": decided_on},
    )

    assert messages == ["A pending application has no decision date; a certified or rejected one needs one."]


def test_a_decision_before_the_submission_is_refused(operator):
    messages = _refused(
        operator,
        EnterpriseFactory(),
        {"year": 2025, "submitted_on": D(2025, 6, 10), "outcome": "certified", "decided_on": D(2025, 6, 9)},
    )

    assert messages == ["The decision date cannot be before the submission date."]


def test_an_assessment_year_before_2017_is_refused(operator):
    messages = _refused(operator, EnterpriseFactory(), {"year": 2016, "submitted_on": D(2016, 6, 10)})

    assert any("2017" in message for message in messages)


def test_a_decided_application_on_its_submission_day_is_accepted(operator):
    enterprise = EnterpriseFactory()
    data = {"year": 2025, "submitted_on": D(2025, 6, 10), "outcome": "rejected", "decided_on": D(2025, 6, 10)}

    application = services.record_create(model=HTEApplication, enterprise=enterprise, by=operator, data=data)

    assert HTEApplication.objects.get(pk=application.pk).outcome == "rejected"


@pytest.mark.parametrize(
    "fields",
    [
        {"outcome": "pending", "decided_on": D(2025, 12, 1)},
        {"outcome": "certified", "decided_on": None},
        {"outcome": "certified", "decided_on": D(2025, 1, 1)},
        {"year": 2016},
    ],
    ids=["pending-decided", "certified-undated", "decided-before-submitted", "year-2016"],
)
def test_the_database_itself_refuses_what_the_checks_refuse(fields):
    """Writes that bypass the model's validation (queryset update, raw SQL) meet the same rules."""
    application = HTEApplicationFactory(year=2025, submitted_on=D(2025, 6, 10))
    with pytest.raises(IntegrityError), transaction.atomic():
        HTEApplication.objects.filter(pk=application.pk).update(**fields)


def test_the_enterprise_page_shows_applications_with_their_outcome(client_for, users):
    enterprise = EnterpriseFactory()
    HTEApplicationFactory(enterprise=enterprise, year=2025, submitted_on=D(2025, 6, 10))
    HTEApplicationFactory(
        enterprise=enterprise, year=2024, submitted_on=D(2024, 6, 1), outcome="rejected", decided_on=D(2024, 11, 20)
    )

    response = client_for(users[Role.OPERATOR]).get(reverse("enterprises:enterprise_detail", args=[enterprise.pk]))

    page = response.content.decode()
    start = page.index('id="records-hte-application"')
    section = page[start : page.index('id="records-honours"', start)]
    with translation.override("zh-hans"):  # the page's language
        pending, rejected = str(HTEOutcome.PENDING.label), str(HTEOutcome.REJECTED.label)
    assert rejected == "未通过"
    assert f"<span class='badge text-bg-warning'>{pending}</span>" in section
    assert f"<span class='badge text-bg-secondary'>{rejected}</span>" in section
    assert "2025-06-10" in section and "2024-11-20" in section
    assert reverse("enterprises:record_create", args=[enterprise.pk, "hte-application"]) in section
    timeline = {entry["date"]: entry["text"] for entry in response.context["timeline"]}
    assert "2025" in timeline[D(2025, 6, 10)] and "2024" in timeline[D(2024, 6, 1)]
    assert rejected in timeline[D(2024, 11, 20)]
