from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from hongfan.accounts.roles import Role
from hongfan.core.testing import World
from hongfan.decisions import services
from hongfan.decisions.models import AgendaItem, DecisionConfig, MeetingKind, Resolution, Vote
from hongfan.decisions.tests.factories import (
    all_yes,
    committee_members,
    item,
    mark_present,
    meeting,
    office_members,
)
from hongfan.loops.models import Matter

pytestmark = pytest.mark.django_db

MAJOR = AgendaItem.Category.MAJOR_DECISION


def decide(it: AgendaItem, votes: dict[int, str], world: World, **kw) -> AgendaItem:  # type: ignore[no-untyped-def]
    kw.setdefault("owner_department", world.dept_a1)
    return services.agenda_item_decide(
        item=it, votes=votes, actor=world.user(Role.PRESIDENT_OFFICE), **kw
    )


# ---------------------------------------------------------------- meetings and attendance


def test_a_committee_meeting_lists_the_committee_members_as_entitled(world: World) -> None:
    members = committee_members(world, 5)
    m = meeting(world, members)
    assert sorted(m.attendance.values_list("staff_id", flat=True)) == sorted(s.pk for s in members)


def test_a_committee_member_whose_term_ended_is_not_entitled(world: World) -> None:
    members = committee_members(world, 3)
    seat = members[2].party_member.committee_seats.get()
    seat.ended_on = dt.date(2026, 1, 1)
    seat.save()
    m = meeting(world, members)
    assert members[2].pk not in set(m.attendance.values_list("staff_id", flat=True))


def test_a_meeting_without_entitled_members_is_refused(world: World) -> None:
    with pytest.raises(ValidationError, match="党委"):
        services.meeting_create(
            institution=world.hospital,
            kind=MeetingKind.PARTY_COMMITTEE,
            held_on=dt.date(2026, 3, 10),
            place="会议室",
            chair=world.staff["office"],
            recorder=world.staff["office"],
        )


def test_the_chair_must_be_entitled(world: World) -> None:
    committee_members(world, 3)
    with pytest.raises(ValidationError) as exc:
        services.meeting_create(
            institution=world.hospital,
            kind=MeetingKind.PARTY_COMMITTEE,
            held_on=dt.date(2026, 3, 10),
            place="会议室",
            chair=world.staff["plain_a1"],
            recorder=world.staff["office"],
        )
    assert "chair" in exc.value.message_dict


def test_the_office_meeting_uses_the_configured_member_list(world: World) -> None:
    members = office_members(world, 4)
    m = meeting(world, members, kind=MeetingKind.PRESIDENT_OFFICE)
    assert m.attendance.count() == 4


def test_an_absence_without_reason_is_refused_and_nothing_is_saved(world: World) -> None:
    members = committee_members(world, 3)
    m = meeting(world, members)
    with pytest.raises(ValidationError):
        services.attendance_record(
            meeting=m,
            statuses={members[0].pk: ("present", ""), members[1].pk: ("absent", "")},
        )
    assert not m.attendance.filter(status="present").exists()


def test_attendance_cannot_change_after_a_decision(world: World) -> None:
    members = committee_members(world, 3)
    m = meeting(world, members, present=3)
    decide(item(m, title="普通事项"), all_yes(members, 3), world)
    with pytest.raises(ValidationError):
        mark_present(m, members, 2)


# ---------------------------------------------------------------- classification


@pytest.mark.parametrize(
    ("amount", "is_project", "expected"),
    [
        (Decimal("499999.99"), False, "ordinary"),
        (Decimal("500000"), False, "large_funds"),
        (Decimal("999999"), True, "large_funds"),
        (Decimal("1000000"), True, "major_project"),
    ],
)
def test_an_amount_over_a_threshold_makes_the_item_major(
    world: World, amount: Decimal, is_project: bool, expected: str
) -> None:
    members = committee_members(world, 3)
    it = item(meeting(world, members), amount=amount, is_project=is_project)
    assert it.category == expected
    assert it.auto_classified is (expected != "ordinary")


def test_thresholds_are_configurable(world: World) -> None:
    DecisionConfig.objects.update(large_funds_threshold=Decimal("200000"))
    members = committee_members(world, 3)
    it = item(meeting(world, members), amount=Decimal("250000"))
    assert it.category == "large_funds"


