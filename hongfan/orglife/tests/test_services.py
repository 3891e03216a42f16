"""Rules of organisational life, tested at their edges."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction

from hongfan.accounts.roles import Role
from hongfan.audit.models import AuditEntry
from hongfan.core.testing import World, make_member, make_staff
from hongfan.orglife import services
from hongfan.orglife.models import (
    Attendance,
    Meeting,
    MeetingKind,
    ReviewBallot,
    ReviewCampaign,
    ReviewGrade,
    ReviewResult,
)
from hongfan.party.models import CommitteeMember, PartyMember, PartyOrganisation

TODAY = dt.date(2026, 11, 20)


def plan(
    org: PartyOrganisation, kind: str = MeetingKind.THEME_DAY, day: dt.date = TODAY, **kw
) -> Meeting:
    return services.meeting_plan(
        organisation=org, kind=kind, topic="主题党日", planned_on=day, **kw
    )


def record(meeting: Meeting, user, held_on: dt.date, present=(), **kw) -> Meeting:
    return services.meeting_record(
        meeting=meeting,
        user=user,
        held_on=held_on,
        present_ids=set(present),
        first_topic_title="习近平总书记重要讲话",
        today=kw.pop("today", TODAY),
        **kw,
    )


def add_members(
    world: World, n: int, *, category: str = PartyMember.Category.FULL
) -> list[PartyMember]:
    out = []
    for i in range(n):
        staff = make_staff(world.dept_a1, f"党员{i}")
        out.append(make_member(staff, world.branch_a, category=category))
    return out


# --- dates and the back-fill window ------------------------------------------------------------


def test_a_meeting_held_today_is_recorded(world: World) -> None:
    m = record(plan(world.branch_a), world.user(Role.BRANCH_SECRETARY), TODAY)
    assert m.status == Meeting.Status.RECORDED and m.is_valid


def test_a_meeting_dated_tomorrow_is_refused(world: World) -> None:
    with pytest.raises(ValidationError, match="不能提前记录"):
        record(
            plan(world.branch_a), world.user(Role.BRANCH_SECRETARY), TODAY + dt.timedelta(days=1)
        )
    assert not Meeting.objects.filter(status="recorded").exists()


def test_a_meeting_before_the_branch_existed_is_refused(world: World) -> None:
    with pytest.raises(ValidationError, match="尚未成立"):
        plan(world.branch_a, day=dt.date(2005, 6, 30))
    meeting = plan(world.branch_a)
    with pytest.raises(ValidationError, match="尚未成立"):
        record(meeting, world.user(Role.PARTY_OFFICE), dt.date(2005, 6, 30), backfill_reason="补录")


def test_recording_on_the_7th_day_after_the_meeting_is_allowed(world: World) -> None:
    held = TODAY - dt.timedelta(days=7)
    m = record(plan(world.branch_a, day=held), world.user(Role.BRANCH_SECRETARY), held)
    assert m.is_valid and m.backfill_reason == ""


def test_recording_on_the_8th_day_is_refused_for_a_secretary(world: World) -> None:
    held = TODAY - dt.timedelta(days=8)
    meeting = plan(world.branch_a, day=held)
    with pytest.raises(ValidationError, match="7 天内"):
        record(meeting, world.user(Role.BRANCH_SECRETARY), held, backfill_reason="忘记了")
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.PLANNED


def test_the_party_office_needs_a_reason_after_the_window(world: World) -> None:
    held = TODAY - dt.timedelta(days=8)
    meeting = plan(world.branch_a, day=held)
    with pytest.raises(ValidationError, match="补录原因"):
        record(meeting, world.user(Role.PARTY_OFFICE), held)


def test_the_party_office_override_is_recorded_and_audited(world: World) -> None:
    held = TODAY - dt.timedelta(days=30)
    meeting = plan(world.branch_a, day=held)
    record(meeting, world.user(Role.PARTY_OFFICE), held, backfill_reason="纸质记录补录")
    meeting.refresh_from_db()
    assert meeting.backfill_reason == "纸质记录补录"
    entry = AuditEntry.objects.filter(
        object_type="orglife.meeting", object_id=str(meeting.pk), action=AuditEntry.Action.OTHER
    ).get()
    assert entry.detail["what"] == "orglife.backfill_override"
    assert entry.detail["reason"] == "纸质记录补录"
    assert entry.detail["days_after_window"] == 23


def test_the_window_is_configurable(world: World) -> None:
    from hongfan.orglife.models import OrglifeSettings

    OrglifeSettings.objects.update(backfill_days=3)
    held = TODAY - dt.timedelta(days=4)
    with pytest.raises(ValidationError, match="3 天内"):
        record(plan(world.branch_a, day=held), world.user(Role.BRANCH_SECRETARY), held)


# --- attendees ---------------------------------------------------------------------------------


def test_default_attendees_are_the_branch_members(world: World) -> None:
    meeting = plan(world.branch_a)
    invited = set(meeting.attendances.values_list("member_id", flat=True))
    assert invited == {world.members["secretary_a"].pk, world.members["member_a"].pk}


def test_an_attendee_from_another_branch_is_refused(world: World) -> None:
    meeting = plan(world.branch_a)
    with pytest.raises(ValidationError, match="不是本支部、党小组或委员会成员"):
        record(
            meeting,
            world.user(Role.BRANCH_SECRETARY),
            TODAY,
            present=[world.members["member_b"].pk],
        )
    assert not meeting.attendances.filter(member=world.members["member_b"]).exists()


def test_a_group_meeting_admits_only_the_group(world: World) -> None:
    meeting = plan(world.branch_a, kind=MeetingKind.GROUP, group=world.group_a)
    assert set(meeting.attendances.values_list("member_id", flat=True)) == {
        world.members["member_a"].pk
    }
    with pytest.raises(ValidationError, match="不是本支部、党小组或委员会成员"):
        record(
            meeting,
            world.user(Role.BRANCH_SECRETARY),
            TODAY,
            present=[world.members["secretary_a"].pk],
        )


def test_a_group_meeting_needs_a_group_of_the_branch(world: World) -> None:
    with pytest.raises(ValidationError):
        plan(world.branch_a, kind=MeetingKind.GROUP)
    with pytest.raises(ValidationError):
        plan(world.branch_b, kind=MeetingKind.GROUP, group=world.group_a)


def test_absentees_keep_their_reasons(world: World) -> None:
    meeting = plan(world.branch_a)
    record(
        meeting,
        world.user(Role.BRANCH_SECRETARY),
        TODAY,
        present=[world.members["secretary_a"].pk],
        absences={world.members["member_a"].pk: (Attendance.Reason.SICK, "住院")},
    )
    att = meeting.attendances.get(member=world.members["member_a"])
    assert (att.status, att.absence_reason, att.absence_note) == ("absent", "sick", "住院")


# --- 支委会 quorum -------------------------------------------------------------------------------


def _committee_of_four(world: World) -> list[PartyMember]:
    extra = add_members(world, 3)
    for m in extra:
        CommitteeMember.objects.create(
            organisation=world.branch_a,
            member=m,
            position=CommitteeMember.Position.MEMBER,
            term_start=dt.date(2024, 7, 1),
            term_end=dt.date(2027, 6, 30),
        )
    return [world.members["secretary_a"], *extra]


def test_a_committee_meeting_with_exactly_half_present_is_not_valid(world: World) -> None:
    committee = _committee_of_four(world)
    meeting = plan(world.branch_a, kind=MeetingKind.COMMITTEE)
    record(meeting, world.user(Role.BRANCH_SECRETARY), TODAY, present=[m.pk for m in committee[:2]])
    meeting.refresh_from_db()
    assert (meeting.quorum_required, meeting.quorum_present, meeting.is_valid) == (3, 2, False)
    with pytest.raises(ValidationError, match="半数以上"):
        services.meeting_mark_valid(meeting=meeting)


def test_a_committee_meeting_with_more_than_half_present_is_valid(world: World) -> None:
    committee = _committee_of_four(world)
    meeting = plan(world.branch_a, kind=MeetingKind.COMMITTEE)
    record(meeting, world.user(Role.BRANCH_SECRETARY), TODAY, present=[m.pk for m in committee[:3]])
    meeting.refresh_from_db()
    assert meeting.quorum_met and meeting.is_valid


def test_a_committee_meeting_admits_only_committee_members(world: World) -> None:
    meeting = plan(world.branch_a, kind=MeetingKind.COMMITTEE)
    assert set(meeting.attendances.values_list("member_id", flat=True)) == {
        world.members["secretary_a"].pk
    }
    with pytest.raises(ValidationError, match="不是本支部、党小组或委员会成员"):
        record(
            meeting,
            world.user(Role.BRANCH_SECRETARY),
            TODAY,
            present=[world.members["member_a"].pk],
        )


# --- temporary branches ------------------------------------------------------------------------


def _temporary(world: World) -> PartyOrganisation:
    return PartyOrganisation.objects.create(
        institution=world.hospital,
        code="PT1",
        name="援疆医疗队临时党支部",
        kind="branch",
        parent=world.committee,
        is_temporary=True,
        approved_by=world.committee,
        established_on=dt.date(2026, 3, 1),
    )


def test_a_temporary_branch_holds_no_democratic_review(world: World) -> None:
    temp = _temporary(world)
    with pytest.raises(ValidationError, match="临时党支部"):
        plan(temp, kind=MeetingKind.REVIEW)
    with pytest.raises(ValidationError, match="临时党支部"):
        services.campaign_open(organisation=temp, year=2026)


# --- files -------------------------------------------------------------------------------------


def test_an_executable_attachment_is_refused(world: World) -> None:
    meeting = plan(world.branch_a)
    with pytest.raises(ValidationError, match="不支持该文件类型"):
        services.meeting_file_add(
            meeting=meeting, upload=SimpleUploadedFile("x.exe", b"MZ"), user=None
        )


def test_a_fake_photo_is_refused_and_a_real_one_accepted(world: World, settings) -> None:
    meeting = plan(world.branch_a)
    with pytest.raises(ValidationError, match="不是有效的图片"):
        services.meeting_file_add(
            meeting=meeting, upload=SimpleUploadedFile("a.jpg", b"hello"), user=None
        )
    item = services.meeting_file_add(
        meeting=meeting, upload=SimpleUploadedFile("a.png", b"\x89PNG\r\n\x1a\nxxxx"), user=None
    )
    assert item.kind == "photo"


def test_an_oversized_attachment_is_refused(world: World) -> None:
    from hongfan.orglife.models import OrglifeSettings

    OrglifeSettings.objects.update(max_attachment_bytes=1024 * 1024)
    meeting = plan(world.branch_a)
    big = SimpleUploadedFile("big.pdf", b"%PDF" + b"0" * (1024 * 1024))
    with pytest.raises(ValidationError, match="超过 1 MB"):
        services.meeting_file_add(meeting=meeting, upload=big, user=None)


# --- QR sign-in --------------------------------------------------------------------------------


def _started_meeting(world: World) -> Meeting:
    meeting = plan(world.branch_a)
    meeting.starts_at = dt.time(14, 30)
    meeting.save()
    return meeting


def test_a_token_is_valid_until_two_hours_after_the_start(world: World) -> None:
    meeting = _started_meeting(world)
    token = services.sign_in_token(meeting)
    expires = services.sign_in_expires_at(meeting)
    assert services.meeting_for_token(token, now=expires - dt.timedelta(seconds=1)) == meeting
    with pytest.raises(ValidationError, match="已过期"):
        services.meeting_for_token(token, now=expires + dt.timedelta(seconds=1))


def test_a_tampered_token_is_refused(world: World) -> None:
    token = services.sign_in_token(_started_meeting(world))
    with pytest.raises(ValidationError, match="签到码无效"):
        services.meeting_for_token(token[:-2] + ("A" if token[-2] != "A" else "B") + token[-1])


def test_a_member_signs_in_once(world: World) -> None:
    meeting = _started_meeting(world)
    member = world.members["member_a"]
    att = services.meeting_sign_in(meeting=meeting, member=member)
    assert att.status == "present" and att.signed_in_at is not None
    with pytest.raises(ValidationError, match="只能签到一次"):
        services.meeting_sign_in(meeting=meeting, member=member)
    assert meeting.attendances.filter(member=member).count() == 1
    att.refresh_from_db()
    assert att.signed_in_at is not None


def test_a_non_member_cannot_sign_in(world: World) -> None:
    with pytest.raises(ValidationError, match="您不是"):
        services.meeting_sign_in(meeting=_started_meeting(world), member=world.members["member_b"])


# --- 民主评议党员 -------------------------------------------------------------------------------


def _campaign_with(
    world: World, full: int, probationary: int = 0
) -> tuple[ReviewCampaign, list[PartyMember]]:
    # branch_a already has two full members (secretary_a, member_a).
    add_members(world, full - 2)
    add_members(world, probationary, category=PartyMember.Category.PROBATIONARY)
    campaign = services.campaign_open(organisation=world.branch_a, year=2026)
    services.campaign_start_mutual(campaign=campaign)
    services.campaign_start_voting(campaign=campaign)
    members = list(PartyMember.objects.filter(organisation=world.branch_a).order_by("pk"))
    return campaign, members


def _grades(members: list[PartyMember], excellent: int) -> dict[int, str]:
    full = [m for m in members if m.is_full]
    return {
        m.pk: (ReviewGrade.EXCELLENT if i < excellent else ReviewGrade.QUALIFIED)
        for i, m in enumerate(full)
    }


def test_three_excellent_of_nine_is_accepted(world: World) -> None:
    campaign, members = _campaign_with(world, 9)
    results = services.campaign_decide(
        campaign=campaign, grades=_grades(members, 3), decided_on=TODAY, decided_by="支部党员大会"
    )
    assert sum(r.grade == "excellent" for r in results) == 3
    assert ReviewResult.objects.filter(year=2026).count() == 9


def test_four_excellent_of_nine_is_refused(world: World) -> None:
    campaign, members = _campaign_with(world, 9)
    with pytest.raises(ValidationError, match="9 人中评 4 人优秀"):
        services.campaign_decide(
            campaign=campaign, grades=_grades(members, 4), decided_on=TODAY, decided_by="支委会"
        )
    assert not ReviewResult.objects.exists()


def test_probationary_members_vote_but_are_not_graded(world: World) -> None:
    campaign, members = _campaign_with(world, 3, probationary=1)
    prob = next(m for m in members if not m.is_full)
    full = [m for m in members if m.is_full]
    services.ballots_cast(campaign=campaign, voter=prob, grades={full[0].pk: ReviewGrade.QUALIFIED})
    with pytest.raises(ValidationError, match="不评定等次"):
        services.ballots_cast(
            campaign=campaign, voter=full[0], grades={prob.pk: ReviewGrade.QUALIFIED}
        )
    with pytest.raises(ValidationError, match="不评定等次"):
        services.campaign_decide(
            campaign=campaign,
            grades={prob.pk: ReviewGrade.QUALIFIED},
            decided_on=TODAY,
            decided_by="支委会",
        )


def test_a_voter_cannot_vote_twice_for_the_same_member(world: World) -> None:
    campaign, members = _campaign_with(world, 3)
    voter, candidate = members[0], members[1]
    services.ballots_cast(
        campaign=campaign, voter=voter, grades={candidate.pk: ReviewGrade.EXCELLENT}
    )
    with pytest.raises(ValidationError, match="已为该党员投过票"):
        services.ballots_cast(
            campaign=campaign, voter=voter, grades={candidate.pk: ReviewGrade.QUALIFIED}
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        ReviewBallot.objects.create(
            campaign=campaign, voter=voter, candidate=candidate, grade="qualified"
        )


def test_a_member_never_gets_more_votes_than_there_are_voters(world: World) -> None:
    campaign, members = _campaign_with(world, 5)
    candidate = members[0]
    for voter in members[1:]:
        services.ballots_cast(
            campaign=campaign, voter=voter, grades={candidate.pk: ReviewGrade.QUALIFIED}
        )
        with pytest.raises(ValidationError):
            services.ballots_cast(
                campaign=campaign, voter=voter, grades={candidate.pk: ReviewGrade.EXCELLENT}
            )
    tally = services.campaign_tally(campaign)
    assert sum(tally[candidate.pk].values()) == len(members) - 1


def test_a_non_member_cannot_vote(world: World) -> None:
    campaign, members = _campaign_with(world, 3)
    with pytest.raises(ValidationError, match="您不是"):
        services.ballots_cast(
            campaign=campaign, voter=world.members["member_b"], grades={members[0].pk: "qualified"}
        )


def test_a_member_does_not_vote_for_themselves(world: World) -> None:
    campaign, members = _campaign_with(world, 3)
    with pytest.raises(ValidationError, match="不能为自己投票"):
        services.ballots_cast(
            campaign=campaign, voter=members[0], grades={members[0].pk: "excellent"}
        )


def test_self_assessment_is_kept_once_per_member(world: World) -> None:
    campaign = services.campaign_open(organisation=world.branch_a, year=2026)
    member = world.members["member_a"]
    services.self_assessment_submit(campaign=campaign, member=member, text="初稿")
    services.self_assessment_submit(campaign=campaign, member=member, text="定稿")
    assert campaign.selfs.get().text == "定稿"


# --- the window over holidays ------------------------------------------------------------------


@pytest.fixture
def national_day() -> None:
    from hongfan.workdays.services import calendar_day_set

    for d in range(1, 9):
        calendar_day_set(day=dt.date(2026, 10, d), kind="holiday", name="国庆节、中秋节")
    for d in (dt.date(2026, 9, 27), dt.date(2026, 10, 10)):
        calendar_day_set(day=d, kind="workday", name="调休上班")


def test_a_window_ending_in_the_national_day_holiday_runs_to_the_next_working_day(
    world: World, national_day
) -> None:
    held = dt.date(2026, 9, 25)  # + 7 days = 10-02, a holiday
    assert services.backfill_deadline(held) == dt.date(2026, 10, 9)
    m = record(
        plan(world.branch_a, day=held),
        world.user(Role.BRANCH_SECRETARY),
        held,
        today=dt.date(2026, 10, 9),
    )
    assert m.is_valid and m.backfill_reason == ""


def test_the_day_after_the_holiday_extended_window_is_refused(world: World, national_day) -> None:
    held = dt.date(2026, 9, 25)
    with pytest.raises(ValidationError, match="2026-10-09"):
        record(
            plan(world.branch_a, day=held),
            world.user(Role.BRANCH_SECRETARY),
            held,
            today=dt.date(2026, 10, 10),
        )


def test_a_window_ending_on_an_adjusted_workday_is_not_extended(world: World, national_day) -> None:
    assert services.backfill_deadline(dt.date(2026, 10, 3)) == dt.date(
        2026, 10, 10
    )  # Saturday, 调休上班


def test_the_vote_comes_after_the_mutual_assessment(world: World) -> None:
    campaign = services.campaign_open(organisation=world.branch_a, year=2026)
    with pytest.raises(ValidationError, match="先开展互评"):
        services.campaign_start_voting(campaign=campaign)
    sec, mem = world.members["secretary_a"], world.members["member_a"]
    with pytest.raises(ValidationError, match="互评尚未开始"):
        services.mutual_assessments_submit(
            campaign=campaign, author=sec, texts={mem.pk: "工作认真"}
        )
    services.campaign_start_mutual(campaign=campaign)
    assert (
        services.mutual_assessments_submit(
            campaign=campaign, author=sec, texts={mem.pk: "工作认真", 0: ""}
        )
        == 1
    )
    services.mutual_assessments_submit(
        campaign=campaign, author=sec, texts={mem.pk: "工作认真负责"}
    )
    assert campaign.mutuals.get().text == "工作认真负责"
    with pytest.raises(ValidationError, match="个人自评"):
        services.mutual_assessments_submit(campaign=campaign, author=sec, texts={sec.pk: "很好"})
    with pytest.raises(ValidationError, match="您不是"):
        services.mutual_assessments_submit(
            campaign=campaign, author=world.members["member_b"], texts={mem.pk: "好"}
        )
    services.campaign_start_voting(campaign=campaign)
    assert campaign.stage == ReviewCampaign.Stage.VOTING


# --- planning the year -------------------------------------------------------------------------


def test_planning_the_rest_of_the_year_follows_the_rules_and_adds_no_duplicates(
    world: World,
) -> None:
    today = dt.date(2026, 11, 10)
    record(
        plan(world.branch_a, day=dt.date(2026, 11, 3)),
        world.user(Role.BRANCH_SECRETARY),
        dt.date(2026, 11, 3),
        today=today,
    )  # November's theme day is already held
    planned = services.year_plan(
        organisation=world.branch_a, year=2026, day_of_month=15, today=today
    )
    got = sorted((m.kind, m.planned_on.isoformat(), m.group_id is not None) for m in planned)
    assert got == [
        ("committee", "2026-11-15", False),
        ("committee", "2026-12-15", False),
        ("general_assembly", "2026-11-15", False),
        ("group", "2026-11-15", True),
        ("group", "2026-12-15", True),
        ("lecture", "2026-11-15", False),
        ("life_meeting", "2026-11-15", False),
        ("review", "2026-11-15", False),
        ("theme_day", "2026-12-15", False),
    ]
    assert all(m.attendances.exists() for m in planned)
    assert (
        services.year_plan(organisation=world.branch_a, year=2026, day_of_month=15, today=today)
        == []
    )


def test_a_year_plan_needs_a_day_between_1_and_28(world: World) -> None:
    with pytest.raises(ValidationError, match="1 到 28"):
        services.year_plan(organisation=world.branch_a, year=2026, day_of_month=31, today=TODAY)
    assert not Meeting.objects.exists()
