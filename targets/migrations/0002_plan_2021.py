"""Seed the district's plan, 临政办字〔2021〕41号 (2021-09-18), with its targets for 2021–2023 (DOMAIN.md §1).

The plan does not say whether its yearly numbers are for the year or cumulative; the targets are set on the yearly
reading (docs/indicators.md says why), and the dashboard shows both readings."""

import datetime
from decimal import Decimal

from django.db import migrations

PLAN = {
    "name": "临淄区“苗圃+孵化器+加速器+科技园区”一体化创新创业孵化基地建设方案",
    "source_document": "临政办字〔2021〕41号",
    "adopted_on": datetime.date(2021, 9, 18),
    "start_year": 2021,
}
COUNTS = {2021: (5, 2), 2022: (10, 3), 2023: (15, 5)}
ACCREDITATION = {2021: "municipal", 2022: "provincial"}
NOTES = {
    "municipal": "支持齐智汇科技孵化中心创建市级孵化器",
    "provincial": "支持齐智汇科技孵化中心创建省级及以上孵化器",
}


def seed(apps, schema_editor):
    TargetPlan = apps.get_model("targets", "TargetPlan")
    Target = apps.get_model("targets", "Target")
    Carrier = apps.get_model("parks", "Carrier")
    plan, _ = TargetPlan.objects.get_or_create(name=PLAN["name"], defaults=PLAN)
    for year, (tech_smes, htes) in COUNTS.items():
        for indicator, value in (("tech_smes", tech_smes), ("htes", htes)):
            Target.objects.get_or_create(
                plan=plan,
                year=year,
                indicator=indicator,
                carrier=None,
                form="yearly",
                defaults={"value": Decimal(value)},
            )
    core = Carrier.objects.filter(code="qizhihui").first()
    if core is None:
        return
    for year, level in ACCREDITATION.items():
        Target.objects.get_or_create(
            plan=plan,
            year=year,
            indicator="accreditation_level",
            carrier=core,
            form="yearly",
            defaults={"level": level, "note": NOTES[level]},
        )


class Migration(migrations.Migration):
    dependencies = [
        ("targets", "0001_target_plans"),
        ("parks", "0003_reference_structure"),
    ]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
