"""Project-wide pytest fixtures.

``world`` (``hongfan.core.testing.build_world``) costs about 440 queries. Consecutive tests of
one module that use it share one build, the way ``django.test.TestCase.setUpTestData`` does:
the world is built once inside an outer transaction, each test runs in a savepoint inside it
that is rolled back at the test's end (pytest-django's own per-test transaction, now nested),
and each test gets a deep copy of the Python objects. Every test therefore starts from exactly
the rows a fresh ``build_world()`` would have given it, and nothing a test writes reaches the
next one. Tests that need real commits (``transactional_db``, ``live_server``,
``django_db(transaction=True)``) never share: the outer transaction is rolled back before they
start and they build their own world as before.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import DEFAULT_DB_ALIAS, connections, transaction

from hongfan.core.testing import World, build_world

_OWN_TRANSACTION_FIXTURES = frozenset(
    {
        "transactional_db",
        "live_server",
        "django_db_reset_sequences",
        "django_db_serialized_rollback",
    }
)


def _shares_world(item: pytest.Item) -> bool:
    """A plain database test that asks for ``world`` and nothing that must commit."""
    names = set(getattr(item, "fixturenames", ()))
    if "world" not in names or names & _OWN_TRANSACTION_FIXTURES:
        return False
    if getattr(item, "cls", None) is not None:  # unittest-style classes manage their own
        return False
    marker = item.get_closest_marker("django_db")
    if marker is None:
        return True
    from pytest_django.fixtures import validate_django_db

    transactional, reset_sequences, databases, serialized_rollback, available_apps = (
        validate_django_db(marker)
    )
    return (
        not (transactional or reset_sequences or serialized_rollback)
        and available_apps is None
        and databases in (None, [DEFAULT_DB_ALIAS], (DEFAULT_DB_ALIAS,))
    )


class _WorldTemplate:
    """The shared world of the module being run, inside its still-open outer transaction."""

    def __init__(self) -> None:
        self.module: Any = None  # the module whose ``_world_template`` fixture is set up
        self.world: World | None = None
        self._atomic: Any = None

    @property
    def active(self) -> bool:
        return self._atomic is not None

    def open(self, blocker: Any) -> None:
        connection = connections[DEFAULT_DB_ALIAS]
        with blocker.unblock():
            if connection.in_atomic_block:  # something else holds a transaction: do not share
                return
            atomic = transaction.atomic(using=DEFAULT_DB_ALIAS)
            # Like TestCase's own blocks: code under test may still open durable atomics.
            atomic._from_testcase = True
            atomic.__enter__()
            try:
                world = build_world()
            except BaseException:
                transaction.set_rollback(True, using=DEFAULT_DB_ALIAS)
                atomic.__exit__(None, None, None)
                raise
        self._atomic, self.world = atomic, world

    def close(self, blocker: Any) -> None:
        if self._atomic is None:
            return
        atomic, self._atomic, self.world = self._atomic, None, None
        with blocker.unblock():
            transaction.set_rollback(True, using=DEFAULT_DB_ALIAS)
            atomic.__exit__(None, None, None)


_template = _WorldTemplate()
_current: dict[str, pytest.Item | None] = {"item": None}


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    """Before any fixture of ``item``: keep, open or roll back the shared world."""
    _current["item"] = item
    blocker = item.config.stash[_blocker_key()] if _template.module is not None else None
    if _template.active and not (_shares_world(item) and item.module is _template.module):
        _template.close(blocker)
    elif (
        not _template.active
        and _template.module is not None
        and item.module is _template.module
        and _shares_world(item)
    ):
        _template.open(blocker)


def _blocker_key() -> Any:
    from pytest_django.plugin import blocking_manager_key

    return blocking_manager_key


@pytest.fixture(scope="module")
def _world_template(
    request: pytest.FixtureRequest, django_db_setup: None, django_db_blocker: Any
) -> Iterator[_WorldTemplate]:
    _template.module = request.module
    item = _current["item"]
    if item is not None and _shares_world(item):
        _template.open(django_db_blocker)
    yield _template
    _template.close(django_db_blocker)
    _template.module = None


@pytest.fixture
def world(_world_template: _WorldTemplate, db: None) -> World:
    if _world_template.active:
        assert _world_template.world is not None
        return copy.deepcopy(_world_template.world)
    return build_world()


@pytest.fixture(autouse=True, scope="session")
def _private_file_stores(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Uploads, analytic stores and backups of the run go to its own temporary directory.

    Never ``var/`` (the demo server's stores), and never a folder another xdist worker writes
    to at the same time. Tests that set their own folder (``settings`` fixture) still win."""
    from django.test import override_settings

    root = tmp_path_factory.mktemp("stores")
    with override_settings(
        MEDIA_ROOT=root / "media",
        HONGFAN_ANALYTICS_DIR=root / "analytics",
        HONGFAN_BACKUP_DIR=root / "backups",
    ):
        yield


@pytest.fixture(autouse=True)
def _fresh_workday_calendar() -> None:
    """Each test sees the calendar rows it creates (the service caches per process)."""
    from hongfan.workdays.services import clear_cache

    clear_cache()
