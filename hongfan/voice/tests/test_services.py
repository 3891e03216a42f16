"""Rules of patient voice: deadlines, consent, events, surveys, sampling, suppression."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.utils import timezone

from hongfan.accounts.roles import Role
from hongfan.core.testing import World
from hongfan.loops import services as loops
from hongfan.scoring.models import LedgerEvent
from hongfan.voice import selectors, services
from hongfan.voice.models import Answer, Contact, FollowUp, Response, Survey, Wish
from hongfan.voice.tests import factories as f
from hongfan.workdays.models import CalendarDay
from hongfan.workdays.services import calendar_day_set

pytestmark = pytest.mark.django_db


@pytest.fixture
def holidays_2026(db: None) -> None:
    for d in (25, 26, 27):
        calendar_day_set(day=dt.date(2026, 9, d), kind=CalendarDay.Kind.HOLIDAY, name="中秋节")
    for d in range(1, 8):
        calendar_day_set(day=dt.date(2026, 10, d), kind=CalendarDay.Kind.HOLIDAY, name="国庆节")
    for day in (dt.date(2026, 9, 20), dt.date(2026, 10, 10)):
        calendar_day_set(day=day, kind=CalendarDay.Kind.WORKDAY, name="调休")


def _due(c: Contact) -> dt.date:
    return timezone.localtime(c.matter.due_at).date()


# ---------------------------------------------------------------- complaints


def test_a_complaint_is_due_five_working_days_later_across_national_day(
    world: World, holidays_2026: None
) -> None:
    c = f.complaint(world, received_at=f.at(2026, 9, 30))
    assert _due(c) == dt.date(2026, 10, 13)
    assert c.matter.type.code == "complaint"
    assert c.matter.owner == world.user(Role.PRESIDENT_OFFICE)  # 首诉: who recorded it


def test_a_complaint_about_two_departments_gets_ten_working_days(
    world: World, holidays_2026: None
) -> None:
    c = f.complaint(
        world, received_at=f.at(2026, 9, 30), departments=[world.dept_a1, world.dept_b1]
    )
    # 10-08, 09, 10 (adjusted Saturday), 12, 13, 14, 15, 16, 19, 20
    assert _due(c) == dt.date(2026, 10, 20)


@override_settings(HONGFAN_VOICE_FEEDBACK_DAYS=3)
def test_the_feedback_limit_is_configurable(world: World, holidays_2026: None) -> None:
    c = f.complaint(world, received_at=f.at(2026, 9, 30))
    assert _due(c) == dt.date(2026, 10, 10)  # the adjusted Saturday counts


def test_a_phone_page_complaint_without_consent_is_refused_and_nothing_is_saved(
    world: World,
) -> None:
    with pytest.raises(ValidationError) as exc:
        f.complaint(world, channel=Contact.Channel.PHONE_PAGE, recorded_by=None, consent=False)
    assert "consent" in exc.value.message_dict
    assert Contact.objects.count() == 0


def test_consent_stores_the_text_version(world: World) -> None:
    with override_settings(HONGFAN_VOICE_CONSENT_VERSION="2026-03"):
        c = f.complaint(world)
    assert c.consent_version == "2026-03"
    assert c.consent_at is not None


@pytest.mark.parametrize("phone", ["1381234567", "23812345678", "138-1234-567a", "12345678901"])
def test_a_phone_number_that_is_not_a_mainland_number_is_refused(world: World, phone: str) -> None:
    with pytest.raises(ValidationError) as exc:
        f.complaint(world, phone=phone)
    assert "phone" in exc.value.message_dict


@pytest.mark.parametrize("phone", ["13812345678", "+86 138 1234 5678", "0311-87654321"])
def test_mainland_mobiles_and_landlines_are_accepted(world: World, phone: str) -> None:
    assert f.complaint(world, phone=phone).phone.replace("-", "").endswith(phone[-4:])


def test_the_phone_number_is_stored_encrypted(world: World) -> None:
    from django.db import connection

    c = f.complaint(world)
    with connection.cursor() as cur:
        cur.execute("SELECT phone FROM voice_contact WHERE id = %s", [c.pk])
        raw = cur.fetchone()[0]
    assert f.PHONE not in raw
    assert Contact.objects.get(pk=c.pk).phone == f.PHONE


def test_a_complaint_needs_a_cause(world: World) -> None:
    with pytest.raises(ValidationError) as exc:
        f.complaint(world, causes=[])
    assert "causes" in exc.value.message_dict


def test_the_query_code_finds_the_contact_and_a_wrong_code_does_not(world: World) -> None:
    contact, code = services.contact_record(
        kind=Contact.Kind.SUGGESTION,
        channel=Contact.Channel.PHONE_PAGE,
        content="建议增加停车位",
        phone=f.PHONE,
        consent=True,
    )
    assert services.contact_by_code(code.lower()) == contact
    assert services.contact_by_code("ABCDEFGHJK") is None
    # Filed anonymously on the phone page: the hotline office owns it.
    assert contact.matter.owner == world.user(Role.PRESIDENT_OFFICE)


def _events(code: str) -> list[LedgerEvent]:
    return list(LedgerEvent.objects.filter(rule__code=code))


def test_verifying_a_complaint_records_events_for_staff_and_department(world: World) -> None:
    office = world.user(Role.PRESIDENT_OFFICE)
    c = f.complaint(world)
    assert _events("voice.complaint_verified") == []
    loops.matter_transition(matter=c.matter, action="verify", actor=office)
    staff_events = _events("voice.complaint_verified")
    dept_events = _events("voice.complaint_verified.department")
    assert [e.staff_id for e in staff_events] == [world.staff["plain_a1"].pk]
    assert [e.department_id for e in dept_events] == [world.dept_a1.pk]
    c.refresh_from_db()
    assert c.verified_at is not None


def test_a_verification_reversed_voids_the_events(world: World) -> None:
    office = world.user(Role.PRESIDENT_OFFICE)
    c = f.complaint(world)
    m = loops.matter_transition(matter=c.matter, action="verify", actor=office)
    loops.matter_transition(matter=m, action="reject", actor=office, note="复核不属实")
    events = _events("voice.complaint_verified") + _events("voice.complaint_verified.department")
    assert events and all(e.status == LedgerEvent.Status.VOIDED for e in events)
    c.refresh_from_db()
    assert c.verified_at is None


def test_feedback_marks_the_complaint_answered_and_the_patient_can_rate_once(
    world: World,
) -> None:
    office = world.user(Role.PRESIDENT_OFFICE)
    c = f.complaint(world)
    with pytest.raises(ValidationError):
        services.contact_rate(contact=c, rating=5)
    m = loops.matter_transition(matter=c.matter, action="verify", actor=office)
    m = loops.matter_transition(matter=m, action="handle", actor=office)
    loops.matter_transition(
        matter=m, action="answer", actor=office, evidence_note="已电话回复患者，致歉并改进"
    )
    c.refresh_from_db()
    assert c.answered_at is not None
    services.contact_rate(contact=c, rating=4)
    with pytest.raises(ValidationError):
        services.contact_rate(contact=c, rating=5)
    assert Contact.objects.get(pk=c.pk).handling_rating == 4


def test_praise_records_events_at_once_and_opens_no_matter(world: World) -> None:
    c = f.complaint(world, kind=Contact.Kind.PRAISE, causes=[], content="护士耐心细致")
    assert c.matter is None
    assert [e.staff_id for e in _events("voice.praise")] == [world.staff["plain_a1"].pk]
    assert [e.department_id for e in _events("voice.praise.department")] == [world.dept_a1.pk]


def test_a_contact_settled_on_the_spot_needs_the_answer(world: World) -> None:
    with pytest.raises(ValidationError) as exc:
        f.complaint(world, kind=Contact.Kind.CONSULTATION, causes=[], settled_on_spot=True)
    assert "on_spot_answer" in exc.value.message_dict
    c = f.complaint(
        world,
        kind=Contact.Kind.CONSULTATION,
        causes=[],
        settled_on_spot=True,
        on_spot_answer="告知门诊时间",
    )
    assert c.matter is None


def test_complaint_stats_count_types_causes_departments_and_on_time_rate(
    world: World,
) -> None:
    office = world.user(Role.PRESIDENT_OFFICE)
    a = f.complaint(world)
    f.complaint(world, causes=[Contact.Cause.ATTITUDE, Contact.Cause.WAITING])
    f.complaint(world, kind=Contact.Kind.PRAISE, causes=[])
    m = loops.matter_transition(matter=a.matter, action="reject", actor=office, note="不属实")
    today = timezone.localdate()
    s = selectors.complaint_stats(today - dt.timedelta(days=1), today)
    assert s["total"] == 3
    assert dict((k, n) for k, _l, n in s["by_kind"])["complaint"] == 2
    assert dict((c, n) for c, _l, n in s["by_cause"]) == {"waiting": 2, "attitude": 1}
    assert s["by_department"][0][1] == "心内科" and s["by_department"][0][2] == 3
    assert m.closed_at is not None
    assert s["closed"] == 1 and s["on_time_rate"] == 100.0


# ---------------------------------------------------------------- surveys


def test_a_survey_submitted_twice_with_the_same_token_is_stored_once(world: World) -> None:
    s = f.survey()
    q = list(s.questions.all())
    answers = {f"q{x.pk}": 5 for x in q}
    services.response_submit(survey=s, token="abc", answers=answers, channel="poster")
    with pytest.raises(ValidationError) as exc:
        services.response_submit(survey=s, token="abc", answers=answers, channel="poster")
    assert exc.value.code == "duplicate"
    assert Response.objects.count() == 1
    assert Answer.objects.count() == len(q)


@pytest.mark.parametrize("value", ["6", "0", "-1", "x"])
def test_an_answer_outside_the_scale_is_refused_and_nothing_is_stored(
    world: World, value: str
) -> None:
    s = f.survey()
    q = list(s.questions.all())
    answers = {f"q{x.pk}": 5 for x in q}
    answers[f"q{q[0].pk}"] = value  # a five-point item
    with pytest.raises(ValidationError) as exc:
        services.response_submit(survey=s, token="t", answers=answers, channel="poster")
    assert f"q{q[0].pk}" in exc.value.message_dict
    assert Response.objects.count() == 0


def test_a_zero_to_ten_item_accepts_0_and_10_but_not_11(world: World) -> None:
    s = f.survey()
    q = list(s.questions.all())
    ten = next(x for x in q if x.scale == "scale10")
    base = {f"q{x.pk}": 5 for x in q if x.scale == "likert5"}
    for i, v in enumerate((0, 10)):
        services.response_submit(
            survey=s, token=f"ok{i}", answers={**base, f"q{ten.pk}": v}, channel="poster"
        )
    with pytest.raises(ValidationError):
        services.response_submit(
            survey=s, token="bad", answers={**base, f"q{ten.pk}": 11}, channel="poster"
        )


def test_a_draft_survey_takes_no_responses_and_a_survey_with_responses_is_frozen(
    world: World,
) -> None:
    s = f.survey(open=False)
    with pytest.raises(ValidationError):
        services.response_submit(survey=s, token="t", answers={}, channel="poster")
    services.survey_set_status(survey=s, status=Survey.Status.OPEN)
    f.respond(s, 5)
    with pytest.raises(ValidationError):
        services.question_add(survey=s, text="新问题", scale="likert5", dimension="overall")


def test_a_response_keeps_its_department_time_and_answers(world: World) -> None:
    s = f.survey()
    q = list(s.questions.all())
    answers = {f"q{x.pk}": (4 if x.scale == "likert5" else 9) for x in q}
    at = timezone.make_aware(dt.datetime(2026, 9, 30, 23, 59, 30))  # the quarter's last minute
    made = services.response_submit(
        survey=s,
        token="t",
        answers=answers,
        channel="poster",
        department=world.dept_a1,
        submitted_at=at,
        comment="  护士很耐心  ",
    )
    stored = Response.objects.get()
    assert stored.pk == made.pk
    assert (stored.department_id, stored.channel, stored.comment) == (
        world.dept_a1.pk,
        "poster",
        "护士很耐心",
    )
    assert stored.submitted_at == at
    assert dict(stored.answers.values_list("question_id", "value")) == {
        x.pk: int(answers[f"q{x.pk}"]) for x in q
    }


def test_adding_or_removing_a_question_gives_the_survey_a_new_version(world: World) -> None:
    s = f.survey()
    first = s.version
    q = services.question_add(survey=s, text="新问题", scale="likert5", dimension="overall")
    second = Survey.objects.get(pk=s.pk).version
    services.question_delete(question=q)
    third = Survey.objects.get(pk=s.pk).version
    assert len({first, second, third}) == 3
    assert s.version == third  # the caller's instance follows


def test_a_signed_form_token_is_checked(world: World) -> None:
    token = services.form_token()
    assert services.check_form_token(token) == token
    with pytest.raises(ValidationError):
        services.check_form_token(token + "x")


def test_wilson_interval_of_a_known_proportion() -> None:
    assert selectors.wilson(50, 100) == (40.4, 59.6)
    assert selectors.wilson(0, 10)[0] == 0.0


def test_a_department_score_appears_at_30_responses_not_at_29(world: World) -> None:
    s = f.survey()
    f.respond(s, 5, department=world.dept_a1, n=29)
    today = timezone.localdate()
    row = selectors.satisfaction_table(today, today)[0]
    assert row["n"] == 29 and row["suppressed"] and row["top_box"] is None
    assert selectors.satisfaction_by_department(today, today, {world.dept_a1.pk}) == {
        world.dept_a1.pk: None
    }
    f.respond(s, 4, department=world.dept_a1, n=1, prefix="more")
    row = selectors.satisfaction_table(today, today)[0]
    assert row["n"] == 30 and not row["suppressed"]
    # 29 responses all in the top box, one with 4 of 5 (and 4 of 10 on the 0–10 item).
    assert row["top_box"] == 96.7
    assert row["ci_low"] < row["top_box"] < row["ci_high"]


def test_the_hospital_score_needs_100_responses(world: World) -> None:
    s = f.survey()
    f.respond(s, 5, department=world.dept_a1, n=99)
    today = timezone.localdate()
    summary = selectors.satisfaction_summary(today, today)
    assert summary["n"] == 99 and summary["suppressed"] and summary["top_box"] is None
    f.respond(s, 3, department=world.dept_b1, n=1)
    summary = selectors.satisfaction_summary(today, today)
    assert summary["n"] == 100 and summary["top_box"] is not None
    dims = {d["code"]: d for d in summary["dimensions"]}
    assert dims["overall"]["top_box"] == 99.0


def test_top_box_of_a_zero_to_ten_item_is_nine_or_ten(world: World) -> None:
    s = services.survey_create(title="简短", kind=Survey.Kind.OUTPATIENT, from_template=False)
    services.question_add(survey=s, text="总体评分", scale="scale10", dimension="overall")
    services.survey_set_status(survey=s, status=Survey.Status.OPEN)
    q = s.questions.get()
    for i, v in enumerate([8, 9, 10, 10]):
        services.response_submit(survey=s, token=f"t{i}", answers={f"q{q.pk}": v}, channel="poster")
    with override_settings(HONGFAN_VOICE_MIN_N_HOSPITAL=1):
        today = timezone.localdate()
        assert selectors.satisfaction_summary(today, today)["top_box"] == 75.0


def test_a_contact_list_with_bad_lines_creates_nothing_and_names_each_line(
    world: World,
) -> None:
    s = f.survey()
    with pytest.raises(ValidationError) as exc:
        services.contact_list_create(
            survey=s,
            name="十月出院",
            lines="张三,13812345678,心内科\n李四,12345\n王五,13912345678,不存在科\n赵六,13812345678",
        )
    msgs = exc.value.message_dict["lines"]
    assert len(msgs) == 3
    assert any("第 2 行" in m or "Line 2" in m for m in msgs)
    assert s.invitations.count() == 0
    cl = services.contact_list_create(
        survey=s, name="十月出院", lines="张三,13812345678,心内科\n李四，13912345678"
    )
    assert cl.invitations.count() == 2


# ---------------------------------------------------------------- sampling and follow-up


def test_sampling_excludes_minors_deaths_opt_outs_and_the_window_edges(world: World) -> None:
    drawn_on = dt.date(2026, 8, 31)
    s = f.survey(Survey.Kind.DISCHARGE)
    day = dt.date(2026, 8, 20)
    f.discharge(world, "OK", day)
    f.discharge(world, "AGE18", day, birth_date=dt.date(2008, 8, 20))  # 18 on the day
    f.discharge(world, "AGE17", day, birth_date=dt.date(2008, 8, 21))  # 18 tomorrow
    f.discharge(world, "DEAD", day, deceased=True)
    f.discharge(world, "OPTOUT", day, opted_out=True)
    f.discharge(world, "48H", drawn_on - dt.timedelta(days=2))
    f.discharge(world, "24H", drawn_on - dt.timedelta(days=1))
    f.discharge(world, "6W", drawn_on - dt.timedelta(days=42))
    f.discharge(world, "6W1D", drawn_on - dt.timedelta(days=43))
    sample = services.sample_draw(survey=s, year=2026, quarter=3, rate=100, drawn_on=drawn_on)
    drawn = set(FollowUp.objects.values_list("discharge__inpatient_no", flat=True))
    assert drawn == {"OK", "AGE18", "48H", "6W"}
    assert sample.exclusions == {
        "minor": 1,
        "deceased": 1,
        "opted_out": 1,
        "too_recent": 1,
        "too_old": 1,
        "sampled": 0,
    }
    # A second draw never samples a patient twice.
    with pytest.raises(ValidationError):
        services.sample_draw(survey=s, year=2026, quarter=3, rate=100, drawn_on=drawn_on)


def test_sampling_draws_the_rate_from_each_department(world: World) -> None:
    s = f.survey(Survey.Kind.DISCHARGE)
    for i in range(10):
        f.discharge(world, f"A{i}", dt.date(2026, 8, 20))
    for i in range(5):
        f.discharge(world, f"B{i}", dt.date(2026, 8, 20), department=world.dept_b1)
    sample = services.sample_draw(
        survey=s, year=2026, quarter=3, rate=20, drawn_on=dt.date(2026, 8, 31), seed="x"
    )
    assert sample.eligible == 15 and sample.drawn == 3  # 2 of 10, 1 of 5
    depts = list(FollowUp.objects.values_list("discharge__department_id", flat=True))
    assert sorted(depts) == sorted([world.dept_a1.pk, world.dept_a1.pk, world.dept_b1.pk])


def test_a_follow_up_completed_within_six_weeks_stores_the_answers(world: World) -> None:
    s = f.survey(Survey.Kind.DISCHARGE)
    f.discharge(world, "Z1", dt.date(2026, 8, 20))
    services.sample_draw(survey=s, year=2026, quarter=3, rate=100, drawn_on=dt.date(2026, 8, 25))
    fu = FollowUp.objects.get()
    operator = world.user(Role.PRESIDENT_OFFICE)
    answers = {f"q{q.pk}": 5 for q in s.questions.all()}
    late = timezone.make_aware(dt.datetime(2026, 10, 2, 10))  # day 43
    with pytest.raises(ValidationError):
        services.followup_record(
            followup=fu, outcome="completed", actor=operator, answers=answers, now=late
        )
    on_time = timezone.make_aware(dt.datetime(2026, 10, 1, 10))  # day 42
    fu = services.followup_record(
        followup=fu, outcome="completed", actor=operator, answers=answers, now=on_time
    )
    assert fu.status == "completed" and fu.response.channel == "phone"
    assert fu.response.department_id == world.dept_a1.pk


def test_a_callback_needs_a_future_time_and_keeps_the_call_open(world: World) -> None:
    s = f.survey(Survey.Kind.DISCHARGE)
    f.discharge(world, "Z1", dt.date(2026, 8, 20))
    services.sample_draw(survey=s, year=2026, quarter=3, rate=100, drawn_on=dt.date(2026, 8, 25))
    fu = FollowUp.objects.get()
    now = timezone.make_aware(dt.datetime(2026, 8, 25, 10))
    op = world.user(Role.PRESIDENT_OFFICE)
    with pytest.raises(ValidationError):
        services.followup_record(followup=fu, outcome="callback", actor=op, now=now)
    fu = services.followup_record(
        followup=fu,
        outcome="callback",
        actor=op,
        callback_at=now + dt.timedelta(hours=3),
        note="患者在开会，下午再打",
        now=now,
    )
    assert fu.status == "callback" and fu.attempts == 1 and "下午再打" in fu.note


# ---------------------------------------------------------------- reception days and wishes


def test_an_issue_raised_at_a_reception_day_becomes_a_matter_of_the_department(
    world: World,
) -> None:
    day = services.reception_save(
        kind="president",
        title="十月院长接待日",
        starts_at=f.at(2026, 10, 15, 9),
        location="行政楼一楼",
        hosts="院长",
        capacity=1,
    )
    services.registration_add(day=day, name="刘女士", phone=f.PHONE, topic="住院费用", consent=True)
    with pytest.raises(ValidationError):
        services.registration_add(day=day, name="陈先生", phone=f.PHONE, topic="挂号", consent=True)
    issue = services.issue_raise(
        day=day, text="住院费用清单看不懂", department=world.dept_a1, actor=None
    )
    assert issue.matter.owner_department == world.dept_a1
    assert issue.matter.source_object_id == str(issue.pk)


def test_a_registration_without_consent_is_refused(world: World) -> None:
    day = services.reception_save(
        kind="communication",
        title="医患沟通会",
        starts_at=f.at(2026, 10, 15, 9),
        location="会议室",
        hosts="医务科",
        capacity=10,
    )
    with pytest.raises(ValidationError) as exc:
        services.registration_add(day=day, name="刘女士", phone=f.PHONE, topic="x", consent=False)
    assert "consent" in exc.value.message_dict


def test_a_fulfilled_wish_scores_the_responsible_person_and_reopening_voids_it(
    world: World,
) -> None:
    office = world.user(Role.PRESIDENT_OFFICE)
    wish, _code = services.wish_submit(
        origin=Wish.Origin.PATIENT, text="想在病房里过一次生日", consent=True
    )
    assert wish.matter.type.code == "wish"
    services.wish_match(wish=wish, staff=world.staff["plain_a1"], actor=office)
    wish.refresh_from_db()
    m = loops.matter_transition(
        matter=wish.matter, action="fulfil", actor=office, evidence_note="科室护士准备了蛋糕"
    )
    wish.refresh_from_db()
    assert wish.fulfilled_at is not None
    assert "蛋糕" in selectors.fulfilment_stories([wish])[0].story
    events = _events("voice.wish_fulfilled")
    assert [e.staff_id for e in events] == [world.staff["plain_a1"].pk]
    loops.matter_transition(matter=m, action="reopen", actor=office, note="患者未收到")
    assert LedgerEvent.objects.get(pk=events[0].pk).status == LedgerEvent.Status.VOIDED


def test_a_patient_wish_needs_consent(world: World) -> None:
    with pytest.raises(ValidationError):
        services.wish_submit(origin=Wish.Origin.PATIENT, text="想见见主治医生")
    assert Wish.objects.count() == 0
