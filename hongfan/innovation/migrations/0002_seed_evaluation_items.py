"""Seed the default evaluation items (reversible). [local] 100 points in all."""

from django.db import migrations

ITEMS = [
    ("目标达成度", 30),
    ("创新性", 20),
    ("患者获益与社会效益", 20),
    ("团队协作与党建融合", 15),
    ("推广应用价值", 15),
]


def seed(apps, schema_editor):
    Item = apps.get_model("innovation", "EvaluationItem")
    for n, (name, max_score) in enumerate(ITEMS, start=1):
        Item.objects.get_or_create(name=name, defaults={"max_score": max_score, "sort_order": n})


def unseed(apps, schema_editor):
    Item = apps.get_model("innovation", "EvaluationItem")
    Item.objects.filter(name__in=[n for n, _ in ITEMS]).delete()


class Migration(migrations.Migration):
    dependencies = [("innovation", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
