"""Seed the default matter types (missing ones only; ``loops_seed_types`` refreshes them)."""

from django.db import migrations


def seed(apps, schema_editor):
    from hongfan.loops.workflows import DEFAULT_TYPES

    MatterType = apps.get_model("loops", "MatterType")
    for code, fields in DEFAULT_TYPES.items():
        if not MatterType.objects.filter(code=code).exists():
            MatterType.objects.create(code=code, **fields)


def unseed(apps, schema_editor):
    from hongfan.loops.workflows import DEFAULT_TYPES

    MatterType = apps.get_model("loops", "MatterType")
    MatterType.objects.filter(code__in=list(DEFAULT_TYPES), matters__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("loops", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
