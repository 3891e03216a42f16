"""The rectification part of the small demo hospital."""

from __future__ import annotations

import datetime as dt

import pytest

from hongfan.demo import extensions
from hongfan.demo.services import demo_seed
from hongfan.loops.models import Evidence
from hongfan.rectification.models import Inspection, Task

pytestmark = pytest.mark.django_db


def test_the_small_demo_has_a_list_of_15_problems_in_every_state(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    only_mine = {k: v for k, v in extensions._REGISTRY.items() if k == "rectification"}
    monkeypatch.setattr(extensions, "_REGISTRY", only_mine)
    result = demo_seed(size="small", seed=1, today=dt.date(2026, 11, 23))
    assert result.extra_counts["rectification tasks"] == 15
    inspection = Inspection.objects.get()
    assert inspection.problems.count() == 15
    states = [t.matter.state for t in Task.objects.select_related("matter")]
    assert {s: states.count(s) for s in set(states)} == {
        "closed": 5,
        "submitted": 2,
        "in_progress": 4,
        "open": 4,
    }
    now = dt.datetime(2026, 11, 23, 12, tzinfo=dt.UTC)
    overdue = Task.objects.filter(matter__closed_at__isnull=True, matter__due_at__lt=now)
    assert overdue.count() == 2
    assert Evidence.objects.filter(matter__rectification_task__isnull=False).count() == 8
