"""The tenant roster's export: every row the roster would show (filters and order kept, not one page), with Chinese
headers, in XLSX and in CSV with a BOM, to the roles that may read the roster, in a fixed number of queries."""

import csv
import datetime
import io
from urllib.parse import quote

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from accounts.roles import Role
from enterprises.tests.factories import EnterpriseFactory, HTECertificateFactory, TechSMERegistrationFactory
from incubation import services
from incubation.tests.test_pages_and_api import make_tenants
from tests.matrix import DENIED, EVERYONE, LOGIN, OK, _row, assert_page, role_id

pytestmark = pytest.mark.django_db
D = datetime.date
URLS = {"xlsx": "incubation:tenant_roster_xlsx", "csv": "incubation:tenant_roster_csv"}
HEADERS = ["企业", "统一社会信用代码", "载体", "孵化阶段", "产业领域", "开始日期", "计划结束日期", "在孵月数",
           "已分配面积（m²）", "已分配单元", "资质", "协议编号"]  # fmt: skip


def read_xlsx(response) -> list[list]:
    workbook = load_workbook(io.BytesIO(response.content))
    return [list(row) for row in workbook.worksheets[0].iter_rows(values_only=True)]


def read_csv(response) -> list[list[str]]:
    assert response.content.startswith(b"\xef\xbb\xbf"), "a UTF-8 BOM, so Excel reads the Chinese"
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


@pytest.fixture
def tenants(users, own_park, other_park):
    operator = users[Role.OPERATOR]
    return {"own": make_tenants(operator, own_park, 2), "other": make_tenants(operator, other_park, 2, 100)}


@pytest.fixture
def qualified(users, own_park):
    """A company at the own park with a tech-based SME registration this year and a valid high-tech certificate."""
    today = timezone.localdate()
    enterprise = EnterpriseFactory(name="甲科技有限公司", uscc="91310110666007217T")
    TechSMERegistrationFactory(enterprise=enterprise, year=today.year)
    HTECertificateFactory(
        enterprise=enterprise, certificate_no="GR202437000001", issued_on=today - datetime.timedelta(days=30)
    )
    services.residency_open(
        enterprise=enterprise, carrier=own_park, stage="incubator", started_on=D(2023, 1, 1),
        planned_end_on=D(2027, 1, 1), agreement_no="=HYPERLINK(\"x\")", by=users[Role.OPERATOR],
    )  # fmt: skip
    return enterprise


# fmt: off
#                  anonymous  admin  operator  park staff  bureau  expert  enterprise
EXPORT      = _row(LOGIN,     OK,    OK,       OK,         OK,     DENIED, OK)
SEES        = {Role.ADMIN: 4, Role.OPERATOR: 4, Role.PARK_STAFF: 2, Role.BUREAU: 4, Role.ENTERPRISE: 0}
# fmt: on


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
@pytest.mark.parametrize("role", EVERYONE, ids=role_id)
def test_the_export_has_the_rosters_permissions_and_scope(visit, tenants, role, fmt):
    response = visit(role).get(reverse(URLS[fmt]))
    assert_page(response, EXPORT[role])
    if EXPORT[role] == OK:
        rows = read_xlsx(response) if fmt == "xlsx" else read_csv(response)
        assert rows[0] == HEADERS
        names = {row[0] for row in rows[1:]}
        assert len(names) == SEES[role]
        if role is Role.PARK_STAFF:
            assert names == {residency.enterprise.name for residency in tenants["own"]}, "only their carriers'"


def test_the_xlsx_has_a_bold_header_dates_as_dates_and_qualifications(client_for, users, qualified):
    response = client_for(users[Role.OPERATOR]).get(reverse(URLS["xlsx"]))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    assert sheet["A1"].font.b
    assert sheet.column_dimensions["A"].width > 20
    assert sheet["F2"].value.date() == D(2023, 1, 1) and sheet["F2"].number_format == "yyyy-mm-dd"
    assert sheet["B2"].value == "91310110666007217T"
    assert "科技型中小企业" in sheet["K2"].value and "GR202437000001" in sheet["K2"].value
    assert sheet["L2"].data_type == "s", "a cell that looks like a formula stays text"


def test_the_csv_quotes_what_looks_like_a_formula(client_for, users, qualified):
    rows = read_csv(client_for(users[Role.OPERATOR]).get(reverse(URLS["csv"])))
    assert rows[1][5] == "2023-01-01"
    assert rows[1][11].startswith("'=")


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_the_file_name_is_chinese_with_an_ascii_fallback(client_for, users, tenants, fmt):
    response = client_for(users[Role.OPERATOR]).get(reverse(URLS[fmt]))
    today = timezone.localdate().isoformat()
    disposition = response["Content-Disposition"]
    assert disposition.startswith(f'attachment; filename="tenant-roster-{today}.{fmt}"')
    assert f"filename*=UTF-8''{quote(f'在孵企业名册-{today}.{fmt}')}" in disposition


def test_the_export_keeps_the_filters_and_the_order(client_for, users, tenants, own_park):
    client = client_for(users[Role.OPERATOR])
    rows = read_csv(client.get(reverse(URLS["csv"]), {"carrier": own_park.pk, "sort": "-enterprise"}))
    names = [row[0] for row in rows[1:]]
    assert names == sorted((r.enterprise.name for r in tenants["own"]), reverse=True)


@pytest.mark.parametrize("count", [3, 60])
def test_the_export_holds_every_row_in_a_fixed_number_of_queries(
    client_for, users, own_park, django_assert_max_num_queries, count
):
    make_tenants(users[Role.OPERATOR], own_park, count)
    client = client_for(users[Role.OPERATOR])
    for fmt in ("xlsx", "csv"):
        with django_assert_max_num_queries(10):
            response = client.get(reverse(URLS[fmt]))
        rows = read_xlsx(response) if fmt == "xlsx" else read_csv(response)
        assert len(rows) == count + 1, "every row, not one page of 50"


def test_the_roster_page_offers_the_exports_with_its_filters(client_for, users, tenants, own_park):
    page = client_for(users[Role.OPERATOR]).get(reverse("incubation:tenant_roster"), {"carrier": own_park.pk})
    html = page.content.decode()
    assert f"{reverse(URLS['xlsx'])}?carrier={own_park.pk}" in html
    assert reverse("incubation:tenant_import") in html


def test_the_roster_page_links_the_import_for_staff_only(client_for, users, tenants):
    html = client_for(users[Role.BUREAU]).get(reverse("incubation:tenant_roster")).content.decode()
    assert reverse("incubation:tenant_import") not in html
    assert reverse(URLS["csv"]) in html
