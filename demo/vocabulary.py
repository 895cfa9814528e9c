"""The vocabulary of made-up Linzi enterprises, shared by the demo (demo.generator) and the benchmark
(bench/generate.py): company, team and person names, focus-field words, made-up codes, phone numbers and
addresses, the projects, investors and comments they write, and `made_up_enterprise()`, the fields of one
enterprise as both generators create it. Plain data and functions of a random generator: no database.
"""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

from dateutil.relativedelta import relativedelta

from enterprises.uscc import ALPHABET, check_character
from incubation.choices import ResidencyEndReason

DEMO_NOTE = "演示数据"
CORE = "qizhihui"
START = datetime.date(2021, 3, 1)  # the integrated base was set up in 2021 (临政办字〔2021〕41号)
# A made-up Linzi code: market regulation (9), enterprise (1), Linzi (370305), then MA3… as Shandong's codes run.
GENERATED_USCC_PREFIX = "91370305MA3"
PDF_BYTES = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"

PLACE_PREFIXES = ["淄博", "淄博", "临淄", "临淄", "山东", "齐鲁"]
TRADE_CHARACTERS = (
    "齐睿泽鼎瑞华创恒通博远信德晟弘嘉润宏丰达安康诺迈卓智源汇航联盛坤泰和天云星海稷邦隆景峰晨辰昊宸岳骏铭凯耀"
    "光明新元立拓维佳正乾尚思启"
)
# Focus field (as named in the plan) -> words a company in it puts in its name.
FIELD_WORDS = {
    "碳三": ["丙烯新材料科技", "碳三化工科技", "聚丙烯材料"],
    "碳四": ["碳四化工科技", "丁二烯新材料", "精细化工"],
    "碳五": ["碳五树脂科技", "石油树脂", "精细化工科技"],
    "碳九": ["碳九树脂材料", "芳烃化工科技", "树脂科技"],
    "聚氨酯": ["聚氨酯材料", "聚氨酯应用技术", "弹性体科技"],
    "化工新材料": ["化工新材料", "高分子材料科技", "功能材料"],
    "无人驾驶智能整机装备": ["智能驾驶科技", "无人驾驶装备", "智能车辆科技"],
    "智能化部件": ["智能部件", "传感器科技", "智能控制技术"],
    "线控底盘": ["线控底盘科技", "汽车电子", "底盘系统"],
    "应用软件": ["软件科技", "信息技术", "智能软件"],
    "动力电池": ["动力电池科技", "新能源科技", "储能技术"],
    "机器人": ["机器人科技", "智能装备", "自动化科技"],
    "大数据": ["大数据科技", "数据科技", "数字科技"],
    "云计算": ["云计算科技", "云科技", "信息技术"],
    "云服务": ["云服务", "网络科技", "数字服务"],
    "人工智能": ["人工智能科技", "智能科技", "视觉科技"],
    "原料药": ["原料药科技", "制药", "医药科技"],
    "生物制药": ["生物医药科技", "生物技术", "生物制药"],
    "医药包装": ["医药包装", "药用包材", "包装材料科技"],
    "中药": ["中药科技", "中医药科技", "药业"],
    "化学药": ["化学药研发", "药业", "医药科技"],
    "药用辅料": ["药用辅料", "辅料科技", "医药材料"],
    "CMC": ["医药研发", "药学研究", "医药技术服务"],
    "集成电路材料": ["电子材料", "半导体材料", "集成电路材料"],
    "无机非金属材料": ["陶瓷材料科技", "无机材料", "新材料科技"],
    "特种纸": ["特种纸业", "纸基材料", "特种纸科技"],
    "环保新材料": ["环保材料", "环保科技", "绿色材料"],
}
# Industry (top-level focus field) -> the high-tech fields (国科发火〔2016〕32号) its companies claim.
HIGH_TECH_FIELDS = {
    "绿色化工": ["new_materials", "resources_environment"],
    "智能装备制造": ["advanced_manufacturing", "electronic_information", "new_energy"],
    "大数据": ["electronic_information", "high_tech_services"],
    "新医药": ["biomedicine"],
    "新材料": ["new_materials", "resources_environment"],
}
PROJECTS = {
    "绿色化工": ["高纯度碳四分离工艺", "水性聚氨酯涂料", "催化剂再生技术", "高性能弹性体"],
    "智能装备制造": ["园区无人配送车", "线控转向系统", "巡检机器人", "电池管理系统"],
    "大数据": ["工业互联网数据中台", "化工园区安全监测平台", "智慧物流调度系统", "视觉质检算法"],
    "新医药": ["缓释制剂研发", "中药配方颗粒", "生物药 CMC 服务平台", "预灌封注射器包材"],
    "新材料": ["电子级光刻胶配套材料", "高强特种纸", "陶瓷过滤膜", "可降解包装材料"],
}
SURNAMES = (
    "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜"
    "崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严武戴孔汤"
)
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍建国志宏晨阳鹏辉琳婷雪峰浩宇欣怡子轩梓涵博文思远嘉"
POSITIONS = ["总经理", "技术总监", "研发工程师", "市场总监", "财务负责人", "产品经理", "工艺工程师", "项目经理"]
ROADS = ["临淄大道", "齐都路", "桓公路", "牛山路", "晏婴路", "闻韶路", "太公路", "辛店街道", "稷下街道", "雪宫街道"]
INVESTORS = [
    "淄博科创天使基金（演示）",
    "临淄区产业引导基金（演示）",
    "稷下创新投资（演示）",
    "齐鲁新动能创投（演示）",
    "鲁中成果转化基金（演示）",
    "山东某产业资本（演示）",
]
MORE_INFO_MESSAGES = [
    "请补充近两年的财务报表。",
    "请补充知识产权证书扫描件和核心团队简历。",
    "请说明场地需求的依据（设备清单、人员规模）。",
]
REVIEW_COMMENTS = [
    "技术路线清晰，团队完整，建议入驻。",
    "市场分析偏乐观，建议补充客户验证后入驻。",
    "与载体重点领域契合度高，知识产权储备较好。",
    "商业模式尚需打磨，技术有一定积累。",
]
EXIT_NOTES = {
    ResidencyEndReason.EXITED_VOLUNTARY: ["企业迁往济南高新区发展", "业务调整，主动退出", "扩产需要更大场地，迁出"],
    ResidencyEndReason.EXITED_REMOVED: ["连续两年未报送经营数据，按协议清退", "欠缴租金超过六个月，按协议清退"],
}
OVERRIDE_REASON = "演示数据：运营公司综合评估后同意（申请材料齐全，专家意见积极）"


