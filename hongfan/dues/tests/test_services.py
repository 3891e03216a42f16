"""Pay base, brackets at every boundary, the ledger, payments, imports and arrears."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from openpyxl import Workbook

from hongfan.core.testing import World, make_member, make_staff
from hongfan.dues.importing import payment_import, payroll_import
from hongfan.dues.models import DuesAssessment, DuesCategory, DuesConfig, DuesPayment
from hongfan.dues.selectors import arrears, summary_by_branch, summary_total
from hongfan.dues.services import (
    dues_amount,
    dues_assess,
    dues_pay,
    member_dues_category_set,
    pay_base,
    to_money,
)
from hongfan.notifications.models import Notification
from hongfan.party.models import PartyMember, PartyOrganisation

pytestmark = pytest.mark.django_db
M = dt.date
PAY = {
    "岗位工资": "3000",
    "薪级工资": "2000",
    "绩效工资": "4000",
    "津贴补贴": "1000",
    "改革性补贴": "800",
    "个人所得税": "300",
    "养老保险": "800",
    "医疗保险": "200",
    "失业保险": "50",
    "住房公积金": "1200",
    "职业年金": "400",
}


def refused(fn, *args, match: str = "", **kwargs) -> str:
    with pytest.raises(ValidationError) as exc:
        fn(*args, **kwargs)
    text = " ".join(exc.value.messages)
    assert match in text, text
    return text


# --- pay base ------------------------------------------------------------------------------


def test_the_institution_base_deducts_tax_social_insurance_fund_and_annuity(world: World) -> None:
    # 10000 counted (改革性补贴 not counted) − 300 − 800 − 200 − 50 − 1200 − 400 = 7050
    assert pay_base(PAY) == Decimal("7050.00")


def test_the_tax_only_variant_deducts_only_income_tax(world: World) -> None:
    DuesConfig.objects.update(is_active=False)
    DuesConfig.objects.filter(code="tax_only").update(is_active=True)
    assert pay_base(PAY) == Decimal("9700.00")


def test_an_unknown_pay_item_is_refused(world: World) -> None:
    refused(pay_base, {"岗位工资": "3000", "夜班费": "500"}, match="夜班费")


# --- brackets -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("base", "rate", "amount"),
    [
        ("3000.00", "0.5", "15.00"),
        ("3000.01", "1", "30.00"),
        ("5000.00", "1", "50.00"),
        ("5000.01", "1.5", "75.00"),
        ("10000.00", "1.5", "150.00"),
        ("10000.01", "2", "200.00"),
        ("0.00", "0.5", "0.00"),
    ],
)
def test_in_post_brackets_at_every_boundary(
    world: World, base: str, rate: str, amount: str
) -> None:
    got_rate, got = dues_amount(DuesCategory.IN_POST, Decimal(base))
    assert got_rate == Decimal(rate) and got == Decimal(amount)


@pytest.mark.parametrize(
    ("base", "rate", "amount"),
    [("5000.00", "0.5", "25.00"), ("5000.01", "1", "50.00"), ("4321.00", "0.5", "21.61")],
)
def test_retiree_brackets(world: World, base: str, rate: str, amount: str) -> None:
    got_rate, got = dues_amount(DuesCategory.RETIREE, Decimal(base))
    assert got_rate == Decimal(rate) and got == Decimal(amount)


def test_amounts_round_half_up_to_the_fen(world: World) -> None:
    assert to_money(Decimal("21.605")) == Decimal("21.61")
    assert to_money(Decimal("21.604")) == Decimal("21.60")
    # 3001.50 × 1% = 30.015 → 30.02
    assert dues_amount(DuesCategory.IN_POST, Decimal("3001.50"))[1] == Decimal("30.02")


def test_a_student_member_pays_twenty_fen(world: World) -> None:
    member = world.members["member_a"]
    member_dues_category_set(member=member, category=DuesCategory.FLAT, reason="在读研究生")
    a = dues_assess(member=member, month=M(2026, 3, 1))
    assert a.amount_due == Decimal("0.20") and a.rate_percent is None


def test_a_retired_member_uses_the_retiree_bracket(world: World) -> None:
    member = world.members["member_a"]
    member.is_retired = True
    member.save()
    a = dues_assess(member=member, month=M(2026, 3, 1), base=Decimal("6000"))
    assert a.category == DuesCategory.RETIREE and a.amount_due == Decimal("60.00")


# --- ledger rules -----------------------------------------------------------------------------


def test_a_probationary_member_pays_from_the_month_of_the_branch_meeting(world: World) -> None:
    member = make_member(
        make_staff(world.dept_a1, "新预备"),
        world.branch_a,
        category=PartyMember.Category.PROBATIONARY,
        joined_on=M(2026, 3, 20),
    )
    refused(dues_assess, member=member, month=M(2026, 2, 1), base=Decimal(4000), match="2026-03")
    first = dues_assess(member=member, month=M(2026, 3, 1), base=Decimal(4000))
    assert first.amount_due == Decimal("40.00")


def test_a_temporary_branch_collects_no_dues(world: World) -> None:
    temp = PartyOrganisation.objects.create(
        institution=world.hospital,
        code="T9",
        name="抗疫临时党支部",
        kind=PartyOrganisation.Kind.BRANCH,
        parent=world.committee,
        is_temporary=True,
        established_on=M(2025, 1, 1),
    )
    member = world.members["member_a"]
    member.organisation = temp  # a misfiled member: the ledger must still refuse
    refused(dues_assess, member=member, month=M(2026, 3, 1), base=Decimal(4000), match="临时党支部")
    assert not DuesAssessment.objects.exists()


def test_a_payment_for_a_month_already_settled_is_refused(world: World) -> None:
    member = world.members["member_a"]
    dues_assess(member=member, month=M(2026, 3, 1), base=Decimal(4000))
    dues_pay(member=member, first_month=M(2026, 3, 1), amount=Decimal(40), paid_on=M(2026, 3, 10))
    refused(
        dues_pay,
        member=member,
        first_month=M(2026, 3, 1),
        amount=Decimal(40),
        paid_on=M(2026, 3, 11),
        match="已缴清",
    )
    refused(dues_assess, member=member, month=M(2026, 3, 1), base=Decimal(5000), match="已缴清")
    assert DuesPayment.objects.count() == 1


def test_a_payment_below_the_amount_due_is_refused(world: World) -> None:
    member = world.members["member_a"]
    dues_assess(member=member, month=M(2026, 3, 1), base=Decimal(4000))
    refused(
        dues_pay,
        member=member,
        first_month=M(2026, 3, 1),
        amount=Decimal("39.99"),
        paid_on=M(2026, 3, 10),
        match="少于",
    )


@pytest.mark.parametrize(("paid_on", "ok"), [(M(2026, 9, 30), True), (M(2026, 10, 1), False)])
def test_back_payment_of_6_months_is_allowed_and_7_refused(
    world: World, paid_on: dt.date, ok: bool
) -> None:
    member = world.members["member_a"]
    dues_assess(member=member, month=M(2026, 3, 1), base=Decimal(4000))
    kwargs = {
        "member": member,
        "first_month": M(2026, 3, 1),
        "amount": Decimal(40),
        "paid_on": paid_on,
    }
    if ok:
        assert dues_pay(**kwargs).pk
    else:
        refused(dues_pay, **kwargs, match="6个月")


def test_a_quarter_paid_at_once_settles_three_months(world: World) -> None:
    member = world.members["member_a"]
    for month in (1, 2, 3):
        dues_assess(member=member, month=M(2026, month, 1), base=Decimal(4000))
    p = dues_pay(
        member=member,
        first_month=M(2026, 1, 1),
        last_month=M(2026, 3, 1),
        amount=Decimal(120),
        paid_on=M(2026, 3, 31),
    )
    assert p.assessments.count() == 3


# --- arrears ------------------------------------------------------------------------------------


def _ledger(member: PartyMember, unpaid: int, as_of_month: int = 8) -> None:
    """Assess Jan..as_of_month 2026 and pay all but the last ``unpaid`` months."""
    for month in range(1, as_of_month + 1):
        dues_assess(member=member, month=M(2026, month, 1), base=Decimal(4000))
        if month <= as_of_month - unpaid:
            dues_pay(
                member=member,
                first_month=M(2026, month, 1),
                amount=Decimal(40),
                paid_on=M(2026, month, 20),
            )


@pytest.mark.parametrize(
    ("unpaid", "level", "lapsed"), [(2, 0, False), (3, 3, False), (5, 5, False), (6, 5, True)]
)
def test_arrears_warnings_at_3_and_5_months_and_the_6_month_line(
    world: World, unpaid: int, level: int, lapsed: bool
) -> None:
    _ledger(world.members["member_a"], unpaid)
    [a] = arrears(as_of=M(2026, 8, 31))
    assert (a.months, a.level, a.lapsed) == (unpaid, level, lapsed)
    assert a.amount == Decimal(40) * unpaid


def test_the_arrears_command_notifies_the_secretary_and_office_once(world: World) -> None:
    _ledger(world.members["member_a"], 3)
    _ledger(world.members["member_b"], 2)
    call_command("dues_arrears_alerts", "--as-of", "2026-08-31")
    call_command("dues_arrears_alerts", "--as-of", "2026-08-31")
    notes = Notification.objects.filter(dedup_key__startswith="dues-arrears:")
    recipients = sorted(n.recipient.username for n in notes)
    assert recipients == ["office", "secretary_a"]
    assert "赵党员" in notes.first().title


# --- imports -----------------------------------------------------------------------------------


def _xlsx(rows: list[list[object]]) -> bytes:
    wb = Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_a_payroll_sheet_becomes_assessments(world: World) -> None:
    no = world.staff["member_a"].employee_no
    header = ["工号", "姓名", "月份", *PAY]
    data = _xlsx([header, [no, "赵党员", "2026-03", *PAY.values()]])
    result = payroll_import(data=data, members=PartyMember.objects.all())
    assert result.ok, result.errors
    a = DuesAssessment.objects.get()
    assert a.base == Decimal("7050.00") and a.amount_due == Decimal("105.75")


def test_a_payroll_sheet_with_one_bad_row_saves_nothing(world: World) -> None:
    header = ["工号", "月份", "岗位工资"]
    data = _xlsx(
        [
            header,
            [world.staff["member_a"].employee_no, "2026-03", 4000],
            ["NOPE", "2026-03", 4000],
        ]
    )
    result = payroll_import(data=data, members=PartyMember.objects.all())
    assert not result.ok and "第3行" in result.errors[0]
    assert not DuesAssessment.objects.exists()


def test_a_payment_sheet_settles_months(world: World) -> None:
    member = world.members["member_a"]
    dues_assess(member=member, month=M(2026, 3, 1), base=Decimal(4000))
    data = _xlsx(
        [
            ["工号", "月份", "金额", "缴纳日期"],
            [member.staff.employee_no, "2026-03", 40, M(2026, 3, 15)],
        ]
    )
    result = payment_import(data=data, members=PartyMember.objects.all())
    assert result.ok, result.errors
    assert DuesAssessment.objects.get().is_settled


# --- summaries -----------------------------------------------------------------------------------


def test_the_branch_summary_gives_due_paid_arrears_and_rate(world: World) -> None:
    _ledger(world.members["member_a"], 2, as_of_month=4)  # 160 due, 80 paid
    _ledger(world.members["member_b"], 0, as_of_month=4)  # 160 due, 160 paid
    rows = {r.label: r for r in summary_by_branch(DuesAssessment.objects.all(), by_month=False)}
    a = rows["内科党支部"]
    assert (a.due, a.paid, a.arrears, a.rate) == (
        Decimal(160),
        Decimal(80),
        Decimal(80),
        Decimal("50.00"),
    )
    total = summary_total(DuesAssessment.objects.all())
    assert total.rate == Decimal("75.00")
