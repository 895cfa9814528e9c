"""The Torch statistics export (火炬统计): a year's incubator and tenant figures in the field layout of DOMAIN.md §7,
money in 千元 (thousand yuan).

Where the figures come from:
- **Incubators** (one row per carrier the user may see, and the district when they may see it): the indicator
  figures of `targets.selectors` (tenants at year end, new admissions, graduations, tenants financed: the same
  definitions as the dashboard, docs/indicators.md), the carriers' units (areas), the space let on 31 December,
  all graduations up to the year's end, and the tenants whose verified annual report for the year states valid IP.
- **Tenants** (every enterprise in residency at some time in the year at a carrier the user may see, at the carrier
  of its latest such residency): the current version of its annual operating report for the year, counted only
  when verified; a tenant without one is listed with its report's status and no figures.
- §7 fields the portal cannot compute (professional staff, mentors, the incubation fund, the carrier's income, tenants
  that applied for patents) come from the carrier's verified annual return for the year (targets.CarrierReturn,
  entered by hand); a carrier without one leaves them empty, and so does the district row unless every carrier's
  return is verified. The 说明 sheet says so; no figure is made up.

Operating reports hold money in 万元 with two decimals; ×10 gives 千元 with one decimal, exactly (Decimal).
Every figure is an SQL aggregate; the number of queries does not grow with the number of enterprises.
"""

from __future__ import annotations

import dataclasses
import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, F, OuterRef, Q, Sum
from django.utils import translation

from accounts.roles import can, carrier_scope
from enterprises.choices import FounderType, ReportPeriod, ReportStatus
from enterprises.models import OperatingReport
from incubation.choices import TransitionKind
from incubation.models import Allocation, Residency, Transition
from parks.choices import Stage, UnitKind
from parks.models import Carrier, Unit
from targets import selectors
from targets.models import CarrierReturn

PAGE = "targets.torch_export"
WAN_TO_QIAN = Decimal(10)


def parse_year(value: str | None) -> int | None:
    """The export's year from a query parameter: None when absent; ValueError when not a year (2011–2100)."""
    if value in (None, ""):
        return None
    if not value.isdigit() or not selectors.DEFAULT_START_YEAR - 10 <= int(value) <= 2100:
        raise ValueError(value)
    return int(value)


def wan_to_qian(value: Decimal | None) -> Decimal | None:
    """万元 (10k yuan) to 千元 (1k yuan), exactly: 123.45 → 1234.50."""
    return None if value is None else value * WAN_TO_QIAN


@dataclasses.dataclass(frozen=True)
class Column:
    key: str
    header: str  # the §7 field in Chinese, with its unit
    kind: str  # "text" | "count" | "area" | "money"
    width: int = 14
    note: str = ""


RETURN_NOTE = (
    "取自该载体当年已审核的载体年报（手工填报）；尚无已审核年报的载体留空；全区合计仅在全部载体均已审核时填写。"
)
# The incubator columns filled from the carrier's verified annual return (targets.CarrierReturn): column -> the
# return's figure. Money is in 万元 there, 千元 here.
RETURN_COLUMNS = {
    "service_staff": "professional_staff",
    "mentors": "mentors",
    "fund_size": "fund_size",
    "fund_cases": "fund_cases",
    "total_income": "total_income",
    "rent_income": "income_rent",
    "service_income": "income_services",
    "investment_income": "income_investment",
    "tenants_patent_applications": "tenants_patent_applications",
}

_RETURN_MONEY = frozenset({"fund_size", "total_income", "rent_income", "service_income", "investment_income"})

