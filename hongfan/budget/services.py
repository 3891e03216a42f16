"""Writes of the budget: preparation → review → approval, adjustments, warnings, assessment."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from hongfan.accounts.roles import Cap
from hongfan.budget.models import Adjustment, Assessment, BudgetLine, Expense
from hongfan.decisions.models import AgendaItem
from hongfan.decisions.selectors import decision_config

EDITABLE_FIELDS = (
    "year",
    "code",
    "name",
    "level",
    "category",
    "department",
    "central_department",
    "amount",
    "justification",
    "decision",
)


def _yuan(value: Decimal) -> str:
    return f"{value:,.2f}"


def spent_of(line: BudgetLine) -> Decimal:
    """Return the line's actual spending (one query)."""
    total = line.expenses.aggregate(s=Sum("amount"))["s"]
    return Decimal(str(total or 0)).quantize(Decimal("0.01"))


def major_threshold() -> Decimal:
    """The amount from which a line is 三重一大 (大额资金使用), as configured in decisions."""
    return decision_config().large_funds_threshold


def _normalise(line: BudgetLine) -> None:
    if line.level == BudgetLine.Level.COMMITTEE:
        line.central_department = None
    elif line.level == BudgetLine.Level.CENTRAL:
        line.central_department = line.department
    line.is_major = line.amount is not None and line.amount >= major_threshold()


def can_prepare(line: BudgetLine, actor: Any) -> bool:
    if actor is None or actor.has_capability(Cap.BUDGET_MANAGE):
        return True
    return bool(line.department_id and line.department_id in actor.scope.department_ids)


@transaction.atomic
def line_create(*, actor: Any, **fields: Any) -> BudgetLine:
    line = BudgetLine(prepared_by=actor, **{k: fields[k] for k in EDITABLE_FIELDS if k in fields})
    _normalise(line)
    if not can_prepare(line, actor):
        raise ValidationError(_("You may prepare lines only for your own department."))
    line.full_clean()
    line.save()
    return line


@transaction.atomic
def line_update(*, line: BudgetLine, actor: Any, **fields: Any) -> BudgetLine:
    line = BudgetLine.objects.select_for_update().get(pk=line.pk)
    if not line.is_editable:
        raise ValidationError(_("Only a line being prepared or returned can be edited."))
    for key in EDITABLE_FIELDS:
        if key in fields:
            setattr(line, key, fields[key])
    _normalise(line)
    if not can_prepare(line, actor):
        raise ValidationError(_("You may prepare lines only for your own department."))
    line.full_clean()
    line.save()
    return line


def previous_year_available(line: BudgetLine) -> Decimal | None:
    """The approved available amount of the same code in the previous year, if any."""
    prev = BudgetLine.objects.filter(
        year=line.year - 1, code=line.code, status=BudgetLine.Status.APPROVED
    ).first()
    return prev.available if prev else None


def approval_problems(line: BudgetLine) -> list[str]:
    """Return why ``line`` cannot be approved as it stands (empty when it can)."""
    problems: list[str] = []
    if line.category == BudgetLine.Category.COMPRESSED:
        prev = previous_year_available(line)
        if prev is not None and line.amount > prev:
            problems.append(
                _(
                    "A compressed-control line may not exceed last year's %(prev)s yuan "
                    "(this line asks for %(amount)s yuan)."
                )
                % {"prev": _yuan(prev), "amount": _yuan(line.amount)}
            )
    if line.amount >= major_threshold():
        item: AgendaItem | None = line.decision
        if item is None:
            problems.append(
                _(
                    "%(amount)s yuan reaches the 三重一大 threshold of %(limit)s yuan: link the "
                    "collective decision that approved it."
                )
                % {"amount": _yuan(line.amount), "limit": _yuan(major_threshold())}
            )
        elif not item.is_major or item.final_decision != AgendaItem.Decision.PASSED:
            problems.append(
                _("The linked decision “%(title)s” is not a passed 三重一大 item.")
                % {"title": item.title}
            )
        elif item.amount is not None and item.amount < line.amount:
            problems.append(
                _("The linked decision covers %(item)s yuan, less than this line's %(amount)s.")
                % {"item": _yuan(item.amount), "amount": _yuan(line.amount)}
            )
    return problems


@transaction.atomic
def line_submit(*, line: BudgetLine, actor: Any) -> BudgetLine:
    """Send a prepared line on: an executing department's line to its central department,
    a central or committee line straight to the committee."""
    line = BudgetLine.objects.select_for_update().get(pk=line.pk)
    if not line.is_editable:
        raise ValidationError(_("This line has already been submitted."))
    if not can_prepare(line, actor):
        raise ValidationError(_("You may prepare lines only for your own department."))
    line.status = (
        BudgetLine.Status.SUBMITTED
        if line.level == BudgetLine.Level.EXECUTING
        else BudgetLine.Status.REVIEWED
    )
    line.submitted_at = timezone.now()
    line.return_reason = ""
    line.full_clean()
    line.save()
    return line


