"""Writes of the equipment life cycle, depreciation and cost–benefit, maintenance reminders.

Depreciation (折旧): straight line over the service life (年限平均法) with no residual value,
starting in the month of purchase and stopping in the month of scrapping, as the
government accounting standard for public hospitals prescribes (政府会计准则第3号——固定资产:
当月增加的固定资产当月开始计提折旧，当月减少的当月不再计提；不考虑预计净残值).
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from hongfan.accounts.roles import Cap
from hongfan.equipment.models import AdverseEvent, Device, Maintenance, QualityCheck, Revenue

CENT = Decimal("0.01")
DEVICE_FIELDS = (
    "asset_no",
    "name",
    "model",
    "manufacturer",
    "serial_no",
    "category",
    "department",
    "location",
    "purchased_on",
    "price",
    "service_life_years",
    "maintenance_interval_months",
    "check_interval_months",
)


def add_months(day: dt.date, months: int) -> dt.date:
    m = day.month - 1 + months
    year, month = day.year + m // 12, m % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def month_index(day: dt.date) -> int:
    return day.year * 12 + day.month - 1


# ------------------------------------------------------------------------ register


@transaction.atomic
def device_create(*, actor: Any = None, **fields: Any) -> Device:
    device = Device(**{k: fields[k] for k in DEVICE_FIELDS if k in fields})
    if device.purchased_on and device.purchased_on > timezone.localdate():
        raise ValidationError({"purchased_on": _("The purchase date cannot be in the future.")})
    device.full_clean()
    device.save()
    return device


@transaction.atomic
def device_update(*, device: Device, actor: Any = None, **fields: Any) -> Device:
    device = Device.objects.select_for_update().get(pk=device.pk)
    if device.status == Device.Status.SCRAPPED:
        raise ValidationError(_("A scrapped device's file is closed."))
    for key in DEVICE_FIELDS:
        if key in fields:
            setattr(device, key, fields[key])
    first = _first_record_date(device)
    if first is not None and device.purchased_on > first:
        raise ValidationError(
            {
                "purchased_on": _(
                    "The file has records from %(day)s: the purchase date cannot be later."
                )
                % {"day": first}
            }
        )
    device.full_clean()
    device.save()
    return device


def _first_record_date(device: Device) -> dt.date | None:
    dates = [
        device.maintenance.order_by("done_on").values_list("done_on", flat=True).first(),
        device.checks.order_by("checked_on").values_list("checked_on", flat=True).first(),
        device.events.order_by("occurred_on").values_list("occurred_on", flat=True).first(),
    ]
    dates = [d for d in dates if d is not None]
    return min(dates) if dates else None


def _check_record_date(device: Device, day: dt.date, field: str) -> None:
    """A record of the device's life lies between its purchase and today (or scrapping)."""
    if day < device.purchased_on:
        raise ValidationError(
            {
                field: _("%(day)s is before the device was bought (%(bought)s).")
                % {"day": day, "bought": device.purchased_on}
            }
        )
    if day > timezone.localdate():
        raise ValidationError({field: _("The date cannot be in the future.")})
    if device.scrapped_on and day > device.scrapped_on:
        raise ValidationError(
            {field: _("The device was scrapped on %(day)s.") % {"day": device.scrapped_on}}
        )


@transaction.atomic
def maintenance_record(
    *,
    device: Device,
    kind: str,
    done_on: dt.date,
    engineer: str,
    work_done: str,
    cost: Decimal = Decimal("0"),
    fault: str = "",
    downtime_hours: int = 0,
    actor: Any = None,
) -> Maintenance:
    device = Device.objects.select_for_update().get(pk=device.pk)
    _check_record_date(device, done_on, "done_on")
    if kind == Maintenance.Kind.REPAIR and not fault.strip():
        raise ValidationError({"fault": _("Describe the fault that was repaired.")})
    record = Maintenance(
        device=device,
        kind=kind,
        done_on=done_on,
        engineer=engineer,
        work_done=work_done,
        cost=cost,
        fault=fault,
        downtime_hours=downtime_hours,
        recorded_by=actor,
    )
    record.full_clean()
    record.save()
    if device.status == Device.Status.UNDER_REPAIR and kind == Maintenance.Kind.REPAIR:
        device.status = Device.Status.IN_USE
        device.save(update_fields=["status"])
    return record


