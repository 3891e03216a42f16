"""Demo data: a year of the three-level budget.

Lines at the three levels (committee reserve and special funds, central lines of 总务科 /
信息科 / 设备物资科 / 科教科, executing lines of clinical departments) in the three categories,
prepared, reviewed and approved through the services; last year's compressed-control lines
(this year's may not exceed them); monthly spending from January to the reference month;
mid-year adjustments (one approved increase, one reduction, one pending transfer); lines
that trigger each execution warning; large lines linked to the 三重一大 items of the
decisions demo when they exist (otherwise they wait for approval with the reason shown).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from hongfan.accounts.roles import Role
from hongfan.budget import services
from hongfan.budget.models import Adjustment, BudgetLine, Expense
from hongfan.decisions.models import AgendaItem
from hongfan.demo.extensions import DemoContext
from hongfan.org.models import Department, Institution

L, C = BudgetLine.Level, BudgetLine.Category
# (code, name, level, category, department name or None, central name, yuan, decision keyword)
COMMITTEE = [
    ("YB-01", "预算管理委员会预备费", L.COMMITTEE, C.BASIC, None, None, 450_000, ""),
    ("ZX-XXH", "智慧医院信息化建设项目", L.COMMITTEE, C.KEY, None, None, 2_600_000, "智慧医院"),
]
CENTRAL = [
    ("ZW-SDR", "全院水电燃气费", L.CENTRAL, C.BASIC, "总务科", None, 480_000, ""),
    ("ZW-WY", "物业保洁及安保服务费", L.CENTRAL, C.BASIC, "总务科", None, 420_000, ""),
    ("XX-YW", "信息系统运维费", L.CENTRAL, C.BASIC, "信息科", None, 360_000, ""),
    ("SB-WX", "医疗设备维修维保费", L.CENTRAL, C.BASIC, "设备物资科", None, 460_000, ""),
    ("SB-CT", "购置64排CT", L.CENTRAL, C.KEY, "设备物资科", None, 4_200_000, "64排CT"),
    ("SB-SH", "购置全自动生化分析仪", L.CENTRAL, C.KEY, "设备物资科", None, 860_000, "生化分析仪"),
    ("KJ-PX", "全院继续教育培训费", L.CENTRAL, C.KEY, "科教科", None, 280_000, ""),
    ("ZW-JD", "公务接待费", L.CENTRAL, C.COMPRESSED, "院长办公室", None, 36_000, ""),
    ("ZW-HY", "会议费", L.CENTRAL, C.COMPRESSED, "院长办公室", None, 60_000, ""),
    ("ZW-CL", "公务用车运行维护费", L.CENTRAL, C.COMPRESSED, "总务科", None, 48_000, ""),
]
# Executing lines per clinical department: (suffix, name, category, central, yuan, keyword)
EXECUTING = [
    ("PX", "科室学术交流及进修费", C.KEY, "科教科", 60_000, ""),
    ("HC", "科室低值耗材费", C.BASIC, "设备物资科", 180_000, ""),
    ("BG", "科室办公费", C.COMPRESSED, "总务科", 24_000, ""),
    ("CL", "差旅费", C.COMPRESSED, "院长办公室", 30_000, ""),
]
KEY_PROJECT = ("XT", "胸痛中心建设项目", C.KEY, "设备物资科", 1_200_000, "胸痛中心")
SUMMARIES = {
    C.BASIC: ["{m}月水电费结算", "{m}月服务费支付", "{m}月耗材领用结算", "{m}月运维服务费"],
    C.KEY: ["{m}月项目进度款", "{m}月学术会议注册费", "{m}月进修培训费", "{m}月专项采购款"],
    C.COMPRESSED: ["{m}月办公用品采购", "{m}月差旅报销", "{m}月会议场地费", "{m}月接待费报销"],
}
# Share of the annual budget spent per month, as a typical hospital spends (slow start, year-end
# catch-up): sums to 1.0.
PROFILE = [0.05, 0.05, 0.08, 0.08, 0.08, 0.09, 0.08, 0.08, 0.09, 0.09, 0.10, 0.13]


def _dept(name: str | None, fallback: list[Department]) -> Department | None:
    if name is None:
        return None
    d = Department.objects.filter(name=name, institution_id=fallback[0].institution_id).first()
    return d or (fallback[sum(map(ord, name)) % len(fallback)] if fallback else None)


def _decision(keyword: str) -> AgendaItem | None:
    if not keyword:
        return None
    for item in AgendaItem.objects.filter(title__contains=keyword).prefetch_related(
        "committee_items"
    ):
        if item.is_major and item.final_decision == AgendaItem.Decision.PASSED:
            return item
    return None


def _approve(line: BudgetLine, *, preparer: Any, reviewer: Any, approver: Any) -> BudgetLine:
    line = services.line_submit(line=line, actor=preparer)
    if line.status == BudgetLine.Status.SUBMITTED:
        line = services.line_review(line=line, actor=reviewer)
    if services.approval_problems(line):
        return line  # waits for the committee with the reason shown (e.g. no decision yet)
    return services.line_approve(line=line, actor=approver)


def seed(ctx: DemoContext) -> dict[str, int]:
    rng = ctx.rng("budget")
    year, today = ctx.today.year, ctx.today
    office = ctx.accounts.get(Role.PRESIDENT_OFFICE)
    # The budget of the leading hospital of the 医共体 (department codes repeat across members).
    hospital = Institution.objects.filter(kind=Institution.Kind.HOSPITAL).order_by("pk").first()
    depts = Department.objects.filter(institution=hospital, is_active=True).order_by("code")
    admin_depts = list(depts.exclude(category=Department.Category.CLINICAL))
    clinical = list(depts.filter(category=Department.Category.CLINICAL))
    if not clinical or not admin_depts:
        return {"budget lines": 0}
    clinical = clinical[: max(4, round(len(clinical) * min(1.0, ctx.scale * 2)))]

    specs: list[tuple[str, str, str, str, Department | None, Department | None, int, str]] = []
    for code, name, level, cat, dname, _central, yuan, kw in COMMITTEE + CENTRAL:
        specs.append((code, name, level, cat, _dept(dname, admin_depts), None, yuan, kw))
    for i, dept in enumerate(clinical):
        rows = list(EXECUTING) + ([KEY_PROJECT] if i == 0 else [])
        for suffix, name, cat, central, yuan, kw in rows:
            scale = Decimal(str(round(rng.uniform(0.7, 1.4), 2)))
            specs.append(
                (
                    f"KS-{dept.code}-{suffix}",
                    name,
                    L.EXECUTING,
                    cat,
                    dept,
                    _dept(central, admin_depts),
                    int(yuan * (scale if not kw else 1)) // 100 * 100,
                    kw,
                )
            )

    # Last year's compressed-control lines: this year's may not exceed them.
    for code, name, level, cat, dept, central, yuan, _kw in specs:
        if cat != C.COMPRESSED:
            continue
        prev = services.line_create(
            actor=office,
            year=year - 1,
            code=code,
            name=name,
            level=level,
            category=cat,
            department=dept,
            central_department=central,
            amount=Decimal(int(yuan * 1.1) // 100 * 100),
            justification="上年度预算（压缩控制类基数）",
        )
        _approve(prev, preparer=office, reviewer=office, approver=office)

    lines: list[BudgetLine] = []
    pending_review = 0
    for n, (code, name, level, cat, dept, central, yuan, kw) in enumerate(specs):
        line = services.line_create(
            actor=office,
            year=year,
            code=code,
            name=name,
            level=level,
            category=cat,
            department=dept,
            central_department=central,
            amount=Decimal(yuan),
            decision=_decision(kw),
            justification=f"依据{year - 1}年度执行情况及{year}年工作计划编制。",
        )
        if level == L.EXECUTING and n % 11 == 5:
            # A few lines are still with their central department.
            services.line_submit(line=line, actor=office)
            pending_review += 1
            continue
        lines.append(_approve(line, preparer=office, reviewer=office, approver=office))
    approved = [ln for ln in lines if ln.status == BudgetLine.Status.APPROVED]

    # Monthly spending up to the reference date, with one line overspent (after an approved
    # increase it fits again), one nearly used up and one far behind schedule.
    last_month = today.month if today.year == year else 12
    expenses: list[Expense] = []
    seq = 0
    behaviour: dict[int, float] = {line.pk: 1.0 for line in approved}
    if len(approved) > 6:
        behaviour[approved[3].pk] = 1.25  # overspending
        behaviour[approved[5].pk] = 1.08  # nearly used up
        behaviour[approved[6].pk] = 0.3  # behind schedule
    for line in approved:
        factor = behaviour[line.pk]
        if line.category == C.COMPRESSED:
            factor = min(factor, 0.95)  # compressed lines are hard limits
        for month in range(1, last_month + 1):
            share = PROFILE[month - 1] * factor * rng.uniform(0.85, 1.15)
            amount = (line.amount * Decimal(str(round(share, 4)))).quantize(Decimal("0.01"))
            if amount <= 0:
                continue
            last_day = 28 if month == 2 else 30
            day = dt.date(year, month, rng.randint(5, last_day))
            if day > today:
                day = today
            seq += 1
            expenses.append(
                Expense(
                    line=line,
                    voucher_no=f"{year}-记-{seq:05d}",
                    paid_on=day,
                    amount=amount,
                    summary=rng.choice(SUMMARIES[line.category]).format(m=month),
                )
            )
    Expense.objects.bulk_create(expenses, batch_size=500)

    adjustments = 0
    if len(approved) > 6:
        over = approved[3]
        spent = services.spent_of(over)
        if spent > over.available:
            raise_by = ((spent - over.available) * Decimal("1.2")).quantize(Decimal("100"))
            adj = services.adjustment_request(
                line=over,
                amount=raise_by,
                reason="业务量增长超出年初预期，申请年中追加预算。",
                actor=office,
            )
            services.adjustment_approve(
                adjustment=adj, actor=office, note="经预算管理委员会年中调整会议审议同意。"
            )
            adjustments += 1
        slow = approved[6]
        cut = -(slow.available - services.spent_of(slow)) * Decimal("0.3")
        cut = cut.quantize(Decimal("100"))
        if cut < 0:
            services.adjustment_request(
                line=slow, amount=cut, reason="项目实施推迟，年中调减预算。", actor=office
            )
            adjustments += 1
        target, source = approved[5], approved[0]
        services.adjustment_request(
            line=target,
            amount=Decimal("20000"),
            source_line=source,
            reason="从预备费调剂，用于临时增加的设备配件采购。",
            actor=office,
        )
        adjustments += 1
    # This year's interim assessment.
    services.assessment_run(year=year, actor=office)
    return {
        "budget lines": BudgetLine.objects.filter(year=year).count(),
        "budget lines waiting": pending_review
        + BudgetLine.objects.filter(year=year, status=BudgetLine.Status.REVIEWED).count(),
        "spending entries": len(expenses),
        "budget adjustments": adjustments or Adjustment.objects.count(),
    }
