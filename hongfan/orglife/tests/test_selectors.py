"""Compliance: required vs held per branch and period, at period boundaries."""

from __future__ import annotations

import datetime as dt

from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hongfan.core.testing import World
from hongfan.notifications.models import Notification
from hongfan.orglife import selectors, services
from hongfan.orglife.models import FrequencyRule, Meeting, MeetingKind
from hongfan.party.models import CommitteeMember, PartyOrganisation


def held(org: PartyOrganisation, kind: str, day: dt.date, *, valid: bool = True, **kw) -> Meeting:
    """Create a recorded meeting directly (the record rules are tested in test_services)."""
    return Meeting.objects.create(
        organisation=org,
        kind=kind,
        topic="t",
        planned_on=day,
        held_on=day,
        status=Meeting.Status.RECORDED,
        is_valid=valid,
        **kw,
    )


def req(world: World, kind: str, key: str, today: dt.date) -> selectors.Requirement:
    branches = PartyOrganisation.objects.filter(pk=world.branch_a.pk)
    row = selectors.compliance_for_year(branches, int(key[:4]), today=today).rows[0]
    return next(r for r in row.requirements if r.kind == kind and r.key == key)


def test_a_meeting_on_march_31_counts_for_the_first_quarter(world: World) -> None:
    held(world.branch_a, MeetingKind.GENERAL_ASSEMBLY, dt.date(2026, 3, 31))
    today = dt.date(2026, 6, 1)
    assert req(world, MeetingKind.GENERAL_ASSEMBLY, "2026-Q1", today).status == "met"
    assert req(world, MeetingKind.GENERAL_ASSEMBLY, "2026-Q2", today).held == 0


def test_a_meeting_on_april_1_counts_for_the_second_quarter(world: World) -> None:
    held(world.branch_a, MeetingKind.GENERAL_ASSEMBLY, dt.date(2026, 4, 1))
    today = dt.date(2026, 6, 1)
    assert req(world, MeetingKind.GENERAL_ASSEMBLY, "2026-Q1", today).status == "missed"
    assert req(world, MeetingKind.GENERAL_ASSEMBLY, "2026-Q2", today).status == "met"


def test_a_quarter_is_open_on_its_last_day_and_missed_the_day_after(world: World) -> None:
    assert (
        req(world, MeetingKind.GENERAL_ASSEMBLY, "2026-Q1", dt.date(2026, 3, 31)).status == "open"
    )
    assert (
        req(world, MeetingKind.GENERAL_ASSEMBLY, "2026-Q1", dt.date(2026, 4, 1)).status == "missed"
    )
    assert (
        req(world, MeetingKind.GENERAL_ASSEMBLY, "2026-Q2", dt.date(2026, 3, 31)).status == "future"
    )


def test_an_invalid_meeting_does_not_count(world: World) -> None:
    held(world.branch_a, MeetingKind.COMMITTEE, dt.date(2026, 5, 10), valid=False)
    assert req(world, MeetingKind.COMMITTEE, "2026-05", dt.date(2026, 6, 1)).status == "missed"


def test_group_meetings_are_required_only_where_the_branch_has_groups(world: World) -> None:
    matrix = selectors.compliance_for_year(
        PartyOrganisation.objects.filter(pk__in=[world.branch_a.pk, world.branch_b.pk]),
        2026,
        today=dt.date(2026, 6, 1),
    )
    kinds = {row.branch.pk: {r.kind for r in row.requirements} for row in matrix.rows}
    assert MeetingKind.GROUP in kinds[world.branch_a.pk]
    assert MeetingKind.GROUP not in kinds[world.branch_b.pk]


def test_temporary_branches_follow_their_own_rules(world: World) -> None:
    temp = PartyOrganisation.objects.create(
        institution=world.hospital,
        code="PT1",
        name="临时党支部",
        kind="branch",
        parent=world.committee,
        is_temporary=True,
        established_on=dt.date(2026, 1, 1),
    )
    row = selectors.compliance_for_year(PartyOrganisation.objects.filter(pk=temp.pk), 2026).rows[0]
    kinds = {r.kind for r in row.requirements}
    assert MeetingKind.REVIEW not in kinds and MeetingKind.COMMITTEE not in kinds
    assert kinds == {MeetingKind.GENERAL_ASSEMBLY, MeetingKind.THEME_DAY}


