"""The first target-counting rule set: for how long after graduating an enterprise still counts toward the
district's tech-SME and high-tech-enterprise targets. Frozen like a migration: changes are new versions, made by
staff on the rule-set page."""

import datetime

EFFECTIVE = datetime.date(2017, 1, 1)
SOURCE = "山东省高新技术企业培育奖励政策：孵化期（三年）内认定的高新技术企业计入孵化成效（窗口期由区里确认）"
NOTE = "毕业后 36 个月内仍计入科技型中小企业、高新技术企业目标；窗口期为区里的选择，待区科技局确认。"
CRITERIA = [{"code": "graduate_window_months", "params": {"months": 36}}]


def load_target_counting(apps, schema_editor=None) -> None:
    RuleSet = apps.get_model("incubation", "RuleSet")
    RuleSet.objects.get_or_create(
        kind="target_counting",
        version=1,
        defaults={
            "effective_from": EFFECTIVE,
            "combination": "all",
            "criteria": CRITERIA,
            "source": SOURCE,
            "note": NOTE,
        },
    )
