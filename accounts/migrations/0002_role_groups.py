from django.db import migrations

# Frozen copy of accounts.roles.GROUP_NAMES at the time of this migration.
ROLE_GROUPS = ["系统管理员", "运营公司", "分园管理员", "区科技局", "评审专家", "企业用户"]


def create_role_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name in ROLE_GROUPS:
        Group.objects.get_or_create(name=name)


class Migration(migrations.Migration):
    """The six roles as Django groups. Their permissions follow accounts.roles.POLICY and are set after every
    migrate (accounts.roles.sync_role_groups), once all permissions exist."""

    dependencies = [("accounts", "0001_initial"), ("auth", "0012_alter_user_first_name_max_length")]
    operations = [migrations.RunPython(create_role_groups, migrations.RunPython.noop)]
