"""The logistics part of the small demo hospital."""

from __future__ import annotations

import datetime as dt

import pytest

from hongfan.demo import extensions
from hongfan.demo.services import demo_seed
from hongfan.logistics import selectors
from hongfan.logistics.models import ServiceTeam, WorkOrder

pytestmark = pytest.mark.django_db


def test_the_small_demo_has_a_year_of_work_orders_mostly_on_time(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    only_mine = {k: v for k, v in extensions._REGISTRY.items() if k == "logistics"}
    monkeypatch.setattr(extensions, "_REGISTRY", only_mine)
    result = demo_seed(size="small", seed=1, today=dt.date(2026, 11, 23))
    assert result.extra_counts["work orders"] >= 110
    assert ServiceTeam.objects.count() == 5
    first = WorkOrder.objects.order_by("filed_at").first()
    assert first.filed_at.date() <= dt.date(2025, 11, 25)
    stats = selectors.statistics(WorkOrder.objects.all())["total"]
    assert 75 <= stats["on_time_rate"] < 100  # some late ones, most on time
    assert stats["cancelled"] >= 1 and stats["mean_rating"] > 3.5
    # Every finished order has its result.
    assert not WorkOrder.objects.filter(matter__state="done", result="").exists()
