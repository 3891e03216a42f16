"""Project-wide pytest fixtures."""

from __future__ import annotations

import pytest

from hongfan.core.testing import World, build_world


@pytest.fixture
def world(db: None) -> World:
    return build_world()


@pytest.fixture(autouse=True)
def _fresh_workday_calendar() -> None:
    """Each test sees the calendar rows it creates (the service caches per process)."""
    from hongfan.workdays.services import clear_cache

    clear_cache()
