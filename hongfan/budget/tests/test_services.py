"""Budget rules: the three-level approval path, 三重一大, compressed lines, adjustments,
execution warnings and the assessment score, each at the edges the rule names."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from hongfan.accounts.roles import Role
from hongfan.budget import selectors, services
from hongfan.budget.models import Adjustment, BudgetLine
from hongfan.budget.tests.factories import central, line, major_item
from hongfan.core.testing import World
from hongfan.notifications.models import Notification

pytestmark = pytest.mark.django_db
S = BudgetLine.Status


def _spend(
    ln: BudgetLine, amount: str, day: dt.date = dt.date(2026, 3, 10), no: str = "V1"
) -> None:
    services.expense_record(line=ln, voucher_no=no, paid_on=day, amount=Decimal(amount))


# ------------------------------------------------------------------ the approval path


def test_an_executing_line_goes_to_its_central_department_first(world: World) -> None:
    ln = line(world, status=S.SUBMITTED)
    assert ln.status == S.SUBMITTED
    with pytest.raises(ValidationError, match="归口管理部门尚未审核"):
        services.line_approve(line=ln, actor=world.user(Role.PRESIDENT_OFFICE))
    ln.refresh_from_db()
    assert ln.status == S.SUBMITTED


def test_a_central_line_goes_straight_to_the_committee(world: World) -> None:
    ln = line(
        world,
        level=BudgetLine.Level.CENTRAL,
        department=central(world),
        central_department=None,
        code="SB-WX",
    )
    ln = services.line_submit(line=ln, actor=world.user(Role.PRESIDENT_OFFICE))
    assert ln.status == S.REVIEWED and ln.central_department == central(world)


def test_only_the_central_department_reviews(world: World) -> None:
    ln = line(world, status=S.SUBMITTED)
    head_a1 = world.user(Role.DEPARTMENT_HEAD)  # heads 心内科, the executing department
    with pytest.raises(ValidationError, match="只有归口管理部门"):
        services.line_review(line=ln, actor=head_a1)
    # The head of the executing department may not review, but the head of the central may.
    other = line(
        world, code="KS-NK02-HC", department=world.dept_a2, central_department=world.dept_a1
    )
    other = services.line_submit(line=other, actor=world.user(Role.PRESIDENT_OFFICE))
    assert services.line_review(line=other, actor=head_a1).status == S.REVIEWED


def test_a_department_head_prepares_only_for_their_department(world: World) -> None:
    head = world.user(Role.DEPARTMENT_HEAD)
    with pytest.raises(ValidationError, match="只能为本科室编制"):
        services.line_create(
            actor=head,
            year=2026,
            code="KS-WK01-HC",
            name="耗材",
            level=BudgetLine.Level.EXECUTING,
            category=BudgetLine.Category.BASIC,
            department=world.dept_b1,
            central_department=central(world),
            amount=Decimal("1000"),
        )
    assert not BudgetLine.objects.exists()


def test_the_committee_alone_approves(world: World) -> None:
    ln = line(world, status=S.REVIEWED)
    with pytest.raises(ValidationError, match="只有预算管理委员会"):
        services.line_approve(line=ln, actor=world.user(Role.DEPARTMENT_HEAD))
    assert (
        services.line_approve(line=ln, actor=world.user(Role.PRESIDENT_OFFICE)).status == S.APPROVED
    )


def test_a_return_needs_a_reason_and_the_line_can_be_resubmitted(world: World) -> None:
    office = world.user(Role.PRESIDENT_OFFICE)
    ln = line(world, status=S.REVIEWED)
    with pytest.raises(ValidationError):
        services.line_return(line=ln, actor=office, reason="  ")
    ln = services.line_return(line=ln, actor=office, reason="测算依据不足")
    assert ln.status == S.RETURNED and ln.is_editable
    ln = services.line_update(line=ln, actor=office, amount=Decimal("90000"))
    assert services.line_submit(line=ln, actor=office).status == S.SUBMITTED


def test_an_approved_line_cannot_be_edited(world: World) -> None:
    ln = line(world, status=S.APPROVED)
    with pytest.raises(ValidationError, match="编制中或已退回"):
        services.line_update(line=ln, actor=world.user(Role.PRESIDENT_OFFICE), amount=Decimal("1"))


# ------------------------------------------------------------------ 三重一大


def test_just_below_the_large_fund_threshold_needs_no_decision(world: World) -> None:
    ln = line(world, status=S.APPROVED, amount=Decimal("499999.99"))
    assert ln.status == S.APPROVED and not ln.is_major


def test_at_the_threshold_a_line_needs_its_collective_decision(world: World) -> None:
    office = world.user(Role.PRESIDENT_OFFICE)
    ln = line(world, status=S.REVIEWED, amount=Decimal("500000"))
    assert ln.is_major
    with pytest.raises(ValidationError, match="三重一大"):
        services.line_approve(line=ln, actor=office)
    ln.refresh_from_db()
    assert ln.status == S.REVIEWED
    services.line_return(line=ln, actor=office, reason="请关联党委会决策")
    item = major_item(world, amount=Decimal("500000"))
    ln = services.line_update(line=ln, actor=office, decision=item)
    ln = services.line_submit(line=ln, actor=office)
    ln = services.line_review(line=ln, actor=office)
    assert services.line_approve(line=ln, actor=office).status == S.APPROVED


@pytest.mark.parametrize(
    ("decision", "category", "amount"),
    [
        ("rejected", "large_funds", "600000"),  # not passed
        ("pending", "large_funds", "600000"),  # not decided yet
        ("passed", "ordinary", "600000"),  # not a 三重一大 item
        ("passed", "large_funds", "599999.99"),  # covers less than the line
    ],
)
def test_only_a_passed_major_decision_covering_the_amount_counts(
    world: World, decision: str, category: str, amount: str
) -> None:
    item = major_item(world, amount=Decimal(amount), decision=decision, category=category)
    ln = line(world, status=S.REVIEWED, amount=Decimal("600000"), decision=item)
    with pytest.raises(ValidationError):
        services.line_approve(line=ln, actor=world.user(Role.PRESIDENT_OFFICE))


# ------------------------------------------------------------------ compressed control


def _compressed(world: World, year: int, amount: str) -> BudgetLine:
    return line(
        world,
        status=S.REVIEWED if year == 2026 else S.APPROVED,
        year=year,
        code="KS-NK01-BG",
        name="科室办公费",
        category=BudgetLine.Category.COMPRESSED,
        amount=Decimal(amount),
    )


def test_a_compressed_line_may_equal_last_year(world: World) -> None:
    _compressed(world, 2025, "24000")
    ln = _compressed(world, 2026, "24000")
    assert (
        services.line_approve(line=ln, actor=world.user(Role.PRESIDENT_OFFICE)).status == S.APPROVED
    )


def test_a_compressed_line_may_not_exceed_last_year_by_a_cent(world: World) -> None:
    _compressed(world, 2025, "24000")
    ln = _compressed(world, 2026, "24000.01")
    with pytest.raises(ValidationError, match=r"24,000\.00"):
        services.line_approve(line=ln, actor=world.user(Role.PRESIDENT_OFFICE))


# ------------------------------------------------------------------ adjustments


def test_an_increase_without_the_committee_is_refused(world: World) -> None:
    office = world.user(Role.PRESIDENT_OFFICE)
    ln = line(world, status=S.APPROVED)
    _spend(ln, "95000")
    adj = services.adjustment_request(
        line=ln, amount=Decimal("20000"), reason="业务量增长", actor=office
    )
    assert adj.status == Adjustment.Status.PENDING
    with pytest.raises(ValidationError, match="须经预算管理委员会批准"):
        services.adjustment_apply(adjustment=adj)
    ln.refresh_from_db()
    assert ln.available == Decimal("100000")
    services.adjustment_approve(adjustment=adj, actor=office)
    ln.refresh_from_db()
    assert ln.available == Decimal("120000")


def test_a_reduction_may_leave_exactly_what_is_spent(world: World) -> None:
    office = world.user(Role.PRESIDENT_OFFICE)
    ln = line(world, status=S.APPROVED)
    _spend(ln, "60000")
    with pytest.raises(ValidationError, match="超支"):
        services.adjustment_request(
            line=ln, amount=Decimal("-40000.01"), reason="调减", actor=office
        )
    assert not Adjustment.objects.exists()
    adj = services.adjustment_request(
        line=ln, amount=Decimal("-40000"), reason="调减", actor=office
    )
    ln.refresh_from_db()
    assert adj.status == Adjustment.Status.APPLIED and ln.available == Decimal("60000")


def test_a_transfer_may_not_overspend_the_line_it_comes_from(world: World) -> None:
    office = world.user(Role.PRESIDENT_OFFICE)
    target = line(world, status=S.APPROVED)
    source = line(
        world, status=S.APPROVED, code="YB-01", level=BudgetLine.Level.COMMITTEE, department=None
    )
    _spend(source, "90000", no="V2")
    with pytest.raises(ValidationError, match="YB-01"):
        services.adjustment_request(
            line=target, amount=Decimal("10000.01"), source_line=source, reason="调剂", actor=office
        )
    adj = services.adjustment_request(
        line=target, amount=Decimal("10000"), source_line=source, reason="调剂", actor=office
    )
    # Spending on the source between request and approval is checked again at approval.
    _spend(source, "0.01", no="V3")
    with pytest.raises(ValidationError, match="YB-01"):
        services.adjustment_approve(adjustment=adj, actor=office)
    target.refresh_from_db()
    assert target.available == Decimal("100000")


def test_only_an_approved_line_is_adjusted(world: World) -> None:
    ln = line(world, status=S.REVIEWED)
    with pytest.raises(ValidationError):
        services.adjustment_request(
            line=ln, amount=Decimal("-1"), reason="调减", actor=world.user(Role.PRESIDENT_OFFICE)
        )


# ------------------------------------------------------------------ warnings


@pytest.mark.parametrize(
    ("spent", "expected"),
    [
        ("100000", "near"),  # exactly used up: not yet overspent
        ("100000.01", "over"),
        ("90000", "near"),
        ("89999.99", None),
    ],
)
def test_execution_warning_edges(world: World, spent: str, expected: str | None) -> None:
    ln = line(world, status=S.APPROVED)
    found = services.execution_warnings([ln], {ln.pk: Decimal(spent)}, dt.date(2026, 9, 30))
    assert [w.kind for w in found] == ([expected] if expected else [])


def test_a_line_far_behind_the_calendar_is_warned(world: World) -> None:
    ln = line(world, status=S.APPROVED)
    on = dt.date(2026, 7, 1)  # 50.1 % of the year elapsed
    progress = services.time_progress(on)
    behind = services.execution_warnings([ln], {ln.pk: (progress - 20) * 1000 - 100}, on)
    on_track = services.execution_warnings([ln], {ln.pk: (progress - 20) * 1000}, on)
    assert [w.kind for w in behind] == ["slow"] and on_track == []


def test_warnings_reach_the_head_and_the_budget_office_once(world: World) -> None:
    ln = line(world, status=S.APPROVED)
    _spend(ln, "100500")
    warnings, created = services.warnings_send(on=dt.date(2026, 3, 31))
    assert [w.kind for w in warnings] == ["over"]
    recipients = set(Notification.objects.values_list("recipient_id", flat=True))
    assert recipients == {world.user(Role.DEPARTMENT_HEAD).pk, world.user(Role.PRESIDENT_OFFICE).pk}
    assert created == 2
    assert services.warnings_send(on=dt.date(2026, 3, 31))[1] == 0


# ------------------------------------------------------------------ indicator and assessment


def test_the_execution_rate_indicator_is_pro_rata_and_none_without_lines(world: World) -> None:
    ln = line(world, status=S.APPROVED, amount=Decimal("365000"))
    _spend(ln, "31000", day=dt.date(2026, 1, 20))
    values = selectors.execution_rate_by_department(
        dt.date(2026, 1, 1), dt.date(2026, 1, 31), {world.dept_a1.pk, world.dept_b1.pk}
    )
    assert values == {world.dept_a1.pk: Decimal("100.0"), world.dept_b1.pk: None}


@pytest.mark.parametrize(
    ("rate", "score"),
    [
        ("100", "100.0"),
        ("95", "100.0"),
        ("94", "98.0"),
        ("100.5", "97.5"),
        ("130", "0.0"),
        ("0", "0.0"),
    ],
)
def test_assessment_score_edges(rate: str, score: str) -> None:
    assert services.assessment_score(Decimal(rate)) == Decimal(score)


def test_assessment_is_rerun_without_duplicates(world: World) -> None:
    ln = line(world, status=S.APPROVED)
    _spend(ln, "97000")
    first = services.assessment_run(year=2026)
    again = services.assessment_run(year=2026)
    assert len(first) == len(again) == 1
    assert again[0].pk == first[0].pk and again[0].score == Decimal("100.0")