def can_review(line: BudgetLine, actor: Any) -> bool:
    if actor.has_capability(Cap.BUDGET_MANAGE):
        return True
    return bool(line.central_department_id in actor.scope.department_ids)


@transaction.atomic
def line_review(*, line: BudgetLine, actor: Any) -> BudgetLine:
    """The central managing department passes an executing department's line."""
    line = BudgetLine.objects.select_for_update().get(pk=line.pk)
    if line.status != BudgetLine.Status.SUBMITTED:
        raise ValidationError(_("Only a line awaiting central review can be reviewed."))
    if not can_review(line, actor):
        raise ValidationError(_("Only the central managing department reviews this line."))
    line.status = BudgetLine.Status.REVIEWED
    line.reviewed_by = actor
    line.reviewed_at = timezone.now()
    line.full_clean()
    line.save()
    return line


@transaction.atomic
def line_approve(*, line: BudgetLine, actor: Any) -> BudgetLine:
    """The budget committee approves a reviewed line (the approval rules are checked here)."""
    line = (
        BudgetLine.objects.select_for_update(of=("self",))
        .select_related("decision")
        .get(pk=line.pk)
    )
    if actor is not None and not actor.has_capability(Cap.BUDGET_APPROVE):
        raise ValidationError(_("Only the budget committee approves budget lines."))
    if line.status == BudgetLine.Status.SUBMITTED:
        raise ValidationError(_("The central managing department has not reviewed this line yet."))
    if line.status != BudgetLine.Status.REVIEWED:
        raise ValidationError(_("Only a line awaiting committee approval can be approved."))
    problems = approval_problems(line)
    if problems:
        raise ValidationError(problems)
    line.status = BudgetLine.Status.APPROVED
    line.is_major = line.amount >= major_threshold()
    line.approved_by = actor
    line.approved_at = timezone.now()
    line.full_clean()
    line.save()
    return line


