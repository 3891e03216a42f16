"""Reads of energy monitoring: scoped meters and alarms, use from the analytic store."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q, QuerySet

from hongfan.accounts.roles import Cap
from hongfan.core import analytics
from hongfan.energy.detection import DATASET, PARTITION
from hongfan.energy.models import Alarm, Meter
from hongfan.loops.services import headed_department_ids


def meters_visible_to(user: Any) -> QuerySet[Meter]:
    """Facilities (energy.manage) see every meter; a department head their departments'."""
    if not user.is_authenticated:
        return Meter.objects.none()
    if user.has_capability(Cap.ENERGY_MANAGE):
        return Meter.objects.all()
    if not user.has_capability(Cap.ENERGY_VIEW):
        return Meter.objects.none()
    if user.scope.hospital_wide:
        return Meter.objects.all()
    return Meter.objects.filter(department_id__in=headed_department_ids(user))


def alarms_visible_to(user: Any) -> QuerySet[Alarm]:
    return Alarm.objects.filter(meter__in=meters_visible_to(user))


def meter_list(qs: QuerySet[Meter], filters: dict[str, str]) -> QuerySet[Meter]:
    if q := filters.get("q"):
        qs = qs.filter(
            Q(code__icontains=q)
            | Q(name__icontains=q)
            | Q(building__icontains=q)
            | Q(device__icontains=q)
            | Q(department__name__icontains=q)
        )
    if s := filters.get("scope"):
        qs = qs.filter(scope=s)
    if b := filters.get("building"):
        qs = qs.filter(building=b)
    return qs.select_related("department")


def alarm_list(qs: QuerySet[Alarm], filters: dict[str, str]) -> QuerySet[Alarm]:
    if q := filters.get("q"):
        qs = qs.filter(
            Q(meter__code__icontains=q)
            | Q(meter__name__icontains=q)
            | Q(meter__building__icontains=q)
        )
    if k := filters.get("kind"):
        qs = qs.filter(kind=k)
    if s := filters.get("status"):
        qs = qs.filter(status=s)
    if b := filters.get("building"):
        qs = qs.filter(meter__building=b)
    for key, op in (("start", "gte"), ("end", "lte")):
        if v := filters.get(key):
            try:
                qs = qs.filter(**{f"day__{op}": dt.date.fromisoformat(v)})
            except ValueError:
                return qs.none()
    return qs.select_related("meter__department", "work_order")


def has_readings() -> bool:
    return bool(analytics.partitions(DATASET))


def daily_use(
    meter_ids: list[int], start: dt.date, end: dt.date, *, con: Any = None, by_meter: bool = False
) -> list[dict[str, Any]]:
    """kWh per day (and meter) of intervals starting ``start``..``end``, from the store."""
    import ibis

    if not meter_ids or not has_readings():
        return []
    con = con or analytics.connect()
    t = analytics.table(con, DATASET)
    lo = dt.datetime.combine(start, dt.time())
    hi = dt.datetime.combine(end + dt.timedelta(days=1), dt.time())
    t = t.filter(
        t.ts > lo,
        t[PARTITION] >= (lo - dt.timedelta(days=1)).strftime("%Y-%m"),
        t[PARTITION] <= hi.strftime("%Y-%m"),
        t.ts <= hi,
        t.meter_id.isin(meter_ids),
    )
    t = t.filter(t.usage.notnull()).mutate(day=(t.ts - ibis.interval(minutes=15)).date())
    keys = ["meter_id", "day"] if by_meter else ["day"]
    out = t.group_by(keys).agg(kwh=t.usage.sum()).order_by(keys)
    return out.to_pyarrow().to_pylist()


def intraday(meter_id: int, day: dt.date, *, con: Any = None) -> list[dict[str, Any]]:
    """The 15-minute use of one meter on one day and the night after (for an alarm page)."""

    if not has_readings():
        return []
    con = con or analytics.connect()
    t = analytics.table(con, DATASET)
    lo = dt.datetime.combine(day, dt.time())
    hi = lo + dt.timedelta(days=1, hours=5)
    t = t.filter(
        t[PARTITION] >= lo.strftime("%Y-%m"),
        t[PARTITION] <= hi.strftime("%Y-%m"),
        t.meter_id == meter_id,
        t.ts >= lo,
        t.ts <= hi,
    )
    t = t.filter(t.usage.notnull())
    return t.select("ts", "usage").order_by("ts").to_pyarrow().to_pylist()
