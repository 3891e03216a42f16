"""Test helpers: a hospital Party committee of ``n`` members, office members, meetings."""

from __future__ import annotations

import datetime as dt
from typing import Any

from hongfan.core.testing import World, make_member, make_staff
from hongfan.decisions import services
from hongfan.decisions.models import Attendance, Meeting, MeetingKind, OfficeMeetingMember
from hongfan.org.models import Staff
from hongfan.party.models import CommitteeMember

HELD = dt.date(2026, 3, 10)


def committee_members(world: World, n: int) -> list[Staff]:
    """Give the hospital committee ``n`` members (new staff) and return their staff rows."""
    out = []
    for i in range(n):
        staff = make_staff(world.dept_a2, f"委员{i + 1}")
        member = make_member(staff, world.branch_a)
        CommitteeMember.objects.create(
            organisation=world.committee,
            member=member,
            position=(
                CommitteeMember.Position.SECRETARY if i == 0 else CommitteeMember.Position.MEMBER
            ),
            term_start=dt.date(2024, 1, 1),
            term_end=dt.date(2028, 12, 31),
        )
        out.append(staff)
    return out


def office_members(world: World, n: int) -> list[Staff]:
    out = []
    for i in range(n):
        staff = make_staff(world.dept_a2, f"院办成员{i + 1}")
        OfficeMeetingMember.objects.create(staff=staff, title="院领导", sort_order=i)
        out.append(staff)
    return out


def meeting(
    world: World,
    members: list[Staff],
    *,
    kind: str = MeetingKind.PARTY_COMMITTEE,
    held_on: dt.date = HELD,
    present: int | None = None,
) -> Meeting:
    """Create a meeting; the first ``present`` members are present, the rest absent."""
    m = services.meeting_create(
        institution=world.hospital,
        kind=kind,
        held_on=held_on,
        place="行政楼第一会议室",
        chair=members[0],
        recorder=world.staff["office"],
        first_topic_title="学习习近平总书记关于卫生健康工作的重要论述",
        first_topic_source="《求是》2026年第5期",
    )
    if present is not None:
        mark_present(m, members, present)
    return m


def mark_present(m: Meeting, members: list[Staff], present: int) -> None:
    statuses: dict[int, tuple[str, str]] = {}
    for i, s in enumerate(members):
        if i < present:
            statuses[s.pk] = (Attendance.Status.PRESENT, "")
        else:
            statuses[s.pk] = (Attendance.Status.ABSENT, "外出学习")
    services.attendance_record(meeting=m, statuses=statuses)


def all_yes(members: list[Staff], present: int, *, skip: tuple[Staff, ...] = ()) -> dict[int, str]:
    return {s.pk: "yes" for s in members[:present] if s not in skip}


def item(m: Meeting, **kwargs: Any):  # type: ignore[no-untyped-def]
    kwargs.setdefault("title", "关于购置CT设备的议题")
    return services.agenda_item_create(meeting=m, **kwargs)
