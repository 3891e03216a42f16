"""Reads of the equipment register; every scoped read goes through ``devices_visible_to``."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Max, Q, QuerySet

from hongfan.accounts.roles import Cap
from hongfan.equipment.models import AdverseEvent, Device, Maintenance


def devices_visible_to(user: Any) -> QuerySet[Device]:
    """Hospital-wide holders of ``equipment.view`` see every device; a department head those of
    their departments."""
    if user is None or not user.is_authenticated:
        return Device.objects.none()
    if not (user.has_capability(Cap.EQUIPMENT_VIEW) or user.has_capability(Cap.EQUIPMENT_MANAGE)):
        return Device.objects.none()
    scope = user.scope
    if scope.hospital_wide:
        return Device.objects.all()
    return Device.objects.filter(department_id__in=scope.department_ids)


def with_schedule(qs: QuerySet[Device]) -> QuerySet[Device]:
    return qs.annotate(
        last_pm=Max(
            "maintenance__done_on", filter=Q(maintenance__kind=Maintenance.Kind.PREVENTIVE)
        ),
        last_check=Max("checks__checked_on"),
        open_events=Count(
            "events", filter=~Q(events__status=AdverseEvent.Status.CLOSED), distinct=True
        ),
    )


def device_list(qs: QuerySet[Device], filters: dict[str, str]) -> QuerySet[Device]:
    if filters.get("q"):
        t = filters["q"]
        qs = qs.filter(
            Q(asset_no__icontains=t)
            | Q(name__icontains=t)
            | Q(model__icontains=t)
            | Q(manufacturer__icontains=t)
            | Q(serial_no__icontains=t)
        )
    for key in ("category", "status"):
        if filters.get(key):
            qs = qs.filter(**{key: filters[key]})
    if filters.get("department", "").isdigit():
        qs = qs.filter(department_id=int(filters["department"]))
    return with_schedule(qs.select_related("department")).order_by("asset_no")


@dataclass(frozen=True)
class DueItem:
    device: Device
    kind: str  # "maintenance" | "check"
    due: dt.date


def due_items(qs: QuerySet[Device], *, on: dt.date, within_days: int = 14) -> list[DueItem]:
    """Preventive maintenance and quality checks due by ``on + within_days`` (one query)."""
    from hongfan.equipment.services import next_due

    limit = on + dt.timedelta(days=within_days)
    out: list[DueItem] = []
    for d in with_schedule(qs.select_related("department")).order_by("asset_no"):
        pm = next_due(d.last_pm, d, d.maintenance_interval_months)
        if pm <= limit:
            out.append(DueItem(d, "maintenance", pm))
        qc = next_due(d.last_check, d, d.check_interval_months)
        if qc <= limit:
            out.append(DueItem(d, "check", qc))
    return sorted(out, key=lambda i: (i.due, i.device.asset_no))


def events_visible_to(user: Any) -> QuerySet[AdverseEvent]:
    return AdverseEvent.objects.filter(device__in=devices_visible_to(user))
