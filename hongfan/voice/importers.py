"""Import the discharge list (出院名单) that quarterly follow-up samples are drawn from.

Natural key: 住院号 + 出院日期, so importing the same export of the hospital information
system twice changes nothing. Unknown departments, impossible dates (discharge in the future,
before admission or before birth) and phone numbers that are not mainland numbers are
refused row by row; one bad row imports nothing.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hongfan.accounts.roles import Cap
from hongfan.imports.framework import (
    Column,
    Counts,
    Importer,
    Row,
    boolean,
    bulk_write,
    changed_fields,
    date,
    text,
)
from hongfan.imports.registry import register
from hongfan.org.models import Department
from hongfan.voice.models import Discharge
from hongfan.voice.services import clean_phone


def phone(value: Any) -> str:
    raw = "" if value is None else str(value).strip()
    if raw.endswith(".0"):
        raw = raw[:-2]
    try:
        return clean_phone(raw)
    except ValidationError as exc:
        raise ValidationError(exc.message_dict["phone"]) from None


@register
class DischargeImporter(Importer):
    kind = "voice_discharges"
    label = gettext_lazy("Discharge list")
    description = gettext_lazy(
        "Discharged inpatients exported from the hospital information system; quarterly "
        "follow-up samples are drawn from this list."
    )
    capability = Cap.VOICE_MANAGE
    order = 400
    natural_key = ("inpatient_no", "discharged_on")
    columns = [
        Column(
            "住院号",
            "inpatient_no",
            required=True,
            parse=text(32),
            example="ZY2026000123",
            as_text=True,
        ),
        Column(
            "科室",
            "department",
            required=True,
            aliases=("出院科室", "科室编码"),
            parse=text(100),
            example="心内科",
        ),
        Column(
            "姓名", "name", required=True, aliases=("患者姓名",), parse=text(40), example="张三"
        ),
        Column(
            "联系电话",
            "phone",
            aliases=("手机号", "电话"),
            parse=phone,
            example="13800138000",
            as_text=True,
        ),
        Column("出生日期", "birth_date", required=True, parse=date(), example="1968-05-12"),
        Column("入院日期", "admitted_on", parse=date(), example="2026-07-01"),
        Column("出院日期", "discharged_on", required=True, parse=date(), example="2026-07-08"),
        Column("院内死亡", "deceased", parse=boolean(), example="否"),
        Column("拒绝随访", "opted_out", parse=boolean(), example="否"),
    ]

    def __init__(self, user: Any = None) -> None:
        super().__init__(user=user)
        self.departments: dict[str, Department] = {}
        self.existing: dict[tuple[str, Any], Discharge] = {}
        self.creates: list[Discharge] = []
        self.updates: list[tuple[Discharge, list[str]]] = []

    def prepare(self, rows: list[Row]) -> None:
        for d in Department.objects.all():
            self.departments.setdefault(d.code, d)
            self.departments.setdefault(d.name, d)
        nos = {r["inpatient_no"] for r in rows if r["inpatient_no"]}
        self.existing = {
            (d.inpatient_no, d.discharged_on): d
            for d in Discharge.objects.filter(inpatient_no__in=nos)
        }

    def clean_row(self, row: Row) -> None:
        dept = self.departments.get(row["department"] or "")
        if dept is None:
            self.error(row, "department", _("No department “%(d)s”.") % {"d": row["department"]})
            return
        today = timezone.localdate()
        out, born, adm = row["discharged_on"], row["birth_date"], row["admitted_on"]
        if out > today:
            self.error(row, "discharged_on", _("The discharge date cannot be in the future."))
            return
        if adm is not None and adm > out:
            self.error(row, "admitted_on", _("The admission date is after the discharge date."))
            return
        if born > (adm or out):
            self.error(row, "birth_date", _("The date of birth is after the hospital stay."))
            return
        values = {
            "department": dept,
            "name": row["name"],
            "phone": row["phone"] or "",
            "birth_date": born,
            "admitted_on": adm,
            "deceased": bool(row["deceased"]),
            "opted_out": bool(row["opted_out"]),
        }
        existing = self.existing.get((row["inpatient_no"], out))
        if existing is None:
            row.extra["create"] = Discharge(
                inpatient_no=row["inpatient_no"], discharged_on=out, **values
            )
            return
        changed = changed_fields(existing, values)
        if not changed:
            row.extra["unchanged"] = True
            return
        for k in changed:
            setattr(existing, k, values[k])
        row.extra["update"] = (existing, changed)

    def plan(self, rows: list[Row]) -> Counts:
        self.creates = [r.extra["create"] for r in rows if "create" in r.extra]
        self.updates = [r.extra["update"] for r in rows if "update" in r.extra]
        return Counts(
            created=len(self.creates),
            updated=len(self.updates),
            unchanged=sum(1 for r in rows if r.extra.get("unchanged")),
        )

    def write(self) -> None:
        bulk_write(Discharge, self.creates, self.updates)