# fmt: off
INCUBATOR_COLUMNS = [
    Column("carrier", "孵化载体名称", "text", 28),
    Column("total_area", "场地总面积（平方米）", "area", note="该载体全部房源面积之和。"),
    Column("tenant_area", "在孵企业使用面积（平方米）", "area", note="12 月 31 日已出租给在孵企业的房源面积。"),
    Column("public_service_area", "公共服务面积（平方米）", "area", note="类型为“公共服务”的房源面积。"),
    Column("tenants", "在孵企业数（家）", "count", note="12 月 31 日入驻中的企业（年末在孵企业指标）。"),
    Column("new_tenants", "当年新增在孵企业数（家）", "count", note="当年首次入驻本基地的企业（新入驻企业指标）。"),
    Column("graduates", "当年毕业企业数（家）", "count", note="当年的毕业记录数。"),
    Column("graduates_cumulative", "累计毕业企业数（家）", "count", note="截至当年 12 月 31 日的全部毕业记录数。"),
    Column("service_staff", "孵化器专业孵化服务人员数（人）", "count", note=RETURN_NOTE),
    Column("mentors", "创业导师人数（人）", "count", note=RETURN_NOTE),
    Column("fund_size", "孵化基金总额（千元）", "money", note=RETURN_NOTE),
    Column("fund_cases", "孵化基金投资案例数（个）", "count", note=RETURN_NOTE),
    Column("total_income", "孵化器总收入（千元）", "money",
           note=RETURN_NOTE + "房租物业、孵化服务、投资、财政补贴及其他收入之和。"),
    Column("rent_income", "其中：房租及物业收入（千元）", "money", note=RETURN_NOTE),
    Column("service_income", "其中：孵化服务收入（千元）", "money", note=RETURN_NOTE),
    Column("investment_income", "其中：投资收入（千元）", "money", note=RETURN_NOTE),
    Column("tenants_financed", "当年获得投融资的在孵企业数（家）", "count",
           note="当年在孵期间有融资记录的企业（获得融资的在孵企业指标）。"),
    Column("tenants_patent_applications", "当年申请专利的在孵企业数（家）", "count", note=RETURN_NOTE),
    Column("tenants_with_ip", "拥有有效知识产权的在孵企业数（家）", "count",
           note="当年在孵、且当年已审核年报中有效知识产权合计大于 0 的企业。"),
]

TENANT_COLUMNS = [
    Column("number", "序号", "count", 6),
    Column("name", "企业名称", "text", 34),
    Column("uscc", "统一社会信用代码", "text", 22),
    Column("carrier", "所在孵化载体", "text", 24),
    Column("stage", "孵化阶段", "text", 10),
    Column("founder_type", "创业者类型", "text", 16, note="留学归国人员、大学生、科技人员或其他。"),
    Column("report_status", "年报状态", "text", 10, note="只有已审核的年度经营数据计入下列数字。"),
    Column("revenue", "营业收入（千元）", "money"),
    Column("rd_expenditure", "研究开发费用（千元）", "money"),
    Column("employees", "从业人员（人）", "count"),
    Column("tech_staff", "其中：科技人员（人）", "count"),
    Column("college_staff", "其中：大专以上学历人员（人）", "count"),
    Column("new_graduates", "吸纳应届毕业生（人）", "count"),
    Column("valid_ip", "有效知识产权合计（件）", "count", note="发明专利、实用新型、外观设计、软件著作权及其他。"),
    Column("invention_patents", "其中：发明专利（件）", "count"),
    Column("utility_models", "实用新型（件）", "count"),
    Column("designs", "外观设计（件）", "count"),
    Column("software_copyrights", "软件著作权（件）", "count"),
    Column("financing", "当年获得融资（千元）", "money"),
    Column("tax_paid", "上缴税费（千元）", "money"),
]
# fmt: on

FOUNDER_TYPES = {
    FounderType.RETURNEE: "留学归国人员",
    FounderType.UNIVERSITY_STUDENT: "大学生",
    FounderType.SCIENTIST: "科技人员",
    FounderType.OTHER: "其他",
}
REPORT_STATUSES = {
    ReportStatus.VERIFIED: "已审核",
    ReportStatus.SUBMITTED: "已提交，待审核",
    ReportStatus.RETURNED: "已退回",
    ReportStatus.DRAFT: "草稿",
}
NOT_FILED = "未填报"
DISTRICT_NAME = "全区合计"

_REPORT_FIGURES = [
    "revenue", "rd_expenditure", "employees", "tech_staff", "college_staff", "new_graduates", "invention_patents",
    "utility_models", "designs", "software_copyrights", "other_ip", "financing", "tax_paid",
]  # fmt: skip
_MONEY_FIELDS = {"revenue", "rd_expenditure", "financing", "tax_paid"}


@dataclasses.dataclass
class TorchExport:
    year: int
    incubators: list[dict[str, Any]]  # rows keyed by INCUBATOR_COLUMNS' keys
    tenants: list[dict[str, Any]]  # rows keyed by TENANT_COLUMNS' keys
    district: bool  # the user sees the district (a 全区合计 row is among the incubators)


