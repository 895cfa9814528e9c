"""The national rules of 国科发区〔2018〕300号 (科技企业孵化器管理办法) and comparable local practice, as the first
version of each rule set (DOMAIN.md §3). Frozen like a migration: changes are new versions, made by staff."""

import datetime

EFFECTIVE = datetime.date(2019, 1, 1)
SOURCE = "国科发区〔2018〕300号《科技企业孵化器管理办法》; 地方创业苗圃、加速器管理办法（示例，待确认）"

RULE_SETS = [
    ("seedbed_admission", "all", [{"code": "team_or_registered_within_months", "params": {"months": 6}}]),
    (
        "incubator_admission",
        "all",
        [
            {"code": "registered_within_months", "params": {"months": 24}},
            {"code": "tech_sme_registered", "params": {}},
        ],
    ),
    ("accelerator_admission", "any", [{"code": "incubator_graduate", "params": {}}]),
    ("industrial_park_admission", "all", [{"code": "registered_company", "params": {}}]),
    (
        "graduation",
        "any",
        [
            {"code": "holds_hte", "params": {}},
            {"code": "financing_over", "params": {"amount_wan": 500}},
            {"code": "revenue_over_years", "params": {"amount_wan": 1000, "years": 2}},
            {"code": "merged_or_listed", "params": {}},
        ],
    ),
]


INCUBATION_PERIOD = (
    "incubation_period",
    "all",
    # 48 months in principle (国科发区〔2018〕300号); staff are told six months ahead.
    [{"code": "max_months", "params": {"months": 48, "notice_months": 6}}],
)


def load_incubation_period(apps, schema_editor=None) -> None:
    RuleSet = apps.get_model("incubation", "RuleSet")
    kind, combination, criteria = INCUBATION_PERIOD
    RuleSet.objects.get_or_create(
        kind=kind,
        version=1,
        defaults={"effective_from": EFFECTIVE, "combination": combination, "criteria": criteria, "source": SOURCE},
    )


def load_rule_sets(apps, schema_editor=None) -> None:
    RuleSet = apps.get_model("incubation", "RuleSet")
    for kind, combination, criteria in RULE_SETS:
        RuleSet.objects.get_or_create(
            kind=kind,
            version=1,
            defaults={"effective_from": EFFECTIVE, "combination": combination, "criteria": criteria, "source": SOURCE},
        )
    load_incubation_period(apps)
