"""Test helpers: budget lines of 心内科 (managed by a central department) at any status."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from hongfan.accounts.roles import Role
from hongfan.budget import services
from hongfan.budget.models import BudgetLine
from hongfan.core.testing import World
from hongfan.decisions.models import AgendaItem, Meeting
from hongfan.org.models import Department


def central(world: World) -> Department:
    d, _ = Department.objects.get_or_create(
        institution=world.hospital,
        code="SB01",
        defaults={"name": "设备物资科", "category": Department.Category.LOGISTICS},
    )
    return d


def line(world: World, *, status: str = BudgetLine.Status.DRAFT, **extra: Any) -> BudgetLine:
    """A line of 心内科 (executing) managed by 设备物资科, taken to ``status``."""
    office = world.user(Role.PRESIDENT_OFFICE)
    fields: dict[str, Any] = {
        "year": 2026,
        "code": "KS-NK01-HC",
        "name": "科室低值耗材费",
        "level": BudgetLine.Level.EXECUTING,
        "category": BudgetLine.Category.BASIC,
        "department": world.dept_a1,
        "central_department": central(world),
        "amount": Decimal("100000"),
        "justification": "按上年度实际使用量测算",
    }
    fields.update(extra)
    ln = services.line_create(actor=office, **fields)
    order = [
        BudgetLine.Status.SUBMITTED,
        BudgetLine.Status.REVIEWED,
        BudgetLine.Status.APPROVED,
    ]
    if status in order:
        ln = services.line_submit(line=ln, actor=office)
        if status != BudgetLine.Status.SUBMITTED and ln.status == BudgetLine.Status.SUBMITTED:
            ln = services.line_review(line=ln, actor=office)
        if status == BudgetLine.Status.APPROVED:
            ln = services.line_approve(line=ln, actor=office)
    return ln


def major_item(
    world: World,
    *,
    amount: Decimal | None,
    decision: str = "passed",
    category: str = AgendaItem.Category.LARGE_FUNDS,
) -> AgendaItem:
    """A 党委会 agenda item (test data written directly; the decisions app has its own tests)."""
    meeting = Meeting.objects.create(
        institution=world.hospital,
        kind=Meeting.Kind.PARTY_COMMITTEE,
        held_on=dt.date(2026, 1, 15),
        place="行政楼第一会议室",
        chair=world.staff["president"],
        recorder=world.staff["office"],
    )
    return AgendaItem.objects.create(
        meeting=meeting,
        meeting_kind=meeting.kind,
        title="关于购置64排CT的议题",
        category=category,
        amount=amount,
        decision=decision,
    )
