"""Hooks: let other modules react to matter events without a second workflow engine.

Register a function in your AppConfig.ready()::

    from hongfan.loops import hooks

    @hooks.on("complaint", "answer")
    def _complaint_answered(*, matter, event):
        ...

The function runs inside the service's transaction, after the event row is written: an
exception rolls the whole transition back. ``type_code`` or ``action`` ``None`` match any.
Actions are the workflow's transition codes plus ``open``, ``hand_over``, ``feedback``,
``escalate`` (see ``MatterEvent.Action``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Hook = Callable[..., Any]
_HOOKS: list[tuple[str | None, str | None, Hook]] = []


def on(type_code: str | None = None, action: str | None = None) -> Callable[[Hook], Hook]:
    def decorator(fn: Hook) -> Hook:
        if (type_code, action, fn) not in _HOOKS:
            _HOOKS.append((type_code, action, fn))
        return fn

    return decorator


def has_hooks(type_code: str, action: str) -> bool:
    return any((t in (None, type_code)) and (a in (None, action)) for t, a, _ in _HOOKS)


def fire(*, matter: Any, event: Any) -> None:
    code = matter.type.code
    for type_code, action, fn in list(_HOOKS):
        if type_code in (None, code) and action in (None, event.action):
            fn(matter=matter, event=event)


def clear() -> None:
    """Remove every hook (tests)."""
    _HOOKS.clear()
