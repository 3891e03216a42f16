"""Module demo data: each app contributes its part of the demo hospital here.

The foundation (people, Party organisation, accounts) is written by ``services.demo_seed``.
After it, every registered extension runs in ``order`` inside the same audit context, each
in its own transaction. An app registers from its ``AppConfig.ready()``::

    from hongfan.demo.extensions import register
    register("orglife", "hongfan.orglife.demo.seed", order=30)

The seed function has the signature ``seed(ctx: DemoContext) -> dict[str, int]`` and returns
counts that the command prints. It must be deterministic: draw randomness only from
``ctx.rng(name)`` and dates only from ``ctx.today``.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils.module_loading import import_string


@dataclass(frozen=True)
class Extension:
    key: str
    path: str
    order: int


_REGISTRY: dict[str, Extension] = {}


def register(key: str, path: str, *, order: int = 50) -> None:
    """Register ``path`` (dotted path to ``seed(ctx)``) under ``key``; re-registering replaces."""
    _REGISTRY[key] = Extension(key=key, path=path, order=order)


def extensions() -> list[Extension]:
    return sorted(_REGISTRY.values(), key=lambda e: (e.order, e.key))


@dataclass
class DemoContext:
    """What a module's demo seed gets: the size, a reference date, the office account."""

    size: str
    seed: int
    today: dt.date
    office_user: Any  # the demo Party committee office account
    accounts: dict[str, Any] = field(default_factory=dict)  # role -> User
    _rngs: dict[str, random.Random] = field(default_factory=dict)

    def rng(self, name: str) -> random.Random:
        """A random generator of its own for ``name``, seeded from the demo seed."""
        if name not in self._rngs:
            self._rngs[name] = random.Random(f"{self.seed}:{name}")
        return self._rngs[name]

    @property
    def scale(self) -> float:
        """Relative size: small 0.15, hospital 1, large 5 (multiply counts by it)."""
        return {"small": 0.15, "hospital": 1.0, "large": 5.0}.get(self.size, 1.0)


SeedFunction = Callable[[DemoContext], dict[str, int]]


def load(ext: Extension) -> SeedFunction:
    fn: SeedFunction = import_string(ext.path)
    return fn
