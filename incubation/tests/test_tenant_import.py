"""Importing existing tenants: reading the file, explaining every bad row, the preview that writes nothing, the
confirmation that applies once, and a second import of the same file that creates nothing."""

import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from openpyxl import load_workbook

from accounts.models import AuditEvent
from accounts.roles import Role
from enterprises import services as enterprise_services
from enterprises.models import Enterprise
from enterprises.uscc import uscc_problem
from incubation import services, tenant_import
from incubation.models import Residency, TenantImport, TenantImportStatus
from incubation.tenant_import import RowStatus, tenant_import_apply, tenant_import_preview
from incubation.tests.import_files import OTHER_USCC, VALID_USCC, fill_template, tenant_row, xlsx
from parks.models import Carrier

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def operator(users):
    return users[Role.OPERATOR]


def preview(user, rows, **kwargs) -> TenantImport:
    return tenant_import_preview(by=user, file_name="名册.xlsx", content=xlsx(rows, **kwargs))


def only_row(record: TenantImport) -> dict:
    assert len(record.rows) == 1
    return record.rows[0]


def errors_of(user, **values) -> list[str]:
    row = only_row(preview(user, [tenant_row(**values)]))
    assert row["status"] == RowStatus.ERROR
    return row["errors"]


# --- Reading the file --------------------------------------------------------------------------------------------


def test_the_template_has_the_header_drop_downs_and_instructions(operator, own_park):
    workbook = load_workbook(io.BytesIO(tenant_import.template_workbook(user=operator)))
    sheet = workbook.worksheets[0]
    header = [cell.value for cell in sheet[1]]
    assert header[:3] == ["企业名称 *", "统一社会信用代码", "注册日期"]
    assert sheet["A1"].font.b, "the header is bold"
    validated = {str(validation.sqref).split(":")[0] for validation in sheet.data_validations.dataValidation}
    assert {"I2", "J2"} <= validated, "carrier and stage have drop-downs"
    lists = workbook.worksheets[1]
    assert own_park.name in [cell.value for cell in lists["A"]]
    assert len(workbook.worksheets) == 3 and workbook.worksheets[2]["D2"].value, "an instructions sheet with an example"


def test_the_template_offers_park_staff_only_their_carriers(users, own_park, other_park):
    workbook = load_workbook(io.BytesIO(tenant_import.template_workbook(user=users[Role.PARK_STAFF])))
    carriers = [cell.value for cell in workbook.worksheets[1]["A"] if cell.value][1:]
    assert carriers == [own_park.name]


def test_the_filled_in_template_reads_back(operator):
    content = fill_template(tenant_import.template_workbook(user=operator), [tenant_row()])
    record = tenant_import_preview(by=operator, file_name="t.xlsx", content=content)
    assert only_row(record)["status"] == RowStatus.NEW, only_row(record)["errors"]


@pytest.mark.parametrize(
    ("content", "says"),
    [
        ("企业名称,统一社会信用代码\n某公司,91310110666007217T\n".encode(), "不是 Excel 工作簿"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, ".xls"),
        (b"PK\x03\x04 this is not really a zip", "无法作为 Excel 工作簿"),
    ],
    ids=["csv", "old-xls", "damaged"],
)
def test_a_file_that_is_not_xlsx_is_refused_by_its_content(operator, content, says):
    with pytest.raises(ValidationError) as refused:
        tenant_import_preview(by=operator, file_name="名册.xlsx", content=content)
    assert says in refused.value.messages[0]
    assert not TenantImport.objects.exists()


def test_a_file_without_the_template_header_names_the_missing_columns(operator):
    with pytest.raises(ValidationError) as refused:
        preview(operator, [tenant_row()], header=["名称", "代码"])
    assert "企业名称" in refused.value.messages[0] and "载体" in refused.value.messages[0]


def test_the_header_may_be_in_english(operator):
    header = ["Enterprise name", "Unified social credit code", "Registration date", "Legal representative",
              "Contact person", "Contact phone", "Contact email", "Industry focus field", "Carrier", "Stage",
              "Start date", "Planned end date", "Agreement number", "Note"]  # fmt: skip
    assert only_row(preview(operator, [tenant_row()], header=header))["status"] == RowStatus.NEW


def test_too_many_rows_are_refused(operator, monkeypatch):
    monkeypatch.setattr(tenant_import, "MAX_ROWS", 2)
    with pytest.raises(ValidationError) as refused:
        preview(operator, [tenant_row(name=f"团队{n}", uscc="") for n in range(3)])
    assert "2" in refused.value.messages[0]


def test_an_empty_file_is_refused(operator):
    with pytest.raises(ValidationError):
        preview(operator, [])


