"""Seed the 2014 rule set: 《中国共产党发展党员工作细则》 (中办发〔2014〕号), 5 stages, 25 steps.

The data is copied here (not imported) so the migration keeps working when the rules evolve.
"""

import datetime as dt

from django.db import migrations

STAGES = [
    (1, "applicant", "入党申请人"),
    (2, "activist", "入党积极分子"),
    (3, "prospect", "发展对象"),
    (4, "probationary", "预备党员"),
    (5, "full", "正式党员"),
]

# (order, stage, code, name, documents, rules, repeatable, by_committee)
STEPS = [
    (1, 1, "application", "递交入党申请书", ["入党申请书"], {"min_age": {"years": 18}}, False, False),
    (2, 1, "talk", "党组织派人谈话", ["谈话记录"],
     {"within_months": {"step": "application", "months": 1}}, False, False),
    (3, 2, "activist", "推荐和确定入党积极分子", ["推荐材料", "支委会会议记录"],
     {"min_months_since": {"step": "application", "months": 6}}, False, False),
    (4, 2, "activist_filing", "上级党委备案", ["备案表"], {}, False, True),
    (5, 2, "contacts", "指定培养联系人", [], {"contacts": {"min": 1, "max": 2}}, False, False),
    (6, 2, "activist_assessment", "培养教育考察", ["考察登记表"],
     {"assessment_every_months": {"months": 6, "from_step": "activist"}}, True, False),
    (7, 3, "prospect", "确定发展对象", ["支委会会议记录"],
     {"min_months_since": {"step": "activist", "months": 12}}, False, False),
    (8, 3, "prospect_filing", "报上级党委备案", ["备案表"], {}, False, True),
    (9, 3, "introducers", "确定入党介绍人", [], {"introducers": {"count": 2}}, False, False),
    (10, 3, "political_review", "进行政治审查", ["政治审查报告"], {"passed": {}}, False, False),
    (11, 3, "training", "开展集中培训", ["培训结业证书"],
     {"training": {"min_hours": 24, "min_days": 3}}, False, False),
    (12, 4, "branch_review", "支部委员会审查", ["公示材料", "支委会会议记录"],
     {"notice": {"min_working_days": 5}}, False, False),
    (13, 4, "committee_pre_review", "上级党委预审", ["预审意见"], {}, False, True),
    (14, 4, "application_form", "填写入党志愿书", ["入党志愿书"], {}, False, False),
    (15, 4, "admission_vote", "支部大会讨论", ["支部大会会议记录"], {"vote": {}}, False, False),
    (16, 4, "committee_talk", "上级党委派人谈话", ["谈话记录"], {}, False, True),
    (17, 4, "admission_approval", "上级党委审批", ["审批意见"],
     {"within_months": {"step": "admission_vote", "months": 3, "special_months": 6},
      "creates_member": {"joined_on_step": "admission_vote"}}, False, True),
    (18, 4, "admission_filing", "再上级党委组织部门备案", ["备案表"], {}, False, True),
    (19, 5, "assignment", "编入党支部和党小组", [], {}, False, False),
    (20, 5, "oath", "入党宣誓", ["宣誓记录"],
     {"within_months": {"step": "admission_approval", "months": 1}}, False, False),
    (21, 5, "probation_education", "继续教育考察", ["考察登记表"],
     {"assessment_every_months": {"months": 6, "from_step": "admission_vote"}}, True, False),
    (22, 5, "confirmation_application", "提出转正申请", ["转正申请书"], {}, False, False),
    (23, 5, "confirmation_vote", "支部大会讨论", ["支部大会会议记录"],
     {"vote": {}, "probation_complete": {"step": "admission_vote", "months": 12},
      "extension": {"min_months": 6, "max_months": 12, "max_times": 1}}, False, False),
    (24, 5, "confirmation_approval", "上级党委审批", ["审批意见"],
     {"within_months": {"step": "confirmation_vote", "months": 3},
      "confirms_member": {"probation_step": "admission_vote", "probation_months": 12}},
     False, True),
    (25, 5, "archiving", "材料归档", ["入党材料"], {}, False, False),
]


def seed(apps, schema_editor):
    RuleSet = apps.get_model("development", "RuleSet")
    Stage = apps.get_model("development", "Stage")
    Step = apps.get_model("development", "Step")
    rs, _ = RuleSet.objects.get_or_create(
        code="2014",
        defaults={
            "name": "中国共产党发展党员工作细则（2014）",
            "effective_on": dt.date(2014, 6, 10),
            "source": "中共中央办公厅印发，2014年6月10日",
        },
    )
    stages = {}
    for order, code, name in STAGES:
        stages[order], _ = Stage.objects.get_or_create(
            rule_set=rs, order=order, defaults={"code": code, "name": name}
        )
    for order, stage, code, name, docs, rules, repeatable, committee in STEPS:
        Step.objects.get_or_create(
            rule_set=rs,
            order=order,
            defaults={
                "stage": stages[stage],
                "code": code,
                "name": name,
                "required_documents": docs,
                "rules": rules,
                "repeatable": repeatable,
                "by_committee": committee,
            },
        )


def unseed(apps, schema_editor):
    RuleSet = apps.get_model("development", "RuleSet")
    RuleSet.objects.filter(code="2014", candidates__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("development", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
