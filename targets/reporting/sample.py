"""A frozen report snapshot in the shape every renderer reads (see the contract in `targets.reporting`).

`SAMPLE_SNAPSHOT` is a complete yearly report in Chinese with all six sections, 300 contributor rows and charts on
targets, carriers and prior_year. Tests of the renderers (HTML, PDF, XLSX) use it, so that both sides of the contract
test against one shape. It is made-up data, built deterministically (no randomness, no database): the totals agree
across sections (the contributor rows add up to the targets' actual figures and to the per-carrier counts, each
chart carries the same numbers as its table).

`sample_snapshot(contributors=N, language=...)` builds the same report with N contributor rows (for timing the
renderers at thousands of rows) or with English text.
"""

from __future__ import annotations

import copy
import datetime

from enterprises.uscc import ALPHABET, check_character

LINZI_PREFIX = "91370305"  # market regulation (9), enterprise (1), Linzi (370305)

CARRIERS = [
    ("临淄区齐智汇科技孵化中心", "Linzi Qizhihui Technology Incubation Centre"),
    ("绿色化工产业园", "Green Chemicals Park"),
    ("大数据产业园", "Big Data Park"),
    ("智能制造产业园", "Intelligent Manufacturing Park"),
    ("新医药产业园", "New Medicine Park"),
    ("新材料产业园", "New Materials Park"),
]

_PLACES = ["淄博", "临淄", "齐鲁", "山东", "稷下", "齐都", "管仲", "牛山", "太公", "淄河"]
_CORES = "智汇 鼎新 华创 瑞丰 恒远 博宇 齐芯 泰和 远航 启明 中科 天工 润泽 金桥 海纳".split()
_CORES_EN = [
    "Zhihui",
    "Dingxin",
    "Huachuang",
    "Ruifeng",
    "Hengyuan",
    "Boyu",
    "Qixin",
    "Taihe",
    "Yuanhang",
    "Qiming",
    "Zhongke",
    "Tiangong",
    "Runze",
    "Jinqiao",
    "Haina",
]
_TRADES = [
    "信息技术",
    "新材料科技",
    "生物医药",
    "精细化工",
    "智能装备",
    "数据服务",
    "环保科技",
    "电子科技",
    "医疗器械",
    "新能源科技",
]
_TRADES_EN = [
    "Information Technology",
    "New Materials",
    "Biopharma",
    "Fine Chemicals",
    "Intelligent Equipment",
    "Data Services",
    "Environmental Technology",
    "Electronics",
    "Medical Devices",
    "New Energy",
]


