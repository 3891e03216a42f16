"""Demo data: the hospital's electricity meters, a year of 15-minute readings with planted
anomalies, the alarms the detection finds in them, one turned into a work order."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hongfan.accounts.roles import Role
from hongfan.demo.extensions import DemoContext
from hongfan.energy import generator, services
from hongfan.energy.models import Alarm, Meter
from hongfan.org.models import Department

# (code, name, scope, building, device, base kWh per 15 minutes)
METERS = [
    ("M-MZ-01", "门诊楼总表", Meter.Scope.BUILDING, "门诊楼", "", 55.0),
    ("M-ZY-01", "住院部总表", Meter.Scope.BUILDING, "住院部", "", 80.0),
    ("M-YJ-01", "医技楼总表", Meter.Scope.BUILDING, "医技楼", "", 45.0),
    ("M-ZY-D1", "{dept}用电", Meter.Scope.DEPARTMENT, "住院部", "", 6.0),
    ("M-YJ-CT", "CT 机房", Meter.Scope.DEVICE, "医技楼", "西门子 64 排 CT", 8.0),
    ("M-KT-01", "中央空调冷站", Meter.Scope.DEVICE, "动力中心", "离心式冷水机组", 35.0),
]
EXTRA = [  # the larger demo: every department of the hospital gets its meter
    ("M-ZY-D{n:02d}", "{dept}用电", Meter.Scope.DEPARTMENT, "住院部", "", 5.0),
]


def seed(ctx: DemoContext) -> dict[str, int]:
    rng = ctx.rng("energy")
    departments = list(
        Department.objects.filter(institution__code__startswith="DEMO").order_by("code")
    )
    if not departments:
        departments = list(Department.objects.order_by("code")[:20])
    rows = list(METERS)
    if ctx.size != "small":
        rows += [
            (EXTRA[0][0].format(n=i + 2), EXTRA[0][1], *EXTRA[0][2:])
            for i in range(min(40, max(len(departments) - 1, 0)))
        ]
    meters: list[Meter] = []
    base: dict[int, float] = {}
    for i, (code, name, scope, building, device, kwh) in enumerate(rows):
        dept = departments[i % len(departments)] if departments else None
        if scope == Meter.Scope.DEPARTMENT and dept is None:
            continue
        m = services.meter_save(
            code=code,
            name=name.format(dept=dept.name if dept else ""),
            scope=scope,
            building=building,
            department=dept if scope == Meter.Scope.DEPARTMENT else None,
            device=device,
            margin_percent=25 if scope == Meter.Scope.BUILDING else 30,
            night_ratio_percent=80 if scope != Meter.Scope.DEVICE else 60,
            spike_factor=Decimal("3.0"),
        )
        meters.append(m)
        base[m.pk] = kwh * rng.uniform(0.9, 1.1)
    end = ctx.today - dt.timedelta(days=1)
    start = end - dt.timedelta(days=364)
    ids = [m.pk for m in meters]
    # Planted anomalies, spread over the year, the latest in the last fortnight.
    plants = []
    kinds = ("above_baseline", "night_load", "spike")
    for k, m in enumerate(meters):
        for j in range(3 if ctx.size == "small" else 2):
            day = end - dt.timedelta(days=rng.randrange(3, 330) if j else 3 + 4 * k)
            plants.append(generator.Plant(m.pk, kinds[(k + j) % 3], day))
    generator.purge_meters(ids)
    rows_written = generator.generate(
        ids, start=start, end=end, plants=plants, seed=ctx.seed, base_kwh=base
    )
    found = services.alarms_detect(
        start=start + dt.timedelta(days=29), end=end - dt.timedelta(days=1)
    )
    # Facilities turned the latest alarm into a repair order and closed an old one.
    office = ctx.accounts.get(Role.PRESIDENT_OFFICE)
    latest = Alarm.objects.filter(meter__in=meters).order_by("-day").first()
    if office is not None and latest is not None and office.staff_id:
        from hongfan.logistics.models import ServiceTeam

        # Only when the logistics demo has set up its repair team.
        if ServiceTeam.objects.filter(category="repair", is_active=True).exists():
            services.alarm_open_work_order(alarm=latest, actor=office, note="请现场核查")
    oldest = (
        Alarm.objects.filter(meter__in=meters, status=Alarm.Status.OPEN).order_by("day").first()
    )
    if oldest is not None:
        services.alarm_close(alarm=oldest, actor=office, note="经核实为节假日设备检修，已恢复")
    return {
        "meters": len(meters),
        "meter readings": rows_written,
        "planted anomalies": len(plants),
        "energy alarms": found["created"],
    }
