"""The three pages the performance section names keep a constant number of queries.

Each page is fetched on the test world, then again after adding branches with groups,
committees, members and staff (enough that any per-row query would add dozens): the count
must not change, and it is pinned so that a new per-request query is noticed.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hongfan.accounts.roles import Role
from hongfan.core.testing import World, login, make_member, make_staff
from hongfan.org.models import Department, Staff
from hongfan.party.models import CommitteeMember, PartyOrganisation

pytestmark = pytest.mark.django_db

# (url name, GET parameters, pinned maximum: the count measured on 2026-11-23, signed in as
# the office: session, user, roles, the page's own queries, the session save)
PAGES = [
    ("party:tree", {}, 12),
    ("org:staff_list", {"q": "职工", "post_category": "doctor", "page": "2"}, 10),
    ("party:composition", {}, 12),
]


def grow(world: World, branches: int = 12, per_branch: int = 8) -> None:
    """Add branches (each with a department, a group, a secretary) and staff and members."""
    for b in range(branches):
        dept = Department.objects.create(
            institution=world.hospital,
            code=f"QC{b:02d}",
            name=f"查询科{b}",
            category=Department.Category.CLINICAL,
        )
        branch = PartyOrganisation.objects.create(
            institution=world.hospital,
            code=f"QB{b:02d}",
            name=f"查询党支部{b}",
            kind=PartyOrganisation.Kind.BRANCH,
            parent=world.committee,
            established_on=dt.date(2015, 7, 1),
            term_started_on=dt.date(2024, 7, 1),
        )
        branch.departments.set([dept])
        group = PartyOrganisation.objects.create(
            institution=world.hospital,
            code=f"QB{b:02d}G",
            name=f"查询党小组{b}",
            kind=PartyOrganisation.Kind.GROUP,
            parent=branch,
            established_on=dt.date(2016, 7, 1),
        )
        for i in range(per_branch):
            staff = make_staff(
                dept,
                f"职工{b}-{i}",
                is_department_head=i == 0,
                title_level=Staff.TitleLevel.SENIOR if i % 3 == 0 else Staff.TitleLevel.JUNIOR,
                education=Staff.Education.MASTER if i % 2 else Staff.Education.BACHELOR,
            )
            if i < per_branch - 2:
                member = make_member(staff, branch, group=group if i % 2 else None)
                if i == 0:
                    CommitteeMember.objects.create(
                        organisation=branch,
                        member=member,
                        position=CommitteeMember.Position.SECRETARY,
                        term_start=dt.date(2024, 7, 1),
                        term_end=dt.date(2027, 6, 30),
                    )


def queries(client: Client, name: str, params: dict[str, str]) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse(name), params)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize(("name", "params", "pinned"), PAGES, ids=[p[0] for p in PAGES])
def test_the_page_does_not_query_per_row(
    client: Client, world: World, name: str, params: dict[str, str], pinned: int
) -> None:
    login(client, world.user(Role.PARTY_OFFICE))
    # The staff search needs a second page on the small world too.
    for i in range(55):
        make_staff(world.dept_a1, f"职工甲{i}")
    queries(client, name, params)  # warm the per-process caches (navigation, calendar)
    small = queries(client, name, params)
    grow(world)
    large = queries(client, name, params)
    assert large == small, f"{name}: {small} queries before, {large} after adding 96 staff"
    assert large <= pinned


def test_the_grown_tree_shows_every_branch_with_its_members(client: Client, world: World) -> None:
    login(client, world.user(Role.PARTY_OFFICE))
    grow(world, branches=3)
    html = client.get(reverse("party:tree")).content.decode()
    for b in range(3):
        assert f"查询党支部{b}" in html
