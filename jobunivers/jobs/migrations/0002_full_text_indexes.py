"""Database-specific full-text search (see docs/adr/0020-job-search.md).

PostgreSQL: a trigger fills `search_vector` with the 'danish' text search
configuration (title weighted A, employer B, description C) and a GIN index
serves it. SQLite: an external-content FTS5 table over `search_text` (Danish
stems computed by the application, the same Snowball algorithm PostgreSQL
uses), kept in step by triggers, so bulk writes never leave it stale.
"""

from django.db import migrations

POSTGRES_FORWARD = [
    """
    CREATE FUNCTION jobs_posting_search_vector() RETURNS trigger AS $$
    BEGIN
      NEW.search_vector :=
        setweight(to_tsvector('pg_catalog.danish', coalesce(NEW.title, '')), 'A') ||
        setweight(to_tsvector('pg_catalog.danish', coalesce(NEW.employer_name, '')), 'B') ||
        setweight(to_tsvector('pg_catalog.danish', coalesce(NEW.description, '')), 'C');
      RETURN NEW;
    END
    $$ LANGUAGE plpgsql;
    """,
    """
    CREATE TRIGGER jobs_posting_search_vector_trigger
    BEFORE INSERT OR UPDATE OF title, employer_name, description ON jobs_jobposting
    FOR EACH ROW EXECUTE FUNCTION jobs_posting_search_vector();
    """,
    "CREATE INDEX jobs_posting_search ON jobs_jobposting USING GIN (search_vector);",
]
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS jobs_posting_search;",
    "DROP TRIGGER IF EXISTS jobs_posting_search_vector_trigger ON jobs_jobposting;",
    "DROP FUNCTION IF EXISTS jobs_posting_search_vector();",
]
SQLITE_FORWARD = [
    "CREATE VIRTUAL TABLE jobs_posting_fts USING fts5(search_text, content='jobs_jobposting', content_rowid='id',"
    " tokenize='unicode61 remove_diacritics 0');",
    "CREATE TRIGGER jobs_posting_fts_insert AFTER INSERT ON jobs_jobposting BEGIN"
    " INSERT INTO jobs_posting_fts(rowid, search_text) VALUES (new.id, new.search_text); END;",
    "CREATE TRIGGER jobs_posting_fts_delete AFTER DELETE ON jobs_jobposting BEGIN"
    " INSERT INTO jobs_posting_fts(jobs_posting_fts, rowid, search_text) VALUES ('delete', old.id, old.search_text); END;",
    "CREATE TRIGGER jobs_posting_fts_update AFTER UPDATE OF search_text ON jobs_jobposting BEGIN"
    " INSERT INTO jobs_posting_fts(jobs_posting_fts, rowid, search_text) VALUES ('delete', old.id, old.search_text);"
    " INSERT INTO jobs_posting_fts(rowid, search_text) VALUES (new.id, new.search_text); END;",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS jobs_posting_fts_update;",
    "DROP TRIGGER IF EXISTS jobs_posting_fts_delete;",
    "DROP TRIGGER IF EXISTS jobs_posting_fts_insert;",
    "DROP TABLE IF EXISTS jobs_posting_fts;",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("jobs", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"postgresql": POSTGRES_FORWARD, "sqlite": SQLITE_FORWARD}),
            _run({"postgresql": POSTGRES_BACKWARD, "sqlite": SQLITE_BACKWARD}),
        ),
    ]