def test_the_lecture_rule_is_data(world: World) -> None:
    FrequencyRule.objects.filter(kind=MeetingKind.LECTURE).update(period="year", minimum=2)
    held(world.branch_a, MeetingKind.LECTURE, dt.date(2026, 2, 1))
    r = req(world, MeetingKind.LECTURE, "2026", dt.date(2027, 1, 1))
    assert (r.required, r.held, r.status) == (2, 1, "missed")


def test_month_cells_combine_red_amber_green(world: World) -> None:
    for kind in (MeetingKind.COMMITTEE, MeetingKind.GROUP, MeetingKind.THEME_DAY):
        held(world.branch_a, kind, dt.date(2026, 1, 15))
    row = selectors.compliance_for_year(
        PartyOrganisation.objects.filter(pk=world.branch_a.pk), 2026, today=dt.date(2026, 3, 10)
    ).rows[0]
    assert row.months[0] == "met"  # January: every monthly rule met
    assert row.months[1] == "missed"  # February: nothing held
    assert row.months[2] == "open"  # March: still open
    assert row.months[3] == "future"


def test_the_matrix_costs_the_same_queries_for_30_branches(world: World) -> None:
    for i in range(30):
        b = PartyOrganisation.objects.create(
            institution=world.hospital,
            code=f"PX{i:02d}",
            name=f"第{i}党支部",
            kind="branch",
            parent=world.committee,
            established_on=dt.date(2010, 1, 1),
        )
        held(b, MeetingKind.THEME_DAY, dt.date(2026, 1 + i % 12, 3))
    one = PartyOrganisation.objects.filter(pk=world.branch_a.pk)
    with CaptureQueriesContext(connection) as small:
        selectors.compliance_for_year(one, 2026)
    with CaptureQueriesContext(connection) as large:
        matrix = selectors.compliance_for_year(PartyOrganisation.objects.all(), 2026)
    assert len(matrix.rows) == 32
    assert len(large) == len(small) <= 4


def test_the_committee_secretary_without_a_lecture_is_flagged(world: World) -> None:
    CommitteeMember.objects.create(
        organisation=world.committee,
        member=world.members["member_b"],
        position="secretary",
        term_start=dt.date(2024, 1, 1),
        term_end=dt.date(2028, 12, 31),
    )
    flags = selectors.lecture_by_committee_secretary(2026)
    assert [(f.secretary_name, f.lectures) for f in flags] == [("钱党员", 0)]
    held(
        world.branch_b, MeetingKind.LECTURE, dt.date(2026, 7, 1), lecturer=world.members["member_b"]
    )
    assert selectors.lecture_by_committee_secretary(2026)[0].lectures == 1


def test_reminders_reach_the_secretary_once(world: World) -> None:
    call_command("orglife_reminders", "--today", "2026-11-25")
    titles = list(
        Notification.objects.filter(recipient=world.users["branch_secretary"]).values_list(
            "title", flat=True
        )
    )
    assert titles and all("内科党支部" in t for t in titles)
    count = Notification.objects.count()
    call_command("orglife_reminders", "--today", "2026-11-25")
    assert Notification.objects.count() == count


def test_no_reminder_when_the_requirement_is_met_or_far_away(world: World) -> None:
    for kind in (MeetingKind.COMMITTEE, MeetingKind.GROUP, MeetingKind.THEME_DAY):
        held(world.branch_a, kind, dt.date(2026, 11, 3))
    assert services.reminders_send(today=dt.date(2026, 11, 10)) == 0  # 20 days before the end
    sent = services.reminders_send(today=dt.date(2026, 11, 25))
    titles = list(
        Notification.objects.filter(recipient=world.users["branch_secretary"]).values_list(
            "title", flat=True
        )
    )
    assert sent and not any("支部委员会" in t for t in titles if "2026-11" in t)


def test_the_task_wraps_the_same_service(world: World) -> None:
    from hongfan.orglife.tasks import send_orglife_reminders

    result = send_orglife_reminders.enqueue()
    assert result.return_value >= 0


