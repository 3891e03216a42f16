"""Department indicators that source modules provide to the scoring engine.

The department red flag (流动红旗) and the department performance sheet combine figures that
live in other modules (satisfaction, complaints, prescribing indicators, budget execution).
Each source registers a provider in its ``AppConfig.ready()``::

    from hongfan.scoring.indicators import register

    register(
        "voice.satisfaction",
        gettext_lazy("Patient satisfaction (top-box %)"),
        satisfaction_by_department,   # (start, end, department_ids) -> {department_id: value}
        unit="%",
        higher_is_better=True,
    )

A provider returns ``None`` for a department whose figure must not be shown (e.g. too few
survey responses); consumers treat it as "no score", never as zero.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

Provider = Callable[[dt.date, dt.date, "set[int] | None"], "dict[int, Decimal | None]"]


@dataclass(frozen=True)
class Indicator:
    key: str
    label: Any  # lazy translation
    provider: Provider
    unit: str = ""
    higher_is_better: bool = True


_REGISTRY: dict[str, Indicator] = {}


def register(
    key: str,
    label: Any,
    provider: Provider,
    *,
    unit: str = "",
    higher_is_better: bool = True,
) -> None:
    _REGISTRY[key] = Indicator(key, label, provider, unit, higher_is_better)


def available() -> list[Indicator]:
    return [_REGISTRY[k] for k in sorted(_REGISTRY)]


def get(key: str) -> Indicator | None:
    return _REGISTRY.get(key)


def department_values(
    key: str, *, start: dt.date, end: dt.date, department_ids: Iterable[int] | None = None
) -> dict[int, Decimal | None]:
    """The indicator ``key`` per department over [start, end] ({} when nobody provides it)."""
    indicator = _REGISTRY.get(key)
    if indicator is None:
        return {}
    ids = set(department_ids) if department_ids is not None else None
    return indicator.provider(start, end, ids)
