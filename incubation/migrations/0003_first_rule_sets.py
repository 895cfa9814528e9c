from django.db import migrations

from incubation.migrations._rule_sets_2018 import load_rule_sets


class Migration(migrations.Migration):
    """Version 1 of each rule set, from the national 2018 rules (国科发区〔2018〕300号)."""

    dependencies = [("incubation", "0002_rule_sets_and_transitions")]
    operations = [migrations.RunPython(load_rule_sets, migrations.RunPython.noop)]
