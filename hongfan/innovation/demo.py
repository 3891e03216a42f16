"""Demo data: the hospital's innovation projects (沧州: 16 院级创新项目) at various stages."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from hongfan.demo.extensions import DemoContext
from hongfan.innovation import services
from hongfan.innovation.models import (
    STAGE_ORDER,
    Evaluation,
    EvaluationItem,
    Project,
    Report,
    Score,
    Stage,
    StageChange,
    TeamMember,
)
from hongfan.org.models import Staff
from hongfan.party.models import CommitteeMember, PartyOrganisation

TITLES = [
    ("胸痛中心“绿色通道”提速工程", "急诊 D2B 时间由 90 分钟缩短到 75 分钟以内"),
    ("卒中中心多学科联合救治", "DNT 时间中位数控制在 45 分钟以内，溶栓率提升 30%"),
    ("日间手术流程再造", "日间手术占择期手术比例提高到 20%"),
    ("“党员先锋岗”智慧药学服务", "处方前置审核覆盖全部门诊处方，不合理处方率下降 50%"),
    ("护理延续服务进社区", "出院患者 30 天随访率达到 95%"),
    ("住院患者营养风险筛查全覆盖", "入院 24 小时内营养筛查率 100%"),
    ("“一站式”入出院服务中心建设", "入院办理平均时间缩短到 10 分钟"),
    ("基层医联体远程心电诊断网络", "覆盖全部乡镇卫生院，报告 30 分钟内回传"),
    ("临床路径信息化管理提升", "入径率达到 60%，变异率下降 20%"),
    ("医疗废物智能化追溯管理", "医疗废物交接电子化率 100%"),
    ("儿科夜间门诊延时服务", "夜间门诊候诊时间不超过 30 分钟"),
    ("“红色细胞”志愿服务品牌培育", "年均志愿服务 2000 小时以上"),
    ("高值耗材全流程闭环监管", "高值耗材扫码使用率 100%，异常使用预警及时处置"),
    ("合理用药智能审方系统应用", "抗菌药物使用强度控制在 40 DDDs 以下"),
    ("老年患者跌倒风险防控", "住院患者跌倒发生率下降 30%"),
    ("互联网医院复诊续方服务", "线上复诊量占复诊总量 15%"),
]
TEAM_ROLES = ["技术骨干", "质控联络员", "数据分析", "护理骨干", "党员先锋", "宣传联络"]
REPORT_TEXTS = [
    "本期完成既定任务，召开项目推进会 {n} 次，指导党委委员现场指导 1 次。",
    "按计划推进，完成流程梳理与人员培训 {n} 场，关键指标较上期改善。",
    "开展专项检查 {n} 次，发现问题已落实整改，下阶段重点做好数据监测。",
]
# Stages of the 16 projects of the hospital demo: most past the middle of the loop.
STAGE_MIX = [6, 6, 6, 5, 5, 5, 4, 4, 3, 3, 3, 2, 2, 1, 0, 6]


def _branches_with_departments() -> list[tuple[PartyOrganisation, list[Any]]]:
    out = []
    qs = PartyOrganisation.objects.filter(kind=PartyOrganisation.Kind.BRANCH).prefetch_related(
        "departments"
    )
    for b in qs.order_by("code"):
        depts = sorted(b.departments.all(), key=lambda d: d.pk)
        if depts:
            out.append((b, depts))
    return out


def seed(ctx: DemoContext) -> dict[str, int]:
    rng = ctx.rng("innovation")
    count = max(7, round(len(TITLES) * ctx.scale))
    mentors = list(
        CommitteeMember.objects.filter(
            organisation__kind=PartyOrganisation.Kind.COMMITTEE, ended_on__isnull=True
        )
        .select_related("member")
        .order_by("pk")
    )
    branches = _branches_with_departments()
    if not mentors or not branches:
        return {"innovation projects": 0}
    staff_by_dept: dict[int, list[Staff]] = {}
    dept_ids = {d.pk for _, ds in branches for d in ds}
    for s in Staff.objects.filter(department_id__in=dept_ids).order_by("pk"):
        staff_by_dept.setdefault(s.department_id, []).append(s)
    evaluators = [m.member.staff for m in mentors]
    items = list(EvaluationItem.objects.filter(is_active=True))
    office = ctx.office_user
    n_reports = n_evals = 0
    for i in range(count):
        title, goals = TITLES[i % len(TITLES)]
        if i >= len(TITLES):
            title = f"{title}（{i // len(TITLES) + 1}期）"
        branch, depts = branches[i % len(branches)]
        dept = depts[rng.randrange(len(depts))]
        people = staff_by_dept.get(dept.pk) or [s for ss in staff_by_dept.values() for s in ss]
        leader = people[rng.randrange(len(people))]
        stage_at = STAGE_MIX[i % len(STAGE_MIX)] if count >= 16 else i % 7
        started = ctx.today - dt.timedelta(days=40 + 45 * stage_at + rng.randrange(20))
        project = services.project_create(
            title=title,
            leader=leader,
            mentor=mentors[i % len(mentors)],
            goals=goals,
            started_on=started,
            planned_end=started + dt.timedelta(days=364),
            organisation=branch,
            department=dept,
            report_every_months=rng.choice([1, 2, 3]),
            actor=office,
            code=f"CX{started.year}-{i + 1:02d}",
            at=dt.datetime.combine(started, dt.time(9, 0), tzinfo=dt.UTC),
        )
        team = [s for s in people if s.pk != leader.pk]
        rng.shuffle(team)
        TeamMember.objects.bulk_create(
            [
                TeamMember(project=project, staff=s, role=TEAM_ROLES[k % len(TEAM_ROLES)])
                for k, s in enumerate(team[: 3 + rng.randrange(4)])
            ]
        )
        # Walk the stages on the days they happened (history rows, then the project).
        changes = []
        for k in range(1, stage_at + 1):
            at = dt.datetime.combine(
                started + dt.timedelta(days=45 * k), dt.time(10, 0), tzinfo=dt.UTC
            )
            changes.append(
                StageChange(
                    project=project,
                    from_stage=STAGE_ORDER[k - 1],
                    to_stage=STAGE_ORDER[k],
                    at=at,
                    by=office,
                )
            )
        if i == 2 and stage_at >= 4:  # one project was sent back once, with its reason
            changes.append(
                StageChange(
                    project=project,
                    from_stage=STAGE_ORDER[stage_at],
                    to_stage=STAGE_ORDER[stage_at - 1],
                    at=changes[-1].at + dt.timedelta(days=3),
                    by=office,
                    reason="阶段数据不完整，退回补充监测数据",
                )
            )
            changes.append(
                StageChange(
                    project=project,
                    from_stage=STAGE_ORDER[stage_at - 1],
                    to_stage=STAGE_ORDER[stage_at],
                    at=changes[-2].at + dt.timedelta(days=20),
                    by=office,
                )
            )
        StageChange.objects.bulk_create(changes)
        project.stage = STAGE_ORDER[stage_at]
        if changes:
            project.stage_changed_at = changes[-1].at
        # Reports: those already due are mostly submitted; a few are overdue.
        due = list(project.reports.filter(due_on__lte=ctx.today))
        for r in due:
            if rng.random() < 0.85:
                r.text = rng.choice(REPORT_TEXTS).format(n=rng.randint(1, 4))
                r.submitted_at = dt.datetime.combine(
                    r.due_on - dt.timedelta(days=rng.randint(0, 3)), dt.time(16, 0), tzinfo=dt.UTC
                )
                r.submitted_by = office
        Report.objects.bulk_update(due, ["text", "submitted_at", "submitted_by"])
        n_reports += len(due)
        # Scores at each scored stage reached.
        for stage in (Stage.EVALUATION, Stage.REVIEW, Stage.ACCEPTANCE):
            if STAGE_ORDER.index(stage) > stage_at:
                continue
            for ev in evaluators[:3]:
                values = [
                    Decimal(str(round(it.max_score * rng.uniform(0.7, 0.98), 1))) for it in items
                ]
                e = Evaluation.objects.create(
                    project=project,
                    stage=stage,
                    evaluator=ev,
                    evaluated_on=min(
                        ctx.today, started + dt.timedelta(days=45 * STAGE_ORDER.index(stage) + 5)
                    ),
                    total=sum(values, Decimal(0)),
                )
                Score.objects.bulk_create(
                    [
                        Score(evaluation=e, item=it, score=v)
                        for it, v in zip(items, values, strict=True)
                    ]
                )
                n_evals += 1
        if stage_at == 6 and i % 4 != 0:
            project.result = Project.Result.EXCELLENT if i % 3 == 0 else Project.Result.PASS
            project.accepted_on = ctx.today - dt.timedelta(days=rng.randint(1, 10))
            project.acceptance_note = "项目目标基本达成，台账资料齐全，同意通过验收。"
        project.save()
    return {"innovation projects": count, "project reports": n_reports, "evaluations": n_evals}
