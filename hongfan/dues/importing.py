"""Payroll and payment spreadsheets → dues assessments and payments, all or nothing.

Files are read by the project import framework (``hongfan.imports.framework.read_sheets``:
.xlsx or .csv, size limits, content sniffing). Payment sheets have fixed columns and run
through the registered ``DuesPaymentImporter`` (also offered on the imports page). A payroll
sheet has one column per pay item, which the framework's fixed-column importers cannot
declare, so its rows are applied here, each through ``dues_assess``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from hongfan.dues.importers import DuesPaymentImporter, parse_month
from hongfan.dues.services import dues_assess
from hongfan.imports.framework import FileRejected, cell_text, is_blank, read_sheets
from hongfan.party.models import PartyMember

EMPLOYEE_NO = "工号"
MONTH = "月份"
NAME = "姓名"


@dataclass
class ImportResult:
    created: int = 0
    unchanged: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def _row_error(row: int | None, message: str) -> str:
    if row is None:
        return message
    return _("Row %(row)s: %(error)s") % {"row": row, "error": message}


def read_rows(data: bytes) -> list[tuple[int, dict[str, Any]]]:
    """Return (spreadsheet row number, {header: value}) for every non-empty data row."""
    try:
        sheets = read_sheets(data)
    except FileRejected as exc:
        raise ValidationError(exc.message) from exc
    if not sheets or not sheets[0].rows:
        return []
    rows = sheets[0].rows
    header = [cell_text(h) for h in rows[0]]
    out = []
    for index, values in enumerate(rows[1:], start=2):
        if all(is_blank(v) for v in values):
            continue
        out.append((index, {h: v for h, v in zip(header, values, strict=False) if h}))
    return out


def _member(raw: dict[str, Any], members: dict[str, PartyMember]) -> PartyMember:
    no = cell_text(raw.get(EMPLOYEE_NO))
    if not no:
        raise ValidationError(_("The employee number is missing."))
    member = members.get(no)
    if member is None:
        raise ValidationError(
            _("No Party member you may manage has the employee number %(no)s.") % {"no": no}
        )
    return member


class _Rollback(Exception):
    pass


def payroll_import(*, data: bytes, members: Any) -> ImportResult:
    """Columns 工号, 月份 and one column per pay item (姓名 is ignored): assess each row."""
    result = ImportResult()
    try:
        rows = read_rows(data)
    except ValidationError as exc:
        result.errors += exc.messages
        return result
    if not rows:
        result.errors.append(_("The file has no data rows."))
        return result
    by_no = {m.staff.employee_no: m for m in members.select_related("staff", "organisation")}
    try:
        with transaction.atomic():
            for number, raw in rows:
                try:
                    with transaction.atomic():
                        items = {
                            k: v
                            for k, v in raw.items()
                            if k not in (EMPLOYEE_NO, MONTH, NAME) and not is_blank(v)
                        }
                        dues_assess(
                            member=_member(raw, by_no),
                            month=parse_month(raw.get(MONTH)),
                            pay_items=items,
                        )
                    result.created += 1
                except ValidationError as exc:
                    result.errors += [_row_error(number, m) for m in exc.messages]
            if result.errors:
                raise _Rollback
    except _Rollback:
        result.created = 0
    return result


def payment_import(*, data: bytes, members: Any, user: Any = None) -> ImportResult:
    """Columns 工号, 月份, 金额, 缴纳日期 (缴纳方式): one payment per row, settling that month.

    Runs the framework's ``DuesPaymentImporter`` restricted to ``members``.
    """
    result = ImportResult()
    importer = DuesPaymentImporter(user=user, members=members)
    try:
        sheets = read_sheets(data)
        with transaction.atomic():
            rows = importer.validate(sheets)
            if not importer.errors:
                counts = importer.apply(rows)
                result.created, result.unchanged = counts.created, counts.unchanged
    except FileRejected as exc:
        result.errors.append(exc.message)
    for e in sorted(importer.errors, key=lambda e: (e.row or 0, e.column)):
        result.errors.append(
            _row_error(e.row, f"{e.column}：{e.message}" if e.column else e.message)
        )
    if result.errors:
        result.created = result.unchanged = 0
    return result
