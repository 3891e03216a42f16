"""Default frequency rules (DOMAIN.md §2) and the settings row."""

from django.db import migrations

RULES = (
    ("general_assembly", "quarter", 1, "regular", False, "支部工作条例"),
    ("committee", "month", 1, "regular", False, "支部工作条例"),
    ("group", "month", 1, "regular", True, "只适用于设党小组的支部"),
    ("lecture", "quarter", 1, "regular", False, "[local] 亦可配置为每年≥2次"),
    ("theme_day", "month", 1, "all", False, "每月固定一天"),
    ("life_meeting", "year", 1, "regular", False, "一般在第四季度"),
    ("review", "year", 1, "regular", False, "可与组织生活会结合"),
    ("general_assembly", "quarter", 1, "temporary", False, "临时党支部"),
)


def forwards(apps, schema_editor):
    rule = apps.get_model("orglife", "FrequencyRule")
    settings_row = apps.get_model("orglife", "OrglifeSettings")
    if not rule.objects.exists():
        rule.objects.bulk_create(
            [
                rule(kind=k, period=p, minimum=n, applies_to=a, only_with_groups=g, note=note)
                for k, p, n, a, g, note in RULES
            ]
        )
    if not settings_row.objects.exists():
        settings_row.objects.create()


def backwards(apps, schema_editor):
    apps.get_model("orglife", "FrequencyRule").objects.all().delete()
    apps.get_model("orglife", "OrglifeSettings").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("orglife", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
