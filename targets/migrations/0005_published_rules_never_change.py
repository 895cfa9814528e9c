from django.db import migrations

# A published rule version, its criteria and their bands never change (issue 10: "old versions never change,
# enforced in the database"); drafts may be edited. A kept evaluation changes only from current to history.
FORWARD = """
CREATE FUNCTION targets_published_version_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.published_at IS NOT NULL THEN
        RAISE EXCEPTION 'rule version % is published: it never changes; add a new version instead', OLD.id
            USING ERRCODE = 'integrity_constraint_violation', CONSTRAINT = 'published_rules_never_change';
    END IF;
    RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END $$;

CREATE FUNCTION targets_criterion_of_draft() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    versions bigint[];
BEGIN
    IF TG_OP = 'INSERT' THEN
        versions := ARRAY[NEW.version_id];
    ELSIF TG_OP = 'DELETE' THEN
        versions := ARRAY[OLD.version_id];
    ELSE
        versions := ARRAY[OLD.version_id, NEW.version_id];
    END IF;
    PERFORM 1 FROM targets_schemeversion
        WHERE id = ANY(versions) AND published_at IS NOT NULL FOR SHARE;
    IF FOUND THEN
        RAISE EXCEPTION 'the criteria of a published rule version never change'
            USING ERRCODE = 'integrity_constraint_violation', CONSTRAINT = 'published_rules_never_change';
    END IF;
    RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END $$;

CREATE FUNCTION targets_band_of_draft() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    criteria bigint[];
BEGIN
    IF TG_OP = 'INSERT' THEN
        criteria := ARRAY[NEW.criterion_id];
    ELSIF TG_OP = 'DELETE' THEN
        criteria := ARRAY[OLD.criterion_id];
    ELSE
        criteria := ARRAY[OLD.criterion_id, NEW.criterion_id];
    END IF;
    PERFORM 1 FROM targets_criterion c JOIN targets_schemeversion v ON v.id = c.version_id
        WHERE c.id = ANY(criteria) AND v.published_at IS NOT NULL FOR SHARE OF v;
    IF FOUND THEN
        RAISE EXCEPTION 'the bands of a published rule version never change'
            USING ERRCODE = 'integrity_constraint_violation', CONSTRAINT = 'published_rules_never_change';
    END IF;
    RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END $$;

CREATE FUNCTION targets_evaluation_kept() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF (to_jsonb(NEW) - 'is_current') IS DISTINCT FROM (to_jsonb(OLD) - 'is_current')
       OR (NEW.is_current AND NOT OLD.is_current) THEN
        RAISE EXCEPTION 'evaluation % is kept as it was made: only its being current ends', OLD.id
            USING ERRCODE = 'integrity_constraint_violation', CONSTRAINT = 'evaluations_kept_as_made';
    END IF;
    RETURN NEW;
END $$;

CREATE TRIGGER targets_schemeversion_frozen BEFORE UPDATE OR DELETE ON targets_schemeversion
    FOR EACH ROW EXECUTE FUNCTION targets_published_version_frozen();
CREATE TRIGGER targets_criterion_of_draft BEFORE INSERT OR UPDATE OR DELETE ON targets_criterion
    FOR EACH ROW EXECUTE FUNCTION targets_criterion_of_draft();
CREATE TRIGGER targets_band_of_draft BEFORE INSERT OR UPDATE OR DELETE ON targets_band
    FOR EACH ROW EXECUTE FUNCTION targets_band_of_draft();
CREATE TRIGGER targets_evaluation_kept BEFORE UPDATE ON targets_evaluation
    FOR EACH ROW EXECUTE FUNCTION targets_evaluation_kept();
"""

BACKWARD = """
DROP TRIGGER targets_evaluation_kept ON targets_evaluation;
DROP TRIGGER targets_band_of_draft ON targets_band;
DROP TRIGGER targets_criterion_of_draft ON targets_criterion;
DROP TRIGGER targets_schemeversion_frozen ON targets_schemeversion;
DROP FUNCTION targets_evaluation_kept();
DROP FUNCTION targets_band_of_draft();
DROP FUNCTION targets_criterion_of_draft();
DROP FUNCTION targets_published_version_frozen();
"""


class Migration(migrations.Migration):
    dependencies = [("targets", "0004_rule_schemes")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
