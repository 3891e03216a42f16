"""Reads of the working-day calendar (public to every signed-in user)."""

from __future__ import annotations

import calendar
import datetime as dt
from typing import Any

from django.db.models import QuerySet

from hongfan.workdays.models import CalendarDay, CalendarYear
from hongfan.workdays.services import is_working_day


def calendar_days_visible_to(user: Any) -> QuerySet[CalendarDay]:
    """Return the calendar entries (the official calendar is not scoped)."""
    return CalendarDay.objects.all()


def calendar_year_entry(year: int) -> CalendarYear | None:
    return CalendarYear.objects.filter(year=year).first()


def _month(
    year: int, month: int, entries: dict[dt.date, CalendarDay]
) -> list[list[dict[str, Any]]]:
    weeks = []
    for week in calendar.Calendar(firstweekday=0).monthdatescalendar(year, month):
        row = []
        for day in week:
            entry = entries.get(day) if day.month == month else None
            row.append(
                {
                    "date": day,
                    "in_month": day.month == month,
                    "working": is_working_day(day),
                    "weekend": day.weekday() >= 5,
                    "kind": entry.kind if entry else "",
                    "name": entry.name if entry else "",
                }
            )
        weeks.append(row)
    return weeks


def calendar_days_in_year(year: int) -> list[CalendarDay]:
    return list(CalendarDay.objects.filter(date__year=year).order_by("date"))


def year_grid(year: int, entries: list[CalendarDay] | None = None) -> list[dict[str, Any]]:
    """Return the 12 month grids (Monday first) of ``year`` with each day's status.

    One query for the year's entries (none when given); ``is_working_day`` reads the cached
    calendar.
    """
    if entries is None:
        entries = calendar_days_in_year(year)
    by_date = {d.date: d for d in entries}
    return [{"first": dt.date(year, m, 1), "weeks": _month(year, m, by_date)} for m in range(1, 13)]


def entry_ranges(entries: list[CalendarDay]) -> list[dict[str, Any]]:
    """Group consecutive days of the same kind and festival (10-01 … 10-07 国庆节 holiday)."""
    ranges: list[dict[str, Any]] = []
    for e in sorted(entries, key=lambda d: d.date):
        if e.kind == CalendarDay.Kind.REGULAR:
            continue
        last = ranges[-1] if ranges else None
        if (
            last is not None
            and last["kind"] == e.kind
            and last["name"] == e.name
            and last["end"] + dt.timedelta(days=1) == e.date
        ):
            last["end"] = e.date
            last["days"] += 1
            continue
        ranges.append(
            {
                "start": e.date,
                "end": e.date,
                "days": 1,
                "kind": e.kind,
                "kind_label": e.get_kind_display(),
                "name": e.name,
            }
        )
    return ranges
