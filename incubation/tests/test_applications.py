"""Applications: drafting, uploads checked by content, submission showing every problem, the declared workflow
with row-locked moves, screening against the rule set, blind weighted expert review, and admission."""

import datetime
import threading
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.utils import timezone, translation

from accounts.audit import history_of
from accounts.roles import Role
from conftest import make_user
from enterprises.choices import DocumentKind
from enterprises.models import Document
from enterprises.tests.factories import EnterpriseMembershipFactory, TechSMERegistrationFactory
from incubation import selectors, services, workflow
from incubation.choices import ApplicationStatus as S
from incubation.models import Allocation, Application, ApplicationEvent, Review
from incubation.tests.factories import ApplicationFactory, docx_upload, pdf_upload
from parks.models import Carrier
from parks.tests.factories import BuildingFactory, UnitFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def applicant(users):
    user = users[Role.ENTERPRISE]
    EnterpriseMembershipFactory(
        user=user,
        enterprise__contact_name="王经理",
        enterprise__contact_phone="13905330001",
        enterprise__registered_on=timezone.localdate() - datetime.timedelta(days=300),
    )
    return user


@pytest.fixture
def draft(applicant):
    return ApplicationFactory(enterprise=applicant.membership.enterprise, created_by=applicant)


def submitted(application, applicant):
    services.application_attach(
        application=application, upload=pdf_upload(), title="", kind=DocumentKind.BUSINESS_PLAN, by=applicant
    )
    return services.application_act(application=application, move="submit", by=applicant)


def in_review(application, applicant, staff, expert):
    submitted(application, applicant)
    services.application_act(application=application, move="start_screening", by=staff)
    services.review_assign(application=application, expert=expert, by=staff)
    return services.application_act(application=application, move="send_to_review", by=staff)


SCORES = {
    "score_technology": 80,
    "score_team": 70,
    "score_market": 90,
    "score_business_model": 60,
    "score_focus_fit": 100,
}


class TestDraftsAndSubmission:
    def test_the_applicant_starts_a_draft_for_a_place_that_exists(self, applicant):
        enterprise = applicant.membership.enterprise
        carrier = Carrier.objects.get(code="qizhihui")
        application = services.application_create(
            enterprise=enterprise, carrier=carrier, stage="seedbed", by=applicant, data={"project_name": "试点"}
        )
        assert application.status == S.DRAFT
        assert list(application.events.values_list("to_status", flat=True)) == [S.DRAFT]
        # A park offers no seedbed: refused with the stages it does offer.
        with translation.override("zh-hans"), pytest.raises(ValidationError) as refused:
            services.application_create(
                enterprise=enterprise, carrier=Carrier.objects.get(code="big-data"), stage="seedbed", by=applicant
            )
        assert "孵化器" in str(refused.value)

    def test_a_second_open_application_for_the_same_place_is_refused(self, draft, applicant):
        with pytest.raises(ValidationError):
            services.application_create(
                enterprise=draft.enterprise, carrier=draft.carrier, stage=draft.stage, by=applicant
            )

    def test_submission_lists_every_problem_at_once_and_changes_nothing(self, applicant):
        enterprise = applicant.membership.enterprise
        application = services.application_create(
            enterprise=enterprise, carrier=Carrier.objects.get(code="big-data"), stage="incubator", by=applicant
        )
        with translation.override("zh-hans"), pytest.raises(ValidationError) as refused:
            services.application_act(application=application, move="submit", by=applicant)
        problems = refused.value.message_dict
        assert {"project_name", "technology", "team", "market", "finances", "documents"} <= set(problems)
        assert problems["documents"] == ["请上传商业计划书。"]
        application.refresh_from_db()
        assert application.status == S.DRAFT and application.submitted_at is None

    def test_submitting_a_complete_draft(self, draft, applicant):
        application = submitted(draft, applicant)
        assert application.status == S.SUBMITTED and application.submitted_at is not None
        assert [event.action for event in application.events.all()] == ["submit"]  # created by the factory
        assert history_of(application).filter(changes__status=[S.DRAFT, S.SUBMITTED]).exists()

    def test_only_the_applicant_edits_the_form_and_only_while_editable(self, draft, applicant, users):
        services.application_update(application=draft, by=applicant, data={"project_name": "新名称"})
        draft.refresh_from_db()
        assert draft.project_name == "新名称"
        with pytest.raises(PermissionDenied):
            services.application_update(application=draft, by=users[Role.OPERATOR], data={"project_name": "x"})
        submitted(draft, applicant)
        with pytest.raises(ValidationError):
            services.application_update(application=draft, by=applicant, data={"project_name": "改"})


