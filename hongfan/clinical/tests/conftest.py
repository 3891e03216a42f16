"""Fixtures of the clinical tests: a private analytic store and a small synthetic hospital."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from hongfan.clinical import generator
from hongfan.notifications import services as notification_services

MONTHS = ["2026-01", "2026-02"]


@pytest.fixture(autouse=True)
def _store(settings: Any, tmp_path: Any) -> None:
    settings.HONGFAN_ANALYTICS_DIR = tmp_path / "analytics"
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _no_network(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(notification_services, "webhook_transport", lambda *a, **k: (200, b"{}"))
    yield


def world_doctors(world: Any) -> dict[str, list[str]]:
    """The world's departments, each with its doctors plus synthetic peers (not on staff)."""
    out: dict[str, list[str]] = {}
    for dept in (world.dept_a1, world.dept_a2, world.dept_b1):
        staff = (
            sorted(dept.staff.values_list("employee_no", flat=True))
            if hasattr(dept, "staff")
            else []
        )
        out[dept.code] = [*staff, *(f"X{dept.code}{i}" for i in range(1, 5))]
    return out


@pytest.fixture
def hospital(world: Any) -> generator.Generated:
    """Two months of a small hospital stored in the analytic store (planted labels known)."""
    from hongfan.org.models import Staff

    doctors = {
        d.code: sorted(Staff.objects.filter(department=d).values_list("employee_no", flat=True))
        + [f"X{d.code}{i}" for i in range(1, 5)]
        for d in (world.dept_a1, world.dept_a2, world.dept_b1)
    }
    data = generator.generate(
        prescriptions=4000, months=MONTHS, doctors=doctors, seed=11, violation_rate=0.004
    )
    generator.store(data)
    return data
