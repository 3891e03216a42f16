"""Refuse UPDATE and DELETE on the audit table with database triggers (SQLite and PostgreSQL)."""

from django.db import migrations


def forwards(apps, schema_editor):
    from hongfan.audit import triggers

    triggers.install(schema_editor.connection)


def backwards(apps, schema_editor):
    from hongfan.audit import triggers

    triggers.remove(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
