"""Dues payment sheets through the project import framework (registered with hongfan.imports).

Each row settles one month of one member. A row is checked by running the real payment service
inside a savepoint that is rolled back, so the import applies exactly the rules of a payment
entered by hand (back-payment limit, settled month, amount due, temporary branch…). A row whose
month is already settled by the same amount on the same day is unchanged, so importing the
same file twice changes nothing.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hongfan.dues.models import DuesAssessment, DuesPayment
from hongfan.dues.services import dues_pay
from hongfan.imports.framework import (
    HEADER_ROW_HELP,
    Column,
    Counts,
    Importer,
    Row,
    cell_text,
    choice,
    date,
    decimal,
    text,
)
from hongfan.imports.registry import register
from hongfan.party.models import PartyMember

METHODS = {
    "银行转账": DuesPayment.Method.TRANSFER,
    "转账": DuesPayment.Method.TRANSFER,
    "工资代扣": DuesPayment.Method.PAYROLL,
    "代扣": DuesPayment.Method.PAYROLL,
    "现金": DuesPayment.Method.CASH,
    "线上缴纳": DuesPayment.Method.ONLINE,
    "线上": DuesPayment.Method.ONLINE,
}


def parse_month(value: Any) -> dt.date:
    """Read a month cell: a date, 2026-03, 2026/3 or 2026年3月."""
    if isinstance(value, dt.datetime | dt.date):
        return dt.date(value.year, value.month, 1)
    raw = cell_text(value)
    m = re.fullmatch(r"\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?\s*(?:[-/.]\s*\d{1,2}\s*日?)?\s*", raw)
    if not m or not 1 <= int(m.group(2)) <= 12:
        raise ValidationError(_("“%(value)s” is not a month (e.g. 2026-03).") % {"value": raw})
    return dt.date(int(m.group(1)), int(m.group(2)), 1)


class _Probe(Exception):
    """Raised to roll back the savepoint of a trial payment."""


@dataclass
class _Planned:
    member: PartyMember
    month: dt.date
    amount: Decimal
    paid_on: dt.date
    method: str


@register
class DuesPaymentImporter(Importer):
    kind = "dues_payments"
    label = gettext_lazy("Party dues payments")
    description = HEADER_ROW_HELP
    natural_key = ("employee_no", "month")
    order = 80
    columns = [
        Column(
            "工号", "employee_no", required=True, parse=text(32), example="Z00001", as_text=True
        ),
        Column("姓名", "name", parse=text(50), example="张三"),
        Column("月份", "month", required=True, parse=parse_month, example="2026-03", as_text=True),
        Column("金额", "amount", required=True, parse=decimal(10, 2), example="45.00"),
        Column("缴纳日期", "paid_on", required=True, parse=date(), example="2026-03-15"),
        Column("缴纳方式", "method", aliases=("方式",), parse=choice(METHODS), example="银行转账"),
    ]

    def __init__(self, user: Any = None, members: QuerySet[PartyMember] | None = None) -> None:
        super().__init__(user=user)
        self.members = members
        self.planned: list[_Planned] = []
        self.by_no: dict[str, PartyMember] = {}
        self.settled: dict[tuple[int, dt.date], DuesPayment] = {}

    def _member_scope(self) -> QuerySet[PartyMember]:
        if self.members is not None:
            return self.members
        if self.user is None:
            return PartyMember.objects.filter(status=PartyMember.Status.NORMAL)
        from hongfan.dues.selectors import members_visible_to

        return members_visible_to(self.user)

    def prepare(self, rows: list[Row]) -> None:
        nos = {r["employee_no"] for r in rows if r["employee_no"]}
        self.by_no = {
            m.staff.employee_no: m
            for m in self._member_scope()
            .filter(staff__employee_no__in=nos)
            .select_related("staff", "organisation")
        }
        months = {r["month"] for r in rows if r["month"]}
        for a in DuesAssessment.objects.filter(
            member__in=self.by_no.values(), month__in=months, payment__isnull=False
        ).select_related("payment"):
            self.settled[(a.member_id, a.month)] = a.payment  # type: ignore[assignment]

    def clean_row(self, row: Row) -> None:
        member = self.by_no.get(row["employee_no"])
        if member is None:
            self.error(
                row,
                "employee_no",
                _("No Party member you may manage has the employee number %(no)s.")
                % {"no": row["employee_no"]},
            )
            return
        paid = self.settled.get((member.pk, row["month"]))
        if paid and paid.amount == row["amount"] and paid.paid_on == row["paid_on"]:
            row.extra["unchanged"] = True
            return
        method = row["method"] or DuesPayment.Method.TRANSFER
        try:
            with transaction.atomic():
                dues_pay(
                    member=member,
                    first_month=row["month"],
                    amount=row["amount"],
                    paid_on=row["paid_on"],
                    method=method,
                )
                raise _Probe
        except _Probe:
            pass
        except ValidationError as exc:
            self.error_from(row, "month", exc)
            return
        row.extra["planned"] = _Planned(member, row["month"], row["amount"], row["paid_on"], method)

    def plan(self, rows: list[Row]) -> Counts:
        self.planned = [r.extra["planned"] for r in rows if "planned" in r.extra]
        return Counts(created=len(self.planned), unchanged=len(rows) - len(self.planned))

    def write(self) -> None:
        for p in self.planned:
            dues_pay(
                member=p.member,
                first_month=p.month,
                amount=p.amount,
                paid_on=p.paid_on,
                method=p.method,
                user=self.user,
            )
