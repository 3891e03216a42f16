"""Every time and quorum rule of the 2014 细则, tested at its edges."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import chinese_calendar
import pytest
from django.core.exceptions import ValidationError

from hongfan.core.testing import World, make_member, make_staff
from hongfan.development.models import Candidate, RuleSet, StepRecord
from hongfan.development.rules import add_months
from hongfan.development.services import (
    candidate_create,
    candidate_extend_probation,
    rule_set_clone,
)
from hongfan.development.tests.factories import new_candidate, record, step, walk
from hongfan.party.models import PartyMember, PartyOrganisation
from hongfan.workdays.models import CalendarDay
from hongfan.workdays.services import calendar_day_set

D = dt.timedelta
pytestmark = pytest.mark.django_db


def refused(fn, *args, match: str = "", **kwargs) -> str:
    with pytest.raises(ValidationError) as exc:
        fn(*args, **kwargs)
    text = " ".join(exc.value.messages)
    assert match in text, text
    return text


# --- the rule set is data --------------------------------------------------------------


def test_the_2014_rule_set_has_5_stages_and_25_steps(world: World) -> None:
    rs = RuleSet.objects.get(code="2014")
    assert rs.stages.count() == 5
    assert list(rs.steps.values_list("order", flat=True)) == list(range(1, 26))
    assert rs.steps.get(code="training").rules["training"] == {"min_hours": 24, "min_days": 3}


def test_a_second_rule_set_with_another_parameter_changes_the_result(world: World) -> None:
    old = new_candidate(world, "旧规则")
    t = walk(world, old, until="activist", start=dt.date(2025, 1, 10))
    early = add_months(t["application"], 4)
    refused(record, world, old, "activist", early, match="6")

    revised = rule_set_clone(
        source=RuleSet.objects.get(code="2014"),
        code="2026",
        name="修订版（测试）",
        effective_on=dt.date(2026, 1, 1),
    )
    s = revised.steps.get(code="activist")
    s.rules = {"min_months_since": {"step": "application", "months": 3}}
    s.save()
    new = candidate_create(
        staff=make_staff(world.dept_a1, "新规则"), branch=world.branch_a, rule_set=revised
    )
    walk(world, new, until="activist", start=dt.date(2025, 1, 10))
    assert record(world, new, "activist", early).pk


# --- candidate file ----------------------------------------------------------------------


def test_a_candidate_in_a_temporary_branch_is_refused(world: World) -> None:
    temp = PartyOrganisation.objects.create(
        institution=world.hospital,
        code="T01",
        name="援疆临时党支部",
        kind=PartyOrganisation.Kind.BRANCH,
        parent=world.committee,
        is_temporary=True,
        established_on=dt.date(2025, 1, 1),
    )
    refused(
        candidate_create,
        staff=world.staff["plain_a1"],
        branch=temp,
        match="临时党支部不发展党员",
    )
    assert not Candidate.objects.exists()


def test_a_step_before_its_predecessor_is_refused(world: World) -> None:
    c = new_candidate(world)
    record(world, c, "application", dt.date(2025, 1, 10))
    refused(record, world, c, "activist", dt.date(2025, 8, 1), match="请先记录")
    assert c.records.count() == 1


def test_a_step_in_the_future_is_refused(world: World) -> None:
    c = new_candidate(world)
    refused(record, world, c, "application", dt.date(2099, 1, 1), match="未来")


# --- age, talk, activist ---------------------------------------------------------------


def test_an_applicant_one_day_short_of_18_is_refused_and_on_the_birthday_accepted(
    world: World,
) -> None:
    c = new_candidate(world, birth=dt.date(2008, 5, 17))
    refused(record, world, c, "application", dt.date(2026, 5, 16), match="18")
    assert record(world, c, "application", dt.date(2026, 5, 17)).pk


@pytest.mark.parametrize(
    ("talk", "ok"), [(dt.date(2026, 5, 1), True), (dt.date(2026, 5, 2), False)]
)
def test_the_talk_must_be_within_one_month_of_the_application(
    world: World, talk: dt.date, ok: bool
) -> None:
    # Applied on 1 April: 1 May is day 30 (inside the month), 2 May is day 31.
    c = new_candidate(world)
    record(world, c, "application", dt.date(2026, 4, 1))
    if ok:
        assert record(world, c, "talk", talk).pk
    else:
        refused(record, world, c, "talk", talk, match="1个月")


def test_activist_after_5_months_29_days_is_refused_and_after_6_months_accepted(
    world: World,
) -> None:
    c = new_candidate(world)
    walk(world, c, until="activist", start=dt.date(2026, 1, 15))
    refused(record, world, c, "activist", dt.date(2026, 7, 14), match="2026-07-15")
    assert record(world, c, "activist", dt.date(2026, 7, 15)).pk


def test_prospect_after_364_days_as_activist_is_refused_and_after_365_accepted(
    world: World,
) -> None:
    c = new_candidate(world)
    t = walk(world, c, until="prospect", start=dt.date(2024, 3, 1))
    activist = t["activist"]
    assert activist == dt.date(2024, 9, 1)
    refused(record, world, c, "prospect", activist + D(364), match="12")
    assert record(world, c, "prospect", activist + D(365)).pk


# --- contacts and introducers --------------------------------------------------------------


def test_a_probationary_member_cannot_be_a_cultivation_contact(world: World) -> None:
    prob = make_member(make_staff(world.dept_a1, "预备甲"), world.branch_a, category="probationary")
    c = new_candidate(world)
    t = walk(world, c, until="contacts")
    refused(record, world, c, "contacts", t["contacts"], contacts=[prob], match="预备党员")
    refused(record, world, c, "contacts", t["contacts"], contacts=[], match="1")


def test_an_introducer_who_is_a_probationary_member_is_refused(world: World) -> None:
    prob = make_member(make_staff(world.dept_a1, "预备乙"), world.branch_a, category="probationary")
    c = new_candidate(world)
    t = walk(world, c, until="introducers")
    refused(
        record,
        world,
        c,
        "introducers",
        t["introducers"],
        introducers=[world.members["secretary_a"], prob],
        match="预备乙是预备党员，不能担任入党介绍人",
    )
    assert not c.records.filter(step__code="introducers").exists()


def test_an_introducer_under_probation_within_the_party_is_refused(world: World) -> None:
    watched = make_member(make_staff(world.dept_a1, "察看丙"), world.branch_a, under_probation=True)
    c = new_candidate(world)
    t = walk(world, c, until="introducers")
    refused(
        record,
        world,
        c,
        "introducers",
        t["introducers"],
        introducers=[world.members["secretary_a"], watched],
        match="留党察看",
    )


def test_exactly_two_introducers_are_required(world: World) -> None:
    c = new_candidate(world)
    t = walk(world, c, until="introducers")
    refused(
        record,
        world,
        c,
        "introducers",
        t["introducers"],
        introducers=[world.members["secretary_a"]],
        match="2名",
    )


def test_a_failed_political_review_stops_the_candidate(world: World) -> None:
    c = new_candidate(world)
    t = walk(world, c, until="political_review")
    refused(
        record, world, c, "political_review", t["political_review"], passed=False, match="政治审查"
    )


# --- training ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("hours", "days", "ok"),
    [(Decimal(23), None, False), (Decimal(24), None, True), (None, 2, False), (None, 3, True)],
)
def test_training_needs_24_hours_or_3_days(
    world: World, hours: Decimal | None, days: int | None, ok: bool
) -> None:
    c = new_candidate(world)
    t = walk(world, c, until="training")
    kwargs = {"training_hours": hours, "training_days": days}
    if ok:
        assert record(world, c, "training", t["training"], **kwargs).pk
    else:
        refused(record, world, c, "training", t["training"], **kwargs, match="24学时")


# --- public notice across the 2026 National Day holiday ------------------------------------


def seed_national_day_2026() -> None:
    """Seed the official arrangement, read from the chinese-calendar package."""
    day = dt.date(2026, 9, 15)
    while day <= dt.date(2026, 10, 15):
        on_holiday, name = chinese_calendar.get_holiday_detail(day)
        if name and on_holiday:
            calendar_day_set(day=day, kind=CalendarDay.Kind.HOLIDAY, name="国庆节")
        elif name and not on_holiday:
            calendar_day_set(day=day, kind=CalendarDay.Kind.WORKDAY, name="国庆节调休")
        day += D(1)


@pytest.mark.parametrize(
    ("end", "ok"), [(dt.date(2026, 10, 10), False), (dt.date(2026, 10, 12), True)]
)
def test_the_public_notice_needs_5_working_days_across_national_day(
    world: World,
    django_capture_on_commit_callbacks,
    end: dt.date,
    ok: bool,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        seed_national_day_2026()
    # Per chinese-calendar: 1–7 Oct holiday, Sat 10 Oct an adjusted workday. From Wed 30 Sep,
    # the working days are 30 Sep, 8, 9, 10 Oct (4) and Mon 12 Oct (5).
    c = new_candidate(world)
    walk(world, c, until="branch_review", start=dt.date(2025, 2, 20))
    kwargs = {"notice_start": dt.date(2026, 9, 30), "notice_end": end}
    if ok:
        assert record(world, c, "branch_review", end, **kwargs).pk
    else:
        refused(record, world, c, "branch_review", end, **kwargs, match="4个工作日")


# --- the branch general meeting vote -----------------------------------------------------


@pytest.mark.parametrize(
    ("present", "yes", "match"),
    [(5, 5, "未达到法定人数"), (6, 5, "未通过"), (6, 6, "")],
)
def test_the_vote_needs_more_than_half_present_and_yes_from_more_than_half_due(
    world: World, present: int, yes: int, match: str
) -> None:
    c = new_candidate(world)
    t = walk(world, c, until="admission_vote")
    kwargs = {"members_due": 10, "members_present": present, "votes_yes": yes}
    if match:
        refused(record, world, c, "admission_vote", t["admission_vote"], **kwargs, match=match)
    else:
        assert record(world, c, "admission_vote", t["admission_vote"], **kwargs).pk


def test_more_votes_than_members_present_are_refused(world: World) -> None:
    c = new_candidate(world)
    t = walk(world, c, until="admission_vote")
    refused(
        record,
        world,
        c,
        "admission_vote",
        t["admission_vote"],
        members_due=10,
        members_present=6,
        votes_yes=6,
        votes_no=1,
        match="票数多于到会",
    )


# --- approval, member record, oath -------------------------------------------------------


def test_approval_within_3_months_of_the_vote_6_with_a_special_reason(world: World) -> None:
    c = new_candidate(world)
    t = walk(world, c, until="admission_approval")
    vote = t["admission_vote"]
    refused(record, world, c, "admission_approval", add_months(vote, 3) + D(1), match="3个月")
    refused(
        record,
        world,
        c,
        "admission_approval",
        add_months(vote, 6) + D(1),
        special_reason="上级党委换届",
        match="6个月",
    )
    assert record(
        world, c, "admission_approval", add_months(vote, 6), special_reason="上级党委换届"
    ).pk


def test_the_approval_creates_a_probationary_member_joined_on_the_vote_date(world: World) -> None:
    c = new_candidate(world)
    t = walk(world, c, until="admission_approval")
    record(world, c, "admission_approval", add_months(t["admission_vote"], 3))
    member = PartyMember.objects.get(staff=c.staff)
    assert member.category == PartyMember.Category.PROBATIONARY
    assert member.joined_on == t["admission_vote"]
    assert member.organisation == world.branch_a
    c.refresh_from_db()
    assert c.member == member and c.current_stage.order == 4


def test_the_oath_must_follow_the_approval_within_a_month(world: World) -> None:
    c = new_candidate(world)
    t = walk(world, c, until="oath")
    late = add_months(t["admission_approval"], 1) + D(1)
    refused(record, world, c, "oath", late, match="1个月")
    assert record(world, c, "oath", late - D(1)).pk


# --- probation, extension, confirmation ---------------------------------------------------


def test_confirmation_the_day_before_the_probation_ends_is_refused_and_on_the_day_allowed(
    world: World,
) -> None:
    c = new_candidate(world)
    t = walk(world, c, until="confirmation_vote")
    end = add_months(t["admission_vote"], 12)
    refused(record, world, c, "confirmation_vote", end - D(1), match="预备期")
    assert record(world, c, "confirmation_vote", end).pk


def test_the_confirmation_approval_makes_a_full_member_from_the_end_of_probation(
    world: World,
) -> None:
    c = new_candidate(world)
    t = walk(world, c, until="confirmation_approval")
    record(world, c, "confirmation_approval", t["confirmation_approval"])
    member = PartyMember.objects.get(staff=c.staff)
    assert member.category == PartyMember.Category.FULL
    assert member.confirmed_on == add_months(t["admission_vote"], 12)
    c.refresh_from_db()
    assert c.status == Candidate.Status.COMPLETED


def test_confirmation_approval_later_than_3_months_is_refused(world: World) -> None:
    c = new_candidate(world)
    t = walk(world, c, until="confirmation_approval")
    refused(
        record,
        world,
        c,
        "confirmation_approval",
        add_months(t["confirmation_vote"], 3) + D(1),
        match="3个月",
    )


@pytest.mark.parametrize(("months", "ok"), [(5, False), (6, True), (12, True), (13, False)])
def test_the_probation_can_be_extended_by_6_to_12_months(
    world: World, months: int, ok: bool
) -> None:
    c = new_candidate(world)
    t = walk(world, c, until="confirmation_application")
    decided = add_months(t["admission_vote"], 12)
    if ok:
        candidate_extend_probation(candidate=c, decided_on=decided, months=months, reason="考察")
        c.refresh_from_db()
        assert c.extension_months == months
    else:
        refused(
            candidate_extend_probation,
            candidate=c,
            decided_on=decided,
            months=months,
            reason="考察",
            match="6至12个月",
        )


def test_a_second_extension_is_refused_and_the_first_moves_the_probation_end(
    world: World,
) -> None:
    c = new_candidate(world)
    t = walk(world, c, until="confirmation_application")
    vote = t["admission_vote"]
    candidate_extend_probation(
        candidate=c, decided_on=add_months(vote, 12), months=6, reason="考察"
    )
    refused(
        candidate_extend_probation,
        candidate=c,
        decided_on=add_months(vote, 13),
        months=6,
        reason="再次",
        match="只能延长一次",
    )
    c.refresh_from_db()
    record(world, c, "confirmation_application", add_months(vote, 12))
    refused(record, world, c, "confirmation_vote", add_months(vote, 18) - D(1), match="预备期")
    assert record(world, c, "confirmation_vote", add_months(vote, 18)).pk


def test_a_full_walk_through_all_25_steps_records_every_step(world: World) -> None:
    c = new_candidate(world)
    t = walk(world, c, until="archiving")
    record(world, c, "archiving", t["archiving"])
    assert StepRecord.objects.filter(candidate=c).count() == 23  # 25 less the 2 repeatable ones
    assert step(c, "archiving").order == 25
    c.refresh_from_db()
    assert c.status == Candidate.Status.COMPLETED and c.current_stage.order == 5
