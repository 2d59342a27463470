from django.db import migrations


def index(apps, schema_editor):
    """PostgreSQL only: GIN full-text index over the name bigrams (residents/search.py)."""
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS resident_name_grams_fts ON residents_resident "
        "USING gin (to_tsvector('simple'::regconfig, name_grams))"
    )


def unindex(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS resident_name_grams_fts")


class Migration(migrations.Migration):
    # Its own transaction: an index built in the transaction that filled the column may stay
    # unusable while any older transaction is open (pg_index.indcheckxmin).
    atomic = False
    dependencies = [("residents", "0004_name_grams")]
    operations = [migrations.RunPython(index, unindex)]
