"""Reads of the budget; every scoped read goes through ``lines_visible_to``."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import DecimalField, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce, ExtractMonth

from hongfan.accounts.roles import Cap
from hongfan.budget.models import Adjustment, BudgetLine, Expense

ZERO = Decimal("0")
CENT = Decimal("0.01")


def _cents(value: Decimal | float | None) -> Decimal:
    """A sum as exact yuan and fen (SQLite sums decimals as floats)."""
    return Decimal(str(value or 0)).quantize(CENT)


def lines_visible_to(user: Any) -> QuerySet[BudgetLine]:
    """Return the lines ``user`` may see.

    Hospital-wide holders of ``budget.view`` see every line; a department head sees the lines
    their department executes and those it manages centrally (归口).
    """
    if user is None or not user.is_authenticated or not user.has_capability(Cap.BUDGET_VIEW):
        return BudgetLine.objects.none()
    scope = user.scope
    if scope.hospital_wide:
        return BudgetLine.objects.all()
    ids = scope.department_ids
    if not ids:
        return BudgetLine.objects.none()
    return BudgetLine.objects.filter(Q(department_id__in=ids) | Q(central_department_id__in=ids))


def adjustments_visible_to(user: Any) -> QuerySet[Adjustment]:
    return Adjustment.objects.filter(line__in=lines_visible_to(user))


def with_spent(qs: QuerySet[BudgetLine]) -> QuerySet[BudgetLine]:
    """Annotate ``spent`` (a subquery, so other joins cannot multiply it)."""
    sums = (
        Expense.objects.filter(line_id=OuterRef("pk"))
        .order_by()
        .values("line_id")
        .annotate(s=Sum("amount"))
        .values("s")
    )
    return qs.annotate(
        spent=Coalesce(
            Subquery(sums, output_field=DecimalField(max_digits=14, decimal_places=2)),
            Value(ZERO),
            output_field=DecimalField(max_digits=14, decimal_places=2),
        )
    )


def line_list(qs: QuerySet[BudgetLine], filters: dict[str, str]) -> QuerySet[BudgetLine]:
    """Apply the list filters (search, year, level, category, status, department, major)."""
    if filters.get("q"):
        term = filters["q"]
        qs = qs.filter(Q(code__icontains=term) | Q(name__icontains=term))
    if filters.get("year", "").isdigit():
        qs = qs.filter(year=int(filters["year"]))
    for key in ("level", "category", "status"):
        if filters.get(key):
            qs = qs.filter(**{key: filters[key]})
    if filters.get("department", "").isdigit():
        d = int(filters["department"])
        qs = qs.filter(Q(department_id=d) | Q(central_department_id=d))
    if filters.get("major") == "1":
        qs = qs.filter(is_major=True)
    return with_spent(qs.select_related("department", "central_department", "decision"))


def year_choices(qs: QuerySet[BudgetLine]) -> list[int]:
    return sorted(set(qs.order_by().values_list("year", flat=True).distinct()), reverse=True)


def spent_by_line(line_ids: list[int], *, until: dt.date | None = None) -> dict[int, Decimal]:
    qs = Expense.objects.filter(line_id__in=line_ids)
    if until is not None:
        qs = qs.filter(paid_on__lte=until)
    rows = qs.order_by().values("line_id").annotate(s=Sum("amount")).values_list("line_id", "s")
    return {pk: _cents(total) for pk, total in rows}


@dataclass
class ExecutionRow:
    key: Any
    label: str
    available: Decimal
    spent: Decimal
    department_id: int | None = None

    def __post_init__(self) -> None:
        self.available, self.spent = _cents(self.available), _cents(self.spent)

    @property
    def rate(self) -> Decimal | None:
        if not self.available:
            return None
        return (self.spent * 100 / self.available).quantize(Decimal("0.1"))

    @property
    def remaining(self) -> Decimal:
        return self.available - self.spent


def _approved(qs: QuerySet[BudgetLine], year: int) -> QuerySet[BudgetLine]:
    return qs.filter(year=year, status=BudgetLine.Status.APPROVED)


def department_execution(
    *, year: int, qs: QuerySet[BudgetLine] | None = None
) -> list[ExecutionRow]:
    """Approved budget and spending per department of ``year`` (two queries).

    Committee-level lines have no department and are left out of the department view.
    """
    base = _approved(qs if qs is not None else BudgetLine.objects.all(), year).filter(
        department__isnull=False
    )
    avail = {
        r["department_id"]: (r["department__name"], r["a"] + r["adj"])
        for r in base.order_by()
        .values("department_id", "department__name")
        .annotate(a=Sum("amount"), adj=Sum("adjusted"))
    }
    spent = dict(
        Expense.objects.filter(line__in=base)
        .order_by()
        .values("line__department_id")
        .annotate(s=Sum("amount"))
        .values_list("line__department_id", "s")
    )
    rows = [
        ExecutionRow(d, name, a, spent.get(d) or ZERO, department_id=d)
        for d, (name, a) in avail.items()
    ]
    return sorted(rows, key=lambda r: r.label)


def category_execution(*, year: int, qs: QuerySet[BudgetLine]) -> list[ExecutionRow]:
    base = _approved(qs, year)
    avail = {
        r["category"]: r["a"] + r["adj"]
        for r in base.order_by().values("category").annotate(a=Sum("amount"), adj=Sum("adjusted"))
    }
    spent = dict(
        Expense.objects.filter(line__in=base)
        .order_by()
        .values("line__category")
        .annotate(s=Sum("amount"))
        .values_list("line__category", "s")
    )
    return [
        ExecutionRow(code, str(label), avail.get(code, ZERO), spent.get(code) or ZERO)
        for code, label in BudgetLine.Category.choices
    ]


def level_execution(*, year: int, qs: QuerySet[BudgetLine]) -> list[ExecutionRow]:
    base = _approved(qs, year)
    avail = {
        r["level"]: r["a"] + r["adj"]
        for r in base.order_by().values("level").annotate(a=Sum("amount"), adj=Sum("adjusted"))
    }
    spent = dict(
        Expense.objects.filter(line__in=base)
        .order_by()
        .values("line__level")
        .annotate(s=Sum("amount"))
        .values_list("line__level", "s")
    )
    return [
        ExecutionRow(code, str(label), avail.get(code, ZERO), spent.get(code) or ZERO)
        for code, label in BudgetLine.Level.choices
    ]


def monthly_spending(*, year: int, qs: QuerySet[BudgetLine]) -> list[Decimal]:
    """Spending per month 1..12 of ``year`` on the approved lines of ``qs`` (one query)."""
    base = _approved(qs, year)
    out = [ZERO] * 12
    for month, total in (
        Expense.objects.filter(line__in=base)
        .annotate(m=ExtractMonth("paid_on"))
        .order_by()
        .values("m")
        .annotate(s=Sum("amount"))
        .values_list("m", "s")
    ):
        out[int(month) - 1] = _cents(total)
    return out


def execution_rate_by_department(
    start: dt.date, end: dt.date, department_ids: set[int] | None
) -> dict[int, Decimal | None]:
    """Indicator ``budget.execution_rate``: spending in [start, end] against the same period's
    share of the year's available budget, in % (None for a department without approved lines).

    The share is pro rata by days: a department that spends evenly scores 100.
    """
    share: dict[int, Decimal] = defaultdict(lambda: ZERO)
    lines = BudgetLine.objects.filter(
        status=BudgetLine.Status.APPROVED,
        year__gte=start.year,
        year__lte=end.year,
        department__isnull=False,
    )
    if department_ids is not None:
        lines = lines.filter(department_id__in=department_ids)
    for row in (
        lines.order_by()
        .values("department_id", "year")
        .annotate(a=Sum("amount"), adj=Sum("adjusted"))
    ):
        y = row["year"]
        y_start, y_end = dt.date(y, 1, 1), dt.date(y, 12, 31)
        lo, hi = max(start, y_start), min(end, y_end)
        if hi < lo:
            continue
        days = Decimal((hi - lo).days + 1) / Decimal((y_end - y_start).days + 1)
        share[row["department_id"]] += (row["a"] + row["adj"]) * days
    spent = dict(
        Expense.objects.filter(line__in=lines, paid_on__gte=start, paid_on__lte=end)
        .order_by()
        .values("line__department_id")
        .annotate(s=Sum("amount"))
        .values_list("line__department_id", "s")
    )
    out: dict[int, Decimal | None] = {}
    ids = department_ids if department_ids is not None else set(share)
    for d in ids:
        base = share.get(d)
        out[d] = ((spent.get(d) or ZERO) * 100 / base).quantize(Decimal("0.1")) if base else None
    return out
