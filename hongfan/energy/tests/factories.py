"""Test data of energy monitoring: meters and readings built from a use profile."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from hongfan.core.testing import World
from hongfan.energy import services
from hongfan.energy.models import Meter

START = dt.date(2026, 3, 2)  # a Monday; the target Monday 2026-04-06 has four Mondays before
TARGET = dt.date(2026, 4, 6)


def meter(world: World, code: str = "M001", **kw: Any) -> Meter:
    found = Meter.objects.filter(code=code).first()
    if found:
        return found
    fields = {
        "name": "心内科病区总表",
        "scope": Meter.Scope.DEPARTMENT,
        "building": "住院部",
        "department": world.dept_a1,
    }
    fields.update(kw)
    return services.meter_save(code=code, **fields)


def profile(begin: dt.datetime) -> float:
    """Use of the interval starting at ``begin``: 1.0 kWh in the daytime, 0.5 otherwise."""
    return 1.0 if 8 <= begin.hour < 18 else 0.5


def write(
    m: Meter,
    *,
    start: dt.date = START,
    end: dt.date = TARGET + dt.timedelta(days=1),
    use: Callable[[dt.datetime], float] = profile,
    register: float = 1000.0,
) -> None:
    """Readings every 15 minutes from ``start`` 00:00 to ``end`` 05:00."""
    ts = dt.datetime.combine(start, dt.time())
    stop = dt.datetime.combine(end, dt.time(5, 0))
    rows = [(m.pk, ts, register)]
    while ts < stop:
        register += use(ts)
        ts += dt.timedelta(minutes=15)
        rows.append((m.pk, ts, register))
    services._write(rows)


def csv_bytes(rows: list[tuple[str, str, str]], header: str = "表号,时间,读数") -> bytes:
    return ("\n".join([header, *(",".join(r) for r in rows)]) + "\n").encode()