@transaction.atomic
def line_return(*, line: BudgetLine, actor: Any, reason: str) -> BudgetLine:
    line = BudgetLine.objects.select_for_update().get(pk=line.pk)
    if line.status not in (BudgetLine.Status.SUBMITTED, BudgetLine.Status.REVIEWED):
        raise ValidationError(_("Only a line under review can be returned."))
    if line.status == BudgetLine.Status.SUBMITTED and not can_review(line, actor):
        raise ValidationError(_("Only the central managing department reviews this line."))
    if line.status == BudgetLine.Status.REVIEWED and not actor.has_capability(Cap.BUDGET_APPROVE):
        raise ValidationError(_("Only the budget committee approves budget lines."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the line is returned.")})
    line.status = BudgetLine.Status.RETURNED
    line.return_reason = reason.strip()[:300]
    line.full_clean()
    line.save()
    return line


# ------------------------------------------------------------------------ adjustments


def _check_not_below_spent(line: BudgetLine, change: Decimal) -> None:
    spent = spent_of(line)
    after = line.available + change
    if after < spent:
        raise ValidationError(
            _(
                "%(code)s would have %(after)s yuan left against %(spent)s yuan already "
                "spent: the line would be overspent."
            )
            % {"code": line.code, "after": _yuan(after), "spent": _yuan(spent)}
        )


def _apply(adjustment: Adjustment, *, approved_by: Any) -> None:
    """Apply ``adjustment``. Raising a line above its approved budget needs approval."""
    line = BudgetLine.objects.select_for_update().get(pk=adjustment.line_id)
    if adjustment.amount > 0 and approved_by is None:
        raise ValidationError(
            _(
                "An adjustment that raises a line above its approved budget needs the budget "
                "committee's approval."
            )
        )
    if adjustment.amount < 0:
        _check_not_below_spent(line, adjustment.amount)
    if adjustment.source_line_id:
        source = BudgetLine.objects.select_for_update().get(pk=adjustment.source_line_id)
        _check_not_below_spent(source, -adjustment.amount)
        source.adjusted -= adjustment.amount
        source.full_clean()
        source.save()
    line.adjusted += adjustment.amount
    line.full_clean()
    line.save()
    adjustment.status = Adjustment.Status.APPLIED
    adjustment.decided_by = approved_by
    adjustment.decided_at = timezone.now()
    adjustment.full_clean()
    adjustment.save()


@transaction.atomic
def adjustment_request(
    *,
    line: BudgetLine,
    amount: Decimal,
    reason: str,
    actor: Any,
    source_line: BudgetLine | None = None,
) -> Adjustment:
    """Record a mid-year adjustment.

    A reduction that leaves at least the amount already spent is applied at once; anything
    that adds to the line waits for the committee (``adjustment_approve``).
    """
    line = BudgetLine.objects.select_for_update().get(pk=line.pk)
    if line.status != BudgetLine.Status.APPROVED:
        raise ValidationError(_("Only an approved line can be adjusted."))
    if source_line is not None:
        if source_line.pk == line.pk:
            raise ValidationError({"source_line": _("A line cannot give to itself.")})
        if source_line.status != BudgetLine.Status.APPROVED or source_line.year != line.year:
            raise ValidationError(
                {"source_line": _("Move money only from an approved line of the same year.")}
            )
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Give the reason for the adjustment.")})
    adjustment = Adjustment(
        line=line, amount=amount, source_line=source_line, reason=reason.strip(), requested_by=actor
    )
    adjustment.full_clean()
    if amount < 0:
        _check_not_below_spent(line, amount)
    if source_line is not None:
        _check_not_below_spent(source_line, -amount)
    adjustment.save()
    if amount < 0:
        _apply(adjustment, approved_by=actor)
    return adjustment


@transaction.atomic
def adjustment_apply(*, adjustment: Adjustment) -> Adjustment:
    """Apply a pending adjustment without the committee's approval (refused when it adds)."""
    adjustment = Adjustment.objects.select_for_update().get(pk=adjustment.pk)
    if adjustment.status != Adjustment.Status.PENDING:
        raise ValidationError(_("This adjustment has already been decided."))
    _apply(adjustment, approved_by=None)
    return adjustment


@transaction.atomic
def adjustment_approve(*, adjustment: Adjustment, actor: Any, note: str = "") -> Adjustment:
    adjustment = Adjustment.objects.select_for_update().get(pk=adjustment.pk)
    if not actor.has_capability(Cap.BUDGET_APPROVE):
        raise ValidationError(_("Only the budget committee approves adjustments."))
    if adjustment.status != Adjustment.Status.PENDING:
        raise ValidationError(_("This adjustment has already been decided."))
    adjustment.decision_note = note.strip()[:300]
    _apply(adjustment, approved_by=actor)
    return adjustment


@transaction.atomic
def adjustment_reject(*, adjustment: Adjustment, actor: Any, note: str) -> Adjustment:
    adjustment = Adjustment.objects.select_for_update().get(pk=adjustment.pk)
    if not actor.has_capability(Cap.BUDGET_APPROVE):
        raise ValidationError(_("Only the budget committee approves adjustments."))
    if adjustment.status != Adjustment.Status.PENDING:
        raise ValidationError(_("This adjustment has already been decided."))
    if not note.strip():
        raise ValidationError({"note": _("Say why the adjustment is rejected.")})
    adjustment.status = Adjustment.Status.REJECTED
    adjustment.decided_by = actor
    adjustment.decided_at = timezone.now()
    adjustment.decision_note = note.strip()[:300]
    adjustment.full_clean()
    adjustment.save()
    return adjustment


# ------------------------------------------------------------------------ warnings


def near_percent() -> Decimal:
    return Decimal(str(getattr(settings, "HONGFAN_BUDGET_NEAR_PERCENT", 90)))


def slow_gap() -> Decimal:
    return Decimal(str(getattr(settings, "HONGFAN_BUDGET_SLOW_GAP", 20)))


def time_progress(on: dt.date) -> Decimal:
    """Share of the budget year elapsed at the end of ``on`` (序时进度), in %."""
    start = dt.date(on.year, 1, 1)
    days = (dt.date(on.year + 1, 1, 1) - start).days
    return (Decimal((on - start).days + 1) * 100 / days).quantize(Decimal("0.1"))


@dataclass(frozen=True)
class Warning:
    line: BudgetLine
    kind: str  # "over" | "near" | "slow"
    rate: Decimal
    progress: Decimal

    @property
    def message(self) -> str:
        params = {
            "code": self.line.code,
            "name": self.line.name,
            "rate": f"{self.rate:.1f}",
            "progress": f"{self.progress:.1f}",
        }
        if self.kind == "over":
            return _("%(code)s %(name)s is overspent: %(rate)s%% of the budget used.") % params
        if self.kind == "near":
            return (
                _(
                    "%(code)s %(name)s has used %(rate)s%% of its budget "
                    "(time elapsed %(progress)s%%)."
                )
                % params
            )
        return (
            _(
                "%(code)s %(name)s is behind schedule: %(rate)s%% used, "
                "%(progress)s%% of the year elapsed."
            )
            % params
        )


def execution_warnings(
    lines: list[BudgetLine], spent: dict[int, Decimal], on: dt.date
) -> list[Warning]:
    """Return the warnings of approved ``lines`` on ``on`` (no queries)."""
    progress = time_progress(on)
    out: list[Warning] = []
    for line in lines:
        if line.status != BudgetLine.Status.APPROVED or line.year != on.year:
            continue
        available = line.available
        if available <= 0:
            continue
        # Compare the exact rate; round only for the message.
        exact = spent.get(line.pk, Decimal("0")) * 100 / available
        rate = exact.quantize(Decimal("0.1"))
        if exact > 100:
            out.append(Warning(line, "over", rate, progress))
        elif exact >= near_percent() and progress < 100:
            out.append(Warning(line, "near", rate, progress))
        elif progress >= 25 and exact < progress - slow_gap():
            out.append(Warning(line, "slow", rate, progress))
    return out


@transaction.atomic
def warnings_send(*, on: dt.date) -> tuple[list[Warning], int]:
    """Notify the executing department's heads and the budget office of each warning.

    Idempotent: a warning of a kind reaches each person once per line and month. Returns the
    warnings found and the number of notifications created.
    """
    from hongfan.budget.selectors import spent_by_line
    from hongfan.loops.services import capability_holder_ids, department_head_ids
    from hongfan.notifications.models import Notification
    from hongfan.notifications.services import NotificationItem, notify_many

    lines = list(
        BudgetLine.objects.filter(year=on.year, status=BudgetLine.Status.APPROVED).select_related(
            "department"
        )
    )
    spent = spent_by_line([ln.pk for ln in lines], until=on)
    warnings = execution_warnings(lines, spent, on)
    heads = department_head_ids({w.line.department_id for w in warnings if w.line.department_id})
    office = capability_holder_ids(Cap.BUDGET_MANAGE)
    levels = {
        "over": Notification.Level.WARNING,
        "near": Notification.Level.REMINDER,
        "slow": Notification.Level.INFO,
    }
    items = [
        NotificationItem(
            user_ids=set(heads.get(w.line.department_id, set())) | office,
            title=_("Budget execution warning"),
            body=w.message,
            url=reverse("budget:detail", args=[w.line.pk]),
            level=levels[w.kind],
            dedup_key=f"budget:{w.line.pk}:{w.kind}:{on:%Y-%m}",
            source_type="budget.budgetline",
            source_id=str(w.line.pk),
        )
        for w in warnings
    ]
    return warnings, len(notify_many(items))


# ------------------------------------------------------------------------ assessment


def assessment_score(rate: Decimal) -> Decimal:
    """Score of an execution rate (documented in docs/apps/budget.md).

    95–100 % scores 100; below 95 % each point lost costs 2; above 100 % (overspent) each
    point costs 5; never below 0.
    """
    if rate > 100:
        score = 100 - (rate - 100) * 5
    elif rate >= 95:
        score = Decimal("100")
    else:
        score = 100 - (95 - rate) * 2
    return max(Decimal("0"), score).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@transaction.atomic
def assessment_run(*, year: int, actor: Any = None) -> list[Assessment]:
    """Assess every department with approved lines in ``year`` (re-running updates)."""
    from hongfan.budget.selectors import department_execution

    rows = department_execution(year=year)
    existing = {a.department_id: a for a in Assessment.objects.filter(year=year)}
    out = []
    for row in rows:
        rate = (
            (row.spent * 100 / row.available).quantize(Decimal("0.01"))
            if row.available
            else Decimal("0")
        )
        a = existing.get(row.department_id) or Assessment(
            year=year, department_id=row.department_id
        )
        a.available, a.spent, a.rate = row.available, row.spent, rate
        a.score = assessment_score(rate)
        a.full_clean()
        a.save()
        out.append(a)
    return out


@transaction.atomic
def expense_record(
    *, line: BudgetLine, voucher_no: str, paid_on: dt.date, amount: Decimal, summary: str = ""
) -> Expense:
    """Record one spending entry (the import uses bulk writes; this is for demo and tests)."""
    if line.status != BudgetLine.Status.APPROVED:
        raise ValidationError(_("Spending can be booked only on an approved line."))
    if paid_on.year != line.year:
        raise ValidationError(_("The date is outside the line's budget year."))
    expense = Expense(
        line=line, voucher_no=voucher_no, paid_on=paid_on, amount=amount, summary=summary
    )
    expense.full_clean()
    expense.save()
    return expense