class TestUploads:
    def test_pdf_and_docx_are_recognised_by_content(self, draft, applicant):
        plan = services.application_attach(
            application=draft, upload=pdf_upload(name="plan.bin"), title="商业计划书", kind="business_plan",
            by=applicant,
        )  # fmt: skip
        supplement = services.application_attach(
            application=draft, upload=docx_upload(name="no-extension"), title="", kind="supplement", by=applicant
        )
        assert plan.content_type == "application/pdf" and plan.size > 0 and len(plan.sha256) == 64
        assert supplement.content_type.endswith("wordprocessingml.document")
        assert "no-extension" not in supplement.file.name and supplement.file.name.startswith("documents/")

    @pytest.mark.parametrize(
        "name, content",
        [
            ("plan.pdf", b"MZ\x90\x00 this is a Windows program, not a PDF"),
            ("plan.docx", b"PK\x03\x04 not really a zip"),
            ("page.html", b"<html><script>alert(1)</script></html>"),
        ],
    )
    def test_other_content_is_refused_whatever_its_name(self, draft, applicant, name, content):
        with translation.override("zh-hans"), pytest.raises(ValidationError) as refused:
            services.application_attach(
                application=draft, upload=SimpleUploadedFile(name, content), title="", kind="business_plan",
                by=applicant,
            )  # fmt: skip
        assert "根据文件内容判断" in str(refused.value)
        assert not Document.objects.exists()

    def test_the_size_limit_is_configured(self, draft, applicant, settings):
        settings.UPLOAD_MAX_BYTES = 50
        with translation.override("zh-hans"), pytest.raises(ValidationError) as refused:
            services.application_attach(application=draft, upload=pdf_upload(), title="", kind="business_plan",
                                        by=applicant)  # fmt: skip
        assert "最大" in str(refused.value)

    def test_documents_are_served_only_to_who_may_see_them(self, draft, applicant, client_for, users):
        document = services.application_attach(
            application=draft, upload=pdf_upload(), title="", kind="business_plan", by=applicant
        )
        response = client_for(applicant).get(f"/enterprises/documents/{document.pk}/")
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert b"".join(response.streaming_content).startswith(b"%PDF-")
        # Another enterprise's user, and staff while the application is a draft elsewhere: not found.
        stranger = EnterpriseMembershipFactory().user
        assert client_for(stranger).get(f"/enterprises/documents/{document.pk}/").status_code == 404
        assert client_for(users[Role.EXPERT]).get(f"/enterprises/documents/{document.pk}/").status_code == 404


class TestWorkflow:
    def test_the_declared_table_covers_every_state(self):
        targets = {move.target for move in workflow.MOVES.values()}
        sources = set().union(*(move.sources for move in workflow.MOVES.values()))
        assert targets | sources == set(S.values)
        assert not workflow.moves_from(S.APPROVED) and not workflow.moves_from(S.REJECTED)

    def test_a_move_from_the_wrong_state_is_refused_with_the_current_state(self, draft, applicant, users):
        with translation.override("zh-hans"), pytest.raises(ValidationError) as refused:
            services.application_act(application=submitted(draft, applicant), move="approve",
                                     by=users[Role.OPERATOR], message="好")  # fmt: skip
        assert "已提交" in str(refused.value)

    def test_roles_are_checked_per_move_and_per_object(self, draft, applicant, users, other_park):
        submitted(draft, applicant)
        with pytest.raises(PermissionDenied):
            services.application_act(application=draft, move="start_screening", by=applicant)
        with pytest.raises(PermissionDenied):
            services.application_act(application=draft, move="start_screening", by=users[Role.BUREAU])
        # Park staff of another carrier: out of scope.
        outsider = make_user("park-other", Role.PARK_STAFF)
        other_park.staff.add(outsider)
        with pytest.raises(PermissionDenied):
            services.application_act(application=draft, move="start_screening", by=outsider)
        services.application_act(application=draft, move="start_screening", by=users[Role.PARK_STAFF])
        assert Application.objects.get(pk=draft.pk).status == S.SCREENING

    def test_a_decision_needs_a_reason(self, draft, applicant, users):
        submitted(draft, applicant)
        with translation.override("zh-hans"), pytest.raises(ValidationError) as refused:
            services.application_act(application=draft, move="reject", by=users[Role.OPERATOR], message="  ")
        assert "message" in refused.value.message_dict
        with translation.override("en"), pytest.raises(ValidationError) as refused:
            services.application_act(application=draft, move="reject", by=users[Role.OPERATOR], message="")
        # The error names the field the staff member sees, not a generic "message".
        assert refused.value.message_dict["message"] == [
            "“Reason for the decision (the applicant will see this)” is required."
        ]

    def test_more_information_round_trip(self, draft, applicant, users):
        staff = users[Role.OPERATOR]
        submitted(draft, applicant)
        services.application_act(application=draft, move="request_more_info", by=staff, message="请补充专利证书")
        services.application_attach(application=draft, upload=docx_upload(), title="专利证书", kind="supplement",
                                    by=applicant)  # fmt: skip
        services.application_act(application=draft, move="respond", by=applicant, message="已补充")
        timeline = list(draft.events.values_list("to_status", "message"))
        assert timeline[-2:] == [(S.MORE_INFO, "请补充专利证书"), (S.SCREENING, "已补充")]

    def test_withdrawal_frees_the_place_for_a_new_application(self, draft, applicant):
        submitted(draft, applicant)
        services.application_act(application=draft, move="withdraw", by=applicant)
        again = services.application_create(
            enterprise=draft.enterprise, carrier=draft.carrier, stage=draft.stage, by=applicant
        )
        assert again.status == S.DRAFT


