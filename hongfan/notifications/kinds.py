"""Kinds of notification, for per-user channel preferences.

A notification's kind is the app that sent it: ``notify(kind=…)`` names it, otherwise it is
the app label of ``source`` (``loops``, ``orglife``, ``outreach`` …) and ``general`` without a
source. A user can choose the channels (inbox only, + e-mail, + group robot, both) per kind;
kinds without a choice follow the user's default preference. An app whose label is not in
``DEFAULT_KINDS`` registers its kind from ``AppConfig.ready()``::

    from hongfan.notifications.kinds import register
    register("myapp", _("My module"))
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

GENERAL = "general"

# The modules that send reminders; labelled with their app's verbose name.
DEFAULT_KINDS = (
    "loops",
    "orglife",
    "learning",
    "development",
    "dues",
    "decisions",
    "innovation",
    "rectification",
    "voice",
    "integrity",
    "clinical",
    "scoring",
    "outreach",
    "publicity",
    "budget",
    "equipment",
    "logistics",
    "energy",
)

_REGISTRY: dict[str, str | Promise] = {}


def register(code: str, label: str | Promise) -> None:
    _REGISTRY[code] = label


def kind_for(*, kind: str = "", source_type: str = "") -> str:
    """Return the kind of a notification: the explicit one, else the source's app label."""
    if kind:
        return kind[:40]
    if source_type:
        return source_type.split(".", 1)[0][:40]
    return GENERAL


def label_for(code: str) -> Any:
    if code in _REGISTRY:
        return _REGISTRY[code]
    if code == GENERAL:
        return _("Other notifications")
    if apps.is_installed(f"hongfan.{code}"):
        return apps.get_app_config(code).verbose_name
    return code


def choices() -> list[tuple[str, Any]]:
    """Every known kind with its label: default kinds that are installed, then registered
    ones, then ``general``."""
    codes = [c for c in DEFAULT_KINDS if apps.is_installed(f"hongfan.{c}")]
    codes += [c for c in _REGISTRY if c not in codes and c != GENERAL]
    return [(c, label_for(c)) for c in codes] + [(GENERAL, label_for(GENERAL))]
