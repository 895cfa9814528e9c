from django.db import migrations, models

from incubation.migrations._target_counting import load_target_counting


class Migration(migrations.Migration):
    dependencies = [
        ("incubation", "0006_tenant_import"),
    ]

    operations = [
        migrations.AlterField(
            model_name="ruleset",
            name="kind",
            field=models.CharField(
                choices=[
                    ("seedbed_admission", "Admission to a seedbed"),
                    ("incubator_admission", "Admission to an incubator"),
                    ("accelerator_admission", "Admission to an accelerator"),
                    ("industrial_park_admission", "Admission to an industrial park"),
                    ("graduation", "Graduation"),
                    ("incubation_period", "Incubation period"),
                    ("review_scoring", "Expert review scoring"),
                    ("target_counting", "Counting toward the targets"),
                ],
                max_length=30,
                verbose_name="kind",
            ),
        ),
        migrations.RunPython(load_target_counting, migrations.RunPython.noop),
    ]