# ---------------------------------------------------------------- quorum


def test_a_major_item_with_exactly_two_thirds_present_can_be_voted(world: World) -> None:
    members = committee_members(world, 9)
    m = meeting(world, members, present=6)
    it = decide(item(m, category=MAJOR), all_yes(members, 6), world)
    assert it.decision == "passed"
    assert (it.quorum_present, it.quorum_entitled) == (6, 9)


def test_a_major_item_with_one_fewer_than_two_thirds_is_refused(world: World) -> None:
    members = committee_members(world, 9)
    m = meeting(world, members, present=5)
    it = item(m, category=MAJOR)
    with pytest.raises(ValidationError, match=r"No quorum|法定人数"):
        decide(it, all_yes(members, 5), world)
    it.refresh_from_db()
    assert it.decision == "pending"
    assert not Vote.objects.filter(item=it).exists()


def test_an_ordinary_item_with_exactly_half_present_is_refused(world: World) -> None:
    members = committee_members(world, 8)
    m = meeting(world, members, present=4)
    with pytest.raises(ValidationError):
        decide(item(m, title="普通事项"), all_yes(members, 4), world)


def test_an_ordinary_item_with_more_than_half_present_can_be_voted(world: World) -> None:
    members = committee_members(world, 8)
    m = meeting(world, members, present=5)
    it = decide(item(m, title="普通事项"), all_yes(members, 5), world)
    assert it.decision == "passed"


def test_a_recused_member_does_not_count_towards_the_quorum(world: World) -> None:
    members = committee_members(world, 9)
    m = meeting(world, members, present=6)
    it = item(m, category=MAJOR)
    services.recusal_add(item=it, staff=members[5], reason="近亲属参与投标")
    with pytest.raises(ValidationError, match=r"No quorum|法定人数"):
        decide(it, all_yes(members, 6, skip=(members[5],)), world)


def test_a_recused_member_voting_is_refused(world: World) -> None:
    members = committee_members(world, 6)
    m = meeting(world, members, present=6)
    it = item(m, title="普通事项")
    services.recusal_add(item=it, staff=members[1], reason="利益相关")
    with pytest.raises(ValidationError, match=members[1].name):
        decide(it, all_yes(members, 6), world)
    assert not Vote.objects.filter(item=it).exists()


def test_an_absent_member_cannot_vote(world: World) -> None:
    members = committee_members(world, 6)
    m = meeting(world, members, present=5)
    with pytest.raises(ValidationError):
        decide(item(m, title="普通事项"), all_yes(members, 6), world)


def test_every_present_member_must_vote(world: World) -> None:
    members = committee_members(world, 6)
    m = meeting(world, members, present=6)
    with pytest.raises(ValidationError, match=members[5].name):
        decide(item(m, title="普通事项"), all_yes(members, 5), world)


def test_a_vote_before_the_meeting_is_refused(world: World) -> None:
    members = committee_members(world, 3)
    m = meeting(world, members, held_on=dt.date.today() + dt.timedelta(days=3))
    with pytest.raises(ValidationError):
        decide(item(m, title="普通事项"), {}, world)


def test_without_a_majority_of_yes_the_item_is_not_passed(world: World) -> None:
    members = committee_members(world, 6)
    m = meeting(world, members, present=6)
    votes = {s.pk: ("yes" if i < 3 else "no") for i, s in enumerate(members)}
    it = decide(item(m, title="普通事项"), votes, world)
    assert it.decision == "rejected"
    assert not Resolution.objects.exists()


# ---------------------------------------------------------------- the 三重一大 rule


def test_the_office_meeting_cannot_finally_decide_a_major_item(world: World) -> None:
    members = office_members(world, 5)
    m = meeting(world, members, kind=MeetingKind.PRESIDENT_OFFICE, present=5)
    it = item(m, category=MAJOR)
    with pytest.raises(ValidationError, match="三重一大"):
        decide(it, all_yes(members, 5), world)
    it.refresh_from_db()
    assert it.decision == "pending"


def test_an_item_made_major_by_its_amount_cannot_pass_at_the_office_meeting(
    world: World,
) -> None:
    members = office_members(world, 5)
    m = meeting(world, members, kind=MeetingKind.PRESIDENT_OFFICE, present=5)
    it = item(m, amount=Decimal("600000"))
    with pytest.raises(ValidationError):
        decide(it, all_yes(members, 5), world)