@transaction.atomic
def check_record(
    *,
    device: Device,
    kind: str,
    checked_on: dt.date,
    result: str,
    inspector: str,
    certificate_no: str = "",
    findings: str = "",
    actor: Any = None,
) -> QualityCheck:
    device = Device.objects.select_for_update().get(pk=device.pk)
    _check_record_date(device, checked_on, "checked_on")
    if result != QualityCheck.Result.PASSED and not findings.strip():
        raise ValidationError({"findings": _("Record the findings of a check that did not pass.")})
    check = QualityCheck(
        device=device,
        kind=kind,
        checked_on=checked_on,
        result=result,
        inspector=inspector,
        certificate_no=certificate_no,
        findings=findings,
    )
    check.full_clean()
    check.save()
    if result == QualityCheck.Result.FAILED and device.status == Device.Status.IN_USE:
        # A device that failed its check must not be used until repaired.
        device.status = Device.Status.UNDER_REPAIR
        device.save(update_fields=["status"])
    return check


@transaction.atomic
def event_report(
    *,
    device: Device,
    occurred_on: dt.date,
    discovered_on: dt.date,
    severity: str,
    description: str,
    patient_harm: str = "",
    measures: str = "",
    actor: Any = None,
) -> AdverseEvent:
    from hongfan.loops.services import capability_holder_ids
    from hongfan.notifications.services import NotificationItem, notify_many

    device = Device.objects.select_for_update().get(pk=device.pk)
    _check_record_date(device, occurred_on, "occurred_on")
    if discovered_on > timezone.localdate():
        raise ValidationError({"discovered_on": _("The date cannot be in the future.")})
    event = AdverseEvent(
        device=device,
        occurred_on=occurred_on,
        discovered_on=discovered_on,
        severity=severity,
        description=description,
        patient_harm=patient_harm,
        measures=measures,
        reported_by=actor,
    )
    event.full_clean()
    event.save()
    deadline = discovered_on + dt.timedelta(days=event.report_deadline_days)
    notify_many(
        [
            NotificationItem(
                user_ids=capability_holder_ids(Cap.EQUIPMENT_MANAGE),
                title=_("Device adverse event reported"),
                body=_("%(device)s: %(severity)s. Report to the national system by %(deadline)s.")
                % {
                    "device": str(device),
                    "severity": event.get_severity_display(),
                    "deadline": deadline,
                },
                url=reverse("equipment:detail", args=[device.pk]),
                level="warning",
                dedup_key=f"equipment:event:{event.pk}",
                source_type="equipment.adverseevent",
                source_id=str(event.pk),
            )
        ]
    )
    return event


@transaction.atomic
def event_set_status(*, event: AdverseEvent, status: str, actor: Any = None) -> AdverseEvent:
    event = AdverseEvent.objects.select_for_update().get(pk=event.pk)
    order = list(AdverseEvent.Status.values)
    if status not in order or order.index(status) <= order.index(event.status):
        raise ValidationError(_("An event moves forward only: reported → submitted → closed."))
    if status == AdverseEvent.Status.CLOSED and not event.measures.strip():
        raise ValidationError(_("Record the measures taken before closing the event."))
    event.status = status
    event.full_clean()
    event.save()
    return event


@transaction.atomic
def revenue_record(*, device: Device, month: dt.date, amount: Decimal, uses: int = 0) -> Revenue:
    """Record (or correct) a month's revenue of the device."""
    month = month.replace(day=1)
    if month_index(month) < month_index(device.purchased_on):
        raise ValidationError({"month": _("The month is before the device was bought.")})
    if month > timezone.localdate():
        raise ValidationError({"month": _("The month cannot be in the future.")})
    row = Revenue.objects.filter(device=device, month=month).first() or Revenue(
        device=device, month=month
    )
    row.amount, row.uses = amount, uses
    row.full_clean()
    row.save()
    return row


@transaction.atomic
def device_scrap(*, device: Device, scrapped_on: dt.date, reason: str, actor: Any = None) -> Device:
    device = Device.objects.select_for_update().get(pk=device.pk)
    if device.status == Device.Status.SCRAPPED:
        raise ValidationError(_("The device is already scrapped."))
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for scrapping.")})
    if scrapped_on < device.purchased_on:
        raise ValidationError(
            {"scrapped_on": _("A device cannot be scrapped before it was bought.")}
        )
    if scrapped_on > timezone.localdate():
        raise ValidationError({"scrapped_on": _("The date cannot be in the future.")})
    last = max(
        [
            d
            for d in (
                device.maintenance.order_by("-done_on").values_list("done_on", flat=True).first(),
                device.checks.order_by("-checked_on").values_list("checked_on", flat=True).first(),
            )
            if d is not None
        ],
        default=None,
    )
    if last and scrapped_on < last:
        raise ValidationError(
            {
                "scrapped_on": _("The file has records up to %(day)s: scrap on or after it.")
                % {"day": last}
            }
        )
    device.status = Device.Status.SCRAPPED
    device.scrapped_on = scrapped_on
    device.scrap_reason = reason.strip()[:300]
    device.full_clean()
    device.save()
    return device


