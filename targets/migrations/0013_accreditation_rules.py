"""The accreditation levels a carrier works toward (DOMAIN §4 and §9), as rule schemes that judge a carrier: the
municipal and provincial levels (Zibo's and Shandong's thresholds are not public: example versions from comparable
levels elsewhere, marked 待确认), the national level (国科发区〔2018〕300号, then 工信部科〔2025〕131号 标准级 from
10 July 2025), and Beijing's 2026 municipal rules as a further example. Staff correct them, or add versions, from
the portal."""

import datetime

from django.db import migrations
from django.utils import timezone

LEGAL = (
    "legal", "gate", "", "carrier_legal_person_in_operation", "yes", None, "yes_no",
    "具有独立法人资格，运营满3年", "An independent legal person operating for at least 3 years",
)  # fmt: skip


def _legal(years: int) -> tuple:
    return (*LEGAL[:7], f"具有独立法人资格，运营满{years}年", f"An independent legal person operating for at least {years} "
            f"year{'s' if years > 1 else ''}")  # fmt: skip


MUNICIPAL = {
    "scheme": {
        "code": "accreditation_municipal", "subject": "carrier", "position": 30,
        "name": "市级科技企业孵化器认定", "name_en": "Municipal incubator accreditation",
        "description": "市级科技企业孵化器的认定条件。淄博市的具体条件未公开，示例版本参照其他城市的可比条件，待确认。",
    },
    "versions": [{
        "version": 1, "title": "市级科技企业孵化器认定条件（示例）", "issuer": "淄博市科学技术局（待确认）",
        "document_no": "", "region": "淄博市", "effective_from": datetime.date(2021, 1, 1), "is_example": True,
        "source": "DOMAIN.md §4：淄博市条件未公开；参照其他城市市级孵化器的可比条件（面积≥2000平方米、在孵企业≥10家、"
                  "创业导师≥3名、孵化资金≥500万元），示例，待确认",
        "criteria": [
            _legal(1),
            ("area", "gate", "", "carrier_total_area", "ge", 2000, "m2",
             "孵化场地面积不低于2000平方米", "An incubation area of at least 2,000 m²"),
            ("tenants", "gate", "", "carrier_tenants", "ge", 10, "count",
             "在孵企业不少于10家", "At least 10 tenants"),
            ("mentors", "gate", "", "carrier_mentors", "ge", 3, "count",
             "创业导师不少于3名", "At least 3 start-up mentors"),
            ("fund", "gate", "", "carrier_fund_size", "ge", 500, "wan_yuan",
             "孵化资金不低于500万元", "A seed or incubation fund of at least ¥5 million"),
        ],
    }],
}  # fmt: skip

PROVINCIAL = {
    "scheme": {
        "code": "accreditation_provincial", "subject": "carrier", "position": 40,
        "name": "省级科技企业孵化器认定", "name_en": "Provincial incubator accreditation",
        "description": "省级科技企业孵化器的认定条件。山东省的具体条件未公开，示例版本参照其他省份的可比条件，待确认。",
    },
    "versions": [{
        "version": 1, "title": "省级科技企业孵化器认定条件（示例）", "issuer": "山东省科学技术厅（待确认）",
        "document_no": "", "region": "山东省", "effective_from": datetime.date(2021, 1, 1), "is_example": True,
        "source": "DOMAIN.md §4：山东省条件未公开；参照其他省份省级孵化器的可比条件（面积≥6000平方米、在孵企业≥40家、"
                  "累计毕业企业≥20家、孵化资金≥300万元），示例，待确认",
        "criteria": [
            _legal(2),
            ("statistics", "gate", "", "carrier_return_years", "ge", 1, "count",
             "按要求报送火炬统计数据", "Reports the Torch statistics (a verified annual return)"),
            ("area", "gate", "", "carrier_total_area", "ge", 6000, "m2",
             "孵化场地面积不低于6000平方米", "An incubation area of at least 6,000 m²"),
            ("tenants", "gate", "", "carrier_tenants", "ge", 40, "count",
             "在孵企业不少于40家", "At least 40 tenants"),
            ("graduates", "gate", "", "carrier_graduates_cumulative", "ge", 20, "count",
             "累计毕业企业不少于20家", "At least 20 graduates, cumulative"),
            ("fund", "gate", "", "carrier_fund_size", "ge", 300, "wan_yuan",
             "孵化资金不低于300万元", "A seed or incubation fund of at least ¥3 million"),
        ],
    }],
}  # fmt: skip