# --- Every kind of bad row, explained --------------------------------------------------------------------------


def test_a_bad_code_says_what_is_wrong_with_it(operator):
    wrong = VALID_USCC[:17] + "A"
    assert errors_of(operator, uscc=wrong) == [f"统一社会信用代码：{uscc_problem(wrong)}"]
    assert "校验码" in uscc_problem(wrong)


def test_a_code_stored_as_a_number_is_refused(operator):
    assert "数字" in errors_of(operator, uscc=913101106660072170)[0]


def test_an_unknown_carrier_is_named_with_the_choices(operator):
    (error,) = errors_of(operator, carrier="不存在的园区")
    assert "不存在的园区" in error and "大数据产业园" in error


def test_a_carrier_may_be_given_by_its_code(operator):
    assert only_row(preview(operator, [tenant_row(carrier="big-data")]))["status"] == RowStatus.NEW


def test_a_stage_the_carrier_does_not_offer(operator):
    (error,) = errors_of(operator, stage="加速器")  # the parks offer incubator and industrial park only
    assert "大数据产业园" in error and "孵化器、产业园" in error


def test_an_unknown_stage(operator):
    assert "不是孵化阶段" in errors_of(operator, stage="毕业")[0]


def test_an_unknown_focus_field(operator):
    assert "区块链" in errors_of(operator, industry_field="区块链")[0]


@pytest.mark.parametrize(
    ("values", "column"),
    [
        ({"started_on": "2024-13-45"}, "开始日期"),
        ({"started_on": None}, "开始日期"),
        ({"registered_on": "去年"}, "注册日期"),
        ({"registered_on": None}, "注册日期"),
    ],
    ids=["bad-start", "missing-start", "bad-registration", "company-without-registration"],
)
def test_bad_or_missing_dates(operator, values, column):
    (error,) = errors_of(operator, **values)
    assert error.startswith(column)


def test_dates_may_be_excel_dates_or_chinese_text(operator):
    excel_date = datetime.datetime(2024, 3, 1)  # noqa: DTZ001 (openpyxl reads date cells as naive datetimes)
    row = only_row(preview(operator, [tenant_row(started_on=excel_date, planned_end_on="2028年2月29日")]))
    assert (row["data"]["started_on"], row["data"]["planned_end_on"]) == ("2024-03-01", "2028-02-29")


def test_planned_end_before_start(operator):
    assert "计划结束日期必须晚于开始日期" in errors_of(operator, planned_end_on="2024-01-01")[0]


def test_bad_phone_and_email(operator):
    errors = errors_of(operator, contact_phone="12345", contact_email="not-an-email")
    assert [error.split("：")[0] for error in errors] == ["联系电话", "联系邮箱"]


def test_a_required_name_is_missing(operator):
    assert errors_of(operator, name="")[0].startswith("企业名称")


def test_the_same_code_twice_in_the_file_names_the_other_row(operator):
    record = preview(operator, [tenant_row(), tenant_row(name="另一个名字")])
    assert [row["status"] for row in record.rows] == [RowStatus.ERROR, RowStatus.ERROR]
    assert "第 3 行" in record.rows[0]["errors"][0] and "第 2 行" in record.rows[1]["errors"][0]


def test_an_enterprise_in_residence_elsewhere_is_a_conflict(operator, other_park):
    enterprise = enterprise_services.enterprise_create(
        by=operator, data={"name": "已在孵企业", "kind": "company", "uscc": VALID_USCC, "registered_on": D(2023, 3, 1)}
    )
    services.residency_open(enterprise=enterprise, carrier=other_park, stage="incubator", started_on=D(2024, 1, 1),
                            by=operator)  # fmt: skip
    (error,) = errors_of(operator)
    assert "新医药产业园" in error and "转移" in error


def test_a_team_row_without_code_that_names_a_registered_company_asks_for_the_code(operator):
    enterprise_services.enterprise_create(
        by=operator, data={"name": "齐创科技", "kind": "company", "uscc": VALID_USCC, "registered_on": D(2023, 3, 1)}
    )
    assert VALID_USCC in errors_of(operator, name="齐创科技", uscc="", registered_on=None)[0]


# --- What a good row would do ------------------------------------------------------------------------------------


