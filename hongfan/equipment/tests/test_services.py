"""Equipment rules: record dates inside the device's life, depreciation, cost–benefit,
schedules and reminders, adverse events and scrapping."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from hongfan.accounts.roles import Role
from hongfan.core.testing import World
from hongfan.equipment import services
from hongfan.equipment.models import AdverseEvent, Device, Maintenance, QualityCheck
from hongfan.equipment.tests.factories import device
from hongfan.notifications.models import Notification

pytestmark = pytest.mark.django_db


def _pm(d: Device, day: dt.date, cost: str = "0") -> Maintenance:
    return services.maintenance_record(
        device=d,
        kind=Maintenance.Kind.PREVENTIVE,
        done_on=day,
        engineer="设备物资科 王工",
        work_done="清洁、校准、电气安全检查",
        cost=Decimal(cost),
    )


def test_maintenance_dated_before_purchase_is_refused(world: World) -> None:
    d = device(world)
    with pytest.raises(ValidationError) as exc:
        _pm(d, dt.date(2025, 3, 9))
    assert "done_on" in exc.value.message_dict
    assert "购置" in exc.value.message_dict["done_on"][0]
    assert not Maintenance.objects.exists()
    assert _pm(d, dt.date(2025, 3, 10)).pk  # the purchase day itself is fine


def test_maintenance_in_the_future_or_after_scrapping_is_refused(world: World) -> None:
    d = device(world)
    with pytest.raises(ValidationError):
        _pm(d, dt.date.today() + dt.timedelta(days=1))
    services.device_scrap(device=d, scrapped_on=dt.date(2026, 6, 30), reason="无维修价值")
    with pytest.raises(ValidationError, match="报废"):
        _pm(d, dt.date(2026, 7, 1))


def test_a_repair_needs_its_fault(world: World) -> None:
    d = device(world)
    with pytest.raises(ValidationError):
        services.maintenance_record(
            device=d,
            kind=Maintenance.Kind.REPAIR,
            done_on=dt.date(2026, 1, 5),
            engineer="厂家工程师",
            work_done="更换电源",
        )


def test_a_failed_check_takes_the_device_out_of_use_until_repaired(world: World) -> None:
    d = device(world)
    with pytest.raises(ValidationError):  # findings are required when it fails
        services.check_record(
            device=d,
            kind=QualityCheck.Kind.SAFETY,
            checked_on=dt.date(2026, 2, 1),
            result=QualityCheck.Result.FAILED,
            inspector="质控组",
        )
    services.check_record(
        device=d,
        kind=QualityCheck.Kind.SAFETY,
        checked_on=dt.date(2026, 2, 1),
        result=QualityCheck.Result.FAILED,
        inspector="质控组",
        findings="漏电流超标",
    )
    d.refresh_from_db()
    assert d.status == Device.Status.UNDER_REPAIR
    services.maintenance_record(
        device=d,
        kind=Maintenance.Kind.REPAIR,
        done_on=dt.date(2026, 2, 3),
        engineer="厂家工程师",
        fault="漏电流超标",
        work_done="更换隔离变压器",
        cost=Decimal("6800"),
    )
    d.refresh_from_db()
    assert d.status == Device.Status.IN_USE


def test_the_purchase_date_cannot_move_after_the_first_record(world: World) -> None:
    d = device(world)
    _pm(d, dt.date(2025, 9, 10))
    with pytest.raises(ValidationError):
        services.device_update(device=d, purchased_on=dt.date(2025, 9, 11))
    assert services.device_update(device=d, purchased_on=dt.date(2025, 9, 10)).purchased_on == (
        dt.date(2025, 9, 10)
    )


# ------------------------------------------------------------------ depreciation


def test_straight_line_depreciation_starts_in_the_month_of_purchase(world: World) -> None:
    d = device(world)  # 1,200,000 over 10 years: 10,000 a month, bought 2025-03-10
    assert services.monthly_depreciation(d) == Decimal("10000.00")
    assert services.depreciation(d, dt.date(2025, 1, 1), dt.date(2025, 12, 31)) == Decimal(
        "100000.00"
    )  # March to December: 10 months
    assert services.depreciation(d, dt.date(2025, 1, 1), dt.date(2025, 2, 28)) == 0
    # March 2025 .. February 2026: twelve months charged.
    assert services.book_value(d, dt.date(2026, 2, 28)) == Decimal("1080000.00")


def test_depreciation_stops_in_the_month_of_scrapping(world: World) -> None:
    d = device(world)
    services.device_scrap(device=d, scrapped_on=dt.date(2026, 6, 15), reason="事故损毁")
    d.refresh_from_db()
    # March 2025 .. May 2026 = 15 months; June 2026 (scrapping month) is not charged.
    assert services.depreciation(d, d.purchased_on, dt.date(2026, 12, 31)) == Decimal("150000.00")


def test_over_its_whole_life_a_device_depreciates_exactly_its_value(world: World) -> None:
    d = device(
        world, price=Decimal("1000000"), service_life_years=6, purchased_on=dt.date(2019, 1, 5)
    )
    assert services.monthly_depreciation(d) == Decimal("13888.89")
    assert services.depreciation(d, d.purchased_on, dt.date(2026, 1, 1)) == Decimal("1000000")
    assert services.depreciation(d, dt.date(2025, 1, 1), dt.date(2025, 12, 31)) == 0


def test_cost_benefit_sets_revenue_against_depreciation_and_maintenance(world: World) -> None:
    d = device(world)
    _pm(d, dt.date(2026, 3, 1), cost="2000")
    services.revenue_record(device=d, month=dt.date(2026, 1, 1), amount=Decimal("150000"), uses=900)
    services.revenue_record(device=d, month=dt.date(2026, 2, 1), amount=Decimal("130000"), uses=800)
    cb = services.cost_benefit(d, dt.date(2026, 1, 1), dt.date(2026, 3, 31))
    assert (cb.revenue, cb.depreciation, cb.maintenance) == (
        Decimal("280000"),
        Decimal("30000.00"),
        Decimal("2000"),
    )
    assert cb.net == Decimal("248000.00") and cb.uses == 1700
    assert cb.ratio == Decimal("8.75")


def test_revenue_of_a_month_is_corrected_not_doubled(world: World) -> None:
    d = device(world)
    services.revenue_record(device=d, month=dt.date(2026, 1, 1), amount=Decimal("1"), uses=1)
    services.revenue_record(device=d, month=dt.date(2026, 1, 20), amount=Decimal("2"), uses=2)
    assert list(d.revenue.values_list("amount", flat=True)) == [Decimal("2")]
    with pytest.raises(ValidationError):
        services.revenue_record(device=d, month=dt.date(2025, 2, 1), amount=Decimal("1"))


# ------------------------------------------------------------------ schedules and reminders


def test_the_next_maintenance_is_due_one_interval_after_the_last(world: World) -> None:
    d = device(world)
    assert services.next_due(None, d, 6) == dt.date(2025, 9, 10)
    assert services.next_due(dt.date(2025, 8, 31), d, 6) == dt.date(2026, 2, 28)


def test_reminders_reach_engineering_and_the_head_once(world: World) -> None:
    d = device(world)
    _pm(d, dt.date(2025, 9, 10))  # next due 2026-03-10
    device(world, asset_no="SB20250002", department=world.dept_b1)  # due 2025-09-10: overdue
    scrapped = device(world, asset_no="SB20250003")
    services.device_scrap(device=scrapped, scrapped_on=dt.date(2025, 4, 1), reason="损毁")
    # 14 days ahead of 2026-02-24 reaches 2026-03-10 exactly; one day earlier it does not.
    due, _created = services.reminders_send(on=dt.date(2026, 2, 23), within_days=14)
    kinds = {(n.source_id, n.title) for n in Notification.objects.all()}
    assert str(d.pk) not in {s for s, t in kinds if t == "预防性维护到期"}
    assert due == 1  # only the other device's overdue maintenance
    Notification.objects.all().delete()
    due, created = services.reminders_send(on=dt.date(2026, 2, 24), within_days=14)
    assert due == 4  # both devices' maintenance and quality check (2026-03-10)
    pm_for_d = Notification.objects.filter(source_id=str(d.pk), title="预防性维护到期")
    assert set(pm_for_d.values_list("recipient_id", flat=True)) == {
        world.user(Role.DEPARTMENT_HEAD).pk,
        world.user(Role.MEDICAL_AFFAIRS).pk,
        world.user(Role.PRESIDENT_OFFICE).pk,
    }
    assert not Notification.objects.filter(source_id=str(scrapped.pk)).exists()
    assert created > 0
    assert services.reminders_send(on=dt.date(2026, 2, 24), within_days=14)[1] == 0


# ------------------------------------------------------------------ events and scrapping


def test_an_adverse_event_cannot_be_discovered_before_it_occurred(world: World) -> None:
    d = device(world)
    with pytest.raises(ValidationError):
        services.event_report(
            device=d,
            occurred_on=dt.date(2026, 5, 2),
            discovered_on=dt.date(2026, 5, 1),
            severity=AdverseEvent.Severity.OTHER,
            description="图像伪影",
        )
    assert not AdverseEvent.objects.exists()


def test_an_adverse_event_notifies_engineering_and_moves_forward_only(world: World) -> None:
    d = device(world)
    e = services.event_report(
        device=d,
        occurred_on=dt.date(2026, 5, 1),
        discovered_on=dt.date(2026, 5, 1),
        severity=AdverseEvent.Severity.SERIOUS,
        description="检查中探头发热致患者皮肤轻度烫伤",
    )
    note = Notification.objects.get(recipient=world.user(Role.MEDICAL_AFFAIRS))
    assert "2026-05-21" in note.body  # serious injury: report within 20 days
    with pytest.raises(ValidationError):
        services.event_set_status(event=e, status=AdverseEvent.Status.CLOSED)  # no measures
    services.event_set_status(event=e, status=AdverseEvent.Status.SUBMITTED)
    with pytest.raises(ValidationError):
        services.event_set_status(event=e, status=AdverseEvent.Status.REPORTED)


def test_scrapping_rules(world: World) -> None:
    d = device(world)
    _pm(d, dt.date(2026, 4, 1))
    with pytest.raises(ValidationError):
        services.device_scrap(device=d, scrapped_on=dt.date(2025, 3, 9), reason="x")
    with pytest.raises(ValidationError):  # before the last record in the file
        services.device_scrap(device=d, scrapped_on=dt.date(2026, 3, 31), reason="x")
    with pytest.raises(ValidationError):
        services.device_scrap(device=d, scrapped_on=dt.date(2026, 4, 1), reason=" ")
    services.device_scrap(device=d, scrapped_on=dt.date(2026, 4, 1), reason="无维修价值")
    d.refresh_from_db()
    assert d.status == Device.Status.SCRAPPED
    with pytest.raises(ValidationError):
        services.device_scrap(device=d, scrapped_on=dt.date(2026, 4, 2), reason="再次")
    with pytest.raises(ValidationError):
        services.device_update(device=d, name="改名")