def _all_monthly_held(world: World, day: dt.date) -> None:
    for kind in (MeetingKind.COMMITTEE, MeetingKind.GROUP, MeetingKind.THEME_DAY):
        held(world.branch_a, kind, day)


def test_a_quarter_is_reminded_45_days_before_it_ends_not_46(world: World) -> None:
    _all_monthly_held(world, dt.date(2026, 11, 3))
    assert services.reminders_send(today=dt.date(2026, 11, 15)) == 0  # 46 days before 12-31
    services.reminders_send(today=dt.date(2026, 11, 16))  # 45 days before
    titles = list(
        Notification.objects.filter(recipient=world.users["branch_secretary"]).values_list(
            "title", flat=True
        )
    )
    assert any("2026Q4" in t for t in titles)


def test_a_month_is_reminded_7_days_before_it_ends_not_8(world: World) -> None:
    sec = world.users["branch_secretary"]
    services.reminders_send(today=dt.date(2026, 11, 22))  # 8 days before 11-30
    assert not Notification.objects.filter(recipient=sec, title__contains="2026-11").exists()
    services.reminders_send(today=dt.date(2026, 11, 23))  # 7 days before
    assert Notification.objects.filter(recipient=sec, title__contains="2026-11").exists()


def test_inbox_reminders_can_be_switched_off(world: World) -> None:
    from hongfan.orglife.models import OrglifeSettings

    OrglifeSettings.objects.update(reminders_in_app=False)
    assert services.reminders_send(today=dt.date(2026, 11, 25)) == 0
    assert not Notification.objects.exists()


def test_the_group_robot_gets_each_reminder_once(world: World, monkeypatch) -> None:
    import json

    from hongfan.orglife.models import OrglifeSettings

    posted: list[dict] = []

    def fake(url: str, body: bytes, headers: dict) -> tuple[int, bytes]:
        posted.append({"url": url, **json.loads(body)})
        return 200, b'{"errcode": 0}'

    monkeypatch.setattr(services, "robot_transport", fake)
    config = OrglifeSettings.current()
    config.reminder_robot = "wecom"
    config.reminder_robot_url = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k"
    config.reminders_in_app = False
    config.save()
    sent = services.reminders_send(today=dt.date(2026, 11, 25))
    assert sent == len(posted) > 0 and not Notification.objects.exists()
    assert posted[0]["msgtype"] == "markdown" and "key=k" in posted[0]["url"]
    assert services.reminders_send(today=dt.date(2026, 11, 25)) == 0


def test_a_failing_robot_is_retried_at_the_next_run(world: World, monkeypatch) -> None:
    from hongfan.orglife.models import OrglifeSettings

    monkeypatch.setattr(services, "robot_transport", lambda url, body, headers: (500, b""))
    OrglifeSettings.objects.update(
        reminder_robot="dingtalk",
        reminder_robot_url="https://oapi.dingtalk.com/robot/send?access_token=t",
        reminders_in_app=False,
    )
    assert services.reminders_send(today=dt.date(2026, 11, 25)) == 0
    monkeypatch.setattr(
        services, "robot_transport", lambda url, body, headers: (200, b'{"errcode": 0}')
    )
    assert services.reminders_send(today=dt.date(2026, 11, 25)) > 0


def test_an_unrecorded_meeting_is_reminded_two_days_before_its_window_closes(world: World) -> None:
    meeting = services.meeting_plan(
        organisation=world.branch_a,
        kind=MeetingKind.THEME_DAY,
        topic="义诊",
        planned_on=dt.date(2026, 11, 10),
    )
    sec = world.users["branch_secretary"]
    services.reminders_send(today=dt.date(2026, 11, 14))  # window closes 11-17: 3 days left
    assert not Notification.objects.filter(recipient=sec, title__contains="义诊").exists()
    services.reminders_send(today=dt.date(2026, 11, 15))  # 2 days left
    note = Notification.objects.get(recipient=sec, title__contains="义诊")
    assert "2026-11-17" in note.title and note.url.endswith(f"/meetings/{meeting.pk}/record/")
    services.reminders_send(today=dt.date(2026, 11, 16))
    assert Notification.objects.filter(recipient=sec, title__contains="义诊").count() == 1
