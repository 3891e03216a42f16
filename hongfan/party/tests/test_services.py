"""Party writes: the tree, members, temporary branches, committee seats, transfers, 转正."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from hongfan.core.testing import World, make_member, make_staff
from hongfan.org.models import Staff
from hongfan.party import services
from hongfan.party.models import CommitteeMember, MemberTransfer, PartyMember, PartyOrganisation

pytestmark = pytest.mark.django_db

Kind = PartyOrganisation.Kind
Direction = MemberTransfer.Direction


def _codes(exc: ValidationError, field: str) -> set[str | None]:
    return {e.code for e in exc.error_dict[field]}


def _org(world: World, code: str, kind: str, parent: PartyOrganisation, **extra):  # type: ignore[no-untyped-def]
    return services.organisation_create(
        institution=world.hospital,
        code=code,
        name=f"组织{code}",
        kind=kind,
        parent=parent,
        established_on=dt.date(2020, 1, 1),
        **extra,
    )


def _temporary(world: World, secretary: PartyMember | None = None) -> PartyOrganisation:
    return _org(
        world,
        "TMP1",
        Kind.BRANCH,
        world.committee,
        is_temporary=True,
        approved_by=world.committee,
        temporary_task="援鄂医疗队",
        secretary=secretary or world.members["member_a"],
    )


# --- The tree -------------------------------------------------------------------------------


def test_a_cycle_in_the_tree_is_refused(world: World) -> None:
    sub = _org(world, "SUB", Kind.COMMITTEE, world.committee)
    with pytest.raises(ValidationError) as exc:
        services.organisation_update(organisation=world.committee, parent=sub)
    assert _codes(exc.value, "parent") == {"tree_cycle"}
    world.committee.refresh_from_db()
    assert world.committee.parent_id is None


def test_an_organisation_under_itself_is_refused(world: World) -> None:
    with pytest.raises(ValidationError) as exc:
        services.organisation_update(organisation=world.committee, parent=world.committee)
    assert "tree_cycle" in _codes(exc.value, "parent")


def test_a_cycle_two_levels_down_is_refused(world: World) -> None:
    sub = _org(world, "SUB", Kind.COMMITTEE, world.committee)
    subsub = _org(world, "SUB2", Kind.COMMITTEE, sub)
    with pytest.raises(ValidationError) as exc:
        services.organisation_update(organisation=sub, parent=subsub)
    assert _codes(exc.value, "parent") == {"tree_cycle"}


@pytest.mark.parametrize("parent_kind", [Kind.COMMITTEE, Kind.GENERAL_BRANCH, Kind.GROUP])
def test_a_group_under_anything_but_a_branch_is_refused(world: World, parent_kind: str) -> None:
    parent = {
        Kind.COMMITTEE: world.committee,
        Kind.GROUP: world.group_a,
    }.get(parent_kind) or _org(world, "GB1", Kind.GENERAL_BRANCH, world.committee)
    before = PartyOrganisation.objects.count()
    with pytest.raises(ValidationError) as exc:
        _org(world, "G9", Kind.GROUP, parent)
    assert _codes(exc.value, "parent") == {"kind_not_allowed"}
    assert PartyOrganisation.objects.count() == before


def test_a_group_under_a_branch_is_accepted(world: World) -> None:
    group = _org(world, "G9", Kind.GROUP, world.branch_b)
    assert group.parent == world.branch_b


def test_moving_a_group_under_the_committee_is_refused(world: World) -> None:
    with pytest.raises(ValidationError) as exc:
        services.organisation_update(organisation=world.group_a, parent=world.committee)
    assert _codes(exc.value, "parent") == {"kind_not_allowed"}
    world.group_a.refresh_from_db()
    assert world.group_a.parent_id == world.branch_a.pk


# --- Members --------------------------------------------------------------------------------


def test_a_member_in_a_second_branch_is_refused(world: World) -> None:
    staff = world.staff["member_a"]
    with pytest.raises(ValidationError) as exc:
        services.member_create(
            staff=staff,
            organisation=world.branch_b,
            category=PartyMember.Category.FULL,
            joined_on=dt.date(2015, 7, 1),
            confirmed_on=dt.date(2016, 7, 1),
        )
    assert _codes(exc.value, "staff") == {"already_member"}
    assert PartyMember.objects.get(staff=staff).organisation == world.branch_a


def test_a_group_of_another_branch_is_refused(world: World) -> None:
    group_b = _org(world, "GB9", Kind.GROUP, world.branch_b)
    member = world.members["member_a"]
    with pytest.raises(ValidationError) as exc:
        services.member_update(member=member, group=group_b)
    assert _codes(exc.value, "group") == {"group_of_other_branch"}
    assert PartyMember.objects.get(pk=member.pk).group == world.group_a


def test_a_new_member_sets_the_political_status(world: World) -> None:
    staff = world.staff["plain_a1"]
    member = services.member_create(
        staff=staff,
        organisation=world.branch_a,
        category=PartyMember.Category.PROBATIONARY,
        joined_on=dt.date(2025, 7, 1),
    )
    staff.refresh_from_db()
    assert staff.political_status == Staff.PoliticalStatus.PROBATIONARY
    assert member.confirmed_on is None


# --- Temporary branches ---------------------------------------------------------------------


def test_a_temporary_branch_collects_no_dues_and_develops_no_members(world: World) -> None:
    temporary = _temporary(world)
    with pytest.raises(ValidationError) as exc:
        services.ensure_collects_dues(temporary)
    assert exc.value.code == "temporary_no_dues"
    with pytest.raises(ValidationError) as exc:
        services.ensure_may_develop_members(temporary)
    assert exc.value.code == "temporary_no_development"
    with pytest.raises(ValidationError) as exc:
        services.ensure_may_discipline(temporary)
    assert exc.value.code == "temporary_no_discipline"
    # A regular branch may do all three.
    services.ensure_collects_dues(world.branch_a)
    services.ensure_may_develop_members(world.branch_a)
    services.ensure_may_discipline(world.branch_a)


def test_a_temporary_branch_takes_no_new_member(world: World) -> None:
    temporary = _temporary(world)
    with pytest.raises(ValidationError) as exc:
        services.member_create(
            staff=world.staff["plain_a1"],
            organisation=temporary,
            category=PartyMember.Category.PROBATIONARY,
            joined_on=dt.date(2025, 7, 1),
        )
    assert _codes(exc.value, "organisation") == {"temporary_no_members"}
    assert not PartyMember.objects.filter(staff=world.staff["plain_a1"]).exists()


def test_a_development_file_in_a_temporary_branch_is_refused(world: World) -> None:
    from hongfan.development import services as development

    temporary = _temporary(world)
    with pytest.raises(ValidationError) as exc:
        development.candidate_create(staff=world.staff["plain_a1"], branch=temporary)
    assert "branch" in exc.value.error_dict


def test_a_temporary_branch_needs_approval_and_a_secretary(world: World) -> None:
    with pytest.raises(ValidationError) as exc:
        _org(
            world,
            "TMP2",
            Kind.BRANCH,
            world.committee,
            is_temporary=True,
            temporary_task="抗洪",
            approved_by=world.committee,
        )
    assert "secretary" in exc.value.error_dict
    with pytest.raises(ValidationError) as exc:
        _org(
            world,
            "TMP3",
            Kind.BRANCH,
            world.committee,
            is_temporary=True,
            temporary_task="抗洪",
            secretary=world.members["member_a"],
        )
    assert "approved_by" in exc.value.error_dict
    assert not PartyOrganisation.objects.filter(code__in=["TMP2", "TMP3"]).exists()


def test_a_temporary_branch_keeps_its_secretary_in_the_home_branch(world: World) -> None:
    member = world.members["member_a"]
    temporary = _temporary(world, member)
    member.refresh_from_db()
    assert member.organisation == world.branch_a
    seat = temporary.committee.get()
    assert (seat.member, seat.position) == (member, CommitteeMember.Position.SECRETARY)


# --- Committee seats ------------------------------------------------------------------------


def test_a_committee_seat_for_a_non_member_is_refused(world: World) -> None:
    with pytest.raises(ValidationError) as exc:
        services.committee_seat_add(
            organisation=world.branch_a,
            member=world.members["member_b"],
            position=CommitteeMember.Position.ORGANISATION,
            term_start=dt.date(2024, 7, 1),
            term_end=dt.date(2027, 6, 30),
        )
    assert _codes(exc.value, "member") == {"seat_not_member"}
    assert not world.branch_a.committee.filter(member=world.members["member_b"]).exists()


def test_the_party_committee_seats_members_of_any_branch_beneath_it(world: World) -> None:
    seat = services.committee_seat_add(
        organisation=world.committee,
        member=world.members["member_b"],
        position=CommitteeMember.Position.ORGANISATION,
        term_start=dt.date(2024, 7, 1),
        term_end=dt.date(2029, 6, 30),
    )
    assert seat.pk is not None


def test_a_second_secretary_is_refused(world: World) -> None:
    with pytest.raises(ValidationError) as exc:
        services.committee_seat_add(
            organisation=world.branch_a,
            member=world.members["member_a"],
            position=CommitteeMember.Position.SECRETARY,
            term_start=dt.date(2024, 7, 1),
            term_end=dt.date(2027, 6, 30),
        )
    assert "position" in exc.value.error_dict


# --- Transfers ------------------------------------------------------------------------------


def test_transfers_out_and_in_keep_the_history(world: World) -> None:
    member = world.members["secretary_a"]
    services.member_transfer(
        member=member,
        direction=Direction.INTERNAL,
        on=dt.date(2025, 1, 10),
        to_organisation=world.branch_b,
    )
    member.refresh_from_db()
    assert member.organisation == world.branch_b
    # The seat in the old branch ended on the transfer date.
    seat = CommitteeMember.objects.get(organisation=world.branch_a, member=member)
    assert seat.ended_on == dt.date(2025, 1, 10)

    services.member_transfer(
        member=member,
        direction=Direction.OUT,
        on=dt.date(2025, 3, 1),
        external_organisation="市第二医院党委",
    )
    member.refresh_from_db()
    assert member.status == PartyMember.Status.TRANSFERRED_OUT
    assert member.left_on == dt.date(2025, 3, 1)
    member.staff.refresh_from_db()
    assert member.staff.political_status == Staff.PoliticalStatus.MEMBER  # still a CPC member

    services.member_transfer(
        member=member,
        direction=Direction.IN,
        on=dt.date(2025, 6, 1),
        to_organisation=world.branch_a,
    )
    member.refresh_from_db()
    assert (member.status, member.left_on, member.organisation) == (
        PartyMember.Status.NORMAL,
        None,
        world.branch_a,
    )
    history = [
        (t.direction, t.from_organisation, t.to_organisation, t.external_organisation)
        for t in member.transfers.order_by("transferred_on")
    ]
    assert history == [
        (Direction.INTERNAL, world.branch_a, world.branch_b, ""),
        (Direction.OUT, world.branch_b, None, "市第二医院党委"),
        (Direction.IN, None, world.branch_a, ""),
    ]


def test_an_internal_transfer_clears_the_party_group(world: World) -> None:
    member = world.members["member_a"]
    services.member_transfer(
        member=member,
        direction=Direction.INTERNAL,
        on=dt.date(2025, 1, 1),
        to_organisation=world.branch_b,
    )
    member.refresh_from_db()
    assert member.group is None


def test_a_transfer_dated_before_the_last_one_is_refused(world: World) -> None:
    member = world.members["member_a"]
    services.member_transfer(
        member=member,
        direction=Direction.INTERNAL,
        on=dt.date(2025, 5, 1),
        to_organisation=world.branch_b,
    )
    with pytest.raises(ValidationError) as exc:
        services.member_transfer(
            member=member,
            direction=Direction.INTERNAL,
            on=dt.date(2025, 4, 30),
            to_organisation=world.branch_a,
        )
    assert "transferred_on" in exc.value.error_dict
    assert member.transfers.count() == 1


def test_a_transfer_into_a_temporary_branch_is_refused(world: World) -> None:
    temporary = _temporary(world)
    member = world.members["member_b"]
    with pytest.raises(ValidationError) as exc:
        services.member_transfer(
            member=member,
            direction=Direction.INTERNAL,
            on=dt.date(2025, 1, 1),
            to_organisation=temporary,
        )
    assert _codes(exc.value, "to_organisation") == {"temporary_no_members"}
    assert not member.transfers.exists()


def test_a_transferred_out_member_cannot_be_set_back_to_normal_without_a_transfer(
    world: World,
) -> None:
    member = world.members["member_b"]
    services.member_transfer(
        member=member, direction=Direction.OUT, on=dt.date(2025, 3, 1), external_organisation="外院"
    )
    with pytest.raises(ValidationError) as exc:
        services.member_set_status(
            member=member, status=PartyMember.Status.NORMAL, on=dt.date(2025, 4, 1)
        )
    assert _codes(exc.value, "status") == {"transferred_out"}
    member.refresh_from_db()
    assert (member.status, member.left_on) == (
        PartyMember.Status.TRANSFERRED_OUT,
        dt.date(2025, 3, 1),
    )
    assert member.transfers.count() == 1


def test_transferring_in_a_member_who_never_left_is_refused(world: World) -> None:
    with pytest.raises(ValidationError):
        services.member_transfer(
            member=world.members["member_b"],
            direction=Direction.IN,
            on=dt.date(2025, 1, 1),
            to_organisation=world.branch_a,
        )


# --- 转正 -----------------------------------------------------------------------------------


def _probationary(world: World, joined_on: dt.date) -> PartyMember:
    staff = make_staff(world.dept_a1, "预备甲")
    return make_member(
        staff, world.branch_a, category=PartyMember.Category.PROBATIONARY, joined_on=joined_on
    )


def test_confirmation_one_year_after_joining_makes_a_full_member(world: World) -> None:
    member = _probationary(world, dt.date(2024, 3, 15))
    services.member_confirm(member=member, on=dt.date(2025, 3, 15))
    member.refresh_from_db()
    assert member.category == PartyMember.Category.FULL
    assert member.confirmed_on == dt.date(2025, 3, 15)
    member.staff.refresh_from_db()
    assert member.staff.political_status == Staff.PoliticalStatus.MEMBER


def test_confirmation_the_day_before_the_year_is_up_is_refused(world: World) -> None:
    member = _probationary(world, dt.date(2024, 3, 15))
    with pytest.raises(ValidationError) as exc:
        services.member_confirm(member=member, on=dt.date(2025, 3, 14))
    assert _codes(exc.value, "confirmed_on") == {"probation_too_short"}
    member.refresh_from_db()
    assert (member.category, member.confirmed_on) == (PartyMember.Category.PROBATIONARY, None)


def test_confirmation_after_an_extended_probation_is_accepted(world: World) -> None:
    member = _probationary(world, dt.date(2024, 2, 29))
    services.member_confirm(member=member, on=dt.date(2025, 9, 1))
    member.refresh_from_db()
    assert member.confirmed_on == dt.date(2025, 9, 1)


def test_confirmation_in_the_future_is_refused(world: World) -> None:
    member = _probationary(world, dt.date(2024, 3, 15))
    with pytest.raises(ValidationError) as exc:
        services.member_confirm(member=member, on=timezone.localdate() + dt.timedelta(days=1))
    assert _codes(exc.value, "confirmed_on") == {"confirmed_in_future"}


def test_confirming_a_full_member_is_refused(world: World) -> None:
    with pytest.raises(ValidationError) as exc:
        services.member_confirm(member=world.members["member_a"], on=dt.date(2025, 1, 1))
    assert exc.value.code == "not_probationary"