@pytest.mark.django_db(transaction=True)
def test_two_staff_acting_at_once_get_one_move_and_one_refusal(users, applicant):
    application = ApplicationFactory(enterprise=applicant.membership.enterprise, created_by=applicant)
    submitted(application, applicant)
    staff = [users[Role.OPERATOR], users[Role.ADMIN]]
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def act(user, move):
        try:
            barrier.wait()
            services.application_act(application=application, move=move, by=user, message="决定")
            outcomes.append("moved")
        except ValidationError as refusal:
            outcomes.append("refused: " + " ".join(refusal.messages))
        finally:
            connection.close()

    # Both staff press "approve" on the same application awaiting decision.
    for move in ("start_screening", "to_decision"):
        services.application_act(application=application, move=move, by=staff[0])
    threads = [threading.Thread(target=act, args=(user, "approve")) for user in staff]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcome.split(":")[0] for outcome in outcomes) == ["moved", "refused"]
    assert ApplicationEvent.objects.filter(application=application, action="approve").count() == 1
    assert "已通过" in next(outcome for outcome in outcomes if outcome.startswith("refused"))


class TestScreening:
    def test_screening_shows_the_stage_criteria_and_keeps_them_when_it_ends(self, draft, applicant, users):
        TechSMERegistrationFactory(enterprise=draft.enterprise, year=timezone.localdate().year)
        submitted(draft, applicant)
        services.application_act(application=draft, move="start_screening", by=users[Role.OPERATOR])
        evaluation = selectors.screening_preview(application=draft)
        assert [result.status for result in evaluation.results] == ["met", "met"]
        services.application_act(application=draft, move="to_decision", by=users[Role.OPERATOR])
        draft.refresh_from_db()
        assert draft.screening_rule_set.kind == "incubator_admission"
        assert [item["status"] for item in draft.screening_results] == ["met", "met"]

    def test_an_unregistered_team_is_unmet_for_an_incubator(self, applicant, users):
        team = EnterpriseMembershipFactory(enterprise__team=True, enterprise__contact_name="李",
                                           enterprise__contact_phone="13905330002").enterprise  # fmt: skip
        application = ApplicationFactory(enterprise=team)
        evaluation = selectors.screening_preview(application=application)
        assert evaluation.results[0].status == "unmet"


