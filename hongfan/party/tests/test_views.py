"""Party pages: secretary scoping, composition export and API, query counts."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from hongfan.accounts.roles import Role
from hongfan.core.testing import World, login, make_member, make_staff
from hongfan.org.models import Staff
from hongfan.party.models import CommitteeMember, PartyMember, PartyOrganisation

pytestmark = pytest.mark.django_db

Kind = PartyOrganisation.Kind
API = "/api/party/composition"


def _client(world: World, role: str) -> Client:
    return login(Client(), world.user(role))


def _queries(client: Client, url: str, params: dict[str, Any] | None = None) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(ctx.captured_queries)


# --- Secretary scoping ----------------------------------------------------------------------


def test_a_secretary_gets_404_on_another_branchs_member(world: World) -> None:
    client = _client(world, Role.BRANCH_SECRETARY)
    own = world.members["member_a"]
    other = world.members["member_b"]
    assert client.get(reverse("party:member_detail", args=[own.pk])).status_code == 200
    assert client.get(reverse("party:member_detail", args=[other.pk])).status_code == 404
    assert (
        client.get(reverse("party:organisation_detail", args=[world.branch_b.pk])).status_code
        == 404
    )


def test_a_secretary_lists_only_their_branchs_members(world: World) -> None:
    client = _client(world, Role.BRANCH_SECRETARY)
    response = client.get(reverse("party:member_list"))
    names = {m.staff.name for m in response.context["page_obj"]}
    assert names == {"李支书", "赵党员"}
    html = response.content.decode()
    assert "钱党员" not in html and "外科党支部" not in html
    # Filtering on the other branch shows nothing rather than its members.
    response = client.get(reverse("party:member_list"), {"organisation": world.branch_b.pk})
    assert list(response.context["page_obj"]) == []


def test_a_secretary_sees_only_their_branch_in_the_tree(world: World) -> None:
    html = _client(world, Role.BRANCH_SECRETARY).get(reverse("party:tree")).content.decode()
    assert 'data-org="P01"' in html and 'data-org="P01G1"' in html
    assert 'data-org="P02"' not in html and 'data-org="P00"' not in html
    assert "外科党支部" not in html


def test_the_office_sees_the_whole_tree_with_counts(world: World) -> None:
    response = _client(world, Role.PARTY_OFFICE).get(reverse("party:tree"))
    html = response.content.decode()
    for code in ("P00", "P01", "P02", "P01G1"):
        assert f'data-org="{code}"' in html
    # Two full members per branch: both branches carry the "too few" warning.
    assert html.count('data-warning="too_few_full_members"') == 2


def test_the_member_list_search_and_filters(world: World) -> None:
    client = _client(world, Role.PARTY_OFFICE)
    url = reverse("party:member_list")
    found = client.get(url, {"q": "支书"}).context["page_obj"]
    assert {m.staff.name for m in found} == {"李支书", "王支书"}
    found = client.get(url, {"organisation": world.group_a.pk}).context["page_obj"]
    assert [m.staff.name for m in found] == ["赵党员"]
    found = client.get(url, {"category": "probationary"}).context["page_obj"]
    assert list(found) == []


def test_the_member_export_masks_phones(world: World) -> None:
    response = _client(world, Role.PARTY_OFFICE).get(
        reverse("party:member_list"), {"export": "xlsx"}
    )
    data = b"".join(response.streaming_content)
    rows = list(load_workbook(io.BytesIO(data), read_only=True).active.iter_rows(values_only=True))
    assert len(rows) == 1 + 4
    phones = {r[-1] for r in rows[1:]}
    for member in world.members.values():
        assert member.staff.phone not in phones
        assert f"{member.staff.phone[:3]}****{member.staff.phone[-4:]}" in phones


# --- Composition ----------------------------------------------------------------------------


def test_the_composition_export_has_the_six_figures(world: World) -> None:
    response = _client(world, Role.PARTY_OFFICE).get(
        reverse("party:composition"), {"date": "2026-06-30", "export": "xlsx"}
    )
    assert response.status_code == 200
    assert ".xlsx" in response["Content-Disposition"]
    data = b"".join(response.streaming_content)
    rows = list(load_workbook(io.BytesIO(data), read_only=True).active.iter_rows(values_only=True))
    header, body = rows[0], rows[1:]
    assert len(header) == 4
    assert len(body) == 6
    # 4 members in post (all doctors/nurses), 1 senior staff (a member), 1 doctorate (a
    # member), 2 branches, 1 dual leader.
    assert [r[1] for r in body] == [4, 4, 1, 1, 2, 1]
    assert [r[3] for r in body] == [None, "100.00%", "100.00%", "100.00%", None, "50.00%"]


def test_the_composition_page_shows_the_figures(world: World) -> None:
    response = _client(world, Role.PARTY_OFFICE).get(
        reverse("party:composition"), {"date": "2026-06-30"}
    )
    html = response.content.decode()
    assert response.context["figures"].members_in_post == 4
    assert 'data-figure="dual"' in html and "50.00%" in html


def test_a_secretarys_composition_covers_their_branch_only(world: World) -> None:
    client = _client(world, Role.BRANCH_SECRETARY)
    figures = client.get(reverse("party:composition")).context["figures"]
    assert (figures.members_in_post, figures.branches, figures.dual_leader_branches) == (2, 1, 1)
    assert (
        client.get(reverse("party:composition"), {"branch": world.branch_b.pk}).status_code == 404
    )
    body = client.get(API).json()
    assert (body["members_in_post"], body["branches"]) == (2, 1)
    assert client.get(API, {"branch": world.branch_b.pk}).status_code == 404


def test_the_composition_api_returns_the_figures(world: World) -> None:
    body = _client(world, Role.PARTY_OFFICE).get(API, {"date": "2026-06-30"}).json()
    assert body["on"] == "2026-06-30"
    assert body["members_in_post"] == 4
    assert body["branches"] == 2
    assert body["dual_leader_pct"] == "50.00"


def test_the_composition_api_needs_the_capability(world: World) -> None:
    assert Client().get(API).status_code == 401
    assert _client(world, Role.STAFF).get(API).status_code == 403
    assert _client(world, Role.DEPARTMENT_HEAD).get(API).status_code == 403


# --- Query counts ---------------------------------------------------------------------------


_batch = [0]


def _grow(world: World, branches: int, per_branch: int) -> None:
    """Add branches, each bound to a new department, with members, a group and a committee."""
    from hongfan.org.models import Department

    for _ in range(branches):
        _batch[0] += 1
        n = _batch[0]
        dept = Department.objects.create(
            institution=world.hospital, code=f"QD{n:03d}", name=f"科室{n}", category="clinical"
        )
        branch = PartyOrganisation.objects.create(
            institution=world.hospital,
            code=f"QB{n:03d}",
            name=f"第{n}支部",
            kind=Kind.BRANCH,
            parent=world.committee,
            established_on=dt.date(2010, 1, 1),
            term_started_on=dt.date(2024, 1, 1),
        )
        branch.departments.set([dept])
        group = PartyOrganisation.objects.create(
            institution=world.hospital,
            code=f"QB{n:03d}G",
            name=f"第{n}小组",
            kind=Kind.GROUP,
            parent=branch,
            established_on=dt.date(2010, 1, 1),
        )
        members = []
        for i in range(per_branch):
            staff = make_staff(
                dept,
                f"成员{n}-{i}",
                is_department_head=i == 0,
                title_level=Staff.TitleLevel.SENIOR if i % 3 == 0 else Staff.TitleLevel.JUNIOR,
                education=Staff.Education.MASTER if i % 2 else Staff.Education.BACHELOR,
            )
            members.append(make_member(staff, branch, group=group if i % 2 else None))
        CommitteeMember.objects.create(
            organisation=branch,
            member=members[0],
            position=CommitteeMember.Position.SECRETARY,
            term_start=dt.date(2024, 1, 1),
            term_end=dt.date(2026, 12, 31),
        )


@pytest.fixture
def office(world: World) -> Client:
    return _client(world, Role.PARTY_OFFICE)


def _pin(
    world: World,
    client: Client,
    url: str,
    params: dict[str, Any],
    limit: int,
    assert_max: Any,
) -> None:
    _grow(world, 4, 8)  # 32 members in 4 more branches
    with assert_max(limit):
        response = client.get(url, params)
    assert response.status_code == 200
    before = _queries(client, url, params)
    _grow(world, 4, 8)
    assert _queries(client, url, params) == before


def test_the_tree_page_runs_a_fixed_number_of_queries(
    world: World, office: Client, django_assert_max_num_queries: Any
) -> None:
    _pin(world, office, reverse("party:tree"), {}, 14, django_assert_max_num_queries)


def test_the_warnings_page_runs_a_fixed_number_of_queries(
    world: World, office: Client, django_assert_max_num_queries: Any
) -> None:
    _pin(world, office, reverse("party:warnings"), {}, 14, django_assert_max_num_queries)


def test_the_member_list_runs_a_fixed_number_of_queries(
    world: World, office: Client, django_assert_max_num_queries: Any
) -> None:
    _pin(
        world,
        office,
        reverse("party:member_list"),
        {"q": "成员", "category": PartyMember.Category.FULL},
        12,
        django_assert_max_num_queries,
    )


def test_the_organisation_page_runs_a_fixed_number_of_queries(
    world: World, office: Client, django_assert_max_num_queries: Any
) -> None:
    _pin(
        world,
        office,
        reverse("party:organisation_detail", args=[world.committee.pk]),
        {},
        14,
        django_assert_max_num_queries,
    )


def test_the_composition_page_runs_a_fixed_number_of_queries(
    world: World, office: Client, django_assert_max_num_queries: Any
) -> None:
    _pin(
        world,
        office,
        reverse("party:composition"),
        {"date": "2026-06-30"},
        12,
        django_assert_max_num_queries,
    )


def test_the_composition_of_a_subtree_runs_a_fixed_number_of_queries(
    world: World, office: Client, django_assert_max_num_queries: Any
) -> None:
    _pin(
        world,
        office,
        reverse("party:composition"),
        {"date": "2026-06-30", "branch": world.committee.pk},
        18,
        django_assert_max_num_queries,
    )


def test_the_composition_api_runs_a_fixed_number_of_queries(
    world: World, office: Client, django_assert_max_num_queries: Any
) -> None:
    _pin(world, office, API, {"date": "2026-06-30"}, 10, django_assert_max_num_queries)


# --- Forms ----------------------------------------------------------------------------------


def _org_data(world: World, **extra: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "institution": world.hospital.pk,
        "code": "PG9",
        "name": "新党小组",
        "kind": Kind.GROUP,
        "parent": world.committee.pk,
        "established_on": "2025-01-01",
        "term_years": 3,
        "sort_order": 0,
    }
    data.update(extra)
    return data


def test_the_form_refuses_a_group_under_the_committee(world: World, office: Client) -> None:
    response = office.post(reverse("party:organisation_create"), _org_data(world))
    assert response.status_code == 200
    assert "parent" in response.context["form"].errors
    assert not PartyOrganisation.objects.filter(code="PG9").exists()
    response = office.post(
        reverse("party:organisation_create"), _org_data(world, parent=world.branch_b.pk)
    )
    assert response.status_code == 302
    assert PartyOrganisation.objects.get(code="PG9").parent == world.branch_b


def test_the_form_refuses_turning_a_branch_with_members_into_a_group(
    world: World, office: Client
) -> None:
    branch = world.branch_b
    data = _org_data(
        world,
        code=branch.code,
        name=branch.name,
        parent=world.branch_a.pk,
        established_on="2005-07-01",
        term_started_on="2024-07-01",
        departments=[world.dept_b1.pk],
    )
    response = office.post(reverse("party:organisation_edit", args=[branch.pk]), data)
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"kind"}, response.context["form"].errors
    branch.refresh_from_db()
    assert (branch.kind, branch.parent) == (Kind.BRANCH, world.committee)


def test_the_edit_form_refuses_normal_status_for_a_transferred_out_member(
    world: World, office: Client
) -> None:
    from hongfan.party import services

    member = world.members["member_b"]
    services.member_transfer(
        member=member,
        direction="out",
        on=dt.date(2025, 3, 1),
        external_organisation="外院党委",
    )
    url = reverse("party:member_edit", args=[member.pk])
    form = office.get(url).context["form"]
    data = {k: v for k, v in form.initial.items() if v not in (None, False)}
    data.update(
        {
            "status": PartyMember.Status.NORMAL,
            "status_on": "2025-04-01",
            "joined_on": member.joined_on.isoformat(),
            "confirmed_on": member.confirmed_on.isoformat(),
        }
    )
    data.pop("group", None)
    response = office.post(url, data)
    assert response.status_code == 200
    assert "status" in response.context["form"].errors
    member.refresh_from_db()
    assert member.status == PartyMember.Status.TRANSFERRED_OUT
