"""The shared ``world`` (conftest.py): every test starts from a fresh world, whatever ran before.

Consecutive tests of a module share one ``build_world()`` inside an outer transaction; each test
runs in a savepoint that is rolled back and gets its own copy of the Python objects. The tests
below run in this order (one xdist group) and check that nothing leaks from one to the next.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.db import IntegrityError, connection, transaction

from hongfan.accounts.models import User
from hongfan.accounts.roles import Role
from hongfan.core.testing import World
from hongfan.org.models import Institution, Staff
from hongfan.party.models import PartyOrganisation

pytestmark = pytest.mark.xdist_group("shared_world")

_seen: dict[str, Any] = {}


def _snapshot(world: World) -> dict[str, Any]:
    return {
        "institutions": sorted(Institution.objects.values_list("code", flat=True)),
        "staff": Staff.objects.count(),
        "users": sorted(User.objects.values_list("username", flat=True)),
        "branch_a": PartyOrganisation.objects.get(pk=world.branch_a.pk).name,
        "pks": (world.hospital.pk, world.branch_a.pk, world.user(Role.STAFF).pk),
    }


def test_a_test_that_changes_its_world(world: World, _world_template: Any) -> None:
    assert _world_template.active  # the world is shared, not rebuilt for every test
    _seen["before"] = _snapshot(world)
    world.branch_a.name = "改名的支部"
    world.branch_a.save()
    Staff.objects.filter(pk=world.staff["plain_b1"].pk).delete()
    Institution.objects.create(code="LEAK", name="不该留下的机构")
    world.user(Role.STAFF).first_name = "留下"
    world.staff["plain_a1"].name = "改名"
    assert _snapshot(world) != _seen["before"]


def test_the_next_test_gets_the_world_as_built(world: World, _world_template: Any) -> None:
    assert _world_template.active
    assert world.branch_a.name == "内科党支部"
    assert world.user(Role.STAFF).first_name == ""
    assert world.staff["plain_a1"].name == "周群众"
    # The copy keeps the objects' links: the user's staff record is the world's staff record.
    assert world.user(Role.STAFF).staff is world.staff["plain_a1"]
    if "before" in _seen:  # the previous test ran in this process
        assert _snapshot(world) == _seen["before"]
    assert not Institution.objects.filter(code="LEAK").exists()


@pytest.mark.django_db
def test_a_test_marked_django_db_shares_the_world_too(world: World, _world_template: Any) -> None:
    assert _world_template.active
    assert world.branch_a.name == "内科党支部"
    assert not Institution.objects.filter(code="LEAK").exists()


def test_a_database_error_in_one_test_does_not_break_the_next(world: World) -> None:
    # No savepoint of its own: on PostgreSQL this aborts the test's transaction.
    with pytest.raises(IntegrityError):
        Institution.objects.create(code=world.hospital.code, name="重复编码的机构")


def test_after_a_database_error_the_world_is_intact(world: World) -> None:
    assert Institution.objects.filter(code=world.hospital.code).count() == 1
    assert Staff.objects.filter(pk=world.staff["plain_b1"].pk).exists()


def test_a_test_without_world_sees_an_empty_database(db: None) -> None:
    assert not Institution.objects.exists()
    assert not User.objects.exists()


def test_durable_atomic_blocks_still_work_in_a_shared_world_test(world: World) -> None:
    with transaction.atomic(durable=True):
        Institution.objects.create(code="DUR", name="持久事务中的机构")
    assert Institution.objects.filter(code="DUR").exists()


@pytest.mark.django_db(transaction=True)
def test_a_transactional_test_builds_and_commits_its_own_world(
    world: World, _world_template: Any
) -> None:
    assert not _world_template.active
    assert not connection.in_atomic_block  # its writes are real commits
    assert Institution.objects.filter(pk=world.hospital.pk).exists()
    assert not Institution.objects.filter(code__in=["LEAK", "DUR"]).exists()