class TestExpertReview:
    def test_blind_weighted_review_then_decision(self, draft, applicant, users):
        staff, expert = users[Role.OPERATOR], users[Role.EXPERT]
        second = make_user("expert2", Role.EXPERT)
        submitted(draft, applicant)
        services.application_act(application=draft, move="start_screening", by=staff)
        with pytest.raises(ValidationError):
            services.application_act(application=draft, move="send_to_review", by=staff)  # no expert yet
        first_review = services.review_assign(application=draft, expert=expert, by=staff)
        second_review = services.review_assign(application=draft, expert=second, by=staff)
        services.application_act(application=draft, move="send_to_review", by=staff)
        draft.refresh_from_db()
        assert draft.scoring_rule_set.kind == "review_scoring"

        services.review_submit(review=first_review, scores=SCORES, comment="技术扎实", by=expert)
        first_review.refresh_from_db()
        # 80×30 + 70×20 + 90×20 + 60×15 + 100×15 = 8000 → 80.00
        assert first_review.weighted_score == Decimal("80.00")

        # Blind: the second expert sees only their own review until they submit.
        assert selectors.reviews_visible(user=second, application=draft) == [second_review]
        assert len(selectors.reviews_visible(user=expert, application=draft)) == 2
        with pytest.raises(ValidationError):
            services.application_act(application=draft, move="close_review", by=staff)  # one still pending
        services.review_submit(review=second_review, scores={**SCORES, "score_team": 20}, comment="团队偏弱",
                               by=second)  # fmt: skip
        assert len(selectors.reviews_visible(user=second, application=draft)) == 2
        summary = selectors.review_summary(selectors.reviews_visible(user=staff, application=draft))
        assert summary["average"] == Decimal("75.00") and summary["count"] == 2
        queue_row = selectors.application_queue(user=staff).get(pk=draft.pk)
        assert queue_row.average_score == Decimal("75.00") and queue_row.experts_done == 2

        services.application_act(application=draft, move="close_review", by=staff)
        services.application_act(application=draft, move="approve", by=staff, message="综合评分 75，同意入驻")
        draft.refresh_from_db()
        assert draft.status == S.APPROVED and draft.decision_reason == "综合评分 75，同意入驻"

    def test_scores_are_checked_all_at_once(self, draft, applicant, users):
        review = Review.objects.get(pk=in_review(draft, applicant, users[Role.OPERATOR], users[Role.EXPERT])
                                    .reviews.get().pk)  # fmt: skip
        with translation.override("zh-hans"), pytest.raises(ValidationError) as refused:
            services.review_submit(review=review, scores={"score_team": 101, "score_market": "七十"}, comment="",
                                   by=users[Role.EXPERT])  # fmt: skip
        assert set(refused.value.message_dict) == set(SCORES) | {"comment"}
        review.refresh_from_db()
        assert review.submitted_at is None

    def test_only_the_assigned_expert_scores(self, draft, applicant, users):
        in_review(draft, applicant, users[Role.OPERATOR], users[Role.EXPERT])
        review = draft.reviews.get()
        other = make_user("expert3", Role.EXPERT)
        with pytest.raises(PermissionDenied):
            services.review_submit(review=review, scores=SCORES, comment="x", by=other)

    def test_an_expert_sees_only_assigned_applications(self, draft, applicant, users):
        in_review(draft, applicant, users[Role.OPERATOR], users[Role.EXPERT])
        other = make_user("expert4", Role.EXPERT)
        assert list(Application.objects.for_user(users[Role.EXPERT])) == [draft]
        assert not Application.objects.for_user(other).exists()


class TestAdmission:
    def test_an_approved_application_is_admitted_with_its_space(self, draft, applicant, users):
        staff = users[Role.PARK_STAFF]
        submitted(draft, applicant)
        services.application_act(application=draft, move="start_screening", by=staff)
        services.application_act(application=draft, move="to_decision", by=staff, message="")
        services.application_act(application=draft, move="approve", by=staff, message="同意")
        unit = UnitFactory(building=BuildingFactory(carrier=draft.carrier), stage_zone="incubator")
        start = timezone.localdate()
        residency = services.application_admit(
            application=draft, started_on=start, planned_end_on=start.replace(year=start.year + 3),
            agreement_no="LZ-2026-001", units=[unit], by=staff,
        )  # fmt: skip
        draft.refresh_from_db()
        assert draft.residency == residency
        assert (residency.carrier, residency.stage) == (draft.carrier, "incubator")
        assert Allocation.objects.get(residency=residency).unit == unit
        with pytest.raises(ValidationError):
            services.application_admit(application=draft, started_on=start, by=staff)

    def test_a_unit_let_for_the_same_dates_is_refused_and_nothing_is_admitted(self, draft, applicant, users):
        staff = users[Role.OPERATOR]
        submitted(draft, applicant)
        services.application_act(application=draft, move="start_screening", by=staff)
        services.application_act(application=draft, move="to_decision", by=staff)
        services.application_act(application=draft, move="approve", by=staff, message="同意")
        unit = UnitFactory(building=BuildingFactory(carrier=draft.carrier), stage_zone="incubator")
        start = timezone.localdate()
        occupant = ApplicationFactory(stage="incubator")
        tenant = services.residency_open(enterprise=occupant.enterprise, carrier=draft.carrier, stage="incubator",
                                         started_on=start, by=staff)  # fmt: skip
        services.allocation_create(residency=tenant, unit=unit, start=start, end=start.replace(year=start.year + 1),
                                   by=staff)  # fmt: skip
        with pytest.raises(ValidationError):
            services.application_admit(application=draft, started_on=start, units=[unit], by=staff)
        draft.refresh_from_db()
        assert draft.residency is None
        assert not draft.enterprise.residencies.exists()


def test_the_applicant_is_told_of_each_decision_and_staff_of_each_submission(draft, applicant, users):
    from accounts.models import Notification

    submitted(draft, applicant)
    assert Notification.objects.filter(recipient=users[Role.PARK_STAFF]).exists()  # staff of the carrier
    assert Notification.objects.filter(recipient=users[Role.OPERATOR]).exists()
    services.application_act(application=draft, move="reject", by=users[Role.OPERATOR], message="不符合入驻条件")
    notice = Notification.objects.get(recipient=applicant)
    assert "不符合入驻条件" in notice.body and notice.link.endswith(f"/applications/{draft.pk}/")
    assert not Notification.objects.filter(recipient=users[Role.EXPERT]).exists()