def _enterprise(number: int, english: bool) -> tuple[str, str]:
    """A made-up but well-formed enterprise name and USCC (check character per GB 32100-2015)."""
    place = _PLACES[number % len(_PLACES)]
    core_index = (number // len(_PLACES)) % len(_CORES)
    trade = number % len(_TRADES)
    serial = number // (len(_PLACES) * len(_CORES))
    suffix = f"（{serial + 1}）" if serial else ""
    if english:
        name = f"Zibo {_CORES_EN[core_index]} {_TRADES_EN[trade]} Co., Ltd. No. {number + 1}"
    else:
        name = f"{place}{_CORES[core_index]}{_TRADES[trade]}有限公司{suffix}"
    body = LINZI_PREFIX
    value = 104729 * (number + 1) * 7919 + 2_654_435_761
    for _ in range(9):
        body += ALPHABET[value % len(ALPHABET)]
        value //= len(ALPHABET)
    return name, body + check_character(body)


def _text(language: str, zh: str, en: str) -> str:
    return en if language == "en" else zh


def sample_snapshot(contributors: int = 300, language: str = "zh-hans") -> dict:
    """A 2023 yearly report, district-wide, version 2, with `contributors` rows in the contributors section."""
    t = _text
    en = language == "en"
    year = 2023
    # Split the contributors between the two counted targets: about four in five tech SMEs, the rest HTEs.
    htes = contributors // 5
    tech_smes = contributors - htes
    carrier_names = [english if en else chinese for chinese, english in CARRIERS]

    contributor_rows: list[list] = []
    per_carrier_smes = [0] * len(CARRIERS)
    per_carrier_htes = [0] * len(CARRIERS)
    first_day = datetime.date(year, 1, 1)
    for number in range(contributors):
        name, uscc = _enterprise(number, en)
        carrier = number % len(CARRIERS)
        if number < tech_smes:
            indicator = t(language, "孵化科技型中小企业", "Tech-based SMEs incubated")
            registered = first_day + datetime.timedelta(days=(number * 37) % 300)
            stage = number % 3
            contribution = t(
                language,
                f"{year} 年入库（编号 {year}370305{number:05d}，{registered:%Y-%m-%d}）"
                + ["，在孵", "，毕业后 2 年内", "，在孵（加速器）"][stage],
                f"Registered for {year} (no. {year}370305{number:05d}, {registered:%Y-%m-%d})"
                + [", in residency", ", within 2 years of graduating", ", in residency (accelerator)"][stage],
            )
            per_carrier_smes[carrier] += 1
        else:
            indicator = t(language, "培育高新技术企业", "High-tech enterprises cultivated")
            issued = datetime.date(year, 10 + number % 3, 1 + number % 28)
            contribution = t(
                language,
                f"首次认定，证书号 GR{year}370{number:05d}，发证日期 {issued:%Y-%m-%d}",
                f"First certificate GR{year}370{number:05d}, issued {issued:%Y-%m-%d}",
            )
            per_carrier_htes[carrier] += 1
        contributor_rows.append([indicator, name, uscc, carrier_names[carrier], contribution])

    sme_target, hte_target = 15, 5
    targets_rows = [
        [
            t(language, "孵化科技型中小企业", "Tech-based SMEs incubated"),
            t(language, "年度", "Yearly"),
            sme_target,
            tech_smes,
            round(tech_smes * 100 / sme_target, 1),
            t(language, "已完成", "Met") if tech_smes >= sme_target else t(language, "有风险", "At risk"),
        ],
        [
            t(language, "培育高新技术企业", "High-tech enterprises cultivated"),
            t(language, "年度", "Yearly"),
            hte_target,
            htes,
            round(htes * 100 / hte_target, 1),
            t(language, "已完成", "Met") if htes >= hte_target else t(language, "有风险", "At risk"),
        ],
        [
            t(language, "孵化载体认定级别", "Accreditation level reached"),
            t(language, "年末", "Year end"),
            t(language, "省级及以上", "Provincial or higher"),
            t(language, "省级", "Provincial level"),
            None,
            t(language, "已完成", "Met"),
        ],
    ]

    year_end = [142, 38, 51, 47, 29, 33]
    admissions = [31, 9, 14, 12, 6, 8]
    revenue = [18650.35, 9421.8, 12877.15, 15034.6, 6120.45, 8350.0]
    rd = [1510.22, 498.3, 1288.9, 1120.75, 702.1, 561.4]
    occupancy = [86.4, 71.2, 79.5, 82.0, 64.8, 69.3]
    carriers_rows = [
        [
            carrier_names[i],
            year_end[i],
            admissions[i],
            per_carrier_smes[i],
            per_carrier_htes[i],
            revenue[i],
            rd[i],
            occupancy[i],
        ]
        for i in range(len(CARRIERS))
    ]
    total_revenue = round(sum(revenue), 2)
    total_rd = round(sum(rd), 2)
    carriers_rows.append(
        [
            t(language, "合计", "Total"),
            sum(year_end),
            sum(admissions),
            tech_smes,
            htes,
            total_revenue,
            total_rd,
            None,  # the base's rate needs the unit areas, which this table does not carry
        ]
    )

    pipeline_rows = [
        [t(language, "入驻申请", "Applications"), 96, 81, 15],
        [t(language, "批准入驻", "Admissions"), sum(admissions), 64, sum(admissions) - 64],
        [t(language, "升入下一阶段", "Promotions"), 27, 22, 5],
        [t(language, "毕业", "Graduations"), 14, 11, 3],
        [t(language, "退出", "Exits"), 9, 12, -3],
    ]

    levels = [
        (t(language, "省级", "Provincial level"), "2022-06-30", t(language, "省级及以上", "Provincial or higher")),
        (t(language, "区级", "District level"), "2021-09-15", t(language, "—", "—")),
        (t(language, "市级", "Municipal level"), "2023-04-20", t(language, "—", "—")),
        (t(language, "市级", "Municipal level"), "2022-11-08", t(language, "—", "—")),
        (t(language, "未认定", "Not accredited"), None, t(language, "—", "—")),
        (t(language, "区级", "District level"), "2023-08-01", t(language, "—", "—")),
    ]
    accreditation_rows = [
        [
            carrier_names[i],
            t(language, "孵化器", "Incubator") if i == 0 else t(language, "产业园", "Industrial park"),
            level,
            awarded,
            target,
            (t(language, "已达标", "Reached") if i == 0 else t(language, "不设目标", "No target")),
        ]
        for i, (level, awarded, target) in enumerate(levels)
    ]

    firms = t(language, "家", "enterprises")
    prior = [
        (t(language, "孵化科技型中小企业", "Tech-based SMEs incubated"), firms, tech_smes, 187),
        (t(language, "培育高新技术企业", "High-tech enterprises cultivated"), firms, htes, 41),
        (t(language, "年末在孵企业", "Tenants at year end"), firms, sum(year_end), 301),
        (t(language, "新入驻企业", "New admissions"), firms, sum(admissions), 64),
        (t(language, "毕业", "Graduations"), t(language, "次", "times"), 14, 11),
        (t(language, "在孵企业营业收入", "Tenant revenue"), t(language, "万元", "10k yuan"), total_revenue, 61234.5),
        (t(language, "在孵企业研发经费", "Tenant R&D expenditure"), t(language, "万元", "10k yuan"), total_rd, 4890.65),
        (t(language, "吸纳就业", "Jobs"), t(language, "人", "people"), 4862, 4410),
    ]
    prior_rows = []
    for label, unit, this_year, last_year in prior:
        change = round(this_year - last_year, 2)
        prior_rows.append([label, unit, this_year, last_year, change, round(change * 100 / last_year, 1)])
    counted = prior_rows[:5]

    return {
        "schema": 1,
        "language": language,
        "title": t(
            language,
            f"临淄区一体化孵化体系 {year} 年度进展报告",
            f"Linzi Integrated Incubation System: {year} Progress Report",
        ),
        "subtitle": t(
            language,
            f"全区 · 截至 {year}-12-31 · 第 2 版",
            f"District-wide · as of {year}-12-31 · version 2",
        ),
        "year": year,
        "kind": "yearly",
        "as_of": f"{year}-12-31",
        "scope": {"carrier_id": None, "name": t(language, "全区", "District-wide")},
        "version": 2,
        "compiled_at": f"{year + 1}-01-05T06:00:12+08:00",
        "meta": [
            [
                t(language, "计划", "Plan"),
                t(
                    language,
                    "临淄区科技企业孵化体系建设三年行动计划（2021—2023年）",
                    "Three-year action plan for Linzi's incubation system (2021–2023)",
                ),
            ],
            [t(language, "范围", "Scope"), t(language, "全区（一核五园）", "District-wide (one core, five parks)")],
            [t(language, "数据截至", "Figures as of"), f"{year}-12-31"],
            [t(language, "编制人", "Compiled by"), "bureau"],
            [t(language, "编制时间", "Compiled at"), f"{year + 1}-01-05 06:00"],
            [t(language, "版本", "Version"), "2"],
        ],
        "sections": [
            {
                "key": "targets",
                "title": t(language, "一、目标完成情况", "1. Targets against actual"),
                "paragraphs": [
                    t(
                        language,
                        "本报告按年度口径计算目标完成情况：科技型中小企业指在孵企业或在规则规定的毕业窗口期内的"
                        "毕业企业，持有当年科技型中小企业入库登记；高新技术企业指当年首次取得证书的企业，复审不计入。",
                        "Attainment is judged on the yearly reading: tech-based SMEs are tenants, or graduates "
                        "within the rule set's window, holding a registration for the year; high-tech enterprises "
                        "are those whose first certificate was issued in the year. Renewals do not count.",
                    ),
                    t(
                        language,
                        "累计口径（自 2021 年起去重计数）见第六部分与上年对比。",
                        "The cumulative reading (distinct since 2021) is compared with the prior year in part 6.",
                    ),
                ],
                "columns": [
                    t(language, "指标", "Indicator"),
                    t(language, "口径", "Reading"),
                    t(language, "目标", "Target"),
                    t(language, "实际", "Actual"),
                    t(language, "完成率（%）", "Attainment (%)"),
                    t(language, "状态", "Status"),
                ],
                "numeric": [False, False, True, True, True, False],
                "rows": targets_rows,
                "chart": {
                    "type": "bar",
                    "title": t(language, "目标与实际", "Target and actual"),
                    "labels": [targets_rows[0][0], targets_rows[1][0]],
                    "series": [
                        {"name": t(language, "目标", "Target"), "values": [sme_target, hte_target]},
                        {"name": t(language, "实际", "Actual"), "values": [tech_smes, htes]},
                    ],
                },
            },
            {
                "key": "carriers",
                "title": t(language, "二、各载体情况", "2. By carrier"),
                "paragraphs": [
                    t(
                        language,
                        "营业收入与研发经费取自已审核的年度经营数据（万元）；出租率为年末已出租面积占全部房源面积的比例。",
                        "Revenue and R&D come from verified annual operating reports (10k yuan); occupancy is the "
                        "let area over all unit area at year end.",
                    )
                ],
                "columns": [
                    t(language, "载体", "Carrier"),
                    t(language, "年末在孵企业", "Tenants at year end"),
                    t(language, "新入驻企业", "New admissions"),
                    t(language, "科技型中小企业", "Tech-based SMEs"),
                    t(language, "高新技术企业", "High-tech enterprises"),
                    t(language, "营业收入（万元）", "Revenue (10k yuan)"),
                    t(language, "研发经费（万元）", "R&D (10k yuan)"),
                    t(language, "出租率（%）", "Occupancy (%)"),
                ],
                "numeric": [False, True, True, True, True, True, True, True],
                "rows": carriers_rows,
                "chart": {
                    "type": "bar",
                    "title": t(language, "各载体科技型中小企业与高新技术企业", "Tech SMEs and HTEs by carrier"),
                    "labels": carrier_names,
                    "series": [
                        {"name": t(language, "科技型中小企业", "Tech-based SMEs"), "values": per_carrier_smes},
                        {"name": t(language, "高新技术企业", "High-tech enterprises"), "values": per_carrier_htes},
                    ],
                },
            },
            {
                "key": "contributors",
                "title": t(language, "三、计入目标的企业名单", "3. Enterprises counted toward each target"),
                "paragraphs": [
                    t(
                        language,
                        f"共 {contributors} 条记录，每家企业按其计入的指标各列一行。",
                        f"{contributors} records: one row per enterprise and target it counts toward.",
                    )
                ],
                "columns": [
                    t(language, "指标", "Target"),
                    t(language, "企业", "Enterprise"),
                    t(language, "统一社会信用代码", "USCC"),
                    t(language, "载体", "Carrier"),
                    t(language, "计入依据", "Contribution"),
                ],
                "numeric": [False, False, False, False, False],
                "rows": contributor_rows,
            },
            {
                "key": "pipeline",
                "title": t(language, "四、孵化链条流转", "4. Pipeline movements"),
                "paragraphs": [
                    t(
                        language,
                        "入驻申请按提交日期计；升入下一阶段指在孵化链条（苗圃—孵化器—加速器—产业园）中上移一个阶段。",
                        "Applications are counted by submission date; a promotion is a move one stage up the "
                        "pipeline (seedbed, incubator, accelerator, industrial park).",
                    )
                ],
                "columns": [
                    t(language, "环节", "Movement"),
                    t(language, f"{year} 年", str(year)),
                    t(language, f"{year - 1} 年", str(year - 1)),
                    t(language, "变化", "Change"),
                ],
                "numeric": [False, True, True, True],
                "rows": pipeline_rows,
            },
            {
                "key": "accreditation",
                "title": t(language, "五、载体认定进展", "5. Accreditation progress"),
                "paragraphs": [
                    t(
                        language,
                        "计划要求核心载体 2021 年达到市级、2022 年达到省级及以上认定；各分园不设认定目标。",
                        "The plan asks the core to be accredited municipal in 2021 and provincial or higher in "
                        "2022; the parks have no accreditation target.",
                    )
                ],
                "columns": [
                    t(language, "载体", "Carrier"),
                    t(language, "类型", "Kind"),
                    t(language, "当前级别", "Level"),
                    t(language, "认定日期", "Awarded on"),
                    t(language, "目标", "Target"),
                    t(language, "达标情况", "Reached"),
                ],
                "numeric": [False, False, False, False, False, False],
                "rows": accreditation_rows,
            },
            {
                "key": "prior_year",
                "title": t(language, "六、与上年对比", "6. Compared with the prior year"),
                "paragraphs": [
                    t(
                        language,
                        "变化率 =（本年 − 上年）÷ 上年 × 100%。",
                        "Change % = (this year − prior year) ÷ prior year × 100.",
                    )
                ],
                "columns": [
                    t(language, "指标", "Indicator"),
                    t(language, "单位", "Unit"),
                    t(language, f"{year} 年", str(year)),
                    t(language, f"{year - 1} 年", str(year - 1)),
                    t(language, "变化", "Change"),
                    t(language, "变化率（%）", "Change (%)"),
                ],
                "numeric": [False, False, True, True, True, True],
                "rows": prior_rows,
                "chart": {
                    "type": "bar",
                    "title": t(language, "企业数量指标：本年与上年", "Enterprise counts: this year and last"),
                    "labels": [row[0] for row in counted],
                    "series": [
                        {"name": t(language, f"{year - 1} 年", str(year - 1)), "values": [r[3] for r in counted]},
                        {"name": t(language, f"{year} 年", str(year)), "values": [r[2] for r in counted]},
                    ],
                },
            },
        ],
    }


SAMPLE_SNAPSHOT: dict = sample_snapshot()


def sample_copy(**kwargs) -> dict:
    """A deep copy, safe to modify in a test (`SAMPLE_SNAPSHOT` itself is shared)."""
    return copy.deepcopy(sample_snapshot(**kwargs) if kwargs else SAMPLE_SNAPSHOT)
