"""The composition figures reproduce the 沧州 article exactly (DOMAIN.md §1)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from hongfan.org.models import Department, Institution, Staff
from hongfan.party.models import CommitteeMember, PartyMember, PartyOrganisation
from hongfan.party.selectors import composition, percent

ON = dt.date(2026, 6, 30)
pytestmark = pytest.mark.django_db

_n = [0]


def _staff(institution: Institution, department: Department, **extra: Any) -> Staff:
    _n[0] += 1
    values: dict[str, Any] = {
        "institution": institution,
        "employee_no": f"C{_n[0]:05d}",
        "name": f"职工{_n[0]}",
        "gender": Staff.Gender.FEMALE,
        "birth_date": dt.date(1980, 1, 1),
        "department": department,
        "post_category": Staff.PostCategory.DOCTOR,
        "title_level": Staff.TitleLevel.INTERMEDIATE,
        "education": Staff.Education.BACHELOR,
        "hired_on": dt.date(2010, 1, 1),
    }
    values.update(extra)
    return Staff(**values)


def build_cangzhou(*, noise: bool = True) -> dict[str, Any]:
    """834 members in post (782 professional), 410 senior staff (190 members), 266 master or
    doctorate staff (128 members), 79 branches (59 secretaries head a bound department)."""
    hospital = Institution.objects.create(code="CZ", name="沧州测试医院")
    committee = PartyOrganisation.objects.create(
        institution=hospital,
        code="CZ00",
        name="医院党委",
        kind=PartyOrganisation.Kind.COMMITTEE,
        established_on=dt.date(2000, 1, 1),
    )
    departments = Department.objects.bulk_create(
        [
            Department(
                institution=hospital,
                code=f"D{i:02d}",
                name=f"科室{i}",
                category=Department.Category.CLINICAL,
            )
            for i in range(79)
        ]
    )
    branches = PartyOrganisation.objects.bulk_create(
        [
            PartyOrganisation(
                institution=hospital,
                code=f"CZ{i + 1:02d}",
                name=f"第{i + 1}党支部",
                kind=PartyOrganisation.Kind.BRANCH,
                parent=committee,
                established_on=dt.date(2005, 1, 1),
            )
            for i in range(79)
        ]
    )
    through = PartyOrganisation.departments.through
    through.objects.bulk_create(
        [
            through(partyorganisation_id=b.pk, department_id=d.pk)
            for b, d in zip(branches, departments, strict=True)
        ]
    )
    # Members: index i in 0..833. Secretaries are the first 79 (one per branch); the first
    # 59 head their branch's department. 52 members are management staff (782 professional),
    # 190 hold a senior title, 128 hold a master's or doctorate.
    member_staff = []
    for i in range(834):
        dept = departments[i % 79]
        member_staff.append(
            _staff(
                hospital,
                dept,
                is_department_head=i < 59,
                post_category=(
                    Staff.PostCategory.MANAGEMENT if i >= 782 else Staff.PostCategory.NURSE
                ),
                title_level=(
                    Staff.TitleLevel.ASSOCIATE_SENIOR if 100 <= i < 290 else Staff.TitleLevel.JUNIOR
                ),
                education=Staff.Education.MASTER if 300 <= i < 428 else Staff.Education.BACHELOR,
                political_status=Staff.PoliticalStatus.MEMBER,
            )
        )
    # Non-members: 220 senior and 138 postgraduate (so 410 and 266 in all); one of them is a
    # department head of a bound department but not a secretary.
    others = [
        _staff(hospital, departments[i % 79], title_level=Staff.TitleLevel.SENIOR)
        for i in range(220)
    ] + [
        _staff(hospital, departments[i % 79], education=Staff.Education.DOCTORATE)
        for i in range(138)
    ]
    Staff.objects.bulk_create(member_staff + others)
    members = PartyMember.objects.bulk_create(
        [
            PartyMember(
                staff=s,
                organisation=branches[i % 79],
                category=PartyMember.Category.FULL,
                joined_on=dt.date(2012, 7, 1),
                confirmed_on=dt.date(2013, 7, 1),
            )
            for i, s in enumerate(member_staff)
        ]
    )
    CommitteeMember.objects.bulk_create(
        [
            CommitteeMember(
                organisation=branches[i],
                member=members[i],
                position=CommitteeMember.Position.SECRETARY,
                term_start=dt.date(2024, 1, 1),
                term_end=dt.date(2026, 12, 31),
            )
            for i in range(79)
        ]
    )
    if noise:
        _add_excluded(hospital, departments[0], branches[0], members)
    return {
        "hospital": hospital,
        "branches": branches,
        "departments": departments,
        "members": members,
        "committee": committee,
    }


def _add_excluded(
    hospital: Institution, dept: Department, branch: PartyOrganisation, members: list[Any]
) -> None:
    """Rows that must not change any figure on ON."""
    senior = Staff.TitleLevel.SENIOR
    left_member = _staff(hospital, dept, title_level=senior, hired_on=dt.date(2000, 1, 1))
    hired_after = _staff(hospital, dept, title_level=senior, hired_on=ON + dt.timedelta(days=1))
    retiree = _staff(
        hospital, dept, title_level=senior, employment_status=Staff.EmploymentStatus.RETIRED
    )
    staff_left = _staff(hospital, dept, title_level=senior, left_on=ON)
    joined_after = _staff(hospital, dept)
    Staff.objects.bulk_create([left_member, hired_after, retiree, staff_left, joined_after])
    common = {"organisation": branch, "category": PartyMember.Category.FULL}
    PartyMember.objects.bulk_create(
        [
            # Transferred out the day before ON: not a member on ON (and a senior non-member
            # who left the hospital the same day).
            PartyMember(
                staff=left_member,
                joined_on=dt.date(2001, 1, 1),
                confirmed_on=dt.date(2002, 1, 1),
                status=PartyMember.Status.TRANSFERRED_OUT,
                left_on=ON - dt.timedelta(days=1),
                **common,
            ),
            PartyMember(
                staff=hired_after,
                joined_on=dt.date(2001, 1, 1),
                confirmed_on=dt.date(2002, 1, 1),
                **common,
            ),
            PartyMember(
                staff=retiree,
                joined_on=dt.date(2001, 1, 1),
                confirmed_on=dt.date(2002, 1, 1),
                is_retired=True,
                **common,
            ),
            PartyMember(
                staff=staff_left,
                joined_on=dt.date(2001, 1, 1),
                confirmed_on=dt.date(2002, 1, 1),
                **common,
            ),
            PartyMember(
                staff=joined_after,
                joined_on=ON + dt.timedelta(days=1),
                category=PartyMember.Category.PROBATIONARY,
                organisation=branch,
            ),
        ]
    )
    Staff.objects.filter(pk=left_member.pk).update(left_on=ON - dt.timedelta(days=1))
    # A dissolved branch and a temporary branch are not counted.
    PartyOrganisation.objects.create(
        institution=hospital,
        code="CZ-OLD",
        name="已撤销支部",
        kind=PartyOrganisation.Kind.BRANCH,
        parent=branch.parent,
        established_on=dt.date(2005, 1, 1),
        dissolved_on=ON,
    )
    PartyOrganisation.objects.create(
        institution=hospital,
        code="CZ-TMP",
        name="临时党支部",
        kind=PartyOrganisation.Kind.BRANCH,
        parent=branch.parent,
        is_temporary=True,
        approved_by=branch.parent,
        temporary_task="抗疫",
        established_on=dt.date(2020, 1, 1),
    )


def test_the_cangzhou_figures_are_reproduced_exactly(django_assert_max_num_queries: Any) -> None:
    data = build_cangzhou()
    with django_assert_max_num_queries(3):
        figures = composition(on=ON, institution_id=data["hospital"].pk)
    assert figures.members_in_post == 834
    assert figures.professional_pct == Decimal("93.76")
    assert (figures.senior_members, figures.senior_staff) == (190, 410)
    assert figures.senior_pct == Decimal("46.34")
    assert (figures.postgraduate_members, figures.postgraduate_staff) == (128, 266)
    assert figures.postgraduate_pct == Decimal("48.12")
    assert figures.branches == 79
    assert figures.dual_leader_pct == Decimal("74.68")


def test_the_whole_deployment_gives_the_same_figures_with_one_hospital() -> None:
    build_cangzhou(noise=False)
    figures = composition(on=ON)
    assert (figures.members_in_post, figures.branches) == (834, 79)


def test_a_member_who_left_before_the_date_is_excluded_but_counted_before() -> None:
    data = build_cangzhou(noise=True)
    earlier = composition(on=ON - dt.timedelta(days=2), institution_id=data["hospital"].pk)
    # Two days earlier: the transferred-out member and the staff member who left on ON were
    # still there (834 + 2; the retiree, the late hire and the late joiner still are not).
    assert earlier.members_in_post == 836
    assert earlier.senior_staff == 412


def test_a_staff_hired_after_the_date_and_a_retiree_are_excluded() -> None:
    data = build_cangzhou(noise=True)
    later = composition(on=ON + dt.timedelta(days=1), institution_id=data["hospital"].pk)
    # The late hire counts from the day after ON, and so does the late joiner; the retiree
    # never does.
    assert later.members_in_post == 834 + 2
    assert later.senior_staff == 410 + 1


def test_a_secretary_whose_term_ended_is_not_a_dual_leader_on_later_dates() -> None:
    data = build_cangzhou(noise=False)
    later = composition(on=dt.date(2027, 1, 1), institution_id=data["hospital"].pk)
    assert later.branches == 79
    assert later.dual_leader_branches == 0


def test_figures_per_branch_cover_only_that_branch() -> None:
    data = build_cangzhou(noise=False)
    branch = data["branches"][0]
    figures = composition(on=ON, organisation_ids=[branch.pk])
    assert figures.branches == 1
    assert figures.dual_leader_pct == Decimal("100.00")
    assert figures.members_in_post == PartyMember.objects.filter(organisation=branch).count()


def test_percentages_round_half_up() -> None:
    assert percent(1, 8) == Decimal("12.50")
    assert percent(1, 800) == Decimal("0.13")  # 0.125 → 0.13
    assert percent(0, 0) is None
