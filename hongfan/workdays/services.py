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

from django.core.exceptions import ValidationError
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
            if kind == CalendarDay.Kind.HOLIDAY:
                holidays.add(day)
            elif kind == CalendarDay.Kind.WORKDAY:
                workdays.add(day)
            # REGULAR rows only shield a day from reseeding: the Monday–Friday rule applies.
        years = frozenset(CalendarYear.objects.values_list("year", flat=True))
        _snapshot = _Snapshot(frozenset(holidays), frozenset(workdays), years, time.monotonic())
        return _snapshot


def clear_cache() -> None:
    global _snapshot
    _snapshot = None


def _invalidate() -> None:
    # Now, so that the writing request sees its change, and again at commit, so that a
    # snapshot another thread loaded in between (without the change) is not kept.
    clear_cache()
    transaction.on_commit(clear_cache)


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


# The festival names chinese-calendar gives (English) and the official Chinese names.
FESTIVAL_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "Mid-autumn Festival": "中秋节",
    "National Day": "国庆节",
    "Anti-Fascist 70th Day": "中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日",
}


def _validate_day(day: dt.date, kind: str) -> None:
    if kind == CalendarDay.Kind.WORKDAY and day.weekday() < 5:
        raise ValidationError(
            {"kind": _("An adjusted workday must fall on a Saturday or a Sunday.")}
        )


@transaction.atomic
def calendar_day_set(
    *,
    day: dt.date,
    kind: str,
    name: str = "",
    source: str = CalendarYear.Source.MANUAL,
    previous: dt.date | None = None,
) -> CalendarDay:
    """Create or change the entry for ``day`` (an administrator's entry unless ``source``).

    ``previous`` is the entry's old date when an entry is moved; that date returns to the
    Monday–Friday rule.
    """
    _validate_day(day, kind)
    if previous is not None and previous != day:
        calendar_day_remove(day=previous)
    obj = CalendarDay.objects.filter(date=day).first() or CalendarDay(date=day)
    obj.kind = kind
    obj.name = name
    obj.source = source
    obj.full_clean()
    obj.save()
    _invalidate()
    return obj


@transaction.atomic
def calendar_day_remove(*, day: dt.date) -> None:
    """Remove the entry for ``day``.

    A day that came from chinese-calendar is kept as a REGULAR override instead, so that
    reseeding does not bring it back.
    """
    for obj in CalendarDay.objects.filter(date=day):
        if obj.source == CalendarYear.Source.CHINESE_CALENDAR:
            obj.kind = CalendarDay.Kind.REGULAR
            obj.source = CalendarYear.Source.MANUAL
            obj.save()
        else:
            obj.delete()
    _invalidate()


@transaction.atomic
def calendar_year_set(*, year: int, note: str = "") -> CalendarYear:
    """Mark ``year``'s official arrangement as entered by an administrator."""
    obj = CalendarYear.objects.filter(year=year).first()
    if obj is None:
        obj = CalendarYear(year=year, source=CalendarYear.Source.MANUAL)
    obj.note = note
    obj.full_clean()
    obj.save()
    _invalidate()
    return obj


@transaction.atomic
def calendar_year_remove(*, year: int) -> None:
    """Mark ``year`` as having no official data again (Monday–Friday fallback)."""
    for obj in CalendarYear.objects.filter(year=year):
        obj.delete()
    _invalidate()


@dataclass(frozen=True)
class SeedResult:
    created: int
    updated: int
    kept: int
    years: tuple[int, ...]


def _package_days() -> dict[dt.date, tuple[str, str]]:
    from chinese_calendar import constants

    days: dict[dt.date, tuple[str, str]] = {}
    for day, name in constants.holidays.items():
        days[day] = (CalendarDay.Kind.HOLIDAY, FESTIVAL_NAMES.get(name, name))
    for day, name in constants.workdays.items():
        days[day] = (CalendarDay.Kind.WORKDAY, FESTIVAL_NAMES.get(name, name))
    return days


@transaction.atomic
def calendar_seed_from_package() -> SeedResult:
    """Load every holiday and adjusted workday the chinese-calendar package knows.

    Idempotent: a second run changes nothing. Rows an administrator entered or changed
    (source ``manual``) are never overwritten, nor are years an administrator marked.
    """
    package = _package_days()
    years = sorted({d.year for d in package})
    existing = {obj.date: obj for obj in CalendarDay.objects.filter(date__year__in=years)}
    created = updated = kept = 0
    to_create: list[CalendarDay] = []
    for day, (kind, name) in sorted(package.items()):
        obj = existing.get(day)
        if obj is None:
            to_create.append(
                CalendarDay(
                    date=day, kind=kind, name=name, source=CalendarYear.Source.CHINESE_CALENDAR
                )
            )
        elif obj.source != CalendarYear.Source.CHINESE_CALENDAR:
            kept += 1
        elif (obj.kind, obj.name) != (kind, name):
            obj.kind, obj.name = kind, name
            obj.save(update_fields=["kind", "name"])
            updated += 1
    CalendarDay.objects.bulk_create(to_create, batch_size=500)
    created = len(to_create)
    known = set(CalendarYear.objects.filter(year__in=years).values_list("year", flat=True))
    CalendarYear.objects.bulk_create(
        [
            CalendarYear(year=y, source=CalendarYear.Source.CHINESE_CALENDAR)
            for y in years
            if y not in known
        ]
    )
    _invalidate()
    return SeedResult(created=created, updated=updated, kept=kept, years=tuple(years))
