from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    """Generated Word and PDF files go to a temporary media root."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