def test_the_database_refuses_a_major_item_passed_by_the_office_meeting(world: World) -> None:
    members = office_members(world, 3)
    m = meeting(world, members, kind=MeetingKind.PRESIDENT_OFFICE, present=3)
    it = item(m, category=MAJOR)
    with pytest.raises(IntegrityError), transaction.atomic():
        AgendaItem.objects.filter(pk=it.pk).update(decision="passed")


def test_a_referred_item_stays_pending_until_the_committee_passes_it(world: World) -> None:
    office = office_members(world, 5)
    committee = committee_members(world, 9)
    om = meeting(world, office, kind=MeetingKind.PRESIDENT_OFFICE, present=5)
    office_item = item(om, category=MAJOR)
    services.agenda_item_refer(item=office_item, note="提交党委会研究")
    office_item.refresh_from_db()
    assert office_item.decision == "referred"
    assert office_item.final_decision == "pending"
    assert not Resolution.objects.exists()

    cm = meeting(world, committee, held_on=dt.date(2026, 3, 17), present=7)
    committee_item = item(cm, title=office_item.title, referred_item=office_item)
    assert committee_item.category == MAJOR
    decide(committee_item, all_yes(committee, 7), world)
    office_item.refresh_from_db()
    assert office_item.final_decision == "passed"
    assert Resolution.objects.get().item == committee_item


def test_an_ordinary_item_is_not_referred(world: World) -> None:
    members = office_members(world, 3)
    m = meeting(world, members, kind=MeetingKind.PRESIDENT_OFFICE, present=3)
    with pytest.raises(ValidationError):
        services.agenda_item_refer(item=item(m, title="普通事项"))


def test_a_referred_item_is_taken_up_only_once(world: World) -> None:
    office = office_members(world, 3)
    committee = committee_members(world, 3)
    om = meeting(world, office, kind=MeetingKind.PRESIDENT_OFFICE, present=3)
    office_item = services.agenda_item_refer(item=item(om, category=MAJOR))
    cm = meeting(world, committee, held_on=dt.date(2026, 3, 17))
    item(cm, referred_item=office_item)
    with pytest.raises(ValidationError):
        item(cm, referred_item=office_item)


def test_deferring_needs_no_quorum(world: World) -> None:
    members = committee_members(world, 9)
    m = meeting(world, members, present=2)
    it = services.agenda_item_defer(item=item(m, category=MAJOR), note="补充材料")
    assert it.decision == "deferred"


# ---------------------------------------------------------------- resolutions on the loops engine


def test_a_passed_item_becomes_a_resolution_matter_with_owner_and_deadline(
    world: World,
) -> None:
    members = committee_members(world, 3)
    m = meeting(world, members, present=3)
    it = decide(
        item(m, title="普通事项"),
        all_yes(members, 3),
        world,
        owner=world.user(Role.DEPARTMENT_HEAD),
        deadline_days=10,
        resolution_text="由心内科牵头落实。",
    )
    resolution = it.resolution
    assert resolution.number == "DW2026-001"
    matter = Matter.objects.get(pk=resolution.matter_id)
    assert matter.type.code == "resolution"
    assert matter.owner == world.user(Role.DEPARTMENT_HEAD)
    assert matter.owner_department == world.dept_a1
    assert matter.source == resolution
    assert matter.due_at > matter.opened_at


def test_a_passed_item_without_an_owner_is_refused(world: World) -> None:
    members = committee_members(world, 3)
    m = meeting(world, members, present=3)
    it = item(m, title="普通事项")
    with pytest.raises(ValidationError):
        services.agenda_item_decide(item=it, votes=all_yes(members, 3))
    it.refresh_from_db()
    assert it.decision == "pending"
    assert not Matter.objects.exists()


def test_publishing_a_resolution(world: World) -> None:
    members = committee_members(world, 3)
    m = meeting(world, members, present=3)
    res = decide(item(m, title="普通事项"), all_yes(members, 3), world).resolution
    services.resolution_publish(resolution=res)
    res.refresh_from_db()
    assert res.is_published and res.published_at is not None
