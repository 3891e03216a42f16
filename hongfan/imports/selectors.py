"""Reads of import runs."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from hongfan.imports import registry
from hongfan.imports.framework import Importer
from hongfan.imports.models import ImportRun


def importers_for(user: Any) -> list[type[Importer]]:
    """The importers whose capability ``user`` holds."""
    if not getattr(user, "is_authenticated", False):
        return []
    return [cls for cls in registry.all_importers() if user.has_capability(cls.capability)]


def import_capabilities() -> tuple[str, ...]:
    return tuple(sorted({cls.capability for cls in registry.all_importers()}))


def runs_visible_to(user: Any) -> QuerySet[ImportRun]:
    """Runs of the kinds the user may import; only their own unless hospital-wide."""
    kinds = [cls.kind for cls in importers_for(user)]
    if not kinds:
        return ImportRun.objects.none()
    qs = ImportRun.objects.filter(kind__in=kinds).select_related("user")
    if not user.scope.hospital_wide:
        qs = qs.filter(user=user)
    return qs
