"""Synthetic 15-minute readings for the demo and the benchmark, with planted anomalies.

Each meter has a base load, a daytime shape (higher 08:00–18:00), a weekend dip and noise;
the register is the running sum of the interval use. Anomalies are planted on chosen days:
a day of use well above the baseline, a night with the daytime load left on, a one-interval
spike. Written month by month into the analytic store (``energy_readings``).
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from hongfan.core import analytics
from hongfan.energy.detection import DATASET, PARTITION, READINGS_SCHEMA

STEP = np.timedelta64(15, "m")


@dataclass(frozen=True)
class Plant:
    meter_id: int
    kind: str  # above_baseline | night_load | spike
    day: dt.date


def _months(start: dt.date, end: dt.date) -> Iterable[tuple[dt.date, dt.date]]:
    d = start.replace(day=1)
    while d <= end:
        last = d.replace(day=calendar.monthrange(d.year, d.month)[1])
        yield max(d, start), min(last, end)
        d = last + dt.timedelta(days=1)


def generate(
    meter_ids: list[int],
    *,
    start: dt.date,
    end: dt.date,
    plants: list[Plant] = (),  # type: ignore[assignment]
    seed: int = 1,
    base_kwh: dict[int, float] | None = None,
) -> int:
    """Write readings at every 15 minutes from ``start`` 00:15 to ``end`` + 1 day 00:00.

    Returns the number of rows written."""
    rng = np.random.default_rng(seed)
    ids = np.asarray(meter_ids, dtype=np.int32)
    m = len(ids)
    base = np.array([(base_kwh or {}).get(int(i), rng.uniform(2, 40)) for i in ids])
    register = rng.uniform(1000, 90000, size=m).round(2)
    by_day: dict[dt.date, list[Plant]] = {}
    for p in plants:
        by_day.setdefault(p.day, []).append(p)
    index = {int(i): k for k, i in enumerate(ids)}
    tail = np.full((m, 5), np.nan)  # the last five readings of the previous month
    total = 0
    for first, last in _months(start, end):
        days = (last - first).days + 1
        n = days * 96
        begin = np.datetime64(dt.datetime.combine(first, dt.time())) + np.arange(n) * STEP
        hours = (begin.astype("datetime64[h]") - begin.astype("datetime64[D]")).astype(int)
        dates = begin.astype("datetime64[D]")
        weekday = (dates.astype(int) + 3) % 7  # 1970-01-01 was a Thursday
        minutes = hours * 60 + (
            (begin.astype("datetime64[m]") - begin.astype("datetime64[h]")).astype(int)
        )
        # Low at night, ramping up 06:00–08:00 and down 18:00–21:00 (no false spikes).
        up = np.clip((minutes - 360) / 120, 0, 1)
        down = np.clip((1260 - minutes) / 180, 0, 1)
        shape = 0.35 + 0.65 * np.minimum(up, down)
        shape = shape * np.where(weekday >= 5, 0.8, 1.0)
        usage = base[:, None] * shape[None, :] * rng.normal(1.0, 0.04, size=(m, n))
        usage = np.clip(usage, 0.01, None)
        for offset in range(days):
            day = first + dt.timedelta(days=offset)
            for p in by_day.get(day, []):
                k = index.get(p.meter_id)
                if k is None:
                    continue
                lo = offset * 96
                if p.kind == "above_baseline":
                    usage[k, lo : lo + 96] *= 1.6
                elif p.kind == "night_load":
                    # the night after ``day``: 23:00 to 05:00 at the daytime load
                    a, b = lo + 92, min(lo + 116, n)
                    usage[k, a:b] = base[k] * 1.0
                elif p.kind == "spike":
                    usage[k, lo + 44] = base[k] * 8  # 11:00–11:15
        usage = usage.round(3)
        readings = (register[:, None] + np.cumsum(usage, axis=1)).round(3)
        register = readings[:, -1]
        # Derived columns exactly as ``detection.derive`` computes them from the readings.
        full = np.concatenate([tail, readings], axis=1)
        interval_use = full[:, 5:] - full[:, 4:-1]
        prev_hour = full[:, 4:-1] - full[:, :-5]
        tail = full[:, -5:]
        ts = begin + STEP  # a reading closes its interval
        table = pa.table(
            {
                "meter_id": pa.array(np.repeat(ids, n), pa.int32()),
                "ts": pa.array(np.tile(ts.astype("datetime64[us]"), m), pa.timestamp("us")),
                "reading": pa.array(readings.reshape(-1), pa.float64()),
                "usage": pa.array(interval_use.reshape(-1), pa.float64(), from_pandas=True),
                "prev_hour": pa.array(prev_hour.reshape(-1), pa.float64(), from_pandas=True),
            },
            schema=READINGS_SCHEMA,
        )
        _write_month(table, first)
        total += table.num_rows
    return total


def _write_month(table: pa.Table, first: dt.date) -> None:
    """Write a month (readings of its last day's midnight belong to the next day's month)."""
    import pyarrow.compute as pc

    months = pc.strftime(table["ts"], format="%Y-%m")
    for value in pc.unique(months).to_pylist():
        part = table.filter(pc.equal(months, value))
        existing = analytics.read_partition(DATASET, PARTITION, value)
        if existing is not None:
            part = pa.concat_tables(
                [existing.select(part.column_names).cast(READINGS_SCHEMA), part]
            )
        analytics.write_partition(DATASET, PARTITION, value, part)


def purge_meters(meter_ids: list[int]) -> None:
    """Remove every stored reading of ``meter_ids`` (before the demo writes them again)."""
    import pyarrow.compute as pc

    ids = pa.array(sorted(meter_ids), pa.int32())
    for month in analytics.partitions(DATASET):
        t = analytics.read_partition(DATASET, PARTITION, month)
        if t is None:
            continue
        keep = t.filter(pc.invert(pc.is_in(t["meter_id"], ids)))
        if keep.num_rows == t.num_rows:
            continue
        if keep.num_rows:
            analytics.write_partition(DATASET, PARTITION, month, keep)
        else:
            analytics.drop_partition(DATASET, PARTITION, month)