NATIONAL_2018 = [
    _legal(3),
    ("statistics", "gate", "", "carrier_return_years", "ge", 2, "count",
     "连续2年报送真实完整的统计数据", "Statistics reported for at least 2 consecutive years"),
    ("area", "gate", "", "carrier_total_area", "ge", 10000, "m2",
     "孵化场地面积不低于10000平方米", "An incubation area of at least 10,000 m²"),
    ("area_let", "gate", "", "carrier_tenant_area_share", "gt", 75, "percent",
     "在孵企业使用的场地面积占75%以上", "Tenants use more than 75 % of the area"),
    ("fund", "gate", "", "carrier_fund_size", "ge", 500, "wan_yuan",
     "孵化器自有种子资金或合作的孵化资金规模不低于500万元", "A seed or incubation fund of at least ¥5 million"),
    ("financed", "gate", "", "carrier_financed_share", "ge", 10, "percent",
     "获得投融资的在孵企业占比不低于10%", "At least 10 % of tenants financed"),
    ("fund_cases", "gate", "", "carrier_fund_cases", "ge", 3, "count",
     "孵化资金使用案例不少于3个", "At least 3 cases of fund use"),
    ("staff_share", "gate", "", "carrier_professional_staff_share", "gt", 80, "percent",
     "专业孵化服务人员占机构总人数80%以上", "Professional incubation staff more than 80 % of the operator's staff"),
    ("staff_per_10", "gate", "", "carrier_professional_staff_per_10", "ge", 1, "per_10",
     "每10家在孵企业至少配备1名专业孵化服务人员", "At least 1 professional staff member per 10 tenants"),
    ("mentors_per_10", "gate", "", "carrier_mentors_per_10", "ge", 1, "per_10",
     "每10家在孵企业至少配备1名创业导师", "At least 1 mentor per 10 tenants"),
    ("patents", "gate", "ip", "carrier_patent_applicants_share", "ge", 50, "percent",
     "50%以上在孵企业申请专利（或：30%以上在孵企业拥有有效知识产权）",
     "At least 50 % of tenants applied for patents (or: 30 % hold valid IP)"),
    ("ip", "gate", "ip", "carrier_ip_holders_share", "ge", 30, "percent",
     "30%以上在孵企业拥有有效知识产权（或：50%以上在孵企业申请专利）",
     "At least 30 % of tenants hold valid IP (or: 50 % applied for patents)"),
    ("tenants", "gate", "", "carrier_tenants", "ge", 50, "count",
     "在孵企业不少于50家", "At least 50 tenants"),
    ("density", "gate", "", "carrier_tenants_per_1000m2", "ge", 3, "per_1000m2",
     "每千平方米平均在孵企业不少于3家", "At least 3 tenants per 1,000 m²"),
    ("graduates", "gate", "", "carrier_graduates_cumulative", "ge", 20, "count",
     "累计毕业企业不少于20家", "At least 20 graduates, cumulative"),
]  # fmt: skip

MIIT_2025 = [
    _legal(3),
    ("statistics", "gate", "", "carrier_return_years", "ge", 1, "count",
     "按年度报送孵化器统计数据", "Reports its statistics every year (a verified annual return)"),
    ("fund_equity", "gate", "finance", "carrier_fund_invested_share", "ge", 10, "percent",
     "获得孵化器自有或合作基金股权投资的在孵企业占比不低于10%（或：获得投融资的在孵企业占比不低于20%）",
     "At least 10 % of tenants received equity from the incubator's funds (or: 20 % were financed)"),
    ("financed", "gate", "finance", "carrier_financed_share", "ge", 20, "percent",
     "获得投融资的在孵企业占比不低于20%（或：获得孵化器基金股权投资的占比不低于10%）",
     "At least 20 % of tenants were financed (or: 10 % received equity from the incubator's funds)"),
    ("growth", "gate", "", "carrier_growing_share", "ge", 30, "percent",
     "营业收入或研发投入同比增长超过20%的在孵企业占比不低于30%",
     "At least 30 % of tenants grew revenue or R&D by more than 20 % on the year before"),
    ("non_rent", "gate", "", "carrier_non_rent_income_share", "ge", 30, "percent",
     "房租及物业以外的服务性收入占总收入的比例不低于30%", "Income other than rent at least 30 % of the total income"),
]  # fmt: skip

