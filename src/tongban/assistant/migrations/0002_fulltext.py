"""The full-text structure for the database in use: FTS5 on SQLite, a tsvector column with GIN on PostgreSQL."""

from django.db import migrations


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(
            "CREATE VIRTUAL TABLE IF NOT EXISTS assistant_fts USING fts5(title, body, tokenize='unicode61')"
        )
    elif schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE assistant_searchdocument ADD COLUMN IF NOT EXISTS vector tsvector")
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS assistant_searchdocument_vector ON assistant_searchdocument USING GIN (vector)"
        )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("DROP TABLE IF EXISTS assistant_fts")
    elif schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS assistant_searchdocument_vector")
        schema_editor.execute("ALTER TABLE assistant_searchdocument DROP COLUMN IF EXISTS vector")


class Migration(migrations.Migration):
    dependencies = [("assistant", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
