"""Hand-built prescriptions for rule edge tests (written straight into the analytic store)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pyarrow as pa

from hongfan.clinical import generator, schema
from hongfan.clinical.engine import arrow_schema
from hongfan.core import analytics

DAY = dt.date(2026, 1, 15)


class Hospital:
    """Collects prescriptions, diagnoses, discharges, consumables and claims, then stores them."""

    def __init__(self) -> None:
        self.lines: list[dict[str, Any]] = []
        self.diagnoses: list[dict[str, Any]] = []
        self.discharges: list[dict[str, Any]] = []
        self.consumables: list[dict[str, Any]] = []
        self.claims: list[dict[str, Any]] = []
        self._n = 0

    def rx(
        self,
        drugs: list[str | tuple[str, int]],
        *,
        visit_type: str = "outpatient",
        icd: str | None = "I10",
        dept: str = "NK01",
        doctor: str = "D1",
        age: tuple[int | None, int | None, int | None] = (40, None, None),
        reason: str = "",
        frequency: str = "每日一次",
        names: dict[int, str] | None = None,
        day: dt.date = DAY,
        rx_no: str | None = None,
        visit_no: str | None = None,
    ) -> str:
        """A prescription of ``drugs`` (code, or (code, days)); returns its number."""
        self._n += 1
        rx_no = rx_no or f"R{self._n:04d}"
        visit_no = visit_no or f"V{self._n:04d}"
        info = {d[0]: d for d in generator.DRUGS}
        for i, d in enumerate(drugs, start=1):
            code, days = (d, 3) if isinstance(d, str) else d
            self.lines.append(
                {
                    "rx_no": rx_no,
                    "line_no": i,
                    "visit_no": visit_no,
                    "visit_type": visit_type,
                    "rx_date": day,
                    "dept_code": dept,
                    "doctor_no": doctor,
                    "patient_id": f"P{self._n}",
                    "age_years": age[0],
                    "age_months": age[1],
                    "age_days": age[2],
                    "long_supply_reason": reason,
                    "drug_code": code,
                    "drug_name": (names or {}).get(i, info[code][1]),
                    "dose": 1.0,
                    "dose_unit": "g",
                    "frequency": frequency,
                    "days": days,
                    "route": info[code][7],
                    "quantity": float(days),
                    "amount": 10.0 * days,
                    "month": day.strftime("%Y-%m"),
                }
            )
        if icd:
            self.diagnoses.append(
                {
                    "visit_no": visit_no,
                    "seq": 1,
                    "icd_code": icd,
                    "diag_name": icd,
                    "diag_date": day,
                    "month": day.strftime("%Y-%m"),
                }
            )
        return rx_no

    def store(self) -> None:
        analytics.write_partition("drugs", schema.SNAPSHOT, schema.CURRENT, generator.drug_table())
        for name, rows in (
            ("prescriptions", self.lines),
            ("diagnoses", self.diagnoses),
            ("discharges", self.discharges),
            ("consumables", self.consumables),
            ("claims", self.claims),
        ):
            by_month: dict[str, list[dict[str, Any]]] = {}
            for r in rows:
                by_month.setdefault(r["month"], []).append(r)
            sch = arrow_schema(name, with_partition=False)
            for month, rs in by_month.items():
                t = pa.Table.from_pylist(
                    [{k: v for k, v in r.items() if k != "month"} for r in rs], schema=sch
                )
                analytics.write_partition(name, schema.MONTH, month, t)


def screen(params: dict[str, Any] | None = None) -> set[tuple[str, str]]:
    from hongfan.clinical import engine, rules

    _con, t = engine.tables()
    found, _ind = rules.evaluate(t, params)
    return set(zip(found["rx_no"], found["rule_code"], strict=True))
