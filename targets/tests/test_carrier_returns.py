"""The carrier's annual return (载体年报): figures entered by hand beside those the portal computes, the operating
report's workflow on the engine (draft, submit, verify, return, correct), the database's guarantees, the permission
matrix with other carriers' ids, the pages' query counts, and the Torch export's nine columns filled from it."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import translation

from accounts.models import Notification
from accounts.roles import Role
from conftest import make_user
from enterprises.choices import ReportStatus as S
from parks.models import Carrier
from targets import services
from targets.models import CarrierReturn, ReturnReminder
from targets.reporting import torch, torch_xlsx
from targets.return_rules import RETURN_FIGURES, portal_figures
from targets.selectors.carrier_returns import return_deadline, returns_due
from targets.tests import dataset
from targets.tests.test_torch_export import by_name, sheet_rows, workbook

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 12, 4)
FIGURES = {
    "operator_staff": 12, "professional_staff": 10, "certified_staff": 6, "mentors": 8,
    "fund_size": Decimal("600.00"), "fund_invested": Decimal("240.50"), "fund_cases": 5, "fund_invested_tenants": 4,
    "income_rent": Decimal("300.00"), "income_services": Decimal("120.25"), "income_investment": Decimal("30.00"),
    "income_subsidies": Decimal("50.00"), "income_other": Decimal("0"),
    "events_held": 24, "training_sessions": 6, "training_attendance": 310, "public_platforms": 2,
    "tenants_patent_applications": 0,
}  # fmt: skip


@pytest.fixture
def history(users):
    return dataset.build(users[Role.OPERATOR])


def started(carrier, by, year=2022, **figures) -> CarrierReturn:
    return services.return_create(carrier=carrier, year=year, by=by, data=figures, today=TODAY)


def filed(carrier, by, year=2022, **changes) -> CarrierReturn:
    return services.return_act(carrier_return=started(carrier, by, year, **(FIGURES | changes)), move="submit", by=by)


def verified(carrier, users, year=2022, **changes) -> CarrierReturn:
    return services.return_act(
        carrier_return=filed(carrier, users[Role.PARK_STAFF] if carrier.code == "big-data" else users[Role.OPERATOR],
                             year, **changes),
        move="verify", by=users[Role.OPERATOR],
    )  # fmt: skip


def test_a_draft_keeps_what_is_known_and_submitting_asks_for_every_figure(users, own_park):
    staff = users[Role.PARK_STAFF]
    draft = started(own_park, staff, mentors=3, income_rent=Decimal("12.5"))
    assert (draft.status, draft.mentors, draft.operator_staff, draft.total_income) == (S.DRAFT, 3, None, None)
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        services.return_act(carrier_return=draft, move="submit", by=staff)
    problems = refused.value.message_dict
    assert set(problems) == set(RETURN_FIGURES) - {"mentors", "income_rent"}
    assert problems["operator_staff"] == ["Enter “operator's staff” (0 if there is none)."]
    assert CarrierReturn.objects.get(pk=draft.pk).status == S.DRAFT  # nothing changed

    services.return_update(carrier_return=draft, by=staff, data=FIGURES, today=TODAY)
    submitted = services.return_act(carrier_return=draft, move="submit", by=staff)
    assert submitted.status == S.SUBMITTED and submitted.submitted_by == staff
    submitted.refresh_from_db()
    assert submitted.total_income == Decimal("500.25")  # the database adds the five incomes
    assert submitted.portal_figures == portal_figures(carrier=own_park, year=2022)  # frozen when submitted


def test_every_problem_is_named_at_once_and_nothing_is_saved(users, own_park):
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        started(own_park, users[Role.OPERATOR], operator_staff=3, professional_staff=5, certified_staff=6,
                fund_cases=1, fund_invested_tenants=2, income_rent=Decimal("-1"))  # fmt: skip
    assert refused.value.message_dict == {
        "professional_staff": ["Professional staff cannot exceed the operator's staff."],
        "certified_staff": ["Staff holding a certificate cannot exceed the professional staff."],
        "fund_invested_tenants": ["The tenants the fund invested in cannot exceed its investment cases."],
        "income_rent": ["“income from rent and property (10k yuan)” cannot be negative."],
    }
    with translation.override("en"), pytest.raises(ValidationError) as future:
        started(own_park, users[Role.OPERATOR], year=TODAY.year + 1)
    assert future.value.message_dict == {"year": ["The year cannot be in the future."]}
    assert not CarrierReturn.objects.exists()


def test_more_tenants_cannot_have_applied_for_patents_than_the_carrier_has(users, history):
    a = history["A"]
    draft = started(a, users[Role.OPERATOR], **(FIGURES | {"tenants_patent_applications": 3}))
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        services.return_act(carrier_return=draft, move="submit", by=users[Role.OPERATOR])
    (message,) = refused.value.message_dict["tenants_patent_applications"]
    assert "(2 on 31 December" in message  # A has two tenants at the end of 2022 (targets/tests/dataset.py)


def test_one_current_return_per_carrier_and_year_also_in_the_database(users, own_park):
    started(own_park, users[Role.OPERATOR])
    with pytest.raises(ValidationError) as refused:
        started(own_park, users[Role.PARK_STAFF])
    assert "year" in refused.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        CarrierReturn.objects.create(carrier=own_park, year=2022, version=2, created_by=users[Role.OPERATOR])
    for constraint, values in [
        ("carrierreturn_staff_within_staff", {"operator_staff": 1, "professional_staff": 2}),
        ("carrierreturn_tenants_within_cases", {"fund_cases": 1, "fund_invested_tenants": 2}),
        ("carrierreturn_money_not_negative", {"fund_size": Decimal("-1")}),
    ]:
        with pytest.raises(IntegrityError, match=constraint), transaction.atomic():
            CarrierReturn.objects.create(carrier=own_park, year=2019, created_by=users[Role.OPERATOR], **values)


def test_verify_locks_and_a_correction_is_a_new_version(users, own_park):
    operator, staff = users[Role.OPERATOR], users[Role.PARK_STAFF]
    first = verified(own_park, users)
    assert first.status == S.VERIFIED and first.verified_by == operator
    with pytest.raises(ValidationError):
        services.return_update(carrier_return=first, by=staff, data={"mentors": 9}, today=TODAY)
    # The database refuses any change to a verified return but its being superseded, and any delete.
    with pytest.raises(IntegrityError, match="verified"), transaction.atomic():
        CarrierReturn.objects.filter(pk=first.pk).update(mentors=99)
    with pytest.raises(IntegrityError, match="verified"), transaction.atomic():
        CarrierReturn.objects.filter(pk=first.pk).delete()

    with pytest.raises(ValidationError):
        services.return_act(carrier_return=first, move="correct", by=staff)  # a reason is needed
    second = services.return_act(carrier_return=first, move="correct", by=staff, message="导师人数统计有误")
    assert (second.version, second.status, second.supersedes_id, second.mentors) == (2, S.DRAFT, first.pk, 8)
    first.refresh_from_db()
    assert first.status == S.SUPERSEDED and first.mentors == 8
    with pytest.raises(IntegrityError, match="verified"), transaction.atomic():
        CarrierReturn.objects.filter(pk=first.pk).update(status=S.DRAFT)
    services.return_update(carrier_return=second, by=staff, data={"mentors": 9}, today=TODAY)
    assert services.return_act(carrier_return=second, move="submit", by=staff).status == S.SUBMITTED


def test_the_operating_company_returns_it_with_a_comment_and_the_carrier_is_told(users, own_park):
    operator, staff = users[Role.OPERATOR], users[Role.PARK_STAFF]
    submitted = filed(own_park, staff)
    assert Notification.objects.filter(recipient=operator, link=reverse("targets:return_detail", args=[submitted.pk]))
    with pytest.raises(PermissionDenied):
        services.return_act(carrier_return=submitted, move="verify", by=staff)  # park staff do not verify
    with pytest.raises(ValidationError):
        services.return_act(carrier_return=submitted, move="return", by=operator)  # a comment is needed
    returned = services.return_act(carrier_return=submitted, move="return", by=operator, message="请核对培训人次")
    assert (returned.status, returned.staff_comment) == (S.RETURNED, "请核对培训人次")
    assert Notification.objects.filter(recipient=staff, body="请核对培训人次").exists()
    services.return_update(carrier_return=returned, by=staff, data={"training_attendance": 290}, today=TODAY)
    assert services.return_act(carrier_return=returned, move="submit", by=staff).status == S.SUBMITTED


def test_who_may_file_read_and_verify(users, own_park, other_park):
    """Park staff file for their own carriers only (another carrier's id: refused); the bureau reads every return
    and files none; enterprises and experts see none."""
    with pytest.raises(PermissionDenied):
        started(other_park, users[Role.PARK_STAFF])
    for role in (Role.BUREAU, Role.ENTERPRISE, Role.EXPERT):
        with pytest.raises(PermissionDenied):
            started(own_park, users[role])
    elsewhere = filed(other_park, users[Role.OPERATOR])
    mine = started(own_park, users[Role.PARK_STAFF])
    with pytest.raises(PermissionDenied):
        services.return_update(carrier_return=elsewhere, by=users[Role.PARK_STAFF], data={"mentors": 1})
    with pytest.raises(PermissionDenied):
        services.return_act(carrier_return=elsewhere, move="verify", by=users[Role.BUREAU])
    assert set(CarrierReturn.objects.for_user(users[Role.PARK_STAFF])) == {mine}
    assert set(CarrierReturn.objects.for_user(users[Role.BUREAU])) == {mine, elsewhere}
    assert not CarrierReturn.objects.for_user(users[Role.ENTERPRISE]).exists()
    assert not CarrierReturn.objects.for_user(users[Role.EXPERT]).exists()


@pytest.mark.parametrize(
    ("role", "own", "other"),
    [(Role.OPERATOR, 200, 200), (Role.PARK_STAFF, 200, 404), (Role.BUREAU, 200, 200), (Role.ENTERPRISE, 403, 403),
     (Role.EXPERT, 403, 403), (None, 302, 302)],
)  # fmt: skip
def test_the_pages_answer_each_role_with_other_carriers_ids(visit, users, own_park, other_park, role, own, other):
    mine, theirs = started(own_park, users[Role.OPERATOR]), started(other_park, users[Role.OPERATOR])
    client = visit(role)
    assert client.get(reverse("targets:return_detail", args=[mine.pk])).status_code == own
    assert client.get(reverse("targets:return_detail", args=[theirs.pk])).status_code == other
    listed = client.get(reverse("targets:returns"))
    assert listed.status_code == (own if own != 404 else 200)
    edit = client.post(reverse("targets:return_update", args=[theirs.pk]), {"mentors": "5", "action": "save"})
    expected = {Role.OPERATOR: 302, Role.PARK_STAFF: 404, Role.BUREAU: 403, None: 302}.get(role, 403)
    assert edit.status_code == expected
    assert CarrierReturn.objects.get(pk=theirs.pk).mentors == (5 if role == Role.OPERATOR else None)
    if role in (Role.PARK_STAFF, Role.BUREAU):  # a move on another carrier's return: absent, or refused
        move = client.post(reverse("targets:return_move", args=[theirs.pk, "submit"]))
        assert move.status_code == {Role.PARK_STAFF: 404, Role.BUREAU: 403}[role]
        assert CarrierReturn.objects.get(pk=theirs.pk).status == S.DRAFT


def test_park_staff_file_a_return_in_the_browser_forms(client_for, users, own_park):
    client = client_for(users[Role.PARK_STAFF])
    start = client.post(reverse("targets:return_start"), {"carrier": own_park.pk, "year": "2025"})
    carrier_return = CarrierReturn.objects.get(carrier=own_park, year=2025)
    assert start["Location"] == reverse("targets:return_update", args=[carrier_return.pk])
    other = Carrier.objects.exclude(pk=own_park.pk).first()
    refused = client.post(reverse("targets:return_start"), {"carrier": other.pk, "year": "2025"})
    assert refused.status_code == 200 and not CarrierReturn.objects.filter(carrier=other).exists()

    form = client.get(start["Location"])
    assert form.status_code == 200
    page = form.content.decode()
    assert "portal-figures" in page and page.count("by-hand") == 4
    bad = client.post(start["Location"], {**{k: str(v) for k, v in FIGURES.items()}, "professional_staff": "20",
                                          "action": "submit"})  # fmt: skip
    assert bad.status_code == 200 and "return-errors" in bad.content.decode()
    assert CarrierReturn.objects.get(pk=carrier_return.pk).mentors is None  # nothing saved
    good = client.post(start["Location"], {**{k: str(v) for k, v in FIGURES.items()}, "action": "submit"})
    assert good["Location"] == reverse("targets:return_detail", args=[carrier_return.pk])
    carrier_return.refresh_from_db()
    assert carrier_return.status == S.SUBMITTED and carrier_return.training_attendance == 310
    detail = client.get(good["Location"]).content.decode()
    assert "as they stood when submitted" in detail or "提交时" in detail


def test_the_list_costs_the_same_queries_at_two_sizes(client_for, users, django_assert_max_num_queries):
    carriers = list(Carrier.objects.all())
    for year in (2023, 2024):
        for carrier in carriers:
            started(carrier, users[Role.OPERATOR], year=year)
    client = client_for(users[Role.OPERATOR])
    with django_assert_max_num_queries(12) as small:
        assert client.get(reverse("targets:returns")).status_code == 200
    for year in (2019, 2020, 2021, 2022):
        for carrier in carriers:
            started(carrier, users[Role.OPERATOR], year=year)
    with django_assert_max_num_queries(len(small.captured_queries)):
        page = client.get(reverse("targets:returns") + "?sort=carrier")
    assert page.status_code == 200 and page.context["page_obj"].paginator.count == 6 * len(carriers)


def test_the_torch_export_fills_its_nine_columns_from_verified_returns(users, history):
    a, b, c = history["A"], history["B"], history["C"]
    export = torch.torch_export(user=users[Role.OPERATOR], year=2022)
    assert all(row.get("mentors") is None for row in export.incubators)  # no return yet: left empty

    verified(a, users, mentors=8, tenants_patent_applications=1)
    filed(b, users[Role.OPERATOR], tenants_patent_applications=1)  # submitted, not verified: not exported
    rows = by_name(torch.torch_export(user=users[Role.OPERATOR], year=2022).incubators, "carrier")
    row_a = rows[a.name]
    assert (row_a["service_staff"], row_a["mentors"], row_a["fund_cases"]) == (10, 8, 5)
    assert row_a["fund_size"] == Decimal("6000.0")  # 600 万元 → 6,000 千元
    assert row_a["total_income"] == Decimal("5002.5") and row_a["rent_income"] == Decimal("3000")
    assert row_a["service_income"] == Decimal("1202.5") and row_a["investment_income"] == Decimal("300")
    assert row_a["tenants_patent_applications"] == 1
    assert rows[b.name].get("mentors") is None
    assert rows[torch.DISTRICT_NAME].get("mentors") is None  # not every carrier's return is verified

    for carrier in Carrier.objects.exclude(pk__in=[a.pk, b.pk]):
        verified(carrier, users)
    b_return = CarrierReturn.objects.get(carrier=b, year=2022)
    services.return_act(carrier_return=b_return, move="verify", by=users[Role.OPERATOR])
    export = torch.torch_export(user=users[Role.OPERATOR], year=2022)
    district = by_name(export.incubators, "carrier")[torch.DISTRICT_NAME]
    assert district["mentors"] == 8 * Carrier.objects.count()
    assert district["tenants_patent_applications"] == 2  # A's and B's

    book = workbook(torch_xlsx.render_torch_xlsx(export))
    sheet_a = by_name(sheet_rows(book["孵化载体"]), "孵化载体名称")[a.name]
    assert sheet_a["创业导师人数（人）"] == 8
    notes = " ".join(str(cell) for row in book["说明"].iter_rows(values_only=True) for cell in row if cell)
    assert "载体年报" in notes
    assert c.name in rows


def test_a_superseded_version_is_kept_and_the_export_reads_the_current_one(users, own_park):
    first = verified(own_park, users, year=2024)
    second = services.return_act(carrier_return=first, move="correct", by=users[Role.OPERATOR], message="更正")
    export = torch.torch_export(user=users[Role.OPERATOR], year=2024)
    assert by_name(export.incubators, "carrier")[own_park.name].get("mentors") is None  # the correction is a draft
    services.return_update(carrier_return=second, by=users[Role.OPERATOR], data={"mentors": 11}, today=TODAY)
    services.return_act(carrier_return=second, move="submit", by=users[Role.OPERATOR])
    services.return_act(carrier_return=second, move="verify", by=users[Role.OPERATOR])
    export = torch.torch_export(user=users[Role.OPERATOR], year=2024)
    assert by_name(export.incubators, "carrier")[own_park.name]["mentors"] == 11
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM targets_carrierreturn WHERE carrier_id = %s", [own_park.pk])
        assert cursor.fetchone()[0] == 2


def test_a_second_park_manager_sees_their_carrier_only(users, own_park, other_park):
    manager = make_user("park2", Role.PARK_STAFF)
    other_park.staff.add(manager)
    started(own_park, users[Role.PARK_STAFF])
    theirs = started(other_park, manager)
    assert list(CarrierReturn.objects.for_user(manager)) == [theirs]


def test_the_api_files_reads_and_moves_a_return_with_the_pages_rules(client_for, users, own_park, other_park):
    staff = client_for(users[Role.PARK_STAFF])
    created = staff.post("/api/v1/carrier-returns/", {"carrier": own_park.pk, "year": 2025, "mentors": 4},
                         content_type="application/json")  # fmt: skip
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["mentors"] == 4 and body["status"] == S.DRAFT and body["portal_figures_frozen"] is False
    assert set(body["portal_figures"]) >= {"tenants", "total_area", "graduates_cumulative"}
    assert body["allowed_moves"] == ["submit"]
    pk = body["id"]
    # Another carrier's id: refused, nothing made.
    other = staff.post("/api/v1/carrier-returns/", {"carrier": other_park.pk, "year": 2025},
                       content_type="application/json")  # fmt: skip
    assert other.status_code == 403 and not CarrierReturn.objects.filter(carrier=other_park).exists()

    incomplete = staff.post(f"/api/v1/carrier-returns/{pk}/submit/", {}, content_type="application/json")
    assert incomplete.status_code == 400 and "operator_staff" in incomplete.json()
    payload = {k: str(v) if isinstance(v, Decimal) else v for k, v in FIGURES.items()}
    patched = staff.patch(f"/api/v1/carrier-returns/{pk}/", payload, content_type="application/json")
    assert patched.status_code == 200 and patched.json()["total_income"] == "500.25"
    submitted = staff.post(f"/api/v1/carrier-returns/{pk}/submit/", {}, content_type="application/json")
    assert submitted.status_code == 200 and submitted.json()["status"] == S.SUBMITTED
    assert submitted.json()["portal_figures_frozen"] is True
    assert staff.post(f"/api/v1/carrier-returns/{pk}/verify/", {}, content_type="application/json").status_code == 403

    bureau = client_for(users[Role.BUREAU])
    assert bureau.get(f"/api/v1/carrier-returns/{pk}/").status_code == 200
    assert (
        bureau.patch(f"/api/v1/carrier-returns/{pk}/", {"mentors": 1}, content_type="application/json").status_code
        == 403
    )
    operator = client_for(users[Role.OPERATOR])
    done = operator.post(f"/api/v1/carrier-returns/{pk}/verify/", {}, content_type="application/json")
    assert (
        done.status_code == 200 and done.json()["status"] == S.VERIFIED and done.json()["allowed_moves"] == ["correct"]
    )
    listed = operator.get("/api/v1/carrier-returns/?year=2025&current=true").json()
    assert [row["id"] for row in listed["results"]] == [pk]
    for role in (Role.ENTERPRISE, Role.EXPERT):
        assert client_for(users[role]).get(f"/api/v1/carrier-returns/{pk}/").status_code in (403, 404)


def test_the_api_list_costs_the_same_queries_at_two_sizes(client_for, users, django_assert_max_num_queries):
    carriers = list(Carrier.objects.all())
    for carrier in carriers:
        started(carrier, users[Role.OPERATOR], year=2024)
    client = client_for(users[Role.PARK_STAFF])
    with django_assert_max_num_queries(12) as small:
        assert client.get("/api/v1/carrier-returns/").status_code == 200
    for year in (2019, 2020, 2021):
        for carrier in carriers:
            started(carrier, users[Role.OPERATOR], year=year)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get("/api/v1/carrier-returns/").json()["count"] == 4


# Each role, on the park administrator's own carrier's return and another carrier's: (read, change, submit) answers
# through the API. Park staff meet another carrier's return as absent (404); the bureau reads and writes nothing.
API_MATRIX = {
    Role.ADMIN: ((200, 200, 200), (200, 200, 200)),
    Role.OPERATOR: ((200, 200, 200), (200, 200, 200)),
    Role.PARK_STAFF: ((200, 200, 200), (404, 404, 404)),
    Role.BUREAU: ((200, 403, 403), (200, 403, 403)),
    Role.EXPERT: ((403, 403, 403), (403, 403, 403)),
    Role.ENTERPRISE: ((403, 403, 403), (403, 403, 403)),
    None: ((403, 403, 403), (403, 403, 403)),
}


@pytest.mark.parametrize("role", API_MATRIX, ids=lambda role: role or "anonymous")
def test_the_api_answers_each_role_with_other_carriers_ids(visit, users, own_park, other_park, role):
    client = visit(role)
    for carrier, expected in zip((own_park, other_park), API_MATRIX[role], strict=True):
        carrier_return = started(carrier, users[Role.OPERATOR], **(FIGURES | {"mentors": 3}))
        url = f"/api/v1/carrier-returns/{carrier_return.pk}/"
        answers = (
            client.get(url).status_code,
            client.patch(url, {"mentors": 9}, content_type="application/json").status_code,
            client.post(url + "submit/", {}, content_type="application/json").status_code,
        )
        assert answers == expected, (carrier.code, answers)
        carrier_return.refresh_from_db()
        changed = expected[1] == 200
        assert carrier_return.mentors == (9 if changed else 3)
        assert carrier_return.status == (S.SUBMITTED if changed else S.DRAFT)


def test_carriers_that_have_not_filed_are_reminded_on_the_operating_reports_schedule(users, own_park, other_park):
    """Last year's return is due with the tenants' annual reports (31 March): carriers without a submitted or
    verified return are reminded 14 and 3 days before and weekly after, each reminder once; their staff are told,
    and the operating company for a carrier without staff of its own. A submitted return stops the reminders; a
    draft does not."""
    carriers = Carrier.objects.count()
    filed(other_park, users[Role.OPERATOR], year=2025)  # submitted: not reminded
    started(own_park, users[Role.PARK_STAFF], year=2025, mentors=2)  # a draft: still reminded
    assert services.return_reminders_send(today=datetime.date(2026, 3, 16)) == 0  # 15 days before
    assert services.return_reminders_send(today=datetime.date(2026, 3, 17)) == carriers - 1
    assert services.return_reminders_send(today=datetime.date(2026, 3, 17)) == 0  # once, however often it runs
    assert not ReturnReminder.objects.filter(carrier=other_park).exists()
    told = Notification.objects.get(recipient=users[Role.PARK_STAFF])
    # The words kept besides the phrase are in the portal's language.
    assert told.subject == "请填报大数据产业园 2025 年载体年报"
    assert "截止日期为 2026-03-31" in told.body, told.body
    assert told.link == reverse("targets:returns")
    core = ReturnReminder.objects.get(carrier__code="qizhihui", kind="due_soon")
    assert core.recipients == 1  # the operating company's one user here
    assert Notification.objects.filter(recipient=users[Role.OPERATOR]).count() == carriers - 2
    assert core.due_on == datetime.date(2026, 3, 31) and core.year == 2025

    assert services.return_reminders_send(today=datetime.date(2026, 3, 29)) == carriers - 1  # three days before
    assert services.return_reminders_send(today=datetime.date(2026, 4, 1)) == carriers - 1  # overdue, week 1
    assert services.return_reminders_send(today=datetime.date(2026, 4, 7)) == 0  # still week 1
    mine = CarrierReturn.objects.get(carrier=own_park, year=2025)
    services.return_update(carrier_return=mine, by=users[Role.PARK_STAFF], data=FIGURES, today=TODAY)
    services.return_act(carrier_return=mine, move="submit", by=users[Role.PARK_STAFF])
    assert services.return_reminders_send(today=datetime.date(2026, 4, 8)) == carriers - 2  # week 2, not big-data
    assert list(
        ReturnReminder.objects.filter(carrier=own_park).order_by("sent_at", "pk").values_list("kind", "sequence")
    ) == [("due_soon", 0), ("due_imminent", 0), ("overdue", 1)]


def test_the_reminder_job_runs_from_celery_and_beat_declares_it(users, own_park):
    from config.celery import app
    from targets.tasks import send_return_reminders

    entry = app.conf.beat_schedule["targets.send_return_reminders"]
    assert entry["task"] == send_return_reminders.name
    assert send_return_reminders.apply(args=["2026-04-01"]).get() == Carrier.objects.count()
    assert send_return_reminders.apply(args=["2026-04-01"]).get() == 0


@pytest.mark.parametrize("size", [0, 12])
def test_finding_the_carriers_to_remind_costs_the_same_queries_at_two_sizes(users, size,
                                                                           django_assert_max_num_queries):  # fmt: skip
    for n in range(size):
        Carrier.objects.create(code=f"extra-{n}", kind="park", name=f"另一园区{n}", stages=["incubator"])
    with django_assert_max_num_queries(2):
        due = returns_due(today=datetime.date(2026, 4, 1), within_days=14)
    assert len(due) == Carrier.objects.count()


def test_the_list_says_when_last_years_return_is_due(client_for, users, own_park):
    """Above the list, the carriers with no return for last year yet, with its deadline (or how late it is)."""
    from django.utils import timezone

    page = client_for(users[Role.PARK_STAFF]).get(reverse("targets:returns")).content.decode()
    today = timezone.localdate()
    deadline = return_deadline(year=today.year - 1)
    late = (today - deadline.due_on).days
    expected = f"已逾期 {late} 天" if late > 0 else "与在孵企业年度经营数据同时截止"
    assert f"截止日期 {deadline.due_on:%Y-%m-%d}，{expected}" in page
