"""The district's incubation structure as set out in 临政办字〔2021〕41号 ("一核五园"): one core and five parks,
their focus fields and the organisations they rely on. Chinese names are exactly as written in the plan.

`load_reference_structure(apps)` is used by migration parks.0003 and is idempotent: rows that exist are left
as they are (staff may have edited them since), missing rows are created. It lives beside the migrations (the
leading underscore keeps Django's loader from taking it for one) and, like a migration, is frozen: later changes
to the reference structure are new data migrations, not edits here.
"""

CORE_STAGES = ["seedbed", "incubator", "accelerator"]
PARK_STAGES = ["incubator", "industrial_park"]

INDUSTRIES = [
    # (Chinese, English, fields [(Chinese, English)])
    (
        "绿色化工",
        "Green chemicals",
        [
            ("碳三", "C3 chemicals"),
            ("碳四", "C4 chemicals"),
            ("碳五", "C5 chemicals"),
            ("碳九", "C9 chemicals"),
            ("聚氨酯", "Polyurethane"),
            ("化工新材料", "New chemical materials"),
        ],
    ),
    (
        "智能装备制造",
        "Intelligent equipment manufacturing",
        [
            ("无人驾驶智能整机装备", "Autonomous-driving complete equipment"),
            ("智能化部件", "Intelligent components"),
            ("线控底盘", "Drive-by-wire chassis"),
            ("应用软件", "Application software"),
            ("动力电池", "Power batteries"),
            ("机器人", "Robots"),
        ],
    ),
    (
        "大数据",
        "Big data",
        [
            ("大数据", "Big data"),
            ("云计算", "Cloud computing"),
            ("云服务", "Cloud services"),
            ("人工智能", "Artificial intelligence"),
        ],
    ),
    (
        "新医药",
        "New medicine",
        [
            ("原料药", "Active pharmaceutical ingredients"),
            ("生物制药", "Biopharmaceuticals"),
            ("医药包装", "Pharmaceutical packaging"),
            ("中药", "Traditional Chinese medicine"),
            ("化学药", "Chemical drugs"),
            ("药用辅料", "Pharmaceutical excipients"),
            ("CMC", "Chemistry, manufacturing and controls (CMC)"),
        ],
    ),
    (
        "新材料",
        "New materials",
        [
            ("集成电路材料", "Integrated-circuit materials"),
            ("无机非金属材料", "Inorganic non-metallic materials"),
            ("特种纸", "Specialty paper"),
            ("环保新材料", "Environmental new materials"),
        ],
    ),
]

