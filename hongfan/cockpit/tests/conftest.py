from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    """Generated Word and PDF files go to a temporary media root."""
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture(autouse=True)
def _fresh_figures(settings: Any) -> None:
    """Every test computes its figures: the panel cache is off and empty (the cache tests turn
    it on themselves)."""
    from django.core.cache import cache

    settings.HONGFAN_COCKPIT_CACHE_SECONDS = 0
    cache.clear()
