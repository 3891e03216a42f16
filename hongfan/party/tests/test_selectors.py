"""Structure warnings at their edges (DOMAIN.md §1), 双带头人, scoped reads."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from hongfan.accounts.roles import Role
from hongfan.core.testing import World
from hongfan.org.models import Department, Staff
from hongfan.party import selectors, services
from hongfan.party.models import CommitteeMember, PartyMember, PartyOrganisation

pytestmark = pytest.mark.django_db

ON = dt.date(2026, 6, 30)
Kind = PartyOrganisation.Kind
_n = itertools.count(1)


def add_members(
    branch: PartyOrganisation,
    department: Department,
    n: int,
    *,
    category: str = PartyMember.Category.FULL,
) -> list[PartyMember]:
    """Add ``n`` members to ``branch`` in two bulk inserts (no ID-card numbers)."""
    staff = Staff.objects.bulk_create(
        [
            Staff(
                institution=department.institution,
                employee_no=f"B{(i := next(_n)):05d}",
                name=f"党员{i}",
                gender=Staff.Gender.MALE,
                birth_date=dt.date(1980, 1, 1),
                department=department,
                post_category=Staff.PostCategory.DOCTOR,
                education=Staff.Education.BACHELOR,
                political_status=Staff.PoliticalStatus.MEMBER,
                hired_on=dt.date(2005, 1, 1),
            )
            for _ in range(n)
        ]
    )
    full = category == PartyMember.Category.FULL
    return PartyMember.objects.bulk_create(
        [
            PartyMember(
                staff=s,
                organisation=branch,
                category=category,
                joined_on=dt.date(2010, 1, 1),
                confirmed_on=dt.date(2011, 1, 1) if full else None,
            )
            for s in staff
        ]
    )


def new_branch(
    world: World, code: str, parent: PartyOrganisation | None = None
) -> PartyOrganisation:
    return PartyOrganisation.objects.create(
        institution=world.hospital,
        code=code,
        name=f"支部{code}",
        kind=Kind.BRANCH,
        parent=parent or world.committee,
        established_on=dt.date(2020, 1, 1),
    )


def codes(org: PartyOrganisation, on: dt.date = ON) -> set[str]:
    found = selectors.structure_warnings(PartyOrganisation.objects.filter(pk=org.pk), on=on)
    return {w.code for w in found.get(org.pk, [])}


def seat(org: PartyOrganisation, member: PartyMember, position: str, end: dt.date) -> None:
    CommitteeMember.objects.create(
        organisation=org,
        member=member,
        position=position,
        term_start=dt.date(2024, 7, 1),
        term_end=end,
    )


# --- Full members -------------------------------------------------------------------------


def test_two_full_members_warn_and_three_do_not(world: World) -> None:
    branch = new_branch(world, "X1")
    add_members(branch, world.dept_a1, 2)
    add_members(branch, world.dept_a1, 4, category=PartyMember.Category.PROBATIONARY)
    assert "too_few_full_members" in codes(branch)
    add_members(branch, world.dept_a1, 1)
    assert "too_few_full_members" not in codes(branch)


def test_a_member_confirmed_after_the_date_is_not_yet_full(world: World) -> None:
    branch = new_branch(world, "X1")
    members = add_members(branch, world.dept_a1, 3)
    PartyMember.objects.filter(pk=members[0].pk).update(confirmed_on=ON + dt.timedelta(days=1))
    assert "too_few_full_members" in codes(branch)
    assert "too_few_full_members" not in codes(branch, ON + dt.timedelta(days=1))


def test_six_full_members_need_no_committee_and_seven_do(world: World) -> None:
    branch = new_branch(world, "X1")
    members = add_members(branch, world.dept_a1, 6)
    seat(branch, members[0], CommitteeMember.Position.SECRETARY, dt.date(2029, 6, 30))
    assert codes(branch) == set()
    add_members(branch, world.dept_a1, 1)
    assert codes(branch) == {"no_committee"}
    for m, pos in zip(
        members[1:3],
        [CommitteeMember.Position.DEPUTY_SECRETARY, CommitteeMember.Position.ORGANISATION],
        strict=True,
    ):
        seat(branch, m, pos, dt.date(2029, 6, 30))
    assert codes(branch) == set()


# --- Size ---------------------------------------------------------------------------------


def test_fifty_members_are_fine_and_fifty_one_may_form_a_general_branch(world: World) -> None:
    branch = new_branch(world, "X1")
    members = add_members(branch, world.dept_a1, 50)
    for m, pos in zip(
        members[:3],
        [
            CommitteeMember.Position.SECRETARY,
            CommitteeMember.Position.DEPUTY_SECRETARY,
            CommitteeMember.Position.ORGANISATION,
        ],
        strict=True,
    ):
        seat(branch, m, pos, dt.date(2029, 6, 30))
    assert codes(branch) == set()
    add_members(branch, world.dept_a1, 1)
    found = selectors.structure_warnings(PartyOrganisation.objects.filter(pk=branch.pk), on=ON)
    by_code = {w.code: w for w in found[branch.pk]}
    assert set(by_code) == {"too_many_members", "general_branch_threshold"}
    assert "党总支" in by_code["general_branch_threshold"].message


def test_a_general_branch_of_100_members_is_fine_and_101_may_form_a_committee(
    world: World,
) -> None:
    general = PartyOrganisation.objects.create(
        institution=world.hospital,
        code="GB",
        name="内科总支",
        kind=Kind.GENERAL_BRANCH,
        parent=world.committee,
        established_on=dt.date(2020, 1, 1),
    )
    b1, b2 = new_branch(world, "GB1", general), new_branch(world, "GB2", general)
    add_members(b1, world.dept_a1, 50)
    add_members(b2, world.dept_a2, 50)
    assert "committee_threshold" not in codes(general)
    add_members(b2, world.dept_a2, 1)
    assert "committee_threshold" in codes(general)


def test_members_of_a_branch_over_100_may_form_a_basic_level_committee(world: World) -> None:
    branch = new_branch(world, "X1")
    add_members(branch, world.dept_a1, 101)
    found = selectors.structure_warnings(PartyOrganisation.objects.filter(pk=branch.pk), on=ON)
    threshold = next(w for w in found[branch.pk] if w.code == "general_branch_threshold")
    assert "基层党委" in threshold.message or "basic-level" in threshold.message


def test_members_who_left_before_the_date_are_not_counted(world: World) -> None:
    branch = new_branch(world, "X1")
    members = add_members(branch, world.dept_a1, 51)
    PartyMember.objects.filter(pk=members[0].pk).update(
        status=PartyMember.Status.TRANSFERRED_OUT, left_on=ON
    )
    assert "too_many_members" not in codes(branch)
    assert "too_many_members" in codes(branch, ON - dt.timedelta(days=1))


# --- Terms --------------------------------------------------------------------------------

TERM_LAST_DAY = dt.date(2027, 6, 30)  # branch_a: term from 2024-07-01, 3 years


def test_a_term_ending_in_exactly_90_days_warns(world: World) -> None:
    on = TERM_LAST_DAY - dt.timedelta(days=90)
    assert "term_ending" in codes(world.branch_a, on)
    found = selectors.structure_warnings(
        PartyOrganisation.objects.filter(pk=world.branch_a.pk), on=on
    )
    warning = next(w for w in found[world.branch_a.pk] if w.code == "term_ending")
    assert "2027-06-30" in warning.message


def test_a_term_ending_in_91_days_does_not_warn(world: World) -> None:
    on = TERM_LAST_DAY - dt.timedelta(days=91)
    assert not codes(world.branch_a, on) & {"term_ending", "term_expired"}


def test_a_term_ending_today_warns_but_is_not_yet_expired(world: World) -> None:
    found = codes(world.branch_a, TERM_LAST_DAY)
    assert "term_ending" in found and "term_expired" not in found


def test_a_term_that_ended_yesterday_has_expired(world: World) -> None:
    found = codes(world.branch_a, TERM_LAST_DAY + dt.timedelta(days=1))
    assert "term_expired" in found and "term_ending" not in found


def test_a_seat_ending_before_the_organisation_term_sets_the_warning(world: World) -> None:
    branch = world.branch_b
    branch.term_started_on = None
    branch.save()
    CommitteeMember.objects.filter(organisation=branch).update(term_end=dt.date(2026, 9, 28))
    assert "term_ending" in codes(branch, dt.date(2026, 6, 30))  # 90 days
    assert "term_ending" not in codes(branch, dt.date(2026, 6, 29))  # 91 days


# --- Temporary branches -------------------------------------------------------------------


def _temporary(world: World) -> PartyOrganisation:
    return services.organisation_create(
        institution=world.hospital,
        code="TMP",
        name="临时党支部",
        kind=Kind.BRANCH,
        parent=world.committee,
        is_temporary=True,
        approved_by=world.committee,
        temporary_task="义诊",
        secretary=world.members["member_a"],
        established_on=dt.date(2026, 1, 5),
    )


def test_a_temporary_branch_with_a_secretary_has_no_warning(world: World) -> None:
    temporary = _temporary(world)
    # No "too few full members" for a temporary branch: its members sit elsewhere.
    assert codes(temporary) == set()


def test_a_temporary_branch_without_a_secretary_warns(world: World) -> None:
    temporary = _temporary(world)
    services.committee_seat_end(seat=temporary.committee.get(), on=dt.date(2026, 3, 1))
    assert codes(temporary, dt.date(2026, 3, 1)) == {"temporary_no_secretary"}
    assert codes(temporary, dt.date(2026, 2, 28)) == set()


def test_a_dissolved_organisation_has_no_warnings(world: World) -> None:
    branch = new_branch(world, "X1")
    branch.dissolved_on = dt.date(2026, 1, 1)
    branch.save()
    assert codes(branch) == set()


# --- 双带头人 -------------------------------------------------------------------------------


def test_a_secretary_heading_a_bound_department_is_a_dual_leader(world: World) -> None:
    figures = selectors.composition(on=ON)
    # secretary_a heads 心内科 (bound to branch_a); secretary_b heads nothing.
    assert (figures.branches, figures.dual_leader_branches) == (2, 1)
    assert str(figures.dual_leader_pct) == "50.00"


def test_heading_a_department_of_another_branch_does_not_count(world: World) -> None:
    staff = world.staff["secretary_b"]
    staff.department = world.dept_a2  # bound to branch_a, not to branch_b
    staff.is_department_head = True
    staff.save()
    assert selectors.composition(on=ON).dual_leader_branches == 1
    staff.department = world.dept_b1
    staff.save()
    assert selectors.composition(on=ON).dual_leader_branches == 2


def test_a_deputy_who_heads_the_department_is_not_a_dual_leader(world: World) -> None:
    CommitteeMember.objects.filter(organisation=world.branch_a).update(
        position=CommitteeMember.Position.DEPUTY_SECRETARY
    )
    assert selectors.composition(on=ON).dual_leader_branches == 0


def test_a_secretary_whose_seat_ended_is_no_longer_counted(world: World) -> None:
    seat_a = CommitteeMember.objects.get(organisation=world.branch_a)
    services.committee_seat_end(seat=seat_a, on=dt.date(2026, 1, 1))
    assert selectors.composition(on=dt.date(2025, 12, 31)).dual_leader_branches == 1
    assert selectors.composition(on=ON).dual_leader_branches == 0


def test_a_temporary_branch_is_not_counted_among_branches(world: World) -> None:
    _temporary(world)
    assert selectors.composition(on=ON).branches == 2


# --- Scope --------------------------------------------------------------------------------


def test_a_secretary_sees_only_their_branch_and_its_groups(world: World) -> None:
    user = world.user(Role.BRANCH_SECRETARY)
    orgs = set(selectors.organisation_visible_to(user))
    assert orgs == {world.branch_a, world.group_a}
    members = set(selectors.member_visible_to(user))
    assert members == {world.members["secretary_a"], world.members["member_a"]}
    roots = selectors.organisation_tree(user, on=ON)
    assert [r.org for r in roots] == [world.branch_a]
    assert [c.org for c in roots[0].children] == [world.group_a]


def test_plain_staff_see_only_their_own_member_record(world: World) -> None:
    from hongfan.core.testing import make_user

    user = make_user("member_b", world.staff["member_b"], (Role.STAFF, {}))
    assert list(selectors.member_visible_to(user)) == [world.members["member_b"]]
    assert not selectors.organisation_visible_to(user).exists()


def test_the_tree_counts_group_members_once(world: World) -> None:
    roots = selectors.organisation_tree(world.user(Role.PARTY_OFFICE), on=ON)
    (committee,) = roots
    assert committee.total == 4
    by_code = {c.org.code: c for c in committee.children}
    assert by_code["P01"].total == 2
    assert by_code["P01"].children[0].total == 1


def test_subtree_counts_cover_two_levels_below_without_double_counting(world: World) -> None:
    general = PartyOrganisation.objects.create(
        institution=world.hospital,
        code="GB",
        name="外科总支",
        kind=Kind.GENERAL_BRANCH,
        parent=world.committee,
        established_on=dt.date(2020, 1, 1),
    )
    add_members(new_branch(world, "GB1", general), world.dept_b1, 5)
    counts = {
        o.code: o.subtree_count
        for o in selectors.with_structure_counts(PartyOrganisation.objects.all(), on=ON)
    }
    # The committee: 2 + 2 in its branches (one in a group, counted once) + 5 two levels down.
    assert counts["P00"] == 9
    assert counts["GB"] == 5
    assert counts["P01"] == 2