# ------------------------------------------------------------------------ depreciation


def monthly_depreciation(device: Device) -> Decimal:
    return (device.price / (device.service_life_years * 12)).quantize(CENT, ROUND_HALF_UP)


def depreciation_months(device: Device, start: dt.date, end: dt.date) -> int:
    """Months of [start, end] in which the device depreciates."""
    first = month_index(device.purchased_on)
    last = first + device.service_life_years * 12 - 1  # fully depreciated after this month
    if device.scrapped_on:
        last = min(last, month_index(device.scrapped_on) - 1)
    lo, hi = max(first, month_index(start)), min(last, month_index(end))
    return max(0, hi - lo + 1)


def depreciation(device: Device, start: dt.date, end: dt.date) -> Decimal:
    """Depreciation charged in [start, end]; the last month absorbs rounding so the total
    over the whole life equals the original value exactly."""
    months = depreciation_months(device, start, end)
    if not months:
        return Decimal("0")
    per_month = monthly_depreciation(device)
    total_months = device.service_life_years * 12
    first = month_index(device.purchased_on)
    hi = min(first + total_months - 1, month_index(end))
    if device.scrapped_on:
        hi = min(hi, month_index(device.scrapped_on) - 1)
    amount = per_month * months
    if hi == first + total_months - 1:
        # The period includes the final month: charge the remainder.
        amount += device.price - per_month * total_months
    return amount


def book_value(device: Device, on: dt.date) -> Decimal:
    return device.price - depreciation(device, device.purchased_on, on)


@dataclass(frozen=True)
class CostBenefit:
    revenue: Decimal
    uses: int
    depreciation: Decimal
    maintenance: Decimal

    @property
    def cost(self) -> Decimal:
        return self.depreciation + self.maintenance

    @property
    def net(self) -> Decimal:
        return self.revenue - self.cost

    @property
    def ratio(self) -> Decimal | None:
        """Revenue per yuan of cost (收益成本比)."""
        if not self.cost:
            return None
        return (self.revenue / self.cost).quantize(CENT, ROUND_HALF_UP)


def cost_benefit(device: Device, start: dt.date, end: dt.date) -> CostBenefit:
    """Revenue against depreciation plus maintenance over [start, end] (two queries)."""
    rev = Revenue.objects.filter(
        device=device, month__gte=start.replace(day=1), month__lte=end
    ).aggregate(a=Sum("amount"), u=Sum("uses"))
    maint = Maintenance.objects.filter(
        device=device, done_on__gte=start, done_on__lte=end
    ).aggregate(c=Sum("cost"))["c"]
    return CostBenefit(
        revenue=rev["a"] or Decimal("0"),
        uses=rev["u"] or 0,
        depreciation=depreciation(device, start, end),
        maintenance=maint or Decimal("0"),
    )


# ------------------------------------------------------------------------ schedules


def next_due(last: dt.date | None, device: Device, months: int) -> dt.date:
    return add_months(last or device.purchased_on, months)


@transaction.atomic
def reminders_send(*, on: dt.date, within_days: int = 14) -> tuple[int, int]:
    """Remind the department heads and medical engineering of maintenance and checks due.

    Idempotent: one reminder per device, kind and due date reaches each person once.
    Returns the number of due items found and of notifications created.
    """
    from hongfan.equipment.selectors import due_items
    from hongfan.loops.services import capability_holder_ids, department_head_ids
    from hongfan.notifications.services import NotificationItem, notify_many

    items = due_items(
        Device.objects.exclude(status=Device.Status.SCRAPPED), on=on, within_days=within_days
    )
    heads = department_head_ids({i.device.department_id for i in items})
    engineering = capability_holder_ids(Cap.EQUIPMENT_MANAGE)
    created = notify_many(
        [
            NotificationItem(
                user_ids=engineering | heads.get(i.device.department_id, set()),
                title=_("Preventive maintenance due")
                if i.kind == "maintenance"
                else _("Quality check due"),
                body=(
                    _("%(device)s: due on %(due)s (overdue).")
                    if i.due < on
                    else _("%(device)s: due on %(due)s.")
                )
                % {"device": str(i.device), "due": i.due},
                url=reverse("equipment:detail", args=[i.device.pk]),
                level="warning" if i.due < on else "reminder",
                dedup_key=f"equipment:{i.kind}:{i.device.pk}:{i.due:%Y-%m-%d}",
                source_type="equipment.device",
                source_id=str(i.device.pk),
            )
            for i in items
        ]
    )
    return len(items), len(created)
