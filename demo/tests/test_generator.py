"""The demo history generator (demo.generator): deterministic, complete (every carrier and stage, every kind of
move, every application status) and consistent (no space let twice, timelines in order, everything marked demo)."""

import datetime
import hashlib

import pytest
from django.core.management import call_command
from django.db import transaction

from accounts.models import User
from demo import generator as demo
from demo.management.commands.seed_demo import NEAR_THE_LINE, demo_uscc
from enterprises.models import (
    Enterprise,
    EnterpriseMembership,
    FinancingEvent,
    HTEApplication,
    HTECertificate,
    OperatingReport,
    TechSMERegistration,
)
from enterprises.selectors import not_filed
from enterprises.uscc import uscc_problem
from incubation.choices import ApplicationStatus, TransitionKind
from incubation.models import Allocation, Application, ApplicationEvent, Residency, Review, Transition
from parks.models import Carrier

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 6, 30)
SIZE = 30  # the forced starts (13) and one applicant per status (11), and a few more at random


def generate(seed: int = 2021, size: int = SIZE):
    users = {user.username: user for user in User.objects.filter(username__in=["operator", "enterprise"])}
    return demo.generate(
        seed=seed, size=size, operator=users["operator"], experts=demo.demo_experts(), applicant=users["enterprise"],
        today=TODAY,
    )  # fmt: skip


@pytest.fixture
def accounts():
    """The demo accounts and the hand-written demo enterprises, without the generated history."""
    call_command("seed_demo", force=True, enterprises=0)


def digest() -> str:
    """What the generator made, without database ids: names, codes, dates, history, statuses and scores."""
    rows = [
        sorted(Enterprise.objects.values_list("name", "uscc", "kind", "registered_on", "industry_field__name")),
        sorted(TechSMERegistration.objects.values_list("enterprise__name", "year", "registration_no")),
        sorted(HTECertificate.objects.values_list("enterprise__name", "certificate_no", "issued_on")),
        sorted(HTEApplication.objects.values_list("enterprise__name", "year", "outcome", "submitted_on", "decided_on")),
        sorted(FinancingEvent.objects.values_list("enterprise__name", "occurred_on", "round", "amount", "investor")),
        sorted(
            Residency.objects.values_list(
                "enterprise__name", "carrier__code", "stage", "started_on", "ended_on", "end_reason", "planned_end_on"
            )  # fmt: skip
        ),
        sorted(Transition.objects.values_list("enterprise__name", "kind", "occurred_on", "override_reason")),
        sorted(
            (a.residency.enterprise.name, a.unit.code, a.period.lower, a.period.upper)
            for a in Allocation.objects.select_related("residency__enterprise", "unit")
        ),  # fmt: skip
        sorted(
            Application.objects.values_list(
                "enterprise__name", "carrier__code", "stage", "status", "project_name", "submitted_at", "decided_at"
            )  # fmt: skip
        ),
        sorted(Review.objects.values_list("application__enterprise__name", "expert__username", "weighted_score")),
        sorted(
            OperatingReport.objects.values_list("enterprise__name", "year", "period", "status", "revenue", "employees")
        ),
    ]
    return hashlib.sha256(repr(rows).encode()).hexdigest()


def test_the_same_seed_gives_the_same_history_and_another_seed_another(accounts):
    class Rollback(Exception):
        pass

    digests = []
    for seed in (2021, 2021, 7):
        with pytest.raises(Rollback), transaction.atomic():  # each run starts from the same database
            generate(seed)
            digests.append(digest())
            raise Rollback

    assert digests[0] == digests[1]
    assert digests[0] != digests[2]


