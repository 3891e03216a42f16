"""The registry of importers by kind key (``departments``, ``staff``, ...).

Apps declare importers in their ``importers.py`` and decorate them with ``@register``; the
imports app discovers those modules at start-up (``ImportsConfig.ready``).
"""

from __future__ import annotations

from django.http import Http404

from hongfan.imports.framework import Importer

_REGISTRY: dict[str, type[Importer]] = {}


def register(cls: type[Importer]) -> type[Importer]:
    existing = _REGISTRY.get(cls.kind)
    if existing is not None and existing is not cls and existing.__qualname__ != cls.__qualname__:
        raise ValueError(f"Importer kind {cls.kind!r} is already registered by {existing!r}.")
    _REGISTRY[cls.kind] = cls
    return cls


def get(kind: str) -> type[Importer]:
    try:
        return _REGISTRY[kind]
    except KeyError:
        raise Http404(kind) from None


def all_importers() -> list[type[Importer]]:
    return sorted(_REGISTRY.values(), key=lambda c: (c.order, c.kind))
