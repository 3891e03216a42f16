"""Demo data: a 巡察 rectification list with 15 problems in every state of the loop.

Responsible persons are the demo accounts that have a staff record, so that signing in as
any of them shows their rectification tasks in "my matters"; the Party office verifies.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from hongfan.accounts.roles import Role
from hongfan.demo.extensions import DemoContext
from hongfan.loops import services as loops
from hongfan.rectification import services
from hongfan.rectification.models import Inspection

PROBLEMS = [
    (
        "党支部“三会一课”会议记录不完整，部分支委会无签到表",
        "规范会议记录模板，补齐签到表，每月由党办抽查",
    ),
    ("“第一议题”学习未做到全覆盖，学习记录流于形式", "制定年度学习计划，学习后形成心得体会并归档"),
    ("医德医风考评档案不健全，个人考评记录缺失", "建立一人一档，季度考评结果录入系统"),
    ("高值耗材使用登记不规范，部分耗材无条码追溯记录", "推行高值耗材扫码使用，每周核对出入库"),
    ("抗菌药物处方点评发现的问题未及时反馈整改", "点评结果 5 个工作日内反馈到科室和个人，纳入绩效"),
    ("门诊病历书写不规范，主诉与诊断不符", "开展病历书写专项培训，每月抽查 20 份门诊病历"),
    ("收受“红包”回扣警示教育开展不到位", "组织警示教育专题会，签订廉洁行医承诺书"),
    ("满意度调查反映候诊时间过长，整改措施未落实", "推行分时段预约，高峰时段增开诊室"),
    ("公务接待审批手续不全，存在超标准接待", "严格执行公务接待审批单制度，按标准结算"),
    (
        "设备采购论证记录不完整，“三重一大”事项未上会研究",
        "完善采购论证流程，重大采购提交党委会研究",
    ),
    ("科室廉政风险点排查不全面，防控措施针对性不强", "重新梳理岗位风险点，制定一岗一策防控措施"),
    ("临床路径入径率偏低，变异原因分析不足", "每月分析变异原因，入径率纳入科室考核"),
    ("医疗废物交接登记不及时，存在漏记情况", "落实交接双签字制度，后勤每日巡查"),
    ("发展党员培养考察记录不规范", "规范培养考察登记表，支部每季度集中审核"),
    ("夜间值班制度落实不严，存在脱岗现象", "实行值班签到与抽查制度，抽查结果全院通报"),
]
# What happened to each task: closed, submitted, sent back, rectifying, or not started.
PLAN = [
    "closed", "closed", "closed", "closed", "closed",
    "submitted", "submitted", "rejected",
    "overdue_progress", "in_progress", "in_progress",
    "overdue_open", "open", "open", "open",
]  # fmt: skip
KINDS = [
    (Inspection.SourceKind.INSPECTION_TOUR, "院党委第一巡察组", "院党委巡察反馈问题整改"),
    (Inspection.SourceKind.SUPERVISION, "市卫健委督导组", "市卫健委党建督导反馈问题整改"),
    (Inspection.SourceKind.QUALITY, "医疗质量管理委员会", "医疗质量专项检查问题整改"),
    (Inspection.SourceKind.SATISFACTION, "第三方满意度调查机构", "患者满意度调查问题整改"),
    (Inspection.SourceKind.AUDIT, "院内审计科", "内部审计发现问题整改"),
]
OWNER_ROLES = [
    Role.DEPARTMENT_HEAD,
    Role.MEDICAL_AFFAIRS,
    Role.BRANCH_SECRETARY,
    Role.STAFF,
    Role.PRESIDENT_OFFICE,
    Role.DISCIPLINE,
    Role.PARTY_OFFICE,
]


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


def seed(ctx: DemoContext) -> dict[str, int]:
    rng = ctx.rng("rectification")
    owners: list[Any] = [
        ctx.accounts[r]
        for r in OWNER_ROLES
        if r in ctx.accounts and ctx.accounts[r].staff_id is not None
    ]
    if not owners:
        return {"inspections": 0, "rectification tasks": 0}
    office = ctx.office_user
    today = ctx.today
    n_inspections = 1 if ctx.scale <= 1 else 5
    n_tasks = 0
    for k in range(n_inspections):
        kind, body, title = KINDS[k % len(KINDS)]
        conducted = today - dt.timedelta(days=80 + 30 * k)
        inspection = services.inspection_create(
            title=f"{conducted.year}年{title}",
            source_kind=kind,
            inspecting_body=body,
            conducted_on=conducted,
            summary="反馈问题 15 个，要求各责任部门逐项制定整改措施，限期整改到位。",
            actor=office,
        )
        opened = _at(conducted + dt.timedelta(days=5), 9)
        for n, ((text, measures), state) in enumerate(zip(PROBLEMS, PLAN, strict=True)):
            owner = owners[(n + k) % len(owners)]
            dept = owner.staff.department
            problem = services.problem_add(inspection=inspection, description=text, department=dept)
            if state == "closed":
                deadline = conducted + dt.timedelta(days=40 + rng.randint(0, 20))
            elif state in ("overdue_progress", "overdue_open"):
                deadline = today - dt.timedelta(days=rng.randint(3, 12))
            else:
                deadline = today + dt.timedelta(days=rng.randint(5, 40))
            task = services.task_assign(
                problem=problem,
                owner=owner,
                owner_department=dept,
                measures=measures,
                deadline=deadline,
                actor=office,
                opened_at=opened,
            )
            m = task.matter
            day = conducted + dt.timedelta(days=8 + rng.randint(0, 6))
            if state in ("open", "overdue_open"):
                n_tasks += 1
                continue
            m = loops.matter_transition(
                matter=m,
                action="start",
                actor=owner,
                note="已制定整改方案，正在推进",
                now=_at(day),
            )
            if state in ("in_progress", "overdue_progress"):
                n_tasks += 1
                continue
            day += dt.timedelta(days=15 + rng.randint(0, 10))
            m = loops.matter_transition(
                matter=m,
                action="submit",
                actor=owner,
                evidence_note=f"整改完成：{measures}。相关制度、记录已归档备查。",
                now=_at(min(day, today - dt.timedelta(days=2))),
            )
            if state == "rejected":
                m = loops.matter_transition(
                    matter=m,
                    action="reject",
                    actor=office,
                    note="佐证材料不充分，请补充整改前后对比记录",
                    now=_at(min(day + dt.timedelta(days=2), today - dt.timedelta(days=1))),
                )
            elif state == "closed":
                m = loops.matter_transition(
                    matter=m,
                    action="verify",
                    actor=office,
                    note="经现场核查，整改到位，同意销号",
                    now=_at(min(day + dt.timedelta(days=3), today - dt.timedelta(days=1))),
                )
            n_tasks += 1
    return {"inspections": n_inspections, "rectification tasks": n_tasks}
