"""Reads of the cockpit: panels a user may see, computed for a period; templates; reports."""

from __future__ import annotations

import hashlib
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from hongfan.accounts.roles import Cap
from hongfan.cockpit import panels as _panels  # noqa: F401 (registers the panels)
from hongfan.cockpit import registry
from hongfan.cockpit.models import GeneratedReport, ReportTemplate
from hongfan.cockpit.registry import Figure, FigureContext, Panel, PanelData


def templates_visible_to(user: Any) -> QuerySet[ReportTemplate]:
    if user.is_authenticated and (
        user.has_capability(Cap.COCKPIT_TEMPLATES) or user.has_capability(Cap.COCKPIT_REPORTS)
    ):
        return ReportTemplate.objects.all()
    return ReportTemplate.objects.none()


def reports_visible_to(user: Any) -> QuerySet[GeneratedReport]:
    qs = GeneratedReport.objects.select_related("template", "institution", "generated_by")
    if user.is_authenticated and user.has_capability(Cap.COCKPIT_REPORTS):
        return qs
    return qs.none()


def cache_seconds() -> int:
    """How long the cockpit page may show a panel's figures before computing them again
    (``HONGFAN_COCKPIT_CACHE_SECONDS``, default 60; 0 turns the cache off)."""
    return int(getattr(settings, "HONGFAN_COCKPIT_CACHE_SECONDS", 60))


def panel_cache_key(panel: Panel, ctx: FigureContext) -> str:
    """One cache entry per panel × period × institution × scope.

    The scope is what the providers read of the user: the capabilities (they decide the
    drill-down links and, in some modules, the records), whether the user sees the whole
    deployment, else the organisations, departments and staff record of the role. Users with
    the same roles and scope share the entry; the language is part of it (labels are text).
    """
    scope = ctx.user.scope
    parts = [
        panel.key,
        ctx.period.year,
        ctx.period.quarter,
        ctx.institution_id,
        ctx.today.isoformat(),
        get_language(),
        sorted(ctx.user.capabilities),
        scope.hospital_wide,
    ]
    if not scope.hospital_wide:
        parts += [sorted(scope.organisation_ids), sorted(scope.department_ids), scope.staff_id]
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()[:32]
    return f"cockpit:panel:{panel.key}:{digest}"


def cockpit(ctx: FigureContext, *, cached: bool = True) -> list[tuple[Panel, PanelData]]:
    """The panels ``ctx.user`` may see, each computed for the context (same providers as the
    reports).

    With ``cached`` (the page), a panel's figures computed less than ``cache_seconds()`` ago
    for the same scope are reused: leadership figures may be a minute old, and nothing
    invalidates the entry when a record changes (the page says when the figures were
    computed). Reports and the Excel export compute afresh (``cached=False``).
    """
    seconds = cache_seconds() if cached else 0
    out = []
    for p in registry.panels_for(ctx.user):
        key = panel_cache_key(p, ctx) if seconds else ""
        data = cache.get(key) if key else None
        if data is None:
            data = registry.compute(p, ctx)
            data.computed_at = timezone.now()
            if key:
                cache.set(key, data, seconds)
        out.append((p, data))
    return out


def figure_values(ctx: FigureContext, keys: list[str]) -> dict[str, Figure]:
    """Compute the named figures (``panel.figure``) through the panel providers.

    Refuses (naming them) figures that no panel declares, and figures of panels the user may
    not see — a report never shows more than its author's cockpit.
    """
    by_panel: dict[str, list[str]] = {}
    unknown, hidden = [], []
    for key in keys:
        panel_key, _dot, fig = key.partition(".")
        panel = registry.get(panel_key)
        if panel is None or fig not in panel.figures:
            unknown.append(key)
        elif not panel.visible_to(ctx.user):
            hidden.append(key)
        else:
            by_panel.setdefault(panel_key, []).append(fig)
    if unknown:
        raise ValidationError(
            _("Unknown figures: %(names)s.") % {"names": "、".join(unknown)}, code="unknown"
        )
    if hidden:
        raise ValidationError(
            _("You may not see the panels of these figures: %(names)s.")
            % {"names": "、".join(hidden)},
            code="hidden",
        )
    out: dict[str, Figure] = {}
    for panel_key, figs in by_panel.items():
        data = registry.compute(registry.get(panel_key), ctx).by_key()  # type: ignore[arg-type]
        for f in figs:
            out[f"{panel_key}.{f}"] = data[f]
    return out
