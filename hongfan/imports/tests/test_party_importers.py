"""Party organisations and members imports: the tree rules and one branch per member."""

from __future__ import annotations

import datetime as dt

import pytest

from hongfan.core.testing import World
from hongfan.imports import services
from hongfan.imports.models import ImportRun
from hongfan.imports.tests.helpers import xlsx
from hongfan.party.models import MemberTransfer, PartyMember, PartyOrganisation

pytestmark = pytest.mark.django_db

ORG_HEADERS = ["组织编码", "名称", "类型", "上级组织编码", "绑定科室编码", "成立日期"]
MEMBER_HEADERS = ["工号", "所在支部编码", "党小组编码", "类别", "入党日期", "转正日期"]


def run(kind: str, headers: list[str], rows: list[list[object]]) -> ImportRun:
    return services.import_file(kind=kind, data=xlsx(headers, rows), file_name=f"{kind}.xlsx")


def errors(run: ImportRun) -> list[tuple[int | None, str, str]]:
    return [(e["row"], e["column"], e["message"]) for e in run.errors]


def test_a_new_branch_under_the_committee_is_created_with_its_departments(world: World) -> None:
    rows = [
        ["P03", "门诊党支部", "党支部", "P00", "NK02", dt.date(2020, 7, 1)],
        ["P03G1", "门诊第一党小组", "党小组", "P03", "", dt.date(2021, 7, 1)],
    ]
    result = run("party_organisations", ORG_HEADERS, rows)
    assert result.outcome == ImportRun.Outcome.APPLIED, result.errors
    assert (result.created_count, result.updated_count) == (2, 0)
    branch = PartyOrganisation.objects.get(code="P03")
    assert branch.parent == world.committee
    assert list(branch.departments.all()) == [world.dept_a2]
    assert PartyOrganisation.objects.get(code="P03G1").parent == branch
    again = run("party_organisations", ORG_HEADERS, rows)
    assert (again.created_count, again.updated_count, again.unchanged_count) == (0, 0, 2)


def test_a_cycle_in_the_organisation_tree_is_refused_and_nothing_moves(world: World) -> None:
    rows = [
        ["P10", "甲总支", "党总支", "P11", "", dt.date(2020, 1, 1)],
        ["P11", "乙总支", "党总支", "P10", "", dt.date(2020, 1, 1)],
    ]
    result = run("party_organisations", ORG_HEADERS, rows)
    assert result.outcome == ImportRun.Outcome.REJECTED
    assert [(r, c) for r, c, _m in errors(result)] == [(2, "上级组织编码"), (3, "上级组织编码")]
    assert "P10 → P11 → P10" in result.errors[0]["message"]
    assert not PartyOrganisation.objects.filter(code__in=["P10", "P11"]).exists()


def test_a_group_directly_under_the_committee_is_refused(world: World) -> None:
    result = run(
        "party_organisations",
        ORG_HEADERS,
        [["P20", "错位小组", "党小组", "P00", "", dt.date(2020, 1, 1)]],
    )
    assert result.outcome == ImportRun.Outcome.REJECTED
    assert errors(result)[0][:2] == (2, "类型")


def test_an_unknown_bound_department_is_reported(world: World) -> None:
    result = run(
        "party_organisations",
        ORG_HEADERS,
        [["P21", "新支部", "党支部", "P00", "NK01、XX09", dt.date(2020, 1, 1)]],
    )
    assert errors(result) == [(2, "绑定科室编码", "科室编码 XX09 不存在。")]


def test_members_are_imported_and_reimporting_changes_nothing(world: World) -> None:
    no = world.staff["plain_a1"].employee_no
    rows = [[no, "P01", "P01G1", "正式党员", dt.date(2021, 7, 1), dt.date(2022, 7, 1)]]
    first = run("party_members", MEMBER_HEADERS, rows)
    assert first.outcome == ImportRun.Outcome.APPLIED, first.errors
    member = PartyMember.objects.get(staff=world.staff["plain_a1"])
    assert (member.organisation, member.group) == (world.branch_a, world.group_a)
    again = run("party_members", MEMBER_HEADERS, rows)
    assert (again.created_count, again.updated_count, again.unchanged_count) == (0, 0, 1)


def test_a_member_in_two_branches_in_one_file_is_refused(world: World) -> None:
    no = world.staff["plain_a1"].employee_no
    rows = [
        [no, "P01", "", "正式党员", dt.date(2021, 7, 1), dt.date(2022, 7, 1)],
        [no, "P02", "", "正式党员", dt.date(2021, 7, 1), dt.date(2022, 7, 1)],
    ]
    result = run("party_members", MEMBER_HEADERS, rows)
    assert result.outcome == ImportRun.Outcome.REJECTED
    assert errors(result) == [(3, "工号", f"工号 {no} 已在第 2 行出现：一名党员只能属于一个支部。")]
    assert not PartyMember.objects.filter(staff=world.staff["plain_a1"]).exists()


def test_moving_a_member_to_another_branch_records_a_transfer(world: World) -> None:
    member = world.members["member_b"]
    rows = [
        [
            member.staff.employee_no,
            "P01",
            "",
            "正式党员" if member.category == PartyMember.Category.FULL else "预备党员",
            member.joined_on,
            member.confirmed_on,
        ]
    ]
    result = run("party_members", MEMBER_HEADERS, rows)
    assert result.outcome == ImportRun.Outcome.APPLIED, result.errors
    assert result.updated_count == 1
    member.refresh_from_db()
    assert member.organisation == world.branch_a
    transfer = MemberTransfer.objects.get(member=member)
    assert (transfer.from_organisation, transfer.to_organisation) == (
        world.branch_b,
        world.branch_a,
    )


def test_a_temporary_branch_cannot_take_a_new_member(world: World) -> None:
    PartyOrganisation.objects.create(
        institution=world.hospital,
        code="LS01",
        name="抗疫临时党支部",
        kind=PartyOrganisation.Kind.BRANCH,
        parent=world.committee,
        established_on=dt.date(2026, 1, 1),
        is_temporary=True,
        temporary_task="医疗救治",
        approved_by=world.committee,
    )
    no = world.staff["plain_b1"].employee_no
    rows = [[no, "LS01", "", "预备党员", dt.date(2026, 1, 5), None]]
    result = run("party_members", MEMBER_HEADERS, rows)
    assert result.outcome == ImportRun.Outcome.REJECTED
    assert errors(result)[0][:2] == (2, "所在支部编码")
    assert "临时党支部" in errors(result)[0][2]


def test_a_member_for_an_unknown_employee_number_is_refused(world: World) -> None:
    rows = [["NOPE1", "P01", "", "预备党员", dt.date(2025, 7, 1), None]]
    result = run("party_members", MEMBER_HEADERS, rows)
    assert errors(result) == [(2, "工号", "工号 NOPE1 的职工不存在，请先导入职工。")]


def test_a_cycle_through_the_stored_tree_is_refused(world: World) -> None:
    rows = [["P00", "测试县人民医院党委", "党委", "P01", "", dt.date(2000, 7, 1)]]
    result = run("party_organisations", ORG_HEADERS, rows)
    assert result.outcome == ImportRun.Outcome.REJECTED
    assert errors(result)[0][:2] == (2, "上级组织编码")
    assert "P00 → P01 → P00" in errors(result)[0][2]
    world.committee.refresh_from_db()
    assert world.committee.parent is None