def export_scope(user) -> tuple[bool, list[Carrier]]:
    """(may see the district, the carriers whose figures the user exports): the operating company and the bureau
    every carrier, park staff their own; anyone else is refused (PAGES "targets.torch_export")."""
    if not can(user, "view", PAGE):
        raise PermissionDenied
    district, carriers = carrier_scope(user, PAGE)
    return district, list(carriers)


def _in_year(year: int) -> Q:
    """In residency at some time in the year (residencies are half-open, [started_on, ended_on))."""
    jan1, dec31 = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    return Q(started_on__lte=dec31) & (Q(ended_on__isnull=True) | Q(ended_on__gt=jan1))


def _verified_report(year: int):
    return OperatingReport.objects.filter(
        enterprise=OuterRef("enterprise_id"), year=year, period=ReportPeriod.ANNUAL, status=ReportStatus.VERIFIED
    )


_VALID_IP = F("invention_patents") + F("utility_models") + F("designs") + F("software_copyrights") + F("other_ip")


def with_valid_ip(reports):
    return reports.annotate(ip=_VALID_IP).filter(ip__gt=0)


def space_and_graduates(
    ids: list[int], dec31: datetime.date
) -> tuple[dict[int, dict[str, Any]], dict[int, Decimal], dict[int, int]]:
    """For each carrier: its area (`total`, and `public` service area) in m², the area let on `dec31`, and its
    graduates up to `dec31`. Three queries."""
    areas = {
        row["building__carrier"]: row
        for row in Unit.objects.filter(building__carrier__in=ids)
        .values("building__carrier")
        .annotate(total=Sum("area_m2"), public=Sum("area_m2", filter=Q(kind=UnitKind.PUBLIC_SERVICE)))
        .order_by()
    }
    let = dict(
        Allocation.objects.filter(period__contains=dec31, unit__building__carrier__in=ids)
        .values("unit__building__carrier")
        .annotate(area=Sum("unit__area_m2"))
        .order_by()
        .values_list("unit__building__carrier", "area")
    )
    graduates = dict(
        Transition.objects.filter(kind=TransitionKind.GRADUATE, occurred_on__lte=dec31, from_residency__carrier__in=ids)
        .values("from_residency__carrier")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("from_residency__carrier", "n")
    )
    return areas, let, graduates


def incubator_rows(*, year: int, carriers: list[Carrier], district: bool) -> list[dict[str, Any]]:
    """One row per carrier (and 全区合计 first when `district`). A constant number of queries."""
    dec31 = datetime.date(year, 12, 31)
    ids = [carrier.pk for carrier in carriers]
    figures = selectors.indicator_figures_by_carrier(year=year)
    district_figures = selectors.indicator_figures(year=year) if district else None

    areas, let, graduates_all = space_and_graduates(ids, dec31)
    tenants_in_year = Residency.objects.filter(_in_year(year), carrier__in=ids).filter(
        Exists(with_valid_ip(_verified_report(year)))
    )
    with_ip = dict(
        tenants_in_year.values("carrier")
        .annotate(n=Count("enterprise", distinct=True))
        .order_by()
        .values_list("carrier", "n")
    )

    returns = {
        row["carrier_id"]: row
        for row in CarrierReturn.objects.current()
        .filter(year=year, carrier__in=ids, status=ReportStatus.VERIFIED)
        .values("carrier_id", *RETURN_COLUMNS.values())
    }

    def figure(source: dict, code: str) -> int | None:
        value = source[code].yearly
        return int(value) if value is not None else None

    rows = []
    for carrier in carriers:
        carrier_figures = figures.get(carrier.pk)
        area = areas.get(carrier.pk, {})
        rows.append(
            {
                "carrier": carrier.name,
                "total_area": area.get("total") or Decimal(0),
                "tenant_area": let.get(carrier.pk) or Decimal(0),
                "public_service_area": area.get("public") or Decimal(0),
                "tenants": figure(carrier_figures, "tenants_year_end"),
                "new_tenants": figure(carrier_figures, "admissions"),
                "graduates": figure(carrier_figures, "graduations"),
                "graduates_cumulative": graduates_all.get(carrier.pk, 0),
                "tenants_financed": figure(carrier_figures, "tenants_financed"),
                "tenants_with_ip": with_ip.get(carrier.pk, 0),
                **_return_figures(returns.get(carrier.pk)),
            }
        )
    if district_figures is not None:
        # District-wide counts are distinct enterprises (one at two carriers in a year counts once); areas add up.
        district_with_ip = tenants_in_year.aggregate(n=Count("enterprise", distinct=True))["n"]
        rows.insert(
            0,
            {
                "carrier": DISTRICT_NAME,
                "total_area": sum((row["total_area"] for row in rows), Decimal(0)),
                "tenant_area": sum((row["tenant_area"] for row in rows), Decimal(0)),
                "public_service_area": sum((row["public_service_area"] for row in rows), Decimal(0)),
                "tenants": figure(district_figures, "tenants_year_end"),
                "new_tenants": figure(district_figures, "admissions"),
                "graduates": figure(district_figures, "graduations"),
                "graduates_cumulative": sum(row["graduates_cumulative"] for row in rows),
                "tenants_financed": figure(district_figures, "tenants_financed"),
                "tenants_with_ip": district_with_ip,
                **_district_return_figures(returns, carrier_count=len(ids)),
            },
        )
    return rows


