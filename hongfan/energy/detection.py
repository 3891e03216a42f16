"""Alarm detection over the meter readings, written once as Ibis expressions (run on DuckDB).

Rules (thresholds per meter, see ``models.Meter``); an *interval* is the 15 minutes ending at
a reading, its use the difference to the reading 15 minutes earlier (intervals after a gap in
the readings are left out), dated by its start time:

* **above baseline** — a complete day's use (96 intervals) strictly above the baseline by more
  than ``margin_percent``: ``use × 100 > baseline × (100 + margin)``. The baseline is the mean
  use of the same weekday over the previous four complete weeks' days with data (all four are
  needed; a meter with less history raises no such alarm).
* **night-time load** — the mean interval use of the night (intervals starting 23:00 to 04:45,
  the night following day D is dated D) strictly above ``night_ratio_percent`` of the mean
  interval use of D's daytime (intervals starting 08:00 to 17:45); both windows complete.
* **sudden spike** — an interval's use strictly above ``spike_factor`` × the mean of the four
  intervals before it (all contiguous, mean above zero) and at least ``spike_min_kwh``; one
  alarm per meter and day, the strongest spike, with the number of spikes that day.

``detect`` returns one row per alarm: meter_id, kind, day, at, value, reference, limit, count.
``detect_pandas`` is the same detection written in pandas (benchmark baseline and a test that
both agree).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pyarrow as pa

from hongfan.core import analytics

DATASET = "energy_readings"
PARTITION = "month"
INTERVAL = dt.timedelta(minutes=15)
NIGHT_HOURS = (23, 0, 1, 2, 3, 4)
DAY_HOURS = (8, 18)  # [08:00, 18:00)
BASELINE_WEEKS = 4
SPIKE_WINDOW = 4
PER_DAY = 96
NIGHT_INTERVALS = 24
DAY_INTERVALS = 40

READINGS_SCHEMA = pa.schema(
    [
        ("meter_id", pa.int32()),
        ("ts", pa.timestamp("us")),
        ("reading", pa.float64()),
        # Derived once when the readings are written (see ``derive``): the interval's use
        # (null after a gap) and the use of the hour before the interval (null unless the
        # five readings before are contiguous).
        ("usage", pa.float64()),
        ("prev_hour", pa.float64()),
    ]
)
PARAMS_SCHEMA = pa.schema(
    [
        ("meter_id", pa.int32()),
        ("margin", pa.float64()),
        ("night_ratio", pa.float64()),
        ("spike_factor", pa.float64()),
        ("spike_min", pa.float64()),
    ]
)
ALARM_COLUMNS = ("meter_id", "kind", "day", "at", "value", "reference", "limit", "count")


def window_bounds(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """Readings needed to judge days ``start``..``end`` (baseline weeks, the last night)."""
    lo = dt.datetime.combine(start - dt.timedelta(weeks=BASELINE_WEEKS), dt.time()) - INTERVAL
    hi = dt.datetime.combine(end + dt.timedelta(days=1), dt.time(5, 0))
    return lo, hi


def derive(table: pa.Table) -> pa.Table:
    """Return ``table`` (meter_id, ts, reading) sorted, with ``usage`` and ``prev_hour``.

    Rows of other months given as context come back too; the caller slices them off."""
    import numpy as np

    t = table.select(["meter_id", "ts", "reading"]).sort_by(
        [("meter_id", "ascending"), ("ts", "ascending")]
    )
    meter = t["meter_id"].to_numpy()
    ts = t["ts"].cast(pa.int64()).to_numpy()
    reading = t["reading"].to_numpy()
    n = len(reading)
    usage = np.full(n, np.nan)
    prev_hour = np.full(n, np.nan)
    step = INTERVAL.seconds * 1_000_000
    if n > 1:
        ok = (meter[1:] == meter[:-1]) & (ts[1:] - ts[:-1] == step)
        usage[1:] = np.where(ok, reading[1:] - reading[:-1], np.nan)
    k = SPIKE_WINDOW + 1  # the five readings i-5 .. i-1 span the hour before interval i
    if n > k:
        ok = (meter[k:] == meter[:-k]) & (ts[k:] - ts[:-k] == k * step)
        prev_hour[k:] = np.where(ok, reading[k - 1 : -1] - reading[:-k], np.nan)
    return pa.table(
        {
            "meter_id": t["meter_id"],
            "ts": t["ts"],
            "reading": t["reading"],
            "usage": pa.array(usage, pa.float64(), from_pandas=True),
            "prev_hour": pa.array(prev_hour, pa.float64(), from_pandas=True),
        },
        schema=READINGS_SCHEMA,
    )


def configure(con: Any, *, memory_limit: str = "", threads: int = 0) -> None:
    if memory_limit:
        con.raw_sql(f"SET memory_limit='{memory_limit}'")
    if threads:
        con.raw_sql(f"SET threads={int(threads)}")
    con.raw_sql("SET preserve_insertion_order=false")


def _days(con: Any, start: dt.date, end: dt.date, p: Any, meter_ids: list[int] | None) -> Any:
    """One pass over the readings: per meter and day, the sums the three rules need."""
    import ibis

    t = analytics.table(con, DATASET)
    lo, hi = window_bounds(start, end)
    if meter_ids is not None:
        t = t.filter(t.meter_id.isin(meter_ids))
    t = t.filter(
        t[PARTITION] >= lo.strftime("%Y-%m"),
        t[PARTITION] <= hi.strftime("%Y-%m"),
        t.ts > lo,
        t.ts <= hi,
    )
    t = t.join(p, "meter_id")
    begin = t.ts - ibis.interval(minutes=15)
    hour = begin.hour()
    u = t.usage
    spike = (
        u.notnull()
        & (t.prev_hour > 0)
        & (u >= t.spike_min)
        & (u * SPIKE_WINDOW > t.spike_factor * t.prev_hour)
    )
    # The ratio of spikes only (null elsewhere): arg_max skips nulls, no ordered aggregate.
    ratio = ibis.ifelse(spike, u * SPIKE_WINDOW / t.prev_hour, ibis.null("float64"))
    eve, morn = hour == NIGHT_HOURS[0], hour < NIGHT_HOURS[-1] + 1
    daytime = (hour >= DAY_HOURS[0]) & (hour < DAY_HOURS[1])
    return t.group_by(t.meter_id, day=begin.date()).agg(
        use=u.sum(),
        n=u.count(),
        eve=u.sum(where=eve),
        eve_n=u.count(where=eve),
        morn=u.sum(where=morn),
        morn_n=u.count(where=morn),
        day_use=u.sum(where=daytime),
        day_n=u.count(where=daytime),
        spikes=u.count(where=spike),
        s_at=t.ts.argmax(ratio),
        s_value=u.argmax(ratio),
        s_ref=(t.prev_hour / SPIKE_WINDOW).argmax(ratio),
    )


def detect(
    con: Any, *, start: dt.date, end: dt.date, params: pa.Table, only_params: bool = False
) -> pa.Table:
    """Every alarm of days ``start``..``end`` (inclusive) as an Arrow table; with
    ``only_params`` the readings of the meters in ``params`` only are read."""
    import ibis

    if not analytics.partitions(DATASET):
        return pa.table({c: [] for c in ALARM_COLUMNS})
    p = ibis.memtable(params.cast(PARAMS_SCHEMA))
    ids = params.column("meter_id").to_pylist() if only_params else None
    # The per-day table is small (meters × days): computed once, then read three times.
    d = ibis.memtable(_days(con, start, end, p, ids).to_pyarrow())
    d = d.join(p, "meter_id")
    in_range = d.day.between(start, end)
    # Above baseline: complete days against the same weekday of the previous four weeks.
    full = d.filter(d.n == PER_DAY)
    wb = ibis.window(
        group_by=[full.meter_id, full.day.day_of_week.index()],
        order_by=full.day,
        rows=(-BASELINE_WEEKS, -1),
    )
    full = full.mutate(base=full.use.mean().over(wb), base_n=full.use.count().over(wb))
    full = full.filter(full.day.between(start, end), full.base_n == BASELINE_WEEKS)
    above = full.filter(full.use * 100 > full.base * (100 + full.margin)).select(
        "meter_id",
        kind=ibis.literal("above_baseline"),
        day=full.day,
        at=ibis.null("timestamp"),
        value=full.use,
        reference=full.base,
        limit=full.base * (100 + full.margin) / 100,
        count=ibis.literal(1, "int64"),
    )
    # Night-time load: the evening of D and the early morning of D + 1 against D's daytime.
    wn = ibis.window(group_by=d.meter_id, order_by=d.day)
    n = d.mutate(
        next_day=d.day.lead().over(wn),
        next_morn=d.morn.lead().over(wn),
        next_morn_n=d.morn_n.lead().over(wn),
    )
    n = n.filter(
        n.day.between(start, end),
        n.next_day == n.day + ibis.interval(days=1),
        n.eve_n + n.next_morn_n == NIGHT_INTERVALS,
        n.day_n == DAY_INTERVALS,
    )
    night_mean = (n.eve + n.next_morn) / NIGHT_INTERVALS
    day_mean = n.day_use / DAY_INTERVALS
    n = n.mutate(night_mean=night_mean, day_mean=day_mean)
    n = n.filter(n.night_mean * 100 > n.day_mean * n.night_ratio)
    nights = n.select(
        "meter_id",
        kind=ibis.literal("night_load"),
        day=n.day,
        at=ibis.null("timestamp"),
        value=n.night_mean,
        reference=n.day_mean,
        limit=n.day_mean * n.night_ratio / 100,
        count=ibis.literal(1, "int64"),
    )
    # Sudden spikes: the strongest of the day.
    s = d.filter(in_range, d.spikes > 0)
    spikes = s.select(
        "meter_id",
        kind=ibis.literal("spike"),
        day=s.day,
        at=s.s_at.cast("timestamp"),
        value=s.s_value,
        reference=s.s_ref,
        limit=s.s_ref * s.spike_factor,
        count=s.spikes,
    )
    return above.union(nights).union(spikes).to_pyarrow()


def detect_pandas(readings: Any, *, start: dt.date, end: dt.date, params: Any) -> Any:
    """The same detection in pandas over a DataFrame of the stored columns."""
    import numpy as np
    import pandas as pd

    lo, hi = window_bounds(start, end)
    df = readings[(readings.ts > lo) & (readings.ts <= hi)]
    df = df.merge(params, on="meter_id")
    begin = df.ts - pd.Timedelta(INTERVAL)
    hour = begin.dt.hour
    u = df.usage
    spike = (
        u.notna()
        & (df.prev_hour > 0)
        & (u >= df.spike_min)
        & (u * SPIKE_WINDOW > df.spike_factor * df.prev_hour)
    )
    frame = pd.DataFrame(
        {
            "meter_id": df.meter_id,
            "day": begin.dt.date,
            "use": u,
            "eve": u.where(hour == NIGHT_HOURS[0]),
            "morn": u.where(hour < NIGHT_HOURS[-1] + 1),
            "day_use": u.where((hour >= DAY_HOURS[0]) & (hour < DAY_HOURS[1])),
        }
    )
    g = frame.groupby(["meter_id", "day"])
    d = (
        pd.concat(
            [
                g[["use", "eve", "morn", "day_use"]].sum(min_count=1),
                g[["use", "eve", "morn", "day_use"]].count().add_suffix("_n"),
            ],
            axis=1,
        )
        .reset_index()
        .merge(params, on="meter_id")
    )
    a, b = start, end
    frames = []
    full = d[d.use_n == PER_DAY].copy()
    full["dow"] = pd.to_datetime(full.day).dt.dayofweek
    full = full.sort_values(["meter_id", "dow", "day"])
    full["base"] = full.groupby(["meter_id", "dow"])["use"].transform(
        lambda x: x.shift(1).rolling(BASELINE_WEEKS).mean()
    )
    hit = full[
        (full.day >= a)
        & (full.day <= b)
        & full.base.notna()
        & (full.use * 100 > full.base * (100 + full.margin))
    ]
    frames.append(
        pd.DataFrame(
            {
                "meter_id": hit.meter_id,
                "kind": "above_baseline",
                "day": hit.day,
                "at": pd.NaT,
                "value": hit.use,
                "reference": hit.base,
                "limit": hit.base * (100 + hit.margin) / 100,
                "count": 1,
            }
        )
    )
    d = d.sort_values(["meter_id", "day"])
    nxt = d.groupby("meter_id")[["day", "morn", "morn_n"]].shift(-1)
    one = pd.Timedelta(days=1)
    ok = (
        (d.day >= a)
        & (d.day <= b)
        & (pd.to_datetime(nxt.day) == pd.to_datetime(d.day) + one)
        & (d.eve_n + nxt.morn_n == NIGHT_INTERVALS)
        & (d.day_use_n == DAY_INTERVALS)
    )
    night_mean = (d.eve + nxt.morn) / NIGHT_INTERVALS
    day_mean = d.day_use / DAY_INTERVALS
    ok &= night_mean * 100 > day_mean * d.night_ratio
    frames.append(
        pd.DataFrame(
            {
                "meter_id": d.meter_id[ok],
                "kind": "night_load",
                "day": d.day[ok],
                "at": pd.NaT,
                "value": night_mean[ok],
                "reference": day_mean[ok],
                "limit": (day_mean * d.night_ratio / 100)[ok],
                "count": 1,
            }
        )
    )
    s = df[spike].assign(day=begin[spike].dt.date, ratio=(u * SPIKE_WINDOW / df.prev_hour)[spike])
    s = s[(s.day >= a) & (s.day <= b)].sort_values("ratio", ascending=False)
    counts = s.groupby(["meter_id", "day"]).size().rename("count")
    s = s.drop_duplicates(["meter_id", "day"]).join(counts, on=["meter_id", "day"])
    frames.append(
        pd.DataFrame(
            {
                "meter_id": s.meter_id,
                "kind": "spike",
                "day": s.day,
                "at": s.ts,
                "value": s.usage,
                "reference": s.prev_hour / SPIKE_WINDOW,
                "limit": s.prev_hour / SPIKE_WINDOW * s.spike_factor,
                "count": s["count"],
            }
        )
    )
    frames = [f for f in frames if len(f)]
    if not frames:
        return pd.DataFrame(columns=list(ALARM_COLUMNS))
    return pd.concat(frames, ignore_index=True).astype({"meter_id": np.int64})
