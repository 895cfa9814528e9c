from django.contrib.postgres.operations import BtreeGistExtension, TrigramExtension
from django.db import migrations


class Migration(migrations.Migration):
    """PostgreSQL extensions the portal relies on: pg_trgm (fuzzy Chinese name search) and btree_gist
    (exclusion constraints over date ranges, e.g. no unit allocated twice for overlapping dates)."""

    initial = True
    dependencies = []
    operations = [TrigramExtension(), BtreeGistExtension()]
