"""The Torch statistics export (DOMAIN.md §7): figures checked by hand against the fixed history of
targets/tests/dataset.py, money in 千元 exactly, only verified reports, park staff's scope, bounded queries."""

import io
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from accounts.roles import Role
from enterprises.tests.factories import EnterpriseFactory
from targets.reporting import torch, torch_xlsx
from targets.tests import dataset

pytestmark = pytest.mark.django_db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def history(users):
    return dataset.build(users[Role.OPERATOR])


def workbook(content: bytes):
    return openpyxl.load_workbook(io.BytesIO(content))


def sheet_rows(sheet) -> list[dict]:
    """The data rows of a sheet as dicts keyed by the header row (row 2; row 1 is the title)."""
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[1]
    return [dict(zip(header, row, strict=True)) for row in rows[2:]]


def by_name(rows: list[dict], key: str = "name") -> dict:
    return {row[key]: row for row in rows}


def test_wan_yuan_become_qian_yuan_exactly():
    assert torch.wan_to_qian(Decimal("123.45")) == Decimal("1234.5")
    assert torch.wan_to_qian(Decimal("0.01")) == Decimal("0.1")
    assert torch.wan_to_qian(Decimal("99999999999999.99")) == Decimal("999999999999999.9")  # no float rounding
    assert torch.wan_to_qian(None) is None


def test_a_verified_report_is_exported_in_qian_yuan(users, own_park):
    enterprise = EnterpriseFactory(name="千元换算测试企业", founder_type="returnee")
    dataset._residency(enterprise, own_park, "incubator", dataset.D(2023, 3, 1))
    dataset._report(
        enterprise, 2023, users[Role.OPERATOR],
        revenue=Decimal("123.45"), high_tech_revenue=Decimal("100"), rd_expenditure=Decimal("0.01"),
        tax_paid=Decimal("7.50"), financing=Decimal("1000"), employees=12, tech_staff=5, college_staff=9,
        new_graduates=2, invention_patents=1, utility_models=2, designs=3, software_copyrights=4, other_ip=5,
    )  # fmt: skip
    export = torch.torch_export(user=users[Role.BUREAU], year=2023)
    row = by_name(export.tenants)["千元换算测试企业"]
    assert row["revenue"] == Decimal("1234.5")
    assert row["rd_expenditure"] == Decimal("0.1")
    assert row["tax_paid"] == Decimal("75")
    assert row["financing"] == Decimal("10000")
    assert (row["employees"], row["tech_staff"], row["college_staff"], row["new_graduates"]) == (12, 5, 9, 2)
    assert row["valid_ip"] == 15  # 1 + 2 + 3 + 4 + 5 (other IP counts in the total)
    assert (row["invention_patents"], row["utility_models"], row["designs"], row["software_copyrights"]) == (1, 2, 3, 4)
    assert row["founder_type"] == "留学归国人员"
    assert row["report_status"] == "已审核"
    assert row["carrier"] == own_park.name
    assert row["stage"] == "孵化器"

    book = workbook(torch_xlsx.render_torch_xlsx(export))
    assert book.sheetnames == ["孵化载体", "在孵企业", "说明"]
    sheet = book["在孵企业"]
    assert "千元" in sheet["A1"].value
    cells = by_name(sheet_rows(sheet), "企业名称")["千元换算测试企业"]
    assert cells["营业收入（千元）"] == pytest.approx(1234.5)
    assert cells["研究开发费用（千元）"] == pytest.approx(0.1)
    assert cells["上缴税费（千元）"] == pytest.approx(75)
    assert cells["从业人员（人）"] == 12
    header = [cell.value for cell in sheet[2]]
    revenue_cell = sheet.cell(row=3, column=header.index("营业收入（千元）") + 1)
    assert revenue_cell.number_format == "#,##0.0"


def test_tenants_and_their_figures_by_hand(users, history):
    export = torch.torch_export(user=users[Role.BUREAU], year=2022)
    tenants = by_name(export.tenants)
    # In residency at some time in 2022: E1, E2, E4 (at A, its latest residency of the year), E3, E7, E8, E9.
    # E5 and E6 graduated before 2022.
    assert set(tenants) == {f"指标测试企业{n}" for n in (1, 2, 3, 4, 7, 8, 9)}
    e1 = tenants["指标测试企业1"]
    assert (e1["revenue"], e1["rd_expenditure"], e1["employees"]) == (Decimal("10000"), Decimal("500"), 20)
    assert (e1["valid_ip"], e1["invention_patents"], e1["utility_models"]) == (5, 2, 3)
    # E4: the current version (v2, 300万元), not the superseded v1 (200万元); at big-data, where 2022 ended for it.
    e4 = tenants["指标测试企业4"]
    assert e4["revenue"] == Decimal("3000")
    assert e4["carrier"] == history["A"].name
    # Only verified reports count: E2's 2022 report is submitted, not verified; E3 filed none.
    e2 = tenants["指标测试企业2"]
    assert e2["report_status"] == "已提交，待审核"
    assert all(e2.get(field) is None for field in ("revenue", "rd_expenditure", "employees", "valid_ip"))
    assert tenants["指标测试企业3"]["report_status"] == "未填报"
    assert tenants["指标测试企业3"].get("revenue") is None
    # Numbered in carrier order.
    assert [row["number"] for row in export.tenants] == list(range(1, 8))


