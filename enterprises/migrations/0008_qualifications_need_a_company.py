"""A team not yet incorporated holds no tech-SME registration, high-tech enterprise certificate or application: the
database refuses such a row, and refuses to turn a company that holds one into a team (enterprises.services says
so first, in the user's words). The qualification's trigger reads the enterprise FOR SHARE, so that a change of kind
and a new qualification committed at the same moment cannot both pass."""

from django.db import migrations, models

FORWARD = """
CREATE FUNCTION enterprises_qualification_needs_company() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF (SELECT kind FROM enterprises_enterprise WHERE id = NEW.enterprise_id FOR SHARE) <> 'company' THEN
        RAISE EXCEPTION 'only a registered company holds a % (enterprise %)', TG_TABLE_NAME, NEW.enterprise_id
            USING ERRCODE = 'check_violation', CONSTRAINT = 'qualification_needs_company';
    END IF;
    RETURN NEW;
END $$;

CREATE FUNCTION enterprises_company_keeps_qualifications() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.kind <> 'company' AND (
        EXISTS (SELECT 1 FROM enterprises_techsmeregistration WHERE enterprise_id = NEW.id)
        OR EXISTS (SELECT 1 FROM enterprises_htecertificate WHERE enterprise_id = NEW.id)
        OR EXISTS (SELECT 1 FROM enterprises_hteapplication WHERE enterprise_id = NEW.id)
    ) THEN
        RAISE EXCEPTION 'enterprise % holds qualifications that only a registered company holds', NEW.id
            USING ERRCODE = 'check_violation', CONSTRAINT = 'qualification_needs_company';
    END IF;
    RETURN NEW;
END $$;

CREATE TRIGGER enterprises_company_keeps_qualifications BEFORE UPDATE OF kind ON enterprises_enterprise
    FOR EACH ROW WHEN (NEW.kind IS DISTINCT FROM OLD.kind)
    EXECUTE FUNCTION enterprises_company_keeps_qualifications();

CREATE TRIGGER enterprises_techsmeregistration_needs_company BEFORE INSERT OR UPDATE OF enterprise_id ON enterprises_techsmeregistration
    FOR EACH ROW EXECUTE FUNCTION enterprises_qualification_needs_company();

CREATE TRIGGER enterprises_htecertificate_needs_company BEFORE INSERT OR UPDATE OF enterprise_id ON enterprises_htecertificate
    FOR EACH ROW EXECUTE FUNCTION enterprises_qualification_needs_company();

CREATE TRIGGER enterprises_hteapplication_needs_company BEFORE INSERT OR UPDATE OF enterprise_id ON enterprises_hteapplication
    FOR EACH ROW EXECUTE FUNCTION enterprises_qualification_needs_company();
"""

BACKWARD = """
DROP TRIGGER enterprises_techsmeregistration_needs_company ON enterprises_techsmeregistration;
DROP TRIGGER enterprises_htecertificate_needs_company ON enterprises_htecertificate;
DROP TRIGGER enterprises_hteapplication_needs_company ON enterprises_hteapplication;
DROP TRIGGER enterprises_company_keeps_qualifications ON enterprises_enterprise;
DROP FUNCTION enterprises_company_keeps_qualifications();
DROP FUNCTION enterprises_qualification_needs_company();
"""


def refuse_teams_holding_qualifications(apps, schema_editor):
    """Rows written before the rule would stay counted: they are named, to be put right (the team registered as a
    company, or the record removed), before the rule can be applied."""
    Enterprise = apps.get_model("enterprises", "Enterprise")
    teams = Enterprise.objects.exclude(kind="company").filter(
        models.Q(tech_sme_registrations__isnull=False)
        | models.Q(hte_certificates__isnull=False)
        | models.Q(hte_applications__isnull=False)
    )
    names = sorted(set(teams.values_list("name", flat=True)))
    if names:
        raise RuntimeError(
            "These teams (not registered companies) hold tech-SME registrations or high-tech enterprise certificates "
            "or applications: register each as a company or remove the records, then migrate again: " + ", ".join(names)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("enterprises", "0007_hte_applications"),
    ]

    operations = [
        migrations.RunPython(refuse_teams_holding_qualifications, migrations.RunPython.noop),
        migrations.RunSQL(FORWARD, BACKWARD),
    ]
