"""The application pages end to end through the web forms, and the queue's query count."""

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from enterprises.tests.factories import EnterpriseMembershipFactory, TechSMERegistrationFactory
from incubation import services
from incubation.choices import ApplicationStatus as S
from incubation.models import Application
from incubation.tests.factories import ApplicationFactory, pdf_upload
from parks.models import Carrier
from parks.tests.factories import BuildingFactory, UnitFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def applicant(users):
    user = users[Role.ENTERPRISE]
    EnterpriseMembershipFactory(user=user, enterprise__contact_name="王经理", enterprise__contact_phone="13905330001")
    return user


def test_the_whole_journey_through_the_pages(client_for, applicant, users):
    big_data = Carrier.objects.get(code="big-data")
    client = client_for(applicant)
    form = client.get(reverse("incubation:application_create"))
    assert form.status_code == 200
    assert f"{big_data.pk}:incubator" in form.content.decode()
    response = client.post(
        reverse("incubation:application_create"),
        {"place": f"{big_data.pk}:incubator", "project_name": "工业数据中台"},
    )
    application = Application.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/applications/{application.pk}/")

    # Submitting a half-filled draft shows every problem, in Chinese, and leaves it a draft.
    page = client.post(reverse("incubation:application_move", args=[application.pk, "submit"]), {"message": ""})
    text = page.content.decode()
    assert page.status_code == 200
    assert "请填写“项目与技术”" in text and "请上传商业计划书" in text
    application.refresh_from_db()
    assert application.status == S.DRAFT

    fields = dict.fromkeys(
        ("technology", "intellectual_property", "team", "market", "finances", "funding_needs"), "内容"
    )
    client.post(
        reverse("incubation:application_edit", args=[application.pk]),
        {**fields, "project_name": "工业数据中台", "requested_area": "80", "requested_space_type": "office"},
    )
    client.post(reverse("incubation:application_document_add", args=[application.pk]),
                {"kind": "business_plan", "title": "", "file": pdf_upload()})  # fmt: skip
    response = client.post(reverse("incubation:application_move", args=[application.pk, "submit"]), {"message": ""})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == S.SUBMITTED

    staff = client_for(users[Role.PARK_STAFF])
    detail = staff.get(reverse("incubation:application_detail", args=[application.pk])).content.decode()
    assert "开始形式审查" in detail
    staff.post(reverse("incubation:application_move", args=[application.pk, "start_screening"]), {"message": ""})
    detail = staff.get(reverse("incubation:application_detail", args=[application.pk])).content.decode()
    assert "形式审查：入驻条件" in detail and "指派专家" in detail
    staff.post(reverse("incubation:review_assign", args=[application.pk]), {"expert": users[Role.EXPERT].pk})
    staff.post(reverse("incubation:application_move", args=[application.pk, "send_to_review"]), {"message": ""})

    expert = client_for(users[Role.EXPERT])
    review = application.reviews.get()
    response = expert.post(
        reverse("incubation:review_score", args=[review.pk]),
        {"score_technology": 90, "score_team": 80, "score_market": 70, "score_business_model": 60,
         "score_focus_fit": 100, "comment": "建议入驻"},
    )  # fmt: skip
    assert response.status_code == 302
    review.refresh_from_db()
    assert str(review.weighted_score) == "81.00"

    staff = client_for(users[Role.PARK_STAFF])
    staff.post(reverse("incubation:application_move", args=[application.pk, "close_review"]), {"message": ""})
    response = staff.post(reverse("incubation:application_move", args=[application.pk, "approve"]), {"message": ""})
    assert response.status_code == 200 and "为必填项" in response.content.decode()
    staff.post(reverse("incubation:application_move", args=[application.pk, "approve"]), {"message": "同意入驻"})
    unit = UnitFactory(building=BuildingFactory(carrier=big_data), stage_zone="incubator")
    response = staff.post(
        reverse("incubation:application_admit", args=[application.pk]),
        {"started_on": timezone.localdate().isoformat(), "agreement_no": "LZ-1", "units": [unit.pk]},
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.residency.allocations.get().unit == unit

    # The applicant sees the whole timeline with the staff's message.
    page = client_for(applicant).get(reverse("incubation:application_detail", args=[application.pk]))
    text = page.content.decode()
    assert "同意入驻" in text and "已通过" in text and "建议入驻" not in text  # reviews stay with staff


def _applications(count: int, staff):
    for _ in range(count):
        membership = EnterpriseMembershipFactory(enterprise__contact_name="张", enterprise__contact_phone="13905330003")
        application = ApplicationFactory(enterprise=membership.enterprise, created_by=membership.user)
        TechSMERegistrationFactory(enterprise=membership.enterprise)
        services.application_attach(application=application, upload=pdf_upload(), title="", kind="business_plan",
                                    by=membership.user)  # fmt: skip
        services.application_act(application=application, move="submit", by=membership.user)


@pytest.mark.parametrize("role", [Role.OPERATOR, Role.PARK_STAFF, Role.BUREAU])
def test_the_queue_costs_the_same_queries_at_any_size(client_for, users, django_assert_max_num_queries, role):
    client = client_for(users[role])
    _applications(3, users[Role.OPERATOR])
    with django_assert_max_num_queries(12) as small:
        assert client.get(reverse("incubation:applications") + "?sort=-score").status_code == 200
    _applications(12, users[Role.OPERATOR])
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(reverse("incubation:applications") + "?sort=-score&q=测试")
    assert response.status_code == 200


def test_the_detail_page_costs_a_bounded_number_of_queries(client_for, applicant, users,
                                                           django_assert_max_num_queries):  # fmt: skip
    application = ApplicationFactory(enterprise=applicant.membership.enterprise, created_by=applicant)
    for _ in range(3):
        services.application_attach(application=application, upload=pdf_upload(), title="", kind="business_plan",
                                    by=applicant)  # fmt: skip
    services.application_act(application=application, move="submit", by=applicant)
    services.application_act(application=application, move="start_screening", by=users[Role.OPERATOR])
    client = client_for(users[Role.OPERATOR])
    with django_assert_max_num_queries(30):
        assert client.get(reverse("incubation:application_detail", args=[application.pk])).status_code == 200


def test_the_business_plan_comes_with_the_new_application(client_for, applicant):
    big_data = Carrier.objects.get(code="big-data")
    client = client_for(applicant)
    form = client.get(reverse("incubation:application_create")).content.decode()
    assert 'enctype="multipart/form-data"' in form and 'name="business_plan"' in form

    response = client.post(reverse("incubation:application_create"),
                           {"place": f"{big_data.pk}:incubator", "project_name": "工业数据中台",
                            "business_plan": pdf_upload()})  # fmt: skip
    application = Application.objects.get()
    assert response.status_code == 302
    assert [document.kind for document in application.documents.all()] == ["business_plan"]


def test_a_refused_business_plan_leaves_no_draft(client_for, applicant):
    big_data = Carrier.objects.get(code="big-data")
    page = client_for(applicant).post(reverse("incubation:application_create"),
                                      {"place": f"{big_data.pk}:incubator", "project_name": "工业数据中台",
                                       "business_plan": pdf_upload("plan.pdf", b"not a pdf at all")})  # fmt: skip
    assert page.status_code == 200 and page.context["form"].errors["business_plan"]
    assert not Application.objects.exists()
