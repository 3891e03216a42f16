"""Import actual spending (预算执行) from the finance system's Excel export.

One row per accounting voucher entry: the voucher number is the natural key, so importing the
same export twice changes nothing and a corrected export updates the changed rows only. The
line is found by its budget code in the year of the booking date; it must be approved. A
compressed-control line (压缩控制类) is a hard limit: a file that would take it over its
available amount is refused.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hongfan.accounts.roles import Cap
from hongfan.budget.models import BudgetLine, Expense
from hongfan.imports.framework import (
    Column,
    Counts,
    Importer,
    Row,
    bulk_write,
    changed_fields,
    date,
    decimal,
    text,
)
from hongfan.imports.registry import register


@register
class ExpenseImporter(Importer):
    kind = "budget_expenses"
    label = gettext_lazy("Budget spending (finance export)")
    description = gettext_lazy(
        "Actual spending per voucher from the finance system, booked on approved budget lines "
        "by budget code; the voucher number identifies a row, so a re-import changes nothing."
    )
    capability = Cap.BUDGET_MANAGE
    order = 400
    natural_key = ("voucher_no",)
    columns = [
        Column(
            "凭证号",
            "voucher_no",
            required=True,
            aliases=("凭证编号",),
            parse=text(40),
            example="2026-记-0001",
            as_text=True,
        ),
        Column(
            "记账日期",
            "paid_on",
            required=True,
            aliases=("日期", "支出日期"),
            parse=date(),
            example="2026-03-15",
        ),
        Column(
            "预算编码",
            "code",
            required=True,
            aliases=("预算项目编码", "项目编码"),
            parse=text(32),
            example="ZX-XNK-01",
            as_text=True,
        ),
        Column(
            "金额",
            "amount",
            required=True,
            aliases=("支出金额", "发生额"),
            parse=decimal(14, 2),
            example="12800.00",
        ),
        Column(
            "摘要", "summary", aliases=("用途",), parse=text(200), example="心内科学术会议注册费"
        ),
    ]

    def __init__(self, user: Any = None) -> None:
        super().__init__(user=user)
        self.lines: dict[tuple[int, str], BudgetLine] = {}
        self.existing: dict[str, Expense] = {}
        self.creates: list[Expense] = []
        self.updates: list[tuple[Expense, list[str]]] = []
        self.spent: dict[int, Decimal] = {}

    def prepare(self, rows: list[Row]) -> None:
        codes = {r["code"] for r in rows if r["code"]}
        for line in BudgetLine.objects.filter(code__in=codes):
            self.lines[(line.year, line.code)] = line
        vouchers = {r["voucher_no"] for r in rows if r["voucher_no"]}
        self.existing = {e.voucher_no: e for e in Expense.objects.filter(voucher_no__in=vouchers)}
        from hongfan.budget.selectors import spent_by_line

        self.spent = spent_by_line([ln.pk for ln in self.lines.values()])

    def clean_row(self, row: Row) -> None:
        if row["paid_on"] is None or not row["code"]:
            return
        line = self.lines.get((row["paid_on"].year, row["code"]))
        if line is None:
            self.error(
                row,
                "code",
                _("No budget line %(code)s in %(year)d.")
                % {"code": row["code"], "year": row["paid_on"].year},
            )
            return
        if line.status != BudgetLine.Status.APPROVED:
            self.error(
                row,
                "code",
                _("%(code)s is not approved yet (%(status)s): spending cannot be booked on it.")
                % {"code": line.code, "status": line.get_status_display()},
            )
            return
        if row["amount"] is not None and row["amount"] == 0:
            self.error(row, "amount", _("The amount cannot be zero."))
            return
        row.extra["line"] = line

    def check_file(self, rows: list[Row]) -> None:
        # Hard limit of compressed-control lines: stored spending (less the vouchers this file
        # replaces) plus the file's rows must stay within the available amount.
        delta: dict[int, Decimal] = defaultdict(Decimal)
        last_row: dict[int, Row] = {}
        for row in rows:
            line = row.extra.get("line")
            if not row.ok or line is None or line.category != BudgetLine.Category.COMPRESSED:
                continue
            old = self.existing.get(row["voucher_no"])
            if old is not None:
                delta[old.line_id] -= old.amount
            delta[line.pk] += row["amount"]
            last_row[line.pk] = row
        for pk, row in last_row.items():
            line = row.extra["line"]
            total = (self.spent.get(pk) or Decimal("0")) + delta[pk]
            if total > line.available:
                self.error(
                    row,
                    "amount",
                    _(
                        "%(code)s is a compressed-control line: spending would reach %(total)s "
                        "yuan against %(available)s yuan available. Adjust the budget first."
                    )
                    % {
                        "code": line.code,
                        "total": f"{total:,.2f}",
                        "available": f"{line.available:,.2f}",
                    },
                )

    def plan(self, rows: list[Row]) -> Counts:
        counts = Counts()
        self.creates, self.updates = [], []
        for row in rows:
            line = row.extra["line"]
            values = {
                "line_id": line.pk,
                "paid_on": row["paid_on"],
                "amount": row["amount"],
                "summary": row.get("summary", ""),
            }
            old = self.existing.get(row["voucher_no"])
            if old is None:
                self.creates.append(Expense(voucher_no=row["voucher_no"], **values))
                counts.created += 1
                continue
            changed = changed_fields(old, values)
            if changed:
                for name in changed:
                    setattr(old, name, values[name])
                self.updates.append((old, changed))
                counts.updated += 1
            else:
                counts.unchanged += 1
        return counts

    def write(self) -> None:
        bulk_write(Expense, self.creates, self.updates)