def test_incubator_figures_by_hand(users, history):
    export = torch.torch_export(user=users[Role.OPERATOR], year=2022)
    assert export.district
    rows = by_name(export.incubators, "carrier")
    assert export.incubators[0]["carrier"] == torch.DISTRICT_NAME
    a, b = rows[history["A"].name], rows[history["B"].name]
    # A: units 101 (100 m²) and 102 (50 m²); on 31 December 2022 only 101 is let (102 until 31 December, exclusive).
    assert (a["total_area"], a["tenant_area"], a["public_service_area"]) == (Decimal(150), Decimal(100), Decimal(0))
    assert (a["tenants"], a["new_tenants"], a["graduates"], a["tenants_financed"]) == (2, 0, 0, 0)
    assert a["graduates_cumulative"] == 1  # E5 in 2019; E4 graduates on 1 January 2023
    assert a["tenants_with_ip"] == 1  # E1 (5 items); E4's report states none, E2's is not verified
    assert (b["tenants"], b["new_tenants"], b["graduates"], b["tenants_financed"]) == (3, 1, 1, 2)
    assert b["graduates_cumulative"] == 2  # E6 in 2018, E9 in 2022
    assert (b["total_area"], b["tenant_area"]) == (Decimal(200), Decimal(200))
    district = rows[torch.DISTRICT_NAME]
    assert (district["tenants"], district["new_tenants"], district["graduates"]) == (5, 1, 1)
    assert district["tenants_financed"] == 2
    assert district["graduates_cumulative"] == 3
    assert district["tenants_with_ip"] == 1
    assert district["total_area"] == Decimal(350)
    # A §7 field the portal cannot compute stays empty until the carrier's return is verified: never a made-up figure
    # (targets/tests/test_carrier_returns.py fills them).
    assert all(row.get("mentors") is None and row.get("total_income") is None for row in export.incubators)

    book = workbook(torch_xlsx.render_torch_xlsx(export))
    sheet_a = by_name(sheet_rows(book["孵化载体"]), "孵化载体名称")[history["A"].name]
    assert sheet_a["在孵企业使用面积（平方米）"] == 100
    assert sheet_a["创业导师人数（人）"] is None
    notes = " ".join(str(cell) for row in book["说明"].iter_rows(values_only=True) for cell in row if cell)
    assert "创业导师人数（人）" in notes
    assert "载体年报" in notes


def test_park_staff_export_only_their_carriers(visit, users, history):
    response = visit(Role.PARK_STAFF).get(reverse("targets:torch_export") + "?year=2022")
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert "attachment" in response["Content-Disposition"]
    book = workbook(response.content)
    incubators = sheet_rows(book["孵化载体"])
    assert [row["孵化载体名称"] for row in incubators] == [history["A"].name]  # no district row, no other park
    names = {row["企业名称"] for row in sheet_rows(book["在孵企业"])}
    assert names == {"指标测试企业1", "指标测试企业2", "指标测试企业4"}
    # The API answers the same for them.
    response = visit(Role.PARK_STAFF).get(reverse("torch-export") + "?year=2022")
    assert response.status_code == 200
    assert {row["企业名称"] for row in sheet_rows(workbook(response.content)["在孵企业"])} == names


def test_the_bureau_gets_every_carrier_and_the_district(visit, history):
    response = visit(Role.BUREAU).get(reverse("torch-export") + "?year=2022")
    assert response.status_code == 200
    incubators = [row["孵化载体名称"] for row in sheet_rows(workbook(response.content)["孵化载体"])]
    assert incubators[0] == torch.DISTRICT_NAME
    assert len(incubators) == 1 + 6  # the core and five parks


def test_the_page_offers_the_years_and_the_api_wants_one(visit, users):
    page = visit(Role.OPERATOR).get(reverse("targets:torch_export"))
    assert page.status_code == 200
    assert b'id="torch-download"' in page.content
    assert page.context["default_year"] == page.context["years"][1]
    assert visit(Role.OPERATOR).get(reverse("targets:torch_export") + "?year=abc").status_code == 404
    assert visit(Role.OPERATOR).get(reverse("torch-export")).status_code == 400
    assert visit(Role.OPERATOR).get(reverse("torch-export") + "?year=20x2").status_code == 400


@pytest.mark.parametrize("size", [5, 30])
def test_queries_do_not_grow_with_the_data(users, history, django_assert_max_num_queries, size):
    dataset.more(users[Role.OPERATOR], size, seed=size)
    bureau = users[Role.BUREAU]
    with django_assert_max_num_queries(21):
        export = torch.torch_export(user=bureau, year=2022)
        torch_xlsx.render_torch_xlsx(export)
    assert len(export.tenants) >= 7 + size * 3 // 4
    park = users[Role.PARK_STAFF]
    with django_assert_max_num_queries(15):
        torch.torch_export(user=park, year=2022)
