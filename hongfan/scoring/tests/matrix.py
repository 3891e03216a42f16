"""Permission matrix of the scoring pages (hongfan/core/matrix.py)."""

from __future__ import annotations

from hongfan.core.matrix import Case

CASES: list[Case] = []