def trade_name(rng: random.Random) -> str:
    return "".join(rng.sample(TRADE_CHARACTERS, 2))


def company_name(rng: random.Random, field_name: str) -> str:
    """A Linzi company name: place + trade name + field words + 有限公司, e.g. 淄博睿泽新材料科技有限公司."""
    words = rng.choice(FIELD_WORDS.get(field_name, ["科技"]))
    suffix = "股份有限公司" if rng.random() < 0.05 else "有限公司"
    return f"{rng.choice(PLACE_PREFIXES)}{trade_name(rng)}{words}{suffix}"


def team_name(rng: random.Random, field_name: str) -> str:
    return f"{trade_name(rng)}{field_name}{rng.choice(['创业团队', '项目组', '创新团队'])}"


def person_name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))


def uscc_from_body(body: str) -> str:
    return body + check_character(body)


def random_uscc(rng: random.Random, prefix: str = GENERATED_USCC_PREFIX) -> str:
    """A valid code (GB 32100-2015) with `prefix` and a random organisation code."""
    return uscc_from_body(prefix + "".join(rng.choice(ALPHABET) for _ in range(17 - len(prefix))))


def serial_uscc(number: int, prefix: str = "91370305MB") -> str:
    """A valid code (GB 32100-2015) unique to `number`: `prefix`, the number in base 31, the check character."""
    digits = []
    for _ in range(17 - len(prefix)):
        number, digit = divmod(number, 31)
        digits.append(ALPHABET[digit])
    return uscc_from_body(prefix + "".join(reversed(digits)))


def mobile(rng: random.Random) -> str:
    return f"1{rng.choice('3589')}{rng.randrange(10)}0533{rng.randrange(10000):04d}"


def address(rng: random.Random) -> str:
    return f"山东省淄博市临淄区{rng.choice(ROADS)}{rng.randrange(1, 999)}号"


def add_months(day: datetime.date, months: int) -> datetime.date:
    return day + relativedelta(months=months)


def random_day(rng: random.Random, first: datetime.date, last: datetime.date) -> datetime.date:
    return first + datetime.timedelta(days=rng.randrange(max(1, (last - first).days + 1)))


def made_up_enterprise(
    rng: random.Random, *, field, registered: datetime.date | None, name: str, uscc: str | None, email: str
) -> dict:
    """The fields of one made-up enterprise in `field` (a leaf FocusField): a company when it has a registration
    date, else a team. Its founder is its legal representative and contact; `name` and `uscc` come from the
    caller, who keeps them unique."""
    founder = person_name(rng)
    return {
        "name": name,
        "kind": "company" if registered else "team",
        "uscc": uscc,
        "registered_on": registered,
        "registered_capital": Decimal(rng.choice([50, 100, 200, 300, 500, 1000, 2000])) if registered else None,
        "legal_representative": founder if registered else "",
        "address": address(rng) if registered else "",
        "industry_field": field,
        "high_tech_field": rng.choice(HIGH_TECH_FIELDS.get(field.parent.name, ["new_materials"])),
        "founder_type": rng.choices(["returnee", "university_student", "scientist", "other"], [2, 3, 3, 4])[0],
        "contact_name": founder,
        "contact_phone": mobile(rng),
        "contact_email": email,
        "description": f"专注于{field.name}领域的研发与产业化。",
    }
