"""pg_trgm and GIN trigram indexes on PostgreSQL; nothing on other databases.

The documents' title and text keys are matched with LIKE '% word%' (which a trigram index
answers) and titles with pg_trgm's word similarity (``word <% title_key``, selectors.py).
SQLite has neither; it scans the documents, which at this catalogue's size costs little.
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

INDEXES = {
    "sitesearch_document_title_trgm": "title_key",
    "sitesearch_document_text_trgm": "text_key",
}


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, column in INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON sitesearch_document "
            f"USING gin ({column} gin_trgm_ops)"
        )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("sitesearch", "0001_initial")]

    operations = [
        # CreateExtension does nothing on a database other than PostgreSQL.
        TrigramExtension(),
        migrations.RunPython(create_indexes, drop_indexes),
    ]
