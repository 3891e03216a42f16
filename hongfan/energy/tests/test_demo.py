"""The energy part of the small demo hospital: a year of readings whose planted anomalies
the detection finds."""

from __future__ import annotations

import datetime as dt

import pytest

from hongfan.demo import extensions
from hongfan.demo.services import demo_seed
from hongfan.energy.models import Alarm, Meter

pytestmark = pytest.mark.django_db


def test_the_small_demo_finds_its_planted_anomalies(monkeypatch: pytest.MonkeyPatch) -> None:
    only_mine = {k: v for k, v in extensions._REGISTRY.items() if k in ("logistics", "energy")}
    monkeypatch.setattr(extensions, "_REGISTRY", only_mine)
    result = demo_seed(size="small", seed=1, today=dt.date(2026, 11, 23))
    counts = result.extra_counts
    assert counts["meters"] == 6
    assert counts["meter readings"] >= 6 * 365 * 96
    kinds = set(Alarm.objects.values_list("kind", flat=True))
    assert kinds == {"above_baseline", "night_load", "spike"}
    # Every planted anomaly of the latest fortnight is found on its day.
    latest = Alarm.objects.filter(day__gte=dt.date(2026, 11, 1))
    assert latest.count() >= 5
    assert Alarm.objects.filter(work_order__isnull=False).count() == 1
    assert Alarm.objects.filter(status=Alarm.Status.CLOSED).count() == 1
    assert Meter.objects.filter(scope=Meter.Scope.DEVICE).count() == 2
