"""The navigation menu, built from entries that apps register in their AppConfig.ready().

An entry is shown only to users holding its capability, so the menu never offers a page
that would answer 403.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise


@dataclass(frozen=True)
class NavItem:
    label: str | Promise
    url_name: str
    capabilities: tuple[str, ...]
    icon: str = "circle"


@dataclass
class NavSection:
    key: str
    label: str | Promise
    order: int
    items: list[NavItem] = field(default_factory=list)


_SECTIONS: dict[str, NavSection] = {}


def register(
    section: str,
    section_label: str | Promise,
    item: NavItem,
    *,
    order: int = 100,
) -> None:
    sec = _SECTIONS.setdefault(section, NavSection(section, section_label, order))
    if all(existing.url_name != item.url_name for existing in sec.items):
        sec.items.append(item)


def sections_for(request: HttpRequest) -> list[dict[str, Any]]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    current = request.resolver_match.view_name if request.resolver_match else ""
    out = []
    for sec in sorted(_SECTIONS.values(), key=lambda s: (s.order, s.key)):
        items = []
        for item in sec.items:
            if not any(user.has_capability(c) for c in item.capabilities):
                continue
            try:
                url = reverse(item.url_name)
            except NoReverseMatch:
                continue
            items.append(
                {
                    "label": item.label,
                    "url": url,
                    "icon": item.icon,
                    "active": current == item.url_name,
                }
            )
        if items:
            out.append({"key": sec.key, "label": sec.label, "items": items})
    return out
