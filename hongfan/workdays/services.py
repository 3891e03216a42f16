"""Working days: "N working days after date D", counted with the official calendar.

A day is a working day when the calendar marks it as an adjusted workday (调休上班), or when it
is Monday–Friday and not marked as a holiday. Years with no official data (no CalendarYear
row) fall back to Monday–Friday; callers can show ``coverage_warning`` for them.

The calendar is cached per process for ``CACHE_SECONDS`` and cleared on every write through
this module, so deadline computations over tens of thousands of matters cost no queries.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from hongfan.workdays.models import CalendarDay, CalendarYear

CACHE_SECONDS = 60


@dataclass(frozen=True)
class _Snapshot:
    holidays: frozenset[dt.date]
    workdays: frozenset[dt.date]
    years: frozenset[int]
    loaded_at: float


_lock = threading.Lock()
_snapshot: _Snapshot | None = None


def _calendar() -> _Snapshot:
    global _snapshot
    snap = _snapshot
    if snap is not None and time.monotonic() - snap.loaded_at < CACHE_SECONDS:
        return snap
    with _lock:
        holidays: set[dt.date] = set()
        workdays: set[dt.date] = set()
        for day, kind in CalendarDay.objects.values_list("date", "kind"):
            (holidays if kind == CalendarDay.Kind.HOLIDAY else workdays).add(day)
        years = frozenset(CalendarYear.objects.values_list("year", flat=True))
        _snapshot = _Snapshot(frozenset(holidays), frozenset(workdays), years, time.monotonic())
        return _snapshot


def clear_cache() -> None:
    global _snapshot
    _snapshot = None


def is_working_day(day: dt.date) -> bool:
    cal = _calendar()
    if day in cal.workdays:
        return True
    if day in cal.holidays:
        return False
    return day.weekday() < 5


def add_working_days(start: dt.date, days: int) -> dt.date:
    """Return the date ``days`` working days after ``start`` (``start`` itself not counted).

    ``add_working_days(d, 0)`` is ``d`` when ``d`` is a working day, else the next working day.
    Negative ``days`` count backwards.
    """
    if days == 0:
        day = start
        while not is_working_day(day):
            day += dt.timedelta(days=1)
        return day
    step = dt.timedelta(days=1 if days > 0 else -1)
    remaining = abs(days)
    day = start
    while remaining:
        day += step
        if is_working_day(day):
            remaining -= 1
    return day


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Return the working days in (start, end]; negative when ``end`` precedes ``start``."""
    if end == start:
        return 0
    sign = 1 if end > start else -1
    lo, hi = (start, end) if sign > 0 else (end, start)
    count = 0
    day = lo + dt.timedelta(days=1)
    while day <= hi:
        if is_working_day(day):
            count += 1
        day += dt.timedelta(days=1)
    return sign * count


def known_years() -> frozenset[int]:
    return _calendar().years


def coverage_warning(*days: dt.date) -> str | None:
    """Return a warning when any of ``days`` falls in a year without official data."""
    missing = sorted({d.year for d in days} - set(known_years()))
    if not missing:
        return None
    return _(
        "The official holiday arrangement for %(years)s has not been entered; working days "
        "in that period are counted as Monday to Friday."
    ) % {"years": "、".join(str(y) for y in missing)}


@transaction.atomic
def calendar_day_set(*, day: dt.date, kind: str, name: str = "") -> CalendarDay:
    """Create or change the entry for ``day``."""
    obj, _created = CalendarDay.objects.update_or_create(
        date=day, defaults={"kind": kind, "name": name}
    )
    transaction.on_commit(clear_cache)
    return obj


@transaction.atomic
def calendar_day_remove(*, day: dt.date) -> None:
    for obj in CalendarDay.objects.filter(date=day):
        obj.delete()
    transaction.on_commit(clear_cache)
