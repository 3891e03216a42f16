"""Role-aware navigation for the base layout."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from hongfan.core.navigation import sections_for


def navigation(request: HttpRequest) -> dict[str, Any]:
    return {"nav_sections": sections_for(request)}
