"""Alarm rules at their edges: margin above baseline, night window, spikes."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from hongfan.core.testing import World
from hongfan.energy import services
from hongfan.energy.models import Alarm
from hongfan.energy.tests.factories import TARGET, meter, profile, write

pytestmark = pytest.mark.django_db


def _kinds(day: dt.date = TARGET) -> set[str]:
    services.alarms_detect(start=day, end=day)
    return set(Alarm.objects.filter(day=day).values_list("kind", flat=True))


def _target_day_scaled(begin: dt.datetime) -> float:
    """The target day uses 25 % more than its baseline (96 → 120 kWh… on the 1.0/0.5 profile:
    68 kWh → 85 kWh)."""
    base = profile(begin)
    return base * 1.25 if begin.date() == TARGET else base


@pytest.mark.parametrize(("margin", "alarm"), [(24, True), (25, False), (26, False)])
def test_use_above_baseline_alarms_only_strictly_above_the_margin(
    world: World, margin: int, alarm: bool
) -> None:
    m = meter(world, margin_percent=margin)
    write(m, use=_target_day_scaled)
    assert ("above_baseline" in _kinds()) is alarm
    if alarm:
        a = Alarm.objects.get(kind="above_baseline")
        assert (a.value, a.reference) == (85.0, 68.0)
        assert a.excess_percent == 25.0


def test_no_baseline_alarm_without_four_weeks_of_history(world: World) -> None:
    m = meter(world, margin_percent=5)
    write(m, start=TARGET - dt.timedelta(days=21), use=_target_day_scaled)
    assert "above_baseline" not in _kinds()


@pytest.mark.parametrize(("ratio", "alarm"), [(49, True), (50, False), (51, False)])
def test_night_load_alarms_only_strictly_above_the_share_of_daytime_load(
    world: World, ratio: int, alarm: bool
) -> None:
    # Night 0.5 kWh per interval against 1.0 in the daytime: exactly 50 %.
    m = meter(world, night_ratio_percent=ratio)
    write(m)
    assert ("night_load" in _kinds()) is alarm


@pytest.mark.parametrize(
    ("hour", "minute", "alarm"),
    [(22, 45, False), (23, 0, True), (4, 45, True), (5, 0, False)],
)
def test_the_night_window_runs_from_23_00_to_05_00(
    world: World, hour: int, minute: int, alarm: bool
) -> None:
    # One interval of the night raised by 6 kWh lifts the night's mean from 0.5 to 0.75 (75 %
    # of the daytime, limit 60 %) — only when that interval is inside the window.
    day = TARGET + dt.timedelta(days=1) if hour < 12 else TARGET
    at = dt.datetime.combine(day, dt.time(hour, minute))

    def use(begin: dt.datetime) -> float:
        return profile(begin) + (6.0 if begin == at else 0.0)

    m = meter(world, night_ratio_percent=60)
    write(m, use=use, end=TARGET + dt.timedelta(days=2))
    assert ("night_load" in _kinds()) is alarm


@pytest.mark.parametrize(("factor", "alarm"), [("2.9", True), ("3.0", False), ("3.1", False)])
def test_a_spike_alarms_only_strictly_above_the_factor(
    world: World, factor: str, alarm: bool
) -> None:
    # 02:00 on the target day: 1.5 kWh after four intervals of 0.5 — exactly three times.
    at = dt.datetime.combine(TARGET, dt.time(2, 0))

    def use(begin: dt.datetime) -> float:
        return 1.5 if begin == at else profile(begin)

    m = meter(world, spike_factor=Decimal(factor))
    write(m, use=use)
    assert ("spike" in _kinds()) is alarm
    if alarm:
        a = Alarm.objects.get(kind="spike")
        assert a.value == 1.5 and a.reference == 0.5
        assert a.at.astimezone(dt.timezone(dt.timedelta(hours=8))).time() == dt.time(2, 15)


@pytest.mark.parametrize(("minimum", "alarm"), [("1.50", True), ("1.51", False)])
def test_a_spike_below_the_smallest_spike_is_ignored(
    world: World, minimum: str, alarm: bool
) -> None:
    at = dt.datetime.combine(TARGET, dt.time(2, 0))
    m = meter(world, spike_min_kwh=Decimal(minimum), spike_factor=Decimal("2.0"))
    write(m, use=lambda b: 1.5 if b == at else profile(b))
    assert ("spike" in _kinds()) is alarm


def test_a_spike_right_after_a_gap_in_the_readings_is_not_judged(world: World) -> None:
    m = meter(world)
    write(m, end=TARGET)  # ends at 05:00 on the target day
    # Readings resume at 02:15 the next day with a jump: no previous hour to compare with.
    services._write(
        [(m.pk, dt.datetime.combine(TARGET + dt.timedelta(days=1), dt.time(2, 15)), 99999.0)]
    )
    assert "spike" not in _kinds(TARGET + dt.timedelta(days=1))


def test_detection_is_idempotent(world: World) -> None:
    m = meter(world, night_ratio_percent=40)
    write(m)
    first = services.alarms_detect(start=TARGET, end=TARGET)
    again = services.alarms_detect(start=TARGET, end=TARGET)
    assert first["created"] == 1 and again["created"] == 0
    assert Alarm.objects.count() == 1


def test_ibis_and_pandas_detections_agree(world: World) -> None:
    import pandas as pd

    from hongfan.core import analytics
    from hongfan.energy import detection

    at = dt.datetime.combine(TARGET, dt.time(11, 0))
    m = meter(world, night_ratio_percent=40, margin_percent=10)
    write(m, use=lambda b: 9.0 if b == at else _target_day_scaled(b))
    start = TARGET - dt.timedelta(days=3)
    params = services.params_table([m])
    con = analytics.connect()
    ibis_rows = detection.detect(con, start=start, end=TARGET, params=params).to_pandas()
    frame = con.read_parquet(analytics.glob(detection.DATASET)).to_pandas()
    pandas_rows = detection.detect_pandas(frame, start=start, end=TARGET, params=params.to_pandas())
    key = ["kind", "day"]
    a = ibis_rows.sort_values(key)[[*key, "value"]].reset_index(drop=True)
    b = pandas_rows.sort_values(key)[[*key, "value"]].reset_index(drop=True)
    assert set(a.kind) == {"above_baseline", "night_load", "spike"}
    pd.testing.assert_frame_equal(a, b, check_dtype=False)
