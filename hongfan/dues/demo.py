"""Demo data of Party dues: a year's ledger, payments, and a few members in arrears.

Pay items follow the active configuration (事业单位: 岗位工资 + 薪级工资 + 绩效工资 + 津贴补贴 less
个税, 五险一金 and 职业年金); each member's pay depends on their title. Most members pay monthly,
some by the quarter; a few stop paying 3 and 5 months before the reference month so that the
arrears page and its warnings have something to show.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from hongfan.demo.extensions import DemoContext
from hongfan.dues.models import (
    DuesAssessment,
    DuesCategory,
    DuesPayment,
    MemberDuesCategory,
)
from hongfan.dues.services import (
    active_config,
    dues_amount,
    month_from_index,
    month_index,
    pay_base,
    to_money,
)
from hongfan.org.models import Staff
from hongfan.party.models import PartyMember

MONTHS = 12
# Monthly gross pay by title level (岗位 + 薪级 + 绩效 + 津贴), before deductions.
GROSS = {
    Staff.TitleLevel.SENIOR: 16000,
    Staff.TitleLevel.ASSOCIATE_SENIOR: 12500,
    Staff.TitleLevel.INTERMEDIATE: 9500,
    Staff.TitleLevel.JUNIOR: 7000,
    Staff.TitleLevel.NONE: 5200,
}
NOTES = ["", "", "", "支部集中收缴", "微信转账至支部账户"]


def _pay_items(gross: int, rng: Any) -> dict[str, str]:
    """Split a gross pay into the usual payroll items of a public hospital."""
    g = Decimal(gross + rng.randint(-300, 300))
    post, grade = (
        (g * Decimal("0.22")).quantize(Decimal(1)),
        (g * Decimal("0.18")).quantize(Decimal(1)),
    )
    allowance = (g * Decimal("0.12")).quantize(Decimal(1))
    performance = g - post - grade - allowance
    insured = post + grade + allowance
    items = {
        "岗位工资": post,
        "薪级工资": grade,
        "绩效工资": performance,
        "津贴补贴": allowance,
        "改革性补贴": Decimal(600),
        "养老保险": to_money(insured * Decimal("0.08")),
        "医疗保险": to_money(insured * Decimal("0.02")),
        "失业保险": to_money(insured * Decimal("0.005")),
        "住房公积金": to_money(insured * Decimal("0.12")),
        "职业年金": to_money(insured * Decimal("0.04")),
        "个人所得税": to_money(max(g - 5000, Decimal(0)) * Decimal("0.06")),
    }
    return {k: str(v) for k, v in items.items()}


def seed(ctx: DemoContext) -> dict[str, int]:
    rng = ctx.rng("dues")
    config = active_config()
    ref = month_index(ctx.today)
    months = [month_from_index(i) for i in range(ref - MONTHS + 1, ref + 1)]
    members = list(
        PartyMember.objects.filter(
            status=PartyMember.Status.NORMAL, organisation__is_temporary=False
        )
        .select_related("staff", "organisation")
        .order_by("staff__employee_no")
    )
    # Two members on the ¥0.2 rate (long sick leave on basic pay, a doctoral student on leave).
    flat_ids = set()
    for member, reason in zip(
        [m for m in members if not m.is_retired][3::40][:2],
        ["长期病休，仅领基本生活费", "脱产攻读博士学位"],
        strict=False,
    ):
        MemberDuesCategory.objects.update_or_create(
            member=member, defaults={"category": DuesCategory.FLAT, "reason": reason}
        )
        flat_ids.add(member.pk)
    # Members who stop paying: 3 and 5 months before the reference month.
    payers = [m for m in members if m.joined_on <= months[0]]
    n_three = max(2, round(len(payers) * 0.03))
    n_five = max(1, round(len(payers) * 0.015))
    picked = rng.sample(payers, min(len(payers), n_three + n_five))
    unpaid_run = {m.pk: 3 for m in picked[:n_three]} | {m.pk: 5 for m in picked[n_three:]}
    assessments: list[DuesAssessment] = []
    payments: list[DuesPayment] = []
    links: list[tuple[int, int]] = []  # (assessment index, payment index)
    for member in members:
        retired = member.is_retired or (
            member.staff.employment_status == Staff.EmploymentStatus.RETIRED
        )
        if member.pk in flat_ids:
            category, items = DuesCategory.FLAT, {}
            base = Decimal(0)
        elif retired:
            category = DuesCategory.RETIREE
            base = Decimal(rng.choice([3800, 4600, 5400, 6200]))
            items = {}
        else:
            category = DuesCategory.IN_POST
            items = _pay_items(GROSS.get(member.staff.title_level, 7000), rng)
            base = pay_base(items, config)
        rate, amount = dues_amount(category, base)
        start = month_index(max(months[0], member.joined_on.replace(day=1)))
        own = [m for m in months if month_index(m) >= start]
        stop = len(own) - unpaid_run.get(member.pk, 0)
        # The current month is paid by about two thirds of the members so far.
        if member.pk not in unpaid_run and rng.random() < 0.35:
            stop = len(own) - 1
        quarterly = rng.random() < 0.2
        i = 0
        first_index = len(assessments)
        for m in own:
            assessments.append(
                DuesAssessment(
                    member=member,
                    organisation=member.organisation,
                    month=m,
                    category=category,
                    base=base,
                    rate_percent=rate,
                    amount_due=amount,
                    pay_items=items,
                )
            )
        while i < stop:
            span = min(3 if quarterly else 1, stop - i)
            last = own[i + span - 1]
            paid_on = min(
                own[i] + dt.timedelta(days=span * 30 - 20 + rng.randint(0, 12)), ctx.today
            )
            payments.append(
                DuesPayment(
                    member=member,
                    amount=amount * span,
                    paid_on=max(paid_on, own[i]),
                    method=DuesPayment.Method.PAYROLL
                    if not retired and rng.random() < 0.6
                    else rng.choice([DuesPayment.Method.TRANSFER, DuesPayment.Method.ONLINE]),
                    first_month=own[i],
                    last_month=last,
                    note=rng.choice(NOTES),
                    recorded_by=ctx.office_user,
                )
            )
            for k in range(i, i + span):
                links.append((first_index + k, len(payments) - 1))
            i += span
    DuesPayment.objects.bulk_create(payments, batch_size=1000)
    for a_index, p_index in links:
        assessments[a_index].payment = payments[p_index]
    DuesAssessment.objects.bulk_create(assessments, batch_size=1000)
    return {
        "dues assessments": len(assessments),
        "dues payments": len(payments),
        "members in dues arrears (3/5 months)": len(unpaid_run),
    }