NATIONAL = {
    "scheme": {
        "code": "accreditation_national", "subject": "carrier", "position": 50,
        "name": "国家级科技企业孵化器", "name_en": "National incubator",
        "description": "国家级科技企业孵化器：2018年起按《科技企业孵化器管理办法》（国科发区〔2018〕300号）认定；"
                       "2025年7月10日起按《工业和信息化部科技型企业孵化器管理办法》（工信部科〔2025〕131号）的标准级逐年评价。",
    },
    "versions": [
        {
            "version": 1, "title": "科技企业孵化器管理办法", "issuer": "科技部", "document_no": "国科发区〔2018〕300号",
            "region": "全国", "effective_from": datetime.date(2019, 1, 1), "is_example": False,
            "source": "国科发区〔2018〕300号 第十条（国家级科技企业孵化器的申报条件）；DOMAIN.md §4",
            "criteria": NATIONAL_2018,
        },
        {
            "version": 2, "title": "工业和信息化部科技型企业孵化器管理办法（标准级）", "issuer": "工业和信息化部",
            "document_no": "工信部科〔2025〕131号", "region": "全国", "effective_from": datetime.date(2025, 7, 10),
            "is_example": False,
            "source": "工信部科〔2025〕131号：标准级已公布的量化条件（DOMAIN.md §4、§9）；场地、在孵企业数、毕业企业和人员"
                      "条件未见公布，未列入",
            "criteria": MIIT_2025,
        },
    ],
}  # fmt: skip

BEIJING = {
    "scheme": {
        "code": "accreditation_beijing_2026", "subject": "carrier", "position": 60,
        "name": "北京市孵化器认定（参考）", "name_en": "Beijing incubator accreditation (for reference)",
        "description": "北京市2026年1月起施行的市级孵化器认定条件，基于工信部标准级：作为另一城市的参考示例。",
    },
    "versions": [{
        "version": 1, "title": "北京市科技企业孵化器认定条件", "issuer": "北京市", "document_no": "",
        "region": "北京市", "effective_from": datetime.date(2026, 1, 1), "is_example": True,
        "source": "DOMAIN.md §9（北京市，2026年1月）；认定有效期3年",
        "criteria": [
            _legal(1),
            ("tenants", "gate", "", "carrier_tenants", "ge", 30, "count",
             "在孵企业不少于30家", "At least 30 tenants"),
            ("recent", "gate", "", "carrier_recent_tenants_share", "ge", 20, "percent",
             "近一年注册的在孵企业占比不低于20%", "At least 20 % of tenants registered in the last year"),
            ("tech_smes", "gate", "", "carrier_tech_sme_share", "ge", 40, "percent",
             "科技型中小企业占在孵企业的比例不低于40%", "At least 40 % of tenants are tech SMEs"),
            ("new_htes", "gate", "", "carrier_new_htes", "ge", 5, "count",
             "每年新认定高新技术企业不少于5家", "At least 5 tenants a year first recognised as high-tech enterprises"),
            ("rerecognition", "gate", "", "carrier_hte_rerecognition_rate", "yes", None, "yes_no",
             "高新技术企业重新认定通过率不低于75%", "A high-tech re-recognition pass rate of at least 75 %"),
            ("growth", "gate", "", "carrier_growing_share", "ge", 30, "percent",
             "营业收入或研发投入同比增长超过20%的在孵企业占比不低于30%",
             "At least 30 % of tenants grew revenue or R&D by more than 20 %"),
        ],
    }],
}  # fmt: skip

SCHEMES = (MUNICIPAL, PROVINCIAL, NATIONAL, BEIJING)


def ship(apps, schema_editor):
    Scheme = apps.get_model("targets", "Scheme")
    SchemeVersion = apps.get_model("targets", "SchemeVersion")
    Criterion = apps.get_model("targets", "Criterion")
    for data in SCHEMES:
        scheme = Scheme.objects.create(**data["scheme"])
        for spec in data["versions"]:
            spec = dict(spec)
            criteria = spec.pop("criteria")
            version = SchemeVersion.objects.create(scheme=scheme, **spec)
            for position, (code, kind, part, metric, operator, threshold, unit, text, text_en) in enumerate(
                criteria, start=1
            ):
                Criterion.objects.create(
                    version=version, position=position * 10, code=code, kind=kind, part=part, metric=metric,
                    operator=operator, threshold=threshold, unit=unit, text=text, text_en=text_en,
                )  # fmt: skip
            SchemeVersion.objects.filter(pk=version.pk).update(published_at=timezone.now())


class Migration(migrations.Migration):
    dependencies = [("targets", "0012_carrier_units")]

    operations = [migrations.RunPython(ship, migrations.RunPython.noop)]