def test_statuses_new_update_unchanged(operator, own_park):
    existing = enterprise_services.enterprise_create(
        by=operator, data={"name": "老企业", "kind": "company", "uscc": OTHER_USCC, "registered_on": D(2020, 5, 1)}
    )
    kept = enterprise_services.enterprise_create(by=operator, data={"name": "老团队", "kind": "team"})
    services.residency_open(enterprise=kept, carrier=own_park, stage="incubator", started_on=D(2024, 3, 1), by=operator)
    record = preview(
        operator,
        [
            tenant_row(),
            tenant_row(name="老企业", uscc=OTHER_USCC, registered_on="2020-05-01", legal_representative="王五"),
            tenant_row(name="老团队", uscc="", registered_on=None, legal_representative="", contact_name="",
                       contact_phone="", contact_email="", industry_field=""),
        ],
    )  # fmt: skip
    new, update, unchanged = record.rows
    assert (new["status"], new["enterprise_action"], new["residency_action"]) == ("new", "create", "open")
    assert update["status"] == "update" and update["enterprise_id"] == existing.pk
    assert update["changes"]["legal_representative"][1] == "王五"
    assert (unchanged["status"], unchanged["residency_action"]) == ("unchanged", "keep")
    assert record.counts == {"error": 0, "new": 1, "update": 1, "unchanged": 1, "total": 3}


def test_the_preview_writes_nothing_but_the_draft(operator):
    before = (Enterprise.objects.count(), Residency.objects.count())
    record = preview(operator, [tenant_row(), tenant_row(name="新团队", uscc="", registered_on=None)])
    assert (Enterprise.objects.count(), Residency.objects.count()) == before
    assert record.status == TenantImportStatus.DRAFT and record.counts["new"] == 2
    assert len(record.file_sha256) == 64


# --- Confirming ---------------------------------------------------------------------------------------------------


def test_confirming_applies_once_through_the_services_with_audit(operator, own_park):
    record = preview(operator, [tenant_row(), tenant_row(name="新团队", uscc="", registered_on=None)])
    applied = tenant_import_apply(tenant_import=record, by=operator)
    assert applied.applied_now and applied.status == TenantImportStatus.APPLIED and applied.applied_by == operator
    company = Enterprise.objects.get(uscc=VALID_USCC)
    assert company.industry_field.name == "人工智能" and company.contact_phone == "13805331234"
    residency = Residency.objects.get(enterprise=company)
    assert (residency.carrier, residency.stage, residency.planned_end_on) == (own_park, "incubator", D(2028, 2, 29))
    assert applied.counts["enterprises_created"] == 2 and applied.counts["residencies_opened"] == 2
    events = AuditEvent.objects.filter(actor=operator)
    assert events.filter(object_repr__contains="名册.xlsx").count() == 2, "upload and confirmation are audited"
    assert events.filter(content_type__model="enterprise", action="create").count() == 2

    counted = (Enterprise.objects.count(), Residency.objects.count(), AuditEvent.objects.count())
    again = tenant_import_apply(tenant_import=record, by=operator)  # a double click, a second tab
    assert not again.applied_now
    assert (Enterprise.objects.count(), Residency.objects.count(), AuditEvent.objects.count()) == counted


def test_importing_the_same_file_again_creates_nothing(operator):
    rows = [tenant_row(), tenant_row(name="新团队", uscc="", registered_on=None)]
    tenant_import_apply(tenant_import=preview(operator, rows), by=operator)
    counted = (Enterprise.objects.count(), Residency.objects.count())

    second = preview(operator, rows)
    assert [row["status"] for row in second.rows] == [RowStatus.UNCHANGED, RowStatus.UNCHANGED]
    tenant_import_apply(tenant_import=second, by=operator)
    assert (Enterprise.objects.count(), Residency.objects.count()) == counted


def test_a_preview_with_errors_cannot_be_confirmed(operator):
    record = preview(operator, [tenant_row(), tenant_row(name="坏行", uscc="", registered_on=None, carrier="无此园")])
    with pytest.raises(ValidationError):
        tenant_import_apply(tenant_import=record, by=operator)
    assert not Enterprise.objects.exists()
    record.refresh_from_db()
    assert record.status == TenantImportStatus.DRAFT


def test_a_preview_the_portal_has_overtaken_is_refused_whole(operator, other_park):
    record = preview(operator, [tenant_row(name="新团队", uscc="", registered_on=None), tenant_row()])
    enterprise = enterprise_services.enterprise_create(
        by=operator, data={"name": "抢先登记", "kind": "company", "uscc": VALID_USCC, "registered_on": D(2023, 3, 1)}
    )
    services.residency_open(enterprise=enterprise, carrier=other_park, stage="incubator", started_on=D(2024, 1, 1),
                            by=operator)  # fmt: skip
    with pytest.raises(ValidationError) as refused:
        tenant_import_apply(tenant_import=record, by=operator)
    assert "3" in refused.value.messages[0]
    assert not Enterprise.objects.filter(name="新团队").exists(), "nothing of the import was written"


