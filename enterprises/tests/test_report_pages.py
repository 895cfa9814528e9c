"""Operating-report pages and API: filing with every problem shown at once, review, locking, correction, the
not-filed list with its reminders, deadlines, history; the banner; query counts at two sizes."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from accounts.models import Notification
from accounts.roles import Role
from enterprises.models import OperatingReport, ReportDeadline, ReportReminder
from enterprises.tests.factories import enterprise_user
from enterprises.tests.report_factories import FIGURES, report, tenant

pytestmark = pytest.mark.django_db

LAST_YEAR = timezone.localdate().year - 1


@pytest.fixture
def own(users):
    return tenant(user=users[Role.ENTERPRISE], name="淄博本企业科技有限公司")


def form_data(**changes) -> dict:
    return {"year": LAST_YEAR, "period": "annual", **{k: str(v) for k, v in FIGURES.items()}, **changes}


def test_filing_shows_every_problem_at_once_saves_nothing_then_submits(client_for, users, own):
    client = client_for(users[Role.ENTERPRISE])
    url = reverse("enterprises:report_create")
    assert client.get(url).status_code == 200

    with translation.override("en"):
        response = client.post(url, form_data(employees="10", tech_staff="11", rd_in_china="999", action="submit"),
                               HTTP_ACCEPT_LANGUAGE="en")  # fmt: skip

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) == {"tech_staff", "college_staff", "rd_in_china"}
    assert not OperatingReport.objects.exists()

    response = client.post(url, form_data(action="submit"))
    created = OperatingReport.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "enterprises:report_detail", args=[created.pk]
    )
    assert created.status == "submitted" and created.enterprise == own


def test_the_form_is_in_chinese_by_default(client_for, users, own):
    page = client_for(users[Role.ENTERPRISE]).get(reverse("enterprises:report_create")).content.decode()
    assert 'lang="zh-hans"' in page
    assert "万元" in page, "money is labelled in 10k yuan"


def test_save_draft_then_edit_then_staff_verify_and_the_report_is_locked(client_for, users, own):
    client = client_for(users[Role.ENTERPRISE])
    client.post(reverse("enterprises:report_create"), form_data(action="save"))
    draft = OperatingReport.objects.get()
    assert draft.status == "draft"
    response = client.post(reverse("enterprises:report_update", args=[draft.pk]),
                           {**form_data(employees="41"), "action": "submit"})  # fmt: skip
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.employees == 41 and draft.status == "submitted"

    staff = client_for(users[Role.PARK_STAFF])
    detail = staff.get(reverse("enterprises:report_detail", args=[draft.pk])).content.decode()
    assert reverse("enterprises:report_move", args=[draft.pk, "verify"]) in detail
    assert staff.post(reverse("enterprises:report_move", args=[draft.pk, "verify"])).status_code == 302
    draft.refresh_from_db()
    assert draft.status == "verified"

    client = client_for(users[Role.ENTERPRISE])
    response = client.get(reverse("enterprises:report_update", args=[draft.pk]))
    assert response.status_code == 302, "a verified report is not edited"
    page = client.get(reverse("enterprises:report_detail", args=[draft.pk])).content.decode()
    assert 'id="report-locked"' in page
    assert reverse("enterprises:report_move", args=[draft.pk, "correct"]) in page
    assert reverse("enterprises:report_update", args=[draft.pk]) not in page


def test_return_needs_a_comment_the_enterprise_then_sees(client_for, users, own):
    submitted = report(own, year=LAST_YEAR, status="submitted")
    staff = client_for(users[Role.OPERATOR])
    url = reverse("enterprises:report_move", args=[submitted.pk, "return"])
    assert staff.get(url).status_code == 200
    assert staff.post(url, {"message": ""}).status_code == 200
    submitted.refresh_from_db()
    assert submitted.status == "submitted"

    assert staff.post(url, {"message": "请核对研发费用"}).status_code == 302
    page = client_for(users[Role.ENTERPRISE]).get(reverse("enterprises:report_detail", args=[submitted.pk]))
    assert "请核对研发费用" in page.content.decode()
    assert Notification.objects.filter(recipient=users[Role.ENTERPRISE], body="请核对研发费用").exists()


def test_correction_through_the_page_starts_a_new_version(client_for, users, own):
    verified = report(own, year=LAST_YEAR, status="verified")
    client = client_for(users[Role.ENTERPRISE])
    response = client.post(reverse("enterprises:report_move", args=[verified.pk, "correct"]), {"message": "审计调整"})
    correction = OperatingReport.objects.get(version=2)
    assert response["Location"] == reverse("enterprises:report_update", args=[correction.pk])
    assert correction.supersedes == verified and correction.correction_reason == "审计调整"


@pytest.mark.parametrize("role", [Role.PARK_STAFF, Role.BUREAU, Role.EXPERT])
def test_who_may_not_file_or_edit(client_for, users, own, role):
    draft = report(own, year=LAST_YEAR)
    client = client_for(users[role])
    assert client.get(reverse("enterprises:report_update", args=[draft.pk])).status_code in (403, 404)
    assert client.post(reverse("enterprises:report_create"), form_data()).status_code == 403
    assert OperatingReport.objects.count() == 1


def test_the_operating_company_files_on_an_enterprises_behalf(client_for, users, own):
    client = client_for(users[Role.OPERATOR])
    url = reverse("enterprises:report_create") + f"?enterprise={own.pk}"
    assert client.get(url).status_code == 200
    assert client.post(url, form_data(action="save")).status_code == 302
    assert OperatingReport.objects.get().created_by == users[Role.OPERATOR]
    assert client.get(reverse("enterprises:report_create")).status_code == 404, "on whose behalf?"


def test_another_enterprises_report_is_404_for_an_enterprise_user(client_for, users, own):
    other = report(tenant(user=enterprise_user("other")), year=LAST_YEAR, status="submitted")
    client = client_for(users[Role.ENTERPRISE])
    for name in ("report_detail", "report_update"):
        assert client.get(reverse(f"enterprises:{name}", args=[other.pk])).status_code == 404
    assert client.post(reverse("enterprises:report_move", args=[other.pk, "submit"])).status_code == 404
    assert client.get(reverse("enterprises:report_history", args=[other.enterprise_id])).status_code == 404
    assert client.get(reverse("operating-report-detail", args=[other.pk])).status_code == 404


def test_the_not_filed_page_filters_sorts_and_reminds(client_for, users, own):
    report(tenant(name="已报企业"), year=LAST_YEAR, status="verified")
    elsewhere = tenant(name="他园企业", carrier_code="new-medicine")
    client = client_for(users[Role.OPERATOR])
    url = reverse("enterprises:report_not_filed")

    page = client.get(url, {"year": LAST_YEAR, "period": "annual", "sort": "-enterprise"})
    names = [row.name for row in page.context["page_obj"].object_list]
    assert names == ["淄博本企业科技有限公司", "他园企业"] or names == sorted(names, reverse=True)
    assert "已报企业" not in page.content.decode()
    carrier = elsewhere.residencies.get().carrier_id
    filtered = client.get(url, {"year": LAST_YEAR, "period": "annual", "carrier": carrier})
    assert [row.name for row in filtered.context["page_obj"].object_list] == ["他园企业"]

    response = client.post(reverse("enterprises:report_remind", args=[own.pk]), {"year": LAST_YEAR, "period": "annual"})
    assert response.status_code == 302
    assert ReportReminder.objects.get().enterprise == own
    assert Notification.objects.filter(recipient=users[Role.ENTERPRISE]).exists()
    client.post(reverse("enterprises:report_remind", args=[own.pk]), {"year": LAST_YEAR, "period": "annual"})
    assert ReportReminder.objects.count() == 1, "once a day"

    park = client_for(users[Role.PARK_STAFF]).get(url, {"year": LAST_YEAR, "period": "annual"})
    assert [row.name for row in park.context["page_obj"].object_list] == ["淄博本企业科技有限公司"]


@pytest.mark.parametrize(("role", "status"), [(Role.BUREAU, 200), (Role.ENTERPRISE, 403), (Role.EXPERT, 403)])
def test_the_not_filed_page_is_for_staff_and_the_bureau(client_for, users, own, role, status):
    assert client_for(users[role]).get(reverse("enterprises:report_not_filed")).status_code == status


def test_the_bureau_cannot_remind(client_for, users, own):
    response = client_for(users[Role.BUREAU]).post(
        reverse("enterprises:report_remind", args=[own.pk]), {"year": LAST_YEAR, "period": "annual"}
    )
    assert response.status_code == 403 and not ReportReminder.objects.exists()


def test_deadline_pages(client_for, users):
    client = client_for(users[Role.OPERATOR])
    assert client.get(reverse("enterprises:deadline_list")).status_code == 200
    response = client.post(reverse("enterprises:deadline_create"),
                           {"year": LAST_YEAR, "period": "annual", "due_on": f"{LAST_YEAR + 1}-04-30",
                            "required": "on"})  # fmt: skip
    assert response.status_code == 302
    deadline = ReportDeadline.objects.get()
    response = client.post(reverse("enterprises:deadline_update", args=[deadline.pk]),
                           {"year": LAST_YEAR, "period": "annual", "due_on": f"{LAST_YEAR + 1}-05-15"})  # fmt: skip
    deadline.refresh_from_db()
    assert deadline.due_on == datetime.date(LAST_YEAR + 1, 5, 15) and not deadline.required
    for role in (Role.PARK_STAFF, Role.BUREAU, Role.ENTERPRISE):
        other = client_for(users[role])
        assert other.get(reverse("enterprises:deadline_list")).status_code == 200
        assert other.get(reverse("enterprises:deadline_create")).status_code == 403
        assert other.get(reverse("enterprises:deadline_update", args=[deadline.pk])).status_code == 403


def test_history_page_and_the_enterprise_page_show_the_annual_figures(client_for, users, own):
    report(own, year=LAST_YEAR - 1, status="verified", revenue=Decimal("1000"))
    report(own, year=LAST_YEAR, status="verified", revenue=Decimal("1500"))
    for role in (Role.ENTERPRISE, Role.OPERATOR, Role.BUREAU):
        client = client_for(users[role])
        page = client.get(reverse("enterprises:report_history", args=[own.pk])).content.decode()
        assert "+50.0%" in page
        detail = client.get(reverse("enterprises:enterprise_detail", args=[own.pk])).content.decode()
        assert 'id="operating-figures"' in detail and "+50.0%" in detail


def test_the_banner_shows_to_an_enterprise_user_until_they_file(client_for, users, own, settings):
    # Overdue last year's report (a deadline set in the past), so the banner is there whatever today is.
    ReportDeadline.objects.create(
        year=LAST_YEAR, period="annual", due_on=timezone.localdate() - datetime.timedelta(days=3)
    )
    client = client_for(users[Role.ENTERPRISE])
    assert 'id="report-reminder"' in client.get(reverse("home")).content.decode()
    assert 'id="report-reminder"' not in client_for(users[Role.OPERATOR]).get(reverse("home")).content.decode()

    report(own, year=LAST_YEAR - 1, status="verified")  # in residency since 2022: the year before was due too
    report(own, year=LAST_YEAR, status="submitted")
    assert 'id="report-reminder"' not in client_for(users[Role.ENTERPRISE]).get(reverse("home")).content.decode()


def test_the_banner_costs_one_query_for_an_enterprise_user_and_none_for_others(
    client_for, users, own, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def banner_queries(user) -> int:
        client = client_for(user)
        with CaptureQueriesContext(connection) as queries:
            client.get(reverse("accounts:notification_list"))
        return sum("WITH candidates" in query["sql"] for query in queries.captured_queries)

    assert banner_queries(users[Role.ENTERPRISE]) == 1
    assert banner_queries(users[Role.OPERATOR]) == 0


# --- API ------------------------------------------------------------------------------------------------------------


def test_the_api_files_submits_verifies_returns_and_corrects(client_for, users, own):
    client = client_for(users[Role.ENTERPRISE])
    bad = client.post(reverse("operating-report-list"), {"year": LAST_YEAR, "period": "annual",
                                                          "employees": 5, "tech_staff": 6, "college_staff": 7},
                      content_type="application/json")  # fmt: skip
    assert bad.status_code == 400 and {"tech_staff", "college_staff"} <= set(bad.json())
    payload = {"year": LAST_YEAR, **{k: str(v) for k, v in FIGURES.items()}}
    created = client.post(reverse("operating-report-list"), payload,
                          content_type="application/json")  # fmt: skip
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert created.json()["allowed_moves"] == ["submit"]
    patched = client.patch(reverse("operating-report-detail", args=[pk]), {"employees": 50},
                           content_type="application/json")  # fmt: skip
    assert patched.status_code == 200 and patched.json()["employees"] == 50
    assert client.post(reverse("operating-report-submit", args=[pk])).json()["status"] == "submitted"

    staff = client_for(users[Role.OPERATOR])
    assert (
        staff.post(reverse("operating-report-return", args=[pk]), {}, content_type="application/json").status_code
        == 400
    )
    returned = staff.post(
        reverse("operating-report-return", args=[pk]), {"comment": "请核对"}, content_type="application/json"
    )
    assert returned.json()["status"] == "returned" and returned.json()["staff_comment"] == "请核对"

    client = client_for(users[Role.ENTERPRISE])
    client.post(reverse("operating-report-submit", args=[pk]))
    staff = client_for(users[Role.PARK_STAFF])
    assert staff.post(reverse("operating-report-verify", args=[pk])).json()["status"] == "verified"

    client = client_for(users[Role.ENTERPRISE])
    assert client.patch(reverse("operating-report-detail", args=[pk]), {"employees": 1},
                        content_type="application/json").status_code == 400  # fmt: skip
    corrected = client.post(reverse("operating-report-correct", args=[pk]), {"reason": "审计调整"},
                            content_type="application/json")  # fmt: skip
    assert corrected.status_code == 201 and corrected.json()["version"] == 2 and corrected.json()["supersedes"] == pk

    listed = client.get(reverse("operating-report-list"), {"year": LAST_YEAR, "current": "true"}).json()["results"]
    assert [row["version"] for row in listed] == [2]


def test_the_api_refuses_the_bureau_and_other_enterprises(client_for, users, own):
    other = report(tenant(user=enterprise_user("other")), year=LAST_YEAR, status="submitted")
    bureau = client_for(users[Role.BUREAU])
    assert bureau.get(reverse("operating-report-detail", args=[other.pk])).status_code == 200
    assert bureau.post(reverse("operating-report-verify", args=[other.pk])).status_code == 403
    assert (
        bureau.post(reverse("operating-report-list"), {"year": LAST_YEAR}, content_type="application/json").status_code
        == 403
    )
    client = client_for(users[Role.ENTERPRISE])
    assert client.post(reverse("operating-report-list"), {"year": LAST_YEAR, "enterprise": other.enterprise_id},
                       content_type="application/json").status_code == 403  # fmt: skip
    assert client.post(reverse("operating-report-submit", args=[other.pk])).status_code == 404
    assert OperatingReport.objects.count() == 1


def test_the_api_deadlines_and_not_filed(client_for, users, own):
    staff = client_for(users[Role.OPERATOR])
    q1 = {"year": LAST_YEAR, "period": "q1", "due_on": f"{LAST_YEAR}-05-01"}
    created = staff.post(reverse("report-deadline-list"), q1,
                         content_type="application/json")  # fmt: skip
    assert created.status_code == 201
    client = client_for(users[Role.ENTERPRISE])
    assert client.get(reverse("report-deadline-list")).json()["count"] == 1
    q2 = {"year": LAST_YEAR, "period": "q2", "due_on": f"{LAST_YEAR}-08-01"}
    assert client.post(reverse("report-deadline-list"), q2,
                       content_type="application/json").status_code == 403  # fmt: skip
    assert client.get(reverse("operating-report-not-filed")).status_code == 403
    staff = client_for(users[Role.OPERATOR])  # one test client: sign the operator in again
    response = staff.get(reverse("operating-report-not-filed"), {"year": LAST_YEAR})
    assert response.status_code == 200, response.content
    rows = response.json()["results"]
    assert [row["enterprise"] for row in rows] == [own.pk]


def test_the_form_defaults_to_a_period_not_yet_reported(client_for, users, own):
    client = client_for(users[Role.ENTERPRISE])
    url = reverse("enterprises:report_create")
    form = client.get(url).context["form"]
    assert (form["year"].value(), form["period"].value()) == (LAST_YEAR, "annual")

    report(own, year=LAST_YEAR, status="verified")
    form = client.get(url).context["form"]
    assert (form["year"].value(), form["period"].value()) == (LAST_YEAR - 1, "annual")
    form = client.get(url + f"?year={LAST_YEAR}&period=annual").context["form"]
    assert (form["year"].value(), form["period"].value()) == (LAST_YEAR, "annual"), "what the link asks for"


def test_a_period_already_reported_is_said_with_the_other_problems_and_linked(client_for, users, own):
    existing = report(own, year=LAST_YEAR, status="submitted")
    response = client_for(users[Role.ENTERPRISE]).post(
        reverse("enterprises:report_create"), form_data(employees="10", tech_staff="11"), HTTP_ACCEPT_LANGUAGE="en"
    )
    errors = response.context["form"].errors
    assert {"tech_staff", "period"} <= set(errors), "every problem at once, the duplicate period among them"
    link = f'<a href="{reverse("enterprises:report_detail", args=[existing.pk])}">'
    assert link in response.content.decode()
    assert OperatingReport.objects.count() == 1


def test_the_banner_leads_to_the_report_to_file(client_for, users, own):
    ReportDeadline.objects.create(
        year=LAST_YEAR, period="annual", due_on=timezone.localdate() - datetime.timedelta(days=3)
    )
    report(own, year=LAST_YEAR - 1, status="verified")
    client = client_for(users[Role.ENTERPRISE])
    create = reverse("enterprises:report_create") + f"?year={LAST_YEAR}&period=annual"
    page = client.get(reverse("home")).content.decode()
    banner = page.split('id="report-reminder"')[1].split("</div>")[0]
    assert f'href="{create.replace("&", "&amp;")}"' in banner

    returned = report(own, year=LAST_YEAR, status="returned")
    page = client.get(reverse("home")).content.decode()
    banner = page.split('id="report-reminder"')[1].split("</div>")[0]
    assert f'href="{reverse("enterprises:report_detail", args=[returned.pk])}"' in banner
    assert reverse("enterprises:report_list") + '"' not in banner
