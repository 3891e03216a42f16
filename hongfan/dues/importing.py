"""Payroll and payment spreadsheets → dues assessments and payments, all or nothing.

Reading goes through ``read_rows`` only. The project import framework
(``hongfan.imports.framework``) was still being built when this was written and its importers
declare fixed columns, whereas a payroll sheet has one column per pay item; switch
``read_rows`` to ``framework.read_sheets`` once that is settled (tracked in docs/apps/dues.md).
"""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from hongfan.dues.models import DuesPayment
from hongfan.dues.services import dues_assess, dues_pay
from hongfan.party.models import PartyMember

EMPLOYEE_NO = "工号"
MONTH = "月份"
AMOUNT = "金额"
PAID_ON = "缴纳日期"
NAME = "姓名"


@dataclass
class ImportResult:
    created: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def read_rows(data: bytes) -> list[tuple[int, dict[str, Any]]]:
    """Return (spreadsheet row number, {header: value}) for every non-empty data row."""
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:
        raise ValidationError(_("The file is not an Excel workbook (.xlsx).")) from exc
    ws = wb.worksheets[0]
    rows = ws.iter_rows(values_only=True)
    header = [str(h).strip() if h is not None else "" for h in next(rows, [])]
    out = []
    for number, values in enumerate(rows, start=2):
        if all(v is None or str(v).strip() == "" for v in values):
            continue
        out.append((number, {h: v for h, v in zip(header, values, strict=False) if h}))
    wb.close()
    return out


def _month(value: Any) -> dt.date:
    if isinstance(value, dt.datetime | dt.date):
        return dt.date(value.year, value.month, 1)
    m = re.fullmatch(r"\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?\s*", str(value or ""))
    if not m or not 1 <= int(m.group(2)) <= 12:
        raise ValidationError(_("“%(value)s” is not a month (e.g. 2026-03).") % {"value": value})
    return dt.date(int(m.group(1)), int(m.group(2)), 1)


def _date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip().replace("/", "-"))
    except ValueError as exc:
        raise ValidationError(
            _("“%(value)s” is not a date (e.g. 2026-03-15).") % {"value": value}
        ) from exc


def _amount(value: Any) -> Decimal:
    try:
        return Decimal(str(value).strip())
    except (InvalidOperation, AttributeError) as exc:
        raise ValidationError(_("“%(value)s” is not an amount.") % {"value": value}) from exc


def _member(raw: dict[str, Any], members: dict[str, PartyMember]) -> PartyMember:
    no = str(raw.get(EMPLOYEE_NO) or "").strip()
    if not no:
        raise ValidationError(_("The employee number is missing."))
    member = members.get(no)
    if member is None:
        raise ValidationError(
            _("No Party member you may manage has the employee number %(no)s.") % {"no": no}
        )
    return member


def _run(data: bytes, members: Any, handle: Any) -> ImportResult:
    """Apply ``handle`` to every row inside one transaction; roll back on any error."""
    result = ImportResult()
    rows = read_rows(data)
    if not rows:
        result.errors.append(_("The file has no data rows."))
        return result
    by_no = {m.staff.employee_no: m for m in members.select_related("staff", "organisation")}
    try:
        with transaction.atomic():
            for number, raw in rows:
                try:
                    with transaction.atomic():
                        handle(raw, _member(raw, by_no))
                    result.created += 1
                except ValidationError as exc:
                    result.errors += [
                        _("Row %(row)s: %(error)s") % {"row": number, "error": m}
                        for m in exc.messages
                    ]
            if result.errors:
                raise _Rollback
    except _Rollback:
        result.created = 0
    return result


class _Rollback(Exception):
    pass


def payroll_import(*, data: bytes, members: Any) -> ImportResult:
    """Columns 工号, 月份 and one column per pay item (姓名 is ignored): assess each row."""

    def handle(raw: dict[str, Any], member: PartyMember) -> None:
        items = {
            k: v
            for k, v in raw.items()
            if k not in (EMPLOYEE_NO, MONTH, NAME) and v not in (None, "")
        }
        dues_assess(member=member, month=_month(raw.get(MONTH)), pay_items=items)

    return _run(data, members, handle)


def payment_import(*, data: bytes, members: Any, user: Any = None) -> ImportResult:
    """Columns 工号, 月份, 金额, 缴纳日期: one payment per row, settling that month."""

    def handle(raw: dict[str, Any], member: PartyMember) -> None:
        dues_pay(
            member=member,
            first_month=_month(raw.get(MONTH)),
            amount=_amount(raw.get(AMOUNT)),
            paid_on=_date(raw.get(PAID_ON)),
            method=DuesPayment.Method.TRANSFER,
            user=user,
        )

    return _run(data, members, handle)
