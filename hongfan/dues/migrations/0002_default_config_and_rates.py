"""Seed the default dues configuration for 事业单位 and the rate table of 中组发〔2008〕3号."""

from decimal import Decimal

from django.db import migrations

INCOME = ["岗位工资", "薪级工资", "绩效工资", "津贴补贴"]
SOCIAL = ["养老保险", "医疗保险", "失业保险", "工伤保险", "生育保险", "住房公积金", "职业年金"]
EXCLUDED = ["改革性补贴"]

CONFIGS = [
    {
        "code": "institution",
        "name": "事业单位（扣除个税、五险一金、职业年金）",
        "income_items": INCOME,
        "deduction_items": ["个人所得税", *SOCIAL],
        "excluded_items": EXCLUDED,
        "is_active": True,
    },
    {
        "code": "tax_only",
        "name": "仅扣除个人所得税（部分省份口径）",
        "income_items": INCOME,
        "deduction_items": ["个人所得税"],
        "excluded_items": [*SOCIAL, *EXCLUDED],
        "is_active": False,
    },
]

# (category, lower (exclusive), upper (inclusive), rate %, fixed amount)
BRACKETS = [
    ("in_post", None, "3000", "0.5", None),
    ("in_post", "3000", "5000", "1", None),
    ("in_post", "5000", "10000", "1.5", None),
    ("in_post", "10000", None, "2", None),
    ("retiree", None, "5000", "0.5", None),
    ("retiree", "5000", None, "1", None),
    ("flat", None, None, None, "0.20"),
]


def seed(apps, schema_editor):
    DuesConfig = apps.get_model("dues", "DuesConfig")
    RateBracket = apps.get_model("dues", "RateBracket")
    for row in CONFIGS:
        DuesConfig.objects.get_or_create(
            code=row["code"],
            defaults={**row, "max_backpay_months": 6, "warn_months": [3, 5], "lapse_months": 6},
        )
    if not RateBracket.objects.exists():
        for category, lower, upper, rate, fixed in BRACKETS:
            RateBracket.objects.create(
                category=category,
                lower=Decimal(lower) if lower else None,
                upper=Decimal(upper) if upper else None,
                rate_percent=Decimal(rate) if rate else None,
                fixed_amount=Decimal(fixed) if fixed else None,
            )


def unseed(apps, schema_editor):
    apps.get_model("dues", "RateBracket").objects.all().delete()
    apps.get_model("dues", "DuesConfig").objects.filter(
        code__in=[c["code"] for c in CONFIGS]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("dues", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
