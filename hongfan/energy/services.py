"""Writes of energy monitoring: meters, reading imports (into the analytic store), alarm
detection, alarms to work orders."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import itertools
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hongfan.core import analytics
from hongfan.energy import detection
from hongfan.energy.detection import DATASET, PARTITION
from hongfan.energy.models import Alarm, Meter, ReadingImport

MAX_BYTES = 50 * 1024 * 1024
HEADERS = {
    "meter": ("表号", "电表编号", "表计编号", "meter"),
    "ts": ("时间", "读数时间", "抄表时间", "time"),
    "reading": ("读数", "示数", "表码", "reading"),
}
TIME_FORMATS = ("%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S", "%Y/%m/%d %H:%M", "%Y/%m/%d %H:%M:%S")


# ---------------------------------------------------------------- meters


@transaction.atomic
def meter_save(*, meter: Meter | None = None, **fields: Any) -> Meter:
    meter = meter or Meter()
    for key, value in fields.items():
        setattr(meter, key, value.strip() if isinstance(value, str) else value)
    meter.full_clean()
    meter.save()
    return meter


# ---------------------------------------------------------------- import


@dataclass
class RowError:
    row: int
    message: str


@dataclass
class ImportRefused(Exception):
    """The file was refused: nothing was written. ``errors`` lists every bad row."""

    errors: list[RowError] = field(default_factory=list)

    def __str__(self) -> str:
        return "; ".join(f"{e.row}: {e.message}" for e in self.errors[:5])


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportRefused([RowError(0, _("The file is not a CSV text file (UTF-8 or GBK)."))])


def _column(header: list[str], key: str) -> int:
    names = [h.strip().lstrip("*").strip() for h in header]
    for alias in HEADERS[key]:
        if alias in names:
            return names.index(alias)
    raise ImportRefused(
        [RowError(1, _("The column “%(name)s” is missing.") % {"name": HEADERS[key][0]})]
    )


def _parse_time(value: str) -> dt.datetime | None:
    for fmt in TIME_FORMATS:
        try:
            return dt.datetime.strptime(value.strip(), fmt)
        except ValueError:
            continue
    return None


def parse_readings(
    data: bytes,
) -> tuple[list[tuple[int, int, dt.datetime, float]], dict[int, Meter], list[RowError]]:
    """Parse a CSV of readings: the good rows [(row number, meter id, time, reading)], the
    meters by id and the bad rows (a file refused as a whole raises ImportRefused)."""
    if len(data) > MAX_BYTES:
        raise ImportRefused([RowError(0, _("The file is larger than 50 MB."))])
    if not data.strip():
        raise ImportRefused([RowError(0, _("The file is empty."))])
    if data[:4] == b"PK\x03\x04" or b"\x00" in data[:1024]:
        raise ImportRefused([RowError(0, _("The file is not a CSV text file (UTF-8 or GBK)."))])
    reader = csv.reader(io.StringIO(_decode(data)))
    header = next(reader, [])
    cols = {k: _column(header, k) for k in HEADERS}
    meters = {m.code: m for m in Meter.objects.all()}
    rows: list[tuple[int, int, dt.datetime, float]] = []
    errors: list[RowError] = []
    seen: dict[tuple[int, dt.datetime], int] = {}
    for number, raw in enumerate(reader, start=2):
        if not any(c.strip() for c in raw):
            continue
        cells = raw + [""] * (max(cols.values()) + 1 - len(raw))
        code, when, value = (cells[cols[k]].strip() for k in ("meter", "ts", "reading"))
        meter = meters.get(code)
        ts = _parse_time(when)
        problems = []
        if not code:
            problems.append(_("the meter number is empty"))
        elif meter is None:
            problems.append(_("meter %(code)s is not registered") % {"code": code})
        elif not meter.is_active:
            problems.append(_("meter %(code)s is out of service") % {"code": code})
        if ts is None:
            problems.append(
                _("time “%(value)s” is not a date and time such as 2026-07-01 08:15")
                % {"value": when}
            )
        elif ts.minute % 15 or ts.second:
            problems.append(_("time %(value)s is not on a 15-minute mark") % {"value": when})
        try:
            reading = float(Decimal(value))
            if reading < 0 or reading != reading or reading in (float("inf"), float("-inf")):
                raise ValueError
        except Exception:
            problems.append(
                _("reading “%(value)s” is not a non-negative number") % {"value": value}
            )
            reading = 0.0
        if problems:
            errors.append(RowError(number, "；".join(problems)))
            continue
        key = (meter.pk, ts)
        if key in seen:
            errors.append(
                RowError(
                    number,
                    _("duplicate reading: meter %(code)s at %(ts)s is already on row %(row)s")
                    % {"code": code, "ts": ts.strftime("%Y-%m-%d %H:%M"), "row": seen[key]},
                )
            )
            continue
        seen[key] = number
        rows.append((number, meter.pk, ts, reading))
    if not rows and not errors:
        raise ImportRefused([RowError(0, _("The file has no readings."))])
    # Bad rows are returned, not raised: the order checks run on the good rows so that one
    # refusal lists every problem of the file.
    return rows, {m.pk: m for m in meters.values()}, errors


def _stored(
    meter_ids: set[int], lo: dt.datetime, hi: dt.datetime
) -> dict[int, list[tuple[dt.datetime, float]]]:
    """Stored readings of ``meter_ids`` between ``lo`` and ``hi`` (inclusive), by meter."""
    out: dict[int, list[tuple[dt.datetime, float]]] = defaultdict(list)
    months = [
        m
        for m in analytics.partitions(DATASET)
        if lo.strftime("%Y-%m") <= m <= hi.strftime("%Y-%m")
    ]
    for month in months:
        t = analytics.read_partition(DATASET, PARTITION, month)
        if t is None:
            continue
        mask = pc.and_(
            pc.is_in(t["meter_id"], pa.array(sorted(meter_ids), pa.int32())),
            pc.and_(
                pc.greater_equal(t["ts"], pa.scalar(lo, pa.timestamp("us"))),
                pc.less_equal(t["ts"], pa.scalar(hi, pa.timestamp("us"))),
            ),
        )
        part = t.filter(mask)
        for mid, ts, r in zip(
            part["meter_id"].to_pylist(),
            part["ts"].to_pylist(),
            part["reading"].to_pylist(),
            strict=True,
        ):
            out[mid].append((ts, r))
    return out


def _previous(meter_ids: set[int], before: dt.datetime) -> dict[int, tuple[dt.datetime, float]]:
    """The last stored reading of each meter before ``before`` (for the backwards check)."""
    found: dict[int, tuple[dt.datetime, float]] = {}
    for month in reversed(
        [m for m in analytics.partitions(DATASET) if m <= before.strftime("%Y-%m")]
    ):
        missing = meter_ids - set(found)
        if not missing:
            break
        t = analytics.read_partition(DATASET, PARTITION, month)
        if t is None:
            continue
        t = t.filter(
            pc.and_(
                pc.is_in(t["meter_id"], pa.array(sorted(missing), pa.int32())),
                pc.less(t["ts"], pa.scalar(before, pa.timestamp("us"))),
            )
        )
        for mid, ts, r in zip(
            t["meter_id"].to_pylist(), t["ts"].to_pylist(), t["reading"].to_pylist(), strict=True
        ):
            if mid not in found or ts > found[mid][0]:
                found[mid] = (ts, r)
    return found


def _fmt(ts: dt.datetime) -> str:
    return ts.strftime("%Y-%m-%d %H:%M")


def check_readings(
    rows: list[tuple[int, int, dt.datetime, float]], meters: dict[int, Meter]
) -> tuple[list[tuple[int, dt.datetime, float]], int]:
    """Check the rows against each other and the stored readings.

    Refused: a reading at a time already stored with another value (duplicate), a reading
    lower than the one before it in time (going backwards). Returns the new readings (rows
    identical to stored ones are skipped: importing a file twice changes nothing) and the
    count of unchanged rows."""
    ids = {r[1] for r in rows}
    lo = min(r[2] for r in rows)
    hi = max(r[2] for r in rows)
    stored = _stored(ids, lo, hi)
    # The neighbours just outside the file's span take part in the order check too.
    prev = _previous(ids, lo)
    after = _stored(ids, hi + dt.timedelta(minutes=15), hi + dt.timedelta(days=31))
    errors: list[RowError] = []
    new: list[tuple[int, dt.datetime, float]] = []
    unchanged = 0
    by_meter: dict[int, list[tuple[dt.datetime, float, int]]] = defaultdict(list)
    for number, mid, ts, reading in rows:
        by_meter[mid].append((ts, reading, number))
    for mid, items in by_meter.items():
        code = meters[mid].code
        known = dict(stored.get(mid, []))
        seq: list[tuple[dt.datetime, float, int]] = []  # row 0 = stored
        for ts, reading, number in items:
            if ts in known:
                if abs(known[ts] - reading) > 1e-9:
                    errors.append(
                        RowError(
                            number,
                            _(
                                "duplicate reading: meter %(code)s at %(ts)s "
                                "was already imported as %(old)s"
                            )
                            % {"code": code, "ts": _fmt(ts), "old": f"{known[ts]:g}"},
                        )
                    )
                else:
                    unchanged += 1
                continue
            new.append((mid, ts, reading))
            seq.append((ts, reading, number))
        seq += [(ts, r, 0) for ts, r in known.items()]
        if mid in prev:
            seq.append((prev[mid][0], prev[mid][1], 0))
        if after.get(mid):
            seq.append((*min(after[mid]), 0))
        seq.sort()
        for (t0, r0, n0), (t1, r1, n1) in itertools.pairwise(seq):
            if r1 < r0 - 1e-9 and (n0 or n1):
                row = n1 or n0
                errors.append(
                    RowError(
                        row,
                        _(
                            "the reading goes backwards: meter %(code)s shows %(r1)s at %(t1)s, "
                            "less than %(r0)s at %(t0)s%(where)s"
                        )
                        % {
                            "code": code,
                            "r1": f"{r1:g}",
                            "t1": _fmt(t1),
                            "r0": f"{r0:g}",
                            "t0": _fmt(t0),
                            "where": (_(" (row %(n)s)") % {"n": n0})
                            if n0 and n1
                            else _(" (already imported)"),
                        },
                    )
                )
    if errors:
        raise ImportRefused(sorted(errors, key=lambda e: e.row))
    return new, unchanged


def _write(new: list[tuple[int, dt.datetime, float]]) -> None:
    """Add readings to their month partitions and derive the interval columns again for the
    months touched and the month after (its first intervals may follow the new readings)."""
    by_month: dict[str, list[tuple[int, dt.datetime, float]]] = defaultdict(list)
    for mid, ts, r in new:
        by_month[ts.strftime("%Y-%m")].append((mid, ts, r))
    stored = analytics.partitions(DATASET)
    touched = set(by_month)
    for month in sorted(by_month):
        later = [m for m in stored if m > month]
        if later:
            touched.add(later[0])
    for month in sorted(touched):
        items = by_month.get(month, [])
        table = pa.table(
            {
                "meter_id": pa.array([i[0] for i in items], pa.int32()),
                "ts": pa.array([i[1] for i in items], pa.timestamp("us")),
                "reading": pa.array([i[2] for i in items], pa.float64()),
            }
        )
        existing = analytics.read_partition(DATASET, PARTITION, month)
        if existing is not None:
            table = pa.concat_tables([existing.select(["meter_id", "ts", "reading"]), table])
        earlier = [m for m in analytics.partitions(DATASET) if m < month]
        context = analytics.read_partition(DATASET, PARTITION, earlier[-1]) if earlier else None
        n_context = 0
        if context is not None:
            context = context.select(["meter_id", "ts", "reading"])
            n_context = context.num_rows
            table = pa.concat_tables([context, table])
        derived = detection.derive(table)
        if n_context:
            mask = pc.greater_equal(
                pc.strftime(derived["ts"], format="%Y-%m"), pa.scalar(month, pa.string())
            )
            derived = derived.filter(mask)
        analytics.write_partition(DATASET, PARTITION, month, derived)


@transaction.atomic
def readings_import(
    *, data: bytes, file_name: str, user: Any, detect: bool = True
) -> ReadingImport:
    """Import a CSV of readings (表号, 时间, 读数): all rows or none, then detect the alarms of
    the days it covers. Raises ``ImportRefused`` with every bad row."""
    rows, meters, errors = parse_readings(data)
    try:
        new, _unchanged = check_readings(rows, meters) if rows else ([], 0)
    except ImportRefused as exc:
        errors += exc.errors
    if errors:
        raise ImportRefused(sorted(errors, key=lambda e: e.row))
    first = min(r[2] for r in rows)
    last = max(r[2] for r in rows)
    record = ReadingImport(
        file_name=file_name[:200],
        sha256=hashlib.sha256(data).hexdigest(),
        rows=len(rows),
        new_rows=len(new),
        meters=len({r[1] for r in rows}),
        first_at=timezone.make_aware(first),
        last_at=timezone.make_aware(last),
        imported_by=user if getattr(user, "pk", None) else None,
    )
    record.full_clean()
    record.save()
    if new:
        _write(new)
        if detect:
            start = (first - dt.timedelta(minutes=15)).date()
            end = (last - dt.timedelta(minutes=15)).date()
            # The night after a day ends at 05:00 next morning: judge the day before too.
            result = alarms_detect(start=start - dt.timedelta(days=1), end=end)
            record.alarms = result["created"]
            record.save(update_fields=["alarms"])
    return record


# ---------------------------------------------------------------- detection


def params_table(meters: Any) -> pa.Table:
    ms = list(meters)
    return pa.table(
        {
            "meter_id": pa.array([m.pk for m in ms], pa.int32()),
            "margin": pa.array([float(m.margin_percent) for m in ms], pa.float64()),
            "night_ratio": pa.array([float(m.night_ratio_percent) for m in ms], pa.float64()),
            "spike_factor": pa.array([float(m.spike_factor) for m in ms], pa.float64()),
            "spike_min": pa.array([float(m.spike_min_kwh) for m in ms], pa.float64()),
        },
        schema=detection.PARAMS_SCHEMA,
    )


def _detail(kind: str, value: float, reference: float, count: int) -> str:
    if kind == Alarm.Kind.ABOVE_BASELINE:
        return _(
            "%(value).1f kWh in the day against a baseline of %(ref).1f kWh (+%(pct).0f%%)"
        ) % {"value": value, "ref": reference, "pct": 100 * (value / reference - 1)}
    if kind == Alarm.Kind.NIGHT_LOAD:
        return _("night load %(value).2f kWh per 15 min, %(pct).0f%% of the daytime load") % {
            "value": value,
            "pct": 100 * value / reference,
        }
    return _("%(value).2f kWh in 15 minutes, %(x).1f× the hour before (%(n)s spikes that day)") % {
        "value": value,
        "x": value / reference,
        "n": count,
    }


@transaction.atomic
def alarms_detect(*, start: dt.date, end: dt.date, con: Any = None) -> dict[str, int]:
    """Detect the alarms of days ``start``..``end`` for every active meter; idempotent (one
    alarm per meter, kind and day: an existing open alarm gets the new figures)."""
    meters = list(Meter.objects.filter(is_active=True))
    if not meters or end < start:
        return {"found": 0, "created": 0, "updated": 0}
    con = con or analytics.connect()
    found = detection.detect(con, start=start, end=end, params=params_table(meters)).to_pylist()
    existing = {
        (a.meter_id, a.kind, a.day): a for a in Alarm.objects.filter(day__gte=start, day__lte=end)
    }
    creates, updates = [], []
    for row in found:
        key = (row["meter_id"], row["kind"], row["day"])
        values = {
            "at": timezone.make_aware(row["at"]) if row["at"] else None,
            "value": round(row["value"], 4),
            "reference": round(row["reference"], 4),
            "limit": round(row["limit"], 4),
            "detail": _detail(row["kind"], row["value"], row["reference"], row["count"])[:200],
        }
        alarm = existing.get(key)
        if alarm is None:
            creates.append(Alarm(meter_id=key[0], kind=key[1], day=key[2], **values))
        elif alarm.status == Alarm.Status.OPEN and any(
            getattr(alarm, k) != v for k, v in values.items()
        ):
            for k, v in values.items():
                setattr(alarm, k, v)
            updates.append(alarm)
    Alarm.objects.bulk_create(creates, batch_size=1000)
    if updates:
        Alarm.objects.bulk_update(
            updates, ["at", "value", "reference", "limit", "detail"], batch_size=1000
        )
    return {"found": len(found), "created": len(creates), "updated": len(updates)}


# ---------------------------------------------------------------- alarms


@transaction.atomic
def alarm_open_work_order(*, alarm: Alarm, actor: Any, note: str = "") -> Alarm:
    """Open a repair work order for the alarm (once); the alarm is then in hand."""
    from hongfan.logistics import services as logistics

    alarm = Alarm.objects.select_for_update().select_related("meter").get(pk=alarm.pk)
    if alarm.work_order_id:
        raise ValidationError(_("A work order is already open for this alarm."))
    if alarm.status == Alarm.Status.CLOSED:
        raise ValidationError(_("This alarm is closed."))
    m = alarm.meter
    place = m.building + (f" {m.device}" if m.device else "")
    alarm.work_order = logistics.work_order_file(
        requester=actor,
        category="repair",
        title=_("Energy alarm: %(kind)s, %(meter)s")
        % {"kind": alarm.get_kind_display(), "meter": m.name},
        location=place,
        description=f"{alarm.day:%Y-%m-%d} {alarm.detail}\n{note}".strip(),
        source_label=_("Energy alarm %(meter)s %(day)s")
        % {"meter": m.code, "day": f"{alarm.day:%Y-%m-%d}"},
    )
    alarm.status = Alarm.Status.IN_HAND
    alarm.full_clean()
    alarm.save(update_fields=["work_order", "status"])
    return alarm


@transaction.atomic
def alarm_close(*, alarm: Alarm, actor: Any, note: str) -> Alarm:
    """Close an alarm with a note (checked, explained or fixed)."""
    if not note.strip():
        raise ValidationError({"note": _("Say why the alarm is closed.")})
    alarm = Alarm.objects.select_for_update().get(pk=alarm.pk)
    if alarm.status == Alarm.Status.CLOSED:
        raise ValidationError(_("This alarm is closed."))
    alarm.status = Alarm.Status.CLOSED
    alarm.closed_note = note.strip()[:200]
    alarm.full_clean()
    alarm.save(update_fields=["status", "closed_note"])
    return alarm
