"""The first expert-review scoring rubric: five criteria and their weights (percent). Frozen like a migration:
changes are new versions, made by the operating company on the rule-set page."""

import datetime

EFFECTIVE = datetime.date(2021, 1, 1)
SOURCE = "临淄区一体化孵化体系入驻评审办法（示例，待确认）"
CRITERIA = [
    {"code": "score_technology", "params": {"weight": 30}},
    {"code": "score_team", "params": {"weight": 20}},
    {"code": "score_market", "params": {"weight": 20}},
    {"code": "score_business_model", "params": {"weight": 15}},
    {"code": "score_focus_fit", "params": {"weight": 15}},
]


def load_review_scoring(apps, schema_editor=None) -> None:
    RuleSet = apps.get_model("incubation", "RuleSet")
    RuleSet.objects.get_or_create(
        kind="review_scoring",
        version=1,
        defaults={"effective_from": EFFECTIVE, "combination": "all", "criteria": CRITERIA, "source": SOURCE},
    )
