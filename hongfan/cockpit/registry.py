"""The panel registry: one small provider per cockpit panel, shared by the generated reports.

A panel names the figures it computes (``membership.members_in_post`` …) up front, so that a
report template can be checked without computing anything, and a provider function that reads
the owning app's **selectors** (never its models) for a :class:`FigureContext` — the period, the
institution and the signed-in user's scope — and returns a :class:`PanelData`: the figures
(each with a drill-down link to the records behind it), an ECharts option and whether the
panel has any data at all. The cockpit shows the panels a user may see; a report is rendered
from exactly the same figures (see ``services.report_generate``).

Other apps' panels register from this app (``hongfan/cockpit/panels.py``) when their selectors
exist; see docs/apps/cockpit.md "Adding a panel".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Period:
    """A calendar year or one of its quarters."""

    year: int
    quarter: int | None = None

    @property
    def start(self) -> dt.date:
        if self.quarter:
            return dt.date(self.year, 3 * self.quarter - 2, 1)
        return dt.date(self.year, 1, 1)

    @property
    def end(self) -> dt.date:
        if self.quarter:
            if self.quarter == 4:
                return dt.date(self.year, 12, 31)
            return dt.date(self.year, 3 * self.quarter + 1, 1) - dt.timedelta(days=1)
        return dt.date(self.year, 12, 31)

    @property
    def label(self) -> str:
        if self.quarter:
            return _("Q%(q)s %(year)s") % {"year": self.year, "q": self.quarter}
        return _("Year %(year)s") % {"year": self.year}

    def start_dt(self) -> dt.datetime:
        return timezone.make_aware(dt.datetime.combine(self.start, dt.time.min))

    def end_dt(self) -> dt.datetime:
        """The first instant after the period (exclusive upper bound)."""
        return timezone.make_aware(
            dt.datetime.combine(self.end + dt.timedelta(days=1), dt.time.min)
        )


@dataclass(frozen=True)
class FigureContext:
    """What a provider computes for: who asks, which period, which institution."""

    user: Any
    period: Period
    institution_id: int | None = None
    today: dt.date = field(default_factory=timezone.localdate)

    @property
    def on(self) -> dt.date:
        """The reference day of stock figures (membership): the period's end, or today."""
        return min(self.period.end, self.today)

    @property
    def hospital_wide(self) -> bool:
        return bool(self.user.scope.hospital_wide)


@dataclass
class Figure:
    key: str  # short key inside the panel, e.g. "members_in_post"
    label: str
    value: int | Decimal | None
    unit: str = ""  # "%" for percentages, "" for counts
    url: str = ""  # drill-down: the list page with filters

    @property
    def display(self) -> str:
        """The value as printed on the cockpit and in reports; "—" when it has no data."""
        if self.value is None:
            return "—"
        if self.unit == "%":
            return f"{self.value}%"
        return f"{self.value}{self.unit}"


@dataclass
class PanelData:
    figures: list[Figure]
    chart: dict[str, Any] | None = None
    has_data: bool = True
    note: str = ""
    links: list[tuple[str, str]] = field(default_factory=list)  # (label, url) drill-downs
    chart_urls: list[str] = field(default_factory=list)  # drill-down per chart category
    # Rows shown as a table instead of figure tiles: {"figure": Figure, "target": str,
    # "meets": bool | None, ...} (clinical indicators against their targets).
    table: list[dict[str, Any]] | None = None
    empty: str = ""  # what the empty state says, when more than "no records" helps
    computed_at: dt.datetime | None = None  # when the figures were computed (panel cache)

    def by_key(self) -> dict[str, Figure]:
        return {f.key: f for f in self.figures}


Provider = Callable[[FigureContext], PanelData]


@dataclass(frozen=True)
class Panel:
    key: str
    label: str | Promise
    capabilities: tuple[str, ...]  # any of them lets a user see the panel
    figures: dict[str, str | Promise]  # figure key -> label (declared up front)
    provider: Provider
    source: str  # the owning app's label
    order: int = 100
    units: dict[str, str] = field(default_factory=dict)

    def visible_to(self, user: Any) -> bool:
        return any(user.has_capability(c) for c in self.capabilities)


_PANELS: dict[str, Panel] = {}


def register(panel: Panel) -> None:
    """Register (or replace) a panel."""
    _PANELS[panel.key] = panel


def panels() -> list[Panel]:
    return sorted(_PANELS.values(), key=lambda p: (p.order, p.key))


def panels_for(user: Any) -> list[Panel]:
    return [p for p in panels() if p.visible_to(user)]


def get(key: str) -> Panel | None:
    return _PANELS.get(key)


def known_figures() -> dict[str, str]:
    """Every placeholder a template may name: ``panel.figure`` -> label."""
    out: dict[str, str] = {}
    for p in panels():
        for k, label in p.figures.items():
            out[f"{p.key}.{k}"] = str(label)
    return out


def compute(panel: Panel, ctx: FigureContext) -> PanelData:
    data = panel.provider(ctx)
    declared = set(panel.figures)
    returned = {f.key for f in data.figures}
    if returned != declared:  # a provider must return exactly what it declares
        raise RuntimeError(f"panel {panel.key}: declared {declared} but returned {returned}")
    return data