def test_the_history_covers_every_stage_move_and_status_consistently(accounts):
    summary = generate()

    generated = Enterprise.objects.filter(uscc__startswith=demo.GENERATED_USCC_PREFIX)
    assert summary.enterprises == SIZE and generated.count() + Enterprise.objects.filter(kind="team").count() > SIZE
    assert not Enterprise.objects.filter(is_demo=False).exists()
    assert all(uscc_problem(code) is None for code in generated.values_list("uscc", flat=True))
    assert len(set(Enterprise.objects.values_list("name", flat=True))) == Enterprise.objects.count()
    # every stage of every carrier has tenants (now or in the past), and every kind of move happened
    pairs = set(Residency.objects.values_list("carrier__code", "stage"))
    assert pairs == {(carrier.code, stage) for carrier in Carrier.objects.all() for stage in carrier.stages}
    assert set(Transition.objects.values_list("kind", flat=True)) == set(TransitionKind.values)
    assert Residency.objects.filter(started_on__year=2021).exists()
    assert Residency.objects.filter(ended_on__isnull=True).count() >= 10
    # every status of the workflow, with a timeline and a business plan; some approved applicants were admitted
    assert set(Application.objects.values_list("status", flat=True)) == set(ApplicationStatus.values)
    assert Application.objects.filter(status="approved", residency__isnull=False).exists()
    for application in Application.objects.prefetch_related("events", "documents"):
        moments = [event.at for event in application.events.all()]
        assert moments and moments == sorted(moments), application
        assert moments[-1].date() <= TODAY
        assert application.created_at == moments[0]
        if application.status != "draft":
            assert application.submitted_at is not None and application.submitted_at >= application.created_at
        document = application.documents.get(kind="business_plan")
        assert document.file.read().startswith(b"%PDF-")
    for application in Application.objects.filter(residency__isnull=False).select_related("residency"):
        admitted = ApplicationEvent.objects.get(application=application, action="admit")
        assert admitted.at.date() == application.residency.started_on
    # no unit let twice at once (the database would refuse it; the generator plans around it)
    for allocation in Allocation.objects.all():
        assert not Allocation.objects.filter(unit=allocation.unit_id, period__overlap=allocation.period).exclude(
            pk=allocation.pk
        )
    assert Allocation.objects.count() >= 15
    # qualifications: missed renewals, lapsed and soon-expiring certificates
    assert (
        TechSMERegistration.objects.filter(year=TODAY.year - 1).count()
        > TechSMERegistration.objects.filter(year=TODAY.year).count()
    )
    assert HTECertificate.objects.filter(expires_on__lt=TODAY).exists()
    # 高企 applications: one certified behind each certificate, some pending this year (the pipeline), some rejected
    for certificate in HTECertificate.objects.filter(enterprise__uscc__startswith=demo.GENERATED_USCC_PREFIX):
        behind = HTEApplication.objects.filter(enterprise=certificate.enterprise_id, year=certificate.issued_on.year)
        assert behind.filter(outcome="certified", decided_on=certificate.issued_on).exists()
    assert HTEApplication.objects.filter(outcome="pending", year=TODAY.year).exists()
    assert HTEApplication.objects.filter(outcome="rejected").exists()


def test_the_demo_expert_and_enterprise_have_something_to_see(accounts):
    generate()

    expert = User.objects.get(username="expert")
    assert Review.objects.filter(expert=expert, submitted_at__isnull=False).exists()
    assert Review.objects.filter(expert=expert, submitted_at__isnull=True, application__status="expert_review")
    own = EnterpriseMembership.objects.get(user__username="enterprise").enterprise
    assert set(Application.objects.filter(enterprise=own).values_list("status", flat=True)) == {
        "draft",
        "expert_review",
    }
    assert Review.objects.filter(expert=expert, application__enterprise=own, submitted_at__isnull=True).exists()


def test_tenants_have_operating_reports_for_each_year_in_residence(accounts):
    summary = generate()

    last_year = TODAY.year - 1
    # The hand-written tenants near the tech-SME line (seed_demo) have a verified report of their own.
    near_the_line = [demo_uscc(number) for number, *_rest in NEAR_THE_LINE]
    reports = OperatingReport.objects.exclude(enterprise__uscc__in=near_the_line)
    assert summary.operating_reports == reports.count() > 20
    assert not reports.filter(year__lt=2021).exists() and not reports.filter(year__gte=TODAY.year).exists()
    # every year before last verified; last year in every state, and some tenants have not filed at all
    assert set(reports.filter(year__lt=last_year).values_list("status", flat=True)) == {"verified"}
    assert {"verified", "submitted", "returned", "draft"} <= set(
        reports.filter(year=last_year).values_list("status", flat=True)
    )
    operator = User.objects.get(username="operator")
    assert not_filed(user=operator, year=last_year, period="annual").filter(operating_reports__isnull=True).exists()
    # each report lies within its enterprise's residency and only companies report
    for report in reports.select_related("enterprise"):
        assert report.enterprise.kind == "company"
        assert Residency.objects.filter(enterprise=report.enterprise, started_on__year__lte=report.year).exists()
        assert report.tech_staff <= report.employees and report.high_tech_revenue <= report.revenue
    # the demo enterprise user's report was returned with a comment (its banner and the comment show)
    own = EnterpriseMembership.objects.get(user__username="enterprise").enterprise
    returned = OperatingReport.objects.get(enterprise=own, year=last_year)
    assert returned.status == "returned" and returned.staff_comment


def test_seed_demo_generates_the_history_once(settings):
    call_command("seed_demo", force=True, enterprises=SIZE)
    counts = (Enterprise.objects.count(), Application.objects.count(), Residency.objects.count(), User.objects.count(),
              OperatingReport.objects.count())  # fmt: skip
    call_command("seed_demo", force=True, enterprises=SIZE)

    assert counts[0] > SIZE and counts[4] > 0
    assert (Enterprise.objects.count(), Application.objects.count(), Residency.objects.count(),
            User.objects.count(), OperatingReport.objects.count()) == counts  # fmt: skip