def _return_figures(carrier_return: dict | None) -> dict[str, Any]:
    """The columns a verified return fills, money in 千元; nothing without one."""
    if carrier_return is None:
        return {}
    return {
        column: wan_to_qian(carrier_return[field]) if column in _RETURN_MONEY else carrier_return[field]
        for column, field in RETURN_COLUMNS.items()
    }


def _district_return_figures(returns: dict[int, dict], *, carrier_count: int) -> dict[str, Any]:
    """The district's sums of the returns' columns, only when every carrier's return is verified (a partial sum would
    read as the district's figure)."""
    if not returns or len(returns) < carrier_count:
        return {}
    rows = [_return_figures(row) for row in returns.values()]
    return {column: sum(row[column] for row in rows) for column in RETURN_COLUMNS}


def tenant_rows(*, year: int, carriers: list[Carrier]) -> list[dict[str, Any]]:
    """One row per enterprise in residency at some time in `year` at one of `carriers` (at the carrier of its
    latest such residency), with the figures of its verified annual report for the year. Two queries."""
    in_year = Residency.objects.filter(_in_year(year), carrier__in=[carrier.pk for carrier in carriers])
    latest = in_year.order_by("enterprise_id", "-started_on", "-id").distinct("enterprise_id").values("id")
    residencies = (
        Residency.objects.filter(id__in=latest)
        .order_by("carrier__sort_order", "carrier_id", "enterprise__name", "enterprise_id")
        .values("enterprise_id", "enterprise__name", "enterprise__uscc", "enterprise__founder_type")
        .annotate(carrier_name=F("carrier__name"), stage_code=F("stage"))
    )
    reports = {
        report["enterprise_id"]: report
        for report in OperatingReport.objects.current()
        .filter(year=year, period=ReportPeriod.ANNUAL, enterprise_id__in=in_year.values("enterprise_id"))
        .annotate(valid_ip=_VALID_IP)
        .values("enterprise_id", "status", "valid_ip", *_REPORT_FIGURES)
    }
    stages = dict(Stage.choices)
    rows = []
    with translation.override("zh-hans"):
        for number, residency in enumerate(residencies, start=1):
            report = reports.get(residency["enterprise_id"])
            row: dict[str, Any] = {
                "number": number,
                "name": residency["enterprise__name"],
                "uscc": residency["enterprise__uscc"] or "",
                "carrier": residency["carrier_name"],
                "stage": str(stages.get(residency["stage_code"], residency["stage_code"])),
                "founder_type": FOUNDER_TYPES.get(residency["enterprise__founder_type"], ""),
                "report_status": REPORT_STATUSES.get(report["status"], report["status"]) if report else NOT_FILED,
            }
            if report and report["status"] == ReportStatus.VERIFIED:
                for field in (*_REPORT_FIGURES, "valid_ip"):
                    value = report[field]
                    row[field] = wan_to_qian(value) if field in _MONEY_FIELDS else value
            rows.append(row)
    return rows


def torch_export(*, user, year: int) -> TorchExport:
    """The year's export as `user` may see it (PermissionDenied for roles that may not)."""
    district, carriers = export_scope(user)
    return TorchExport(
        year=year,
        incubators=incubator_rows(year=year, carriers=carriers, district=district),
        tenants=tenant_rows(year=year, carriers=carriers),
        district=district,
    )
