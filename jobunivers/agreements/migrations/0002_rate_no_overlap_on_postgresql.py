"""On PostgreSQL, rates of one agreement never overlap, whatever writes them: an exclusion constraint
over (agreement, the inclusive date range). A range over the agreement id stands in for equality, so
no extension (btree_gist) is needed. SQLite has no such constraint; there the services' check under a
lock of the agreement row keeps it (ADR 0085)."""

from django.db import migrations

CONSTRAINT = "agreements_rate_no_overlap"


def add(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"ALTER TABLE agreements_rate ADD CONSTRAINT {CONSTRAINT} EXCLUDE USING gist ("
        "int8range(agreement_id, agreement_id, '[]') WITH &&, "
        "daterange(valid_from, valid_to, '[]') WITH &&)")


def remove(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"ALTER TABLE agreements_rate DROP CONSTRAINT IF EXISTS {CONSTRAINT}")


class Migration(migrations.Migration):

    dependencies = [("agreements", "0001_initial")]

    operations = [migrations.RunPython(add, remove)]
