"""The department performance sheet (科室绩效指标表) for performance distribution.

Reads every department indicator registered with ``hongfan.scoring.indicators`` (patient
satisfaction, verified complaints, prescribing indicators, budget execution …) and the
department red-flag score of the scoring app. A figure a source does not provide — no provider
registered, ``None`` from the provider, or the red-flag selector not available — is shown as
"—" and exported as an empty cell with the reason in the notes, never as zero.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hongfan.org.models import Department
from hongfan.scoring import indicators

log = logging.getLogger(__name__)

# The indicators the sheet always shows (with "—" if nobody provides them yet), in order;
# any other registered indicator follows.
EXPECTED = (
    ("voice.satisfaction", gettext_lazy("Patient satisfaction"), "%"),
    ("voice.complaints_verified", gettext_lazy("Verified complaints"), ""),
    ("budget.execution_rate", gettext_lazy("Budget execution rate"), "%"),
)
RED_FLAG = "scoring.red_flag"


@dataclass
class Column:
    key: str
    label: str
    unit: str
    available: bool


@dataclass
class Sheet:
    start: dt.date
    end: dt.date
    columns: list[Column]
    rows: list[tuple[Department, list[Decimal | None]]]
    notes: list[str] = field(default_factory=list)


def quarter_of(day: dt.date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3 + 1


def _red_flag(end: dt.date) -> dict[int, Decimal | None] | None:
    """Department red-flag scores of the quarter containing ``end`` (the red flag is awarded
    quarterly), or None when the scoring app cannot give them."""
    try:
        from hongfan.scoring import selectors
    except ImportError:  # pragma: no cover - the app is always installed
        return None
    fn = getattr(selectors, "red_flag_scores", None)
    if fn is None:
        return None
    try:
        result = fn(quarter_of(end))
    except Exception:  # a source's failure must not break the sheet
        log.exception("red_flag_scores failed")
        return None
    out: dict[int, Decimal | None] = {}
    for key, row in (result or {}).items():
        value = getattr(row, "score", row)
        out[int(key)] = None if value is None else Decimal(str(value))
    return out


def performance_sheet(*, start: dt.date, end: dt.date, departments: list[Department]) -> Sheet:
    ids = {d.pk for d in departments}
    registered = {i.key: i for i in indicators.available()}
    keys: list[tuple[str, str, str]] = [(k, str(lbl), u) for k, lbl, u in EXPECTED]
    keys += [
        (k, str(i.label), i.unit)
        for k, i in sorted(registered.items())
        if k not in {e[0] for e in EXPECTED}
    ]
    columns: list[Column] = []
    values: list[dict[int, Decimal | None]] = []
    notes: list[str] = []
    for key, label, unit in keys:
        ind = registered.get(key)
        if ind is None:
            columns.append(Column(key, label, unit, False))
            values.append({})
            notes.append(_("%(label)s: no module provides this figure yet.") % {"label": label})
            continue
        try:
            vals = indicators.department_values(key, start=start, end=end, department_ids=ids)
        except Exception:  # one failing source must not hide the others
            log.exception("indicator %s failed", key)
            vals = {}
            notes.append(_("%(label)s: the source failed; shown as “—”.") % {"label": label})
        columns.append(Column(key, str(ind.label), ind.unit, True))
        values.append(vals)
    flags = _red_flag(end)
    year, quarter = quarter_of(end)
    columns.append(
        Column(
            RED_FLAG,
            _("Red-flag score (%(year)d Q%(quarter)d)") % {"year": year, "quarter": quarter},
            "",
            flags is not None,
        )
    )
    values.append(flags or {})
    if flags is None:
        notes.append(_("Red-flag score: the scoring app gives no scores for this quarter."))
    rows = [(d, [v.get(d.pk) for v in values]) for d in departments]
    return Sheet(start, end, columns, rows, notes)