# --- Park staff ---------------------------------------------------------------------------------------------------


def test_park_staff_import_only_into_their_carriers_and_only_known_enterprises(users, operator, own_park):
    park = users[Role.PARK_STAFF]
    enterprise_services.enterprise_create(
        by=operator, data={"name": "已登记企业", "kind": "company", "uscc": OTHER_USCC, "registered_on": D(2022, 1, 1)}
    )
    record = preview(
        park,
        [
            tenant_row(name="已登记企业", uscc=OTHER_USCC, registered_on="2022-01-01", legal_representative="改名"),
            tenant_row(name="新团队", uscc="", registered_on=None),
            tenant_row(name="他园团队", uscc="", registered_on=None, carrier="新医药产业园"),
        ],
    )
    known, new, elsewhere = record.rows
    assert known["status"] == RowStatus.UPDATE and known["enterprise_action"] == "keep"
    assert "法定代表人" in known["notes"][0], "park staff may not change enterprise records: the note says so"
    assert new["status"] == RowStatus.ERROR and "运营公司" in new["errors"][0]
    assert elsewhere["status"] == RowStatus.ERROR and any("新医药产业园" in error for error in elsewhere["errors"])


def test_park_staff_apply_a_residency_at_their_carrier(users, operator, own_park):
    park = users[Role.PARK_STAFF]
    enterprise = enterprise_services.enterprise_create(
        by=operator, data={"name": "已登记企业", "kind": "company", "uscc": OTHER_USCC, "registered_on": D(2022, 1, 1)}
    )
    record = preview(park, [tenant_row(name="已登记企业", uscc=OTHER_USCC, registered_on="2022-01-01")])
    tenant_import_apply(tenant_import=record, by=park)
    assert Residency.objects.get(enterprise=enterprise).carrier == own_park


def test_other_roles_may_not_preview_or_apply(users, operator):
    record = preview(operator, [tenant_row()])
    for role in (Role.BUREAU, Role.EXPERT, Role.ENTERPRISE):
        with pytest.raises(PermissionDenied):
            tenant_import_preview(by=users[role], file_name="x.xlsx", content=xlsx([tenant_row()]))
        with pytest.raises(PermissionDenied):
            tenant_import_apply(tenant_import=record, by=users[role])
    with pytest.raises(PermissionDenied):
        tenant_import_apply(tenant_import=record, by=users[Role.PARK_STAFF])  # the operator's import, not theirs


# --- Query counts -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("size", [3, 40])
def test_the_preview_costs_the_same_queries_whatever_the_number_of_rows(operator, django_assert_max_num_queries, size):
    for n in range(size // 2):  # half the rows are enterprises already in the portal
        enterprise_services.enterprise_create(by=operator, data={"name": f"团队{n:03d}", "kind": "team"})
    content = xlsx([tenant_row(name=f"团队{n:03d}", uscc="", registered_on=None) for n in range(size)])
    Carrier.objects.count()  # warm nothing: each preview loads its own reference data
    with django_assert_max_num_queries(16):
        tenant_import_preview(by=operator, file_name="x.xlsx", content=content)


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_confirmations_apply_once(users):
    """Two tabs confirm at the same moment: the import row's lock makes the second wait and find it applied."""
    import threading

    from django.db import connection

    operator = users[Role.OPERATOR]
    record = preview(operator, [tenant_row(), tenant_row(name="新团队", uscc="", registered_on=None)])
    barrier = threading.Barrier(2)
    outcomes = []

    def confirm():
        try:
            barrier.wait()
            outcomes.append(tenant_import_apply(tenant_import=record, by=operator).applied_now)
        finally:
            connection.close()

    threads = [threading.Thread(target=confirm) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == [False, True]
    assert Enterprise.objects.count() == 2 and Residency.objects.count() == 2


def test_phone_numbers_are_masked_in_the_preview_but_written_in_full(operator):
    enterprise_services.enterprise_create(
        by=operator,
        data={"name": "老企业", "kind": "company", "uscc": OTHER_USCC, "registered_on": D(2020, 5, 1),
              "contact_phone": "13805330000"},
    )  # fmt: skip
    record = preview(operator, [tenant_row(name="老企业", uscc=OTHER_USCC, registered_on="2020-05-01")])
    row = only_row(record)
    assert row["cells"]["contact_phone"] == "138****1234"
    assert row["changes"]["contact_phone"] == ["138****0000", "138****1234"]
    tenant_import_apply(tenant_import=record, by=operator)
    assert Enterprise.objects.get(uscc=OTHER_USCC).contact_phone == "13805331234"
