"""The permission matrix: every URL, every role (STYLE.md: a shared permission test base).

Each app declares ``CASES`` in ``hongfan/<app>/tests/matrix.py`` and runs them with
``check_case`` in a parametrised test. ``hongfan/core/tests/test_url_coverage.py`` fails when a
named URL of the project appears in no app's ``CASES``, so a new view cannot ship untested.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.test import Client
from django.urls import reverse

from hongfan.accounts.roles import Role
from hongfan.core.testing import World, login

ANONYMOUS = "anonymous"
ALL_ROLES: tuple[str, ...] = tuple(Role.values)


@dataclass
class Case:
    """One URL and who may use it.

    ``allowed`` roles get ``ok_status``; every other role gets ``denied_status`` (403 for a page
    the role may not use at all, 404 for a record outside the role's scope); ``per_role``
    overrides single roles; anonymous visitors get ``anonymous_status`` (302 to the login page
    unless the page is public).
    """

    url_name: str
    allowed: frozenset[str] | set[str]
    kwargs: Callable[[World], dict[str, Any]] | None = None
    method: str = "get"
    data: Callable[[World], dict[str, Any]] | None = None
    query: str = ""
    ok_status: int = 200
    denied_status: int = 403
    per_role: dict[str, int] = field(default_factory=dict)
    anonymous_status: int = 302
    label: str = ""

    @property
    def id(self) -> str:
        return self.label or f"{self.method}:{self.url_name}"

    def expected(self, role: str) -> int:
        if role in self.per_role:
            return self.per_role[role]
        if role == ANONYMOUS:
            return self.anonymous_status
        return self.ok_status if role in self.allowed else self.denied_status


def check_case(case: Case, world: World, role: str) -> None:
    """Request the case's URL as ``role`` and assert the expected status code."""
    client = Client()
    if role != ANONYMOUS:
        login(client, world.user(role))
    url = reverse(case.url_name, kwargs=case.kwargs(world) if case.kwargs else None)
    if case.query:
        url = f"{url}?{case.query}"
    data = case.data(world) if case.data else {}
    response = getattr(client, case.method)(url, data)
    expected = case.expected(role)
    assert response.status_code == expected, (
        f"{case.id} as {role}: got {response.status_code}, expected {expected}"
    )


def all_cases() -> list[Case]:
    cases: list[Case] = []
    for app in settings.INSTALLED_APPS:
        if not app.startswith("hongfan."):
            continue
        try:
            module = importlib.import_module(f"{app}.tests.matrix")
        except ModuleNotFoundError as exc:
            if exc.name not in (f"{app}.tests.matrix", f"{app}.tests"):
                raise
            continue
        cases.extend(module.CASES)
    return cases


def role_params(cases: list[Case]) -> list[tuple[Case, str]]:
    return [(c, r) for c in cases for r in (*ALL_ROLES, ANONYMOUS)]
