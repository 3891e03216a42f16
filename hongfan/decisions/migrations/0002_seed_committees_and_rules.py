"""Seed the 13 professional committees and the default decision rules (reversible)."""

from django.db import migrations

# [local] 沧州: "完善13个专业委员会，对医疗质量、预算管理、设备耗材引进、科研审核等事项进行先期论证".
COMMITTEES = [
    ("医疗质量与安全管理委员会", "医疗质量、医疗安全"),
    ("药事管理与药物治疗学委员会", "药品遴选、合理用药"),
    ("医院感染管理委员会", "院感防控"),
    ("护理质量管理委员会", "护理质量"),
    ("预算管理委员会", "年度预算、预算调整"),
    ("运营管理委员会", "运营分析、绩效"),
    ("设备与耗材管理委员会", "设备、耗材引进"),
    ("科研与学术委员会", "科研立项、学术审核"),
    ("医学伦理委员会", "伦理审查"),
    ("病案管理委员会", "病案质量"),
    ("临床用血管理委员会", "临床输血"),
    ("人才与教育培训委员会", "人才引进、培训"),
    ("信息化建设委员会", "信息化项目"),
]


def seed(apps, schema_editor):
    Committee = apps.get_model("decisions", "ProfessionalCommittee")
    Config = apps.get_model("decisions", "DecisionConfig")
    for n, (name, scope) in enumerate(COMMITTEES, start=1):
        Committee.objects.get_or_create(name=name, defaults={"scope": scope, "sort_order": n})
    if not Config.objects.exists():
        Config.objects.create()


def unseed(apps, schema_editor):
    Committee = apps.get_model("decisions", "ProfessionalCommittee")
    Committee.objects.filter(name__in=[n for n, _ in COMMITTEES], items__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("decisions", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
