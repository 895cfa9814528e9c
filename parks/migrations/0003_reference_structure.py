from django.db import migrations

from parks.migrations._reference_2021 import load_reference_structure


class Migration(migrations.Migration):
    """One core and five parks, with their focus fields and anchor organisations, from 临政办字〔2021〕41号."""

    dependencies = [("parks", "0002_structure")]
    operations = [migrations.RunPython(load_reference_structure, migrations.RunPython.noop)]
