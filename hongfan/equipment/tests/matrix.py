"""Permission matrix of the equipment pages (hongfan/core/matrix.py)."""

from __future__ import annotations

from hongfan.core.matrix import Case

CASES: list[Case] = []