CARRIERS = [
    {
        "code": "qizhihui",
        "kind": "core",
        "name": "临淄区齐智汇科技孵化中心",
        "name_en": "Linzi Qizhihui Technology Incubation Centre",
        "stages": CORE_STAGES,
        "aim": "集创业苗圃、孵化器、加速器功能为一体的创新创业孵化基地",
        "aim_en": "An innovation and entrepreneurship base combining seedbed, incubator and accelerator",
        "description": "全链条一体化科技服务体系的核心。聚焦培育创新创业种子、服务初创型企业、高成长性企业等入驻孵化，"
        "提供科技服务、信息服务、人才服务和科技成果转化服务，满足孵化企业的发展空间、技术研发、"
        "资本运作、市场开拓、外部合作等个性化需求。",
        "industries": ["绿色化工", "智能装备制造", "大数据", "新医药", "新材料"],
        "fields": [],
        "anchors": [],
    },
    {
        "code": "green-chemicals",
        "kind": "park",
        "name": "绿色化工产业园",
        "name_en": "Green Chemicals Industrial Park",
        "stages": PARK_STAGES,
        "aim": "打造具有世界影响力的高端化工新材料特色产业基地",
        "aim_en": "A high-end chemical new-materials industry base of world influence",
        "industries": [],
        "fields": [("绿色化工", ["碳三", "碳四", "碳五", "碳九", "聚氨酯", "化工新材料"])],
        "anchors": [
            ("齐翔腾达", "Qixiang Tengda", "enterprise"),
            ("凯威尔", "Kaiweier", "enterprise"),
            ("一诺威新材料", "Inov New Materials", "enterprise"),
        ],
    },
    {
        "code": "big-data",
        "kind": "park",
        "name": "大数据产业园",
        "name_en": "Big Data Industrial Park",
        "stages": PARK_STAGES,
        "aim": "建设大数据产业创新中心",
        "aim_en": "A big-data industry innovation centre",
        "industries": [],
        "fields": [("大数据", ["大数据", "云计算", "云服务", "人工智能"])],
        "anchors": [("爱特云翔", "Aite Yunxiang", "enterprise")],
    },
    {
        "code": "intelligent-manufacturing",
        "kind": "park",
        "name": "智能制造产业园",
        "name_en": "Intelligent Manufacturing Industrial Park",
        "stages": PARK_STAGES,
        "aim": "打造智能车联网产业基地",
        "aim_en": "An intelligent connected-vehicle industry base",
        "industries": [],
        "fields": [
            (
                "智能装备制造",
                ["无人驾驶智能整机装备", "智能化部件", "线控底盘", "应用软件", "动力电池", "机器人"],
            )
        ],
        "anchors": [
            ("清华大学", "Tsinghua University", "university"),
            ("北京航空航天大学", "Beihang University", "university"),
            ("吉林大学", "Jilin University", "university"),
            ("奇瑞控股集团", "Chery Holding Group", "enterprise"),
            ("无人驾驶创新中心平台", "Autonomous Driving Innovation Centre platform", "platform"),
        ],
    },
    {
        "code": "new-medicine",
        "kind": "park",
        "name": "新医药产业园",
        "name_en": "New Medicine Industrial Park",
        "stages": PARK_STAGES,
        "aim": "打造生物医药产业聚集区",
        "aim_en": "A biomedicine industry cluster",
        "industries": [],
        "fields": [("新医药", ["原料药", "生物制药", "医药包装", "中药", "化学药", "药用辅料", "CMC"])],
        "anchors": [
            ("蓝帆医疗", "Blue Sail Medical", "enterprise"),
            ("齐都药业", "Qidu Pharmaceutical", "enterprise"),
            ("英科医疗", "Intco Medical", "enterprise"),
            ("百极荣创", "Baiji Rongchuang", "enterprise"),
        ],
    },
    {
        "code": "new-materials",
        "kind": "park",
        "name": "新材料产业园",
        "name_en": "New Materials Industrial Park",
        "stages": PARK_STAGES,
        "aim": "打造国内新材料产业基地",
        "aim_en": "A national new-materials industry base",
        "industries": [],
        "fields": [("新材料", ["集成电路材料", "无机非金属材料", "特种纸", "环保新材料"])],
        "anchors": [
            ("中电科十二所", "CETC 12th Research Institute", "research_institute"),
            ("齐峰新材", "Qifeng New Material", "enterprise"),
        ],
    },
]


def load_reference_structure(apps, schema_editor=None) -> None:
    FocusField = apps.get_model("parks", "FocusField")
    Carrier = apps.get_model("parks", "Carrier")
    AnchorOrganisation = apps.get_model("parks", "AnchorOrganisation")

    industries = {}
    fields = {}
    for i, (name, name_en, children) in enumerate(INDUSTRIES, start=1):
        industry, _ = FocusField.objects.get_or_create(
            parent=None, name=name, defaults={"name_en": name_en, "sort_order": i}
        )
        industries[name] = industry
        for j, (child_name, child_en) in enumerate(children, start=1):
            fields[(name, child_name)], _ = FocusField.objects.get_or_create(
                parent=industry, name=child_name, defaults={"name_en": child_en, "sort_order": j}
            )

    for order, spec in enumerate(CARRIERS, start=1):
        carrier, created = Carrier.objects.get_or_create(
            code=spec["code"],
            defaults={
                "kind": spec["kind"],
                "name": spec["name"],
                "name_en": spec["name_en"],
                "stages": spec["stages"],
                "aim": spec["aim"],
                "aim_en": spec["aim_en"],
                "description": spec.get("description", ""),
                "sort_order": order,
            },
        )
        if created:
            focus = [industries[name] for name in spec["industries"]]
            focus += [fields[(industry, name)] for industry, names in spec["fields"] for name in names]
            carrier.focus_fields.set(focus)
        for k, (name, name_en, kind) in enumerate(spec["anchors"], start=1):
            AnchorOrganisation.objects.get_or_create(
                carrier=carrier, name=name, defaults={"name_en": name_en, "kind": kind, "sort_order": k}
            )
