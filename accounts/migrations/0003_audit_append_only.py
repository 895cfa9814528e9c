from django.db import migrations


class Migration(migrations.Migration):
    """The audit trail is append-only: the database refuses to change or delete an audit event (等保 2.0)."""

    dependencies = [("accounts", "0002_role_groups")]
    operations = [
        migrations.RunSQL(
            sql="""
            CREATE OR REPLACE FUNCTION accounts_auditevent_append_only() RETURNS trigger AS $$
            BEGIN
                RAISE EXCEPTION 'audit events cannot be changed or deleted' USING ERRCODE = 'insufficient_privilege';
            END;
            $$ LANGUAGE plpgsql;
            CREATE TRIGGER accounts_auditevent_append_only
                BEFORE UPDATE OR DELETE ON accounts_auditevent
                FOR EACH ROW EXECUTE FUNCTION accounts_auditevent_append_only();
            """,
            reverse_sql="""
            DROP TRIGGER IF EXISTS accounts_auditevent_append_only ON accounts_auditevent;
            DROP FUNCTION IF EXISTS accounts_auditevent_append_only();
            """,
        )
    ]
