"""Reads of the cockpit: panels a user may see, computed for a period; templates; reports."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
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


def cockpit(ctx: FigureContext) -> list[tuple[Panel, PanelData]]:
    """The panels ``ctx.user`` may see, each computed for the context (same providers as the
    reports)."""
    return [(p, registry.compute(p, ctx)) for p in registry.panels_for(ctx.user)]


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
