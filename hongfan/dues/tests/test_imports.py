"""Payment sheets through the import framework: idempotent, all or nothing, row-numbered."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from hongfan.accounts.roles import Role
from hongfan.core.testing import World
from hongfan.dues.importing import payment_import
from hongfan.dues.models import DuesAssessment, DuesPayment
from hongfan.dues.services import dues_assess
from hongfan.imports.models import ImportRun
from hongfan.imports.services import import_file
from hongfan.party.models import PartyMember

pytestmark = pytest.mark.django_db
M = dt.date


def _csv(*rows: str) -> bytes:
    return ("工号,姓名,月份,金额,缴纳日期,缴纳方式\n" + "\n".join(rows) + "\n").encode()


def _assess(world: World) -> None:
    for key in ("member_a", "member_b"):
        for month in (3, 4):
            dues_assess(member=world.members[key], month=M(2026, month, 1), base=Decimal(4000))


def test_a_payment_file_through_the_framework_settles_months_and_twice_changes_nothing(
    world: World,
) -> None:
    _assess(world)
    a, b = (world.staff[k].employee_no for k in ("member_a", "member_b"))
    data = _csv(
        f"{a},赵党员,2026-03,40,2026-03-20,工资代扣",
        f"{a},赵党员,2026年4月,40,2026-04-20,工资代扣",
        f"{b},钱党员,2026/3,40,2026-03-25,",
    )
    office = world.user(Role.PARTY_OFFICE)
    run = import_file(kind="dues_payments", data=data, file_name="党费.csv", user=office)
    assert run.outcome == ImportRun.Outcome.APPLIED, run.errors
    assert DuesAssessment.objects.filter(payment__isnull=False).count() == 3
    assert DuesPayment.objects.filter(method=DuesPayment.Method.PAYROLL).count() == 2
    again = import_file(kind="dues_payments", data=data, file_name="党费.csv", user=office)
    assert again.outcome == ImportRun.Outcome.APPLIED, again.errors
    assert DuesPayment.objects.count() == 3


def test_a_payment_file_with_a_settled_month_paid_differently_imports_nothing(
    world: World,
) -> None:
    _assess(world)
    a = world.staff["member_a"].employee_no
    payment_import(
        data=_csv(f"{a},赵党员,2026-03,40,2026-03-20,"), members=PartyMember.objects.all()
    )
    result = payment_import(
        data=_csv(f"{a},赵党员,2026-04,40,2026-04-20,", f"{a},赵党员,2026-03,50,2026-03-28,"),
        members=PartyMember.objects.all(),
    )
    assert not result.ok
    assert "第3行" in result.errors[0] and "已缴清" in result.errors[0]
    assert DuesPayment.objects.count() == 1


def test_a_back_payment_beyond_6_months_in_a_file_is_refused_with_its_row(world: World) -> None:
    _assess(world)
    a = world.staff["member_a"].employee_no
    result = payment_import(
        data=_csv(f"{a},赵党员,2026-03,40,2026-10-01,"), members=PartyMember.objects.all()
    )
    assert "第2行" in result.errors[0] and "6个月" in result.errors[0]
    assert not DuesPayment.objects.exists()


def test_a_secretary_cannot_import_payments_of_another_branch(world: World) -> None:
    _assess(world)
    b = world.staff["member_b"].employee_no
    from hongfan.dues.selectors import members_visible_to

    result = payment_import(
        data=_csv(f"{b},钱党员,2026-03,40,2026-03-20,"),
        members=members_visible_to(world.user(Role.BRANCH_SECRETARY)),
    )
    assert "第2行" in result.errors[0] and b in result.errors[0]
    assert not DuesPayment.objects.exists()
