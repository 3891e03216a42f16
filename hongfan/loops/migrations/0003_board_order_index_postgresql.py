"""PostgreSQL only: an index in the supervision board's order (open matters first).

The board orders by ``closed_at ASC NULLS FIRST, due_at, id``. SQLite sorts NULLs first
natively and walks ``loops_matter_open_due_idx`` in that order; PostgreSQL sorts NULLs last by
default, so without this index it joins and sorts every matter before taking one page. SQLite
does not accept ``NULLS FIRST`` in an index definition, hence a vendor-conditional operation
instead of a ``Meta.indexes`` entry.
"""

from django.db import migrations

INDEX = "loops_matter_board_pg_idx"


def create(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} "
            "ON loops_matter (closed_at ASC NULLS FIRST, due_at, id)"
        )


def drop(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("loops", "0002_seed_types")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
