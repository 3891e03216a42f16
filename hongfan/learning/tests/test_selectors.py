"""Hours, coverage and scoping of learning reads."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from hongfan.accounts.roles import Role
from hongfan.core.testing import World, make_user
from hongfan.learning import selectors, services
from hongfan.learning.models import StudyActivity

pytestmark = pytest.mark.django_db


def _activity(world: World, org, members, held_on=dt.date(2026, 5, 8), hours="2"):
    return services.activity_create(
        organisation=org,
        kind=StudyActivity.Kind.MICRO_LECTURE,
        title=f"微党课 {held_on}",
        held_on=held_on,
        hours=Decimal(hours),
        participant_ids=[world.members[m].pk for m in members],
        today=dt.date(2026, 12, 31),
    )


def test_coverage_counts_members_with_at_least_one_activity_per_branch_and_hospital(
    world: World,
) -> None:
    _activity(world, world.branch_a, ["member_a"], hours="2")
    _activity(world, world.branch_a, ["member_a"], held_on=dt.date(2026, 6, 1), hours="1.5")
    rows, total = selectors.coverage(
        selectors.members_managed_by(world.user(Role.PARTY_OFFICE)), 2026
    )
    by_name = {r.name: r for r in rows}
    assert (by_name["内科党支部"].members, by_name["内科党支部"].covered) == (2, 1)
    assert by_name["内科党支部"].rate == 50.0
    assert by_name["内科党支部"].hours == Decimal("3.5")
    assert by_name["外科党支部"].rate == 0.0
    assert (total.members, total.covered, total.rate) == (4, 1, 25.0)


def test_hours_of_another_year_do_not_count(world: World) -> None:
    _activity(world, world.branch_a, ["member_a"], held_on=dt.date(2025, 12, 31))
    _activity(world, world.branch_a, ["member_a"], held_on=dt.date(2026, 1, 1), hours="3")
    members = selectors.member_hours(
        selectors.members_managed_by(world.user(Role.PARTY_OFFICE)), 2026
    )
    m = members.get(pk=world.members["member_a"].pk)
    assert (m.study_count, m.study_hours) == (1, Decimal("3"))


def test_a_secretary_sees_only_their_branch(world: World) -> None:
    mine = _activity(world, world.branch_a, ["member_a"])
    other = _activity(world, world.branch_b, ["member_b"])
    services.brand_save(organisation=world.branch_b, name="刀锋先锋")
    secretary = world.user(Role.BRANCH_SECRETARY)
    assert list(selectors.activities_visible_to(secretary)) == [mine]
    assert other not in selectors.activities_visible_to(world.user(Role.PARTY_OFFICE)).exclude(
        pk=other.pk
    )
    assert set(selectors.members_managed_by(secretary)) == {
        world.members["secretary_a"],
        world.members["member_a"],
    }
    assert not selectors.brands_visible_to(secretary).exists()
    assert selectors.brands_visible_to(world.user(Role.PARTY_OFFICE)).count() == 1


def test_a_member_sees_only_the_activities_they_took_part_in(world: World) -> None:
    joined = _activity(world, world.branch_a, ["member_a"])
    _activity(world, world.branch_a, ["secretary_a"])
    user = make_user("zhao", world.staff["member_a"], (Role.STAFF, {}))
    assert list(selectors.activities_visible_to(user)) == [joined]
