"""The 医德考评 rules: grade boundaries, deductions, vetoes, quotas and ties, appeals."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from hongfan.scoring import services
from hongfan.scoring.models import (
    Appeal,
    Assessment,
    AssessmentPeriod,
    GradeBand,
    ItemScore,
    LedgerEvent,
)
from hongfan.scoring.tests.helpers import ethics_period, rate, rate_all

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 5, 12)


def _a(period, world, key: str) -> Assessment:
    return period.assessments.get(staff=world.staff[key])


def _grade(period, world, key: str) -> str:
    services.period_grade(period=period)
    return _a(period, world, key).grade.name


@pytest.mark.parametrize(
    ("total", "grade"),
    [
        ("100", "优秀"),
        ("90", "优秀"),
        ("89.99", "良好"),
        ("80", "良好"),
        ("79.99", "一般"),
        ("60", "一般"),
        ("59.99", "较差"),
    ],
)
def test_every_grade_boundary(world, total, grade):
    period = ethics_period(world)
    rate_all(period, "70")
    rate(_a(period, world, "plain_a1"), total)
    assert _grade(period, world, "plain_a1") == grade


def test_a_single_deduction_at_95_keeps_a_record_from_excellent(world):
    period = ethics_period(world)
    rate_all(period, "70")
    plain = world.staff["plain_a1"]
    rate(_a(period, world, "plain_a1"), "100")
    services.record_event(
        code="manual.deduction", subject=plain, occurred_on=DAY, points=Decimal("-5"), key="k1"
    )
    services.period_grade(period=period)
    a = _a(period, world, "plain_a1")
    assert a.score == Decimal("95.00")
    assert a.has_deduction
    assert a.grade.name == "良好"


@pytest.mark.parametrize(
    ("deduction", "score", "grade"),
    [("-25", "75.00", "一般"), ("-30", "70.00", "一般")],
)
def test_deductions_of_25_to_30_points(world, deduction, score, grade):
    period = ethics_period(world)
    rate_all(period, "70")
    rate(_a(period, world, "plain_a1"), "100", D2=deduction)
    services.period_grade(period=period)
    a = _a(period, world, "plain_a1")
    assert (str(a.score), a.grade.name) == (score, grade)


def test_a_manual_deduction_beyond_the_item_range_is_refused_and_nothing_saved(world):
    period = ethics_period(world, AssessmentPeriod.Status.DEPARTMENT)
    a = _a(period, world, "plain_a1")
    items = {i.code: i for i in period.scorecard.items.all()}
    points = {i.pk: i.max_points for i in items.values() if i.kind == "rated"}
    points[items["D2"].pk] = Decimal("-30.01")
    with pytest.raises(ValidationError) as exc:
        services.department_review_submit(
            assessment=a, points=points, evidence={items["D2"].pk: "多收费"}, comment="良好"
        )
    assert "-30" in str(exc.value)
    assert not ItemScore.objects.filter(assessment=a).exists()
    a.refresh_from_db()
    assert a.department_submitted_at is None


def test_ledger_deductions_accumulate_and_fall_to_poor_below_60(world):
    period = ethics_period(world)
    rate_all(period, "70")
    plain = world.staff["plain_a1"]
    rate(_a(period, world, "plain_a1"), "100", D2="-30")
    for n in range(4):
        services.record_event(
            code="voice.complaint_verified", subject=plain, occurred_on=DAY, key=f"c{n}"
        )
    services.period_grade(period=period)
    a = _a(period, world, "plain_a1")
    assert a.score == Decimal("58.00")  # 100 − 30 − 4 × 3
    assert a.grade.name == "较差"


def test_a_confirmed_veto_event_makes_the_grade_poor_whatever_the_score(world):
    period = ethics_period(world)
    rate_all(period, "70")
    plain = world.staff["plain_a1"]
    rate(_a(period, world, "plain_a1"), "100")
    veto = services.record_event(code="integrity.veto", subject=plain, occurred_on=DAY, key="v")
    assert veto.status == LedgerEvent.Status.PENDING
    assert _grade(period, world, "plain_a1") == "优秀"  # pending: not counted yet
    services.event_review(event=veto, action="confirm")
    services.period_grade(period=period)
    a = _a(period, world, "plain_a1")
    assert a.has_veto and a.grade.name == "较差"
    assert a.grade.fails_periodic_review


def test_a_manual_veto_item_gives_poor_even_at_full_marks(world):
    period = ethics_period(world)
    rate_all(period, "70")
    rate(_a(period, world, "plain_a1"), "100", V1="1")
    assert _grade(period, world, "plain_a1") == "较差"


def test_a_grade_above_a_veto_is_refused(world):
    period = ethics_period(world)
    rate_all(period, "70")
    a = _a(period, world, "plain_a1")
    rate(a, "100", V1="1")
    services.period_grade(period=period)
    good = GradeBand.objects.get(scorecard=period.scorecard, name="良好")
    with pytest.raises(ValidationError, match=r"否决|veto"):
        services.grade_set(assessment=a, band=good, note="院务会决定")
    a.refresh_from_db()
    assert a.grade.name == "较差"


def test_the_excellent_quota_is_15_percent_rounded_down(world):
    period = ethics_period(world)  # 7 professional staff: ⌊7 × 15 %⌋ = 1
    rate_all(period, "95")
    rate(_a(period, world, "plain_a1"), "100")
    services.period_grade(period=period)
    grades = dict(period.assessments.values_list("staff__name", "grade__name"))
    assert grades["周群众"] == "优秀"
    assert sum(1 for g in grades.values() if g == "优秀") == 1
    assert sum(1 for g in grades.values() if g == "良好") == 6


def test_candidates_tied_at_the_quota_cut_all_move_down(world):
    period = ethics_period(world)
    rate_all(period, "85")
    rate(_a(period, world, "plain_a1"), "98")
    rate(_a(period, world, "plain_b1"), "98")
    services.period_grade(period=period)
    assert _a(period, world, "plain_a1").grade.name == "良好"
    assert _a(period, world, "plain_b1").grade.name == "良好"
    assert _a(period, world, "plain_a1").computed_grade.name == "良好"
    assert _a(period, world, "plain_a1").rank == 1 == _a(period, world, "plain_b1").rank


def test_a_tie_on_score_is_broken_by_ledger_points(world):
    period = ethics_period(world)
    rate_all(period, "85")
    rate(_a(period, world, "plain_a1"), "98")
    rate(_a(period, world, "plain_b1"), "97")
    # Praise (+2) brings plain_b1 to 99? No: the addition item counts, so 97 + 2 = 99.
    services.record_event(
        code="voice.praise", subject=world.staff["plain_b1"], occurred_on=DAY, key="p"
    )
    services.record_event(
        code="voice.praise", subject=world.staff["plain_a1"], occurred_on=DAY, key="p"
    )
    services.record_event(
        code="outreach.volunteer_hours",
        subject=world.staff["plain_b1"],
        occurred_on=DAY,
        quantity=2,
        key="v",
    )
    # plain_a1: 98 + 2 = 100; plain_b1: 97 + 2 + 1 = 100; ledger 2 vs 3 → plain_b1 keeps it.
    services.period_grade(period=period)
    assert _a(period, world, "plain_b1").grade.name == "优秀"
    assert _a(period, world, "plain_a1").grade.name == "良好"


def test_setting_a_grade_beyond_the_quota_is_refused(world):
    period = ethics_period(world)
    rate_all(period, "95")
    rate(_a(period, world, "plain_a1"), "100")
    services.period_grade(period=period)
    excellent = GradeBand.objects.get(scorecard=period.scorecard, name="优秀")
    other = _a(period, world, "plain_b1")
    with pytest.raises(ValidationError, match=r"名额|quota"):
        services.grade_set(assessment=other, band=excellent, note="表现突出")
    assert _a(period, world, "plain_b1").grade.name == "良好"


def test_grading_refuses_while_rated_items_are_unscored(world):
    period = ethics_period(world)
    with pytest.raises(ValidationError):
        services.period_grade(period=period)
    assert not period.assessments.filter(grade__isnull=False).exists()


def _published(world):
    period = ethics_period(world)
    rate_all(period, "85")
    rate(_a(period, world, "plain_a1"), "100")
    complaint = services.record_event(
        code="voice.complaint_verified",
        subject=world.staff["plain_a1"],
        occurred_on=DAY,
        source=world.dept_b1,
    )
    services.period_grade(period=period)
    services.period_publish(period=period)
    period.refresh_from_db()
    return period, complaint


def test_an_upheld_appeal_changes_the_grade(world):
    period, complaint = _published(world)
    a = _a(period, world, "plain_a1")
    assert a.grade.name == "良好"  # 97 with a deduction
    user = world.user("staff")
    appeal = services.appeal_file(
        assessment=a, reason="该投诉经复核为患者误解，已由医务科出具说明。", actor=user
    )
    assert appeal.grade_before.name == "良好"
    services.event_review(event=complaint, action="void", reason="复核不属实")
    services.appeal_decide(appeal=appeal, upheld=True, decision="投诉不属实，撤销扣分")
    a.refresh_from_db()
    appeal.refresh_from_db()
    assert a.score == Decimal("100.00")
    assert a.grade.name == "优秀"
    assert appeal.status == Appeal.Status.UPHELD and appeal.grade_after.name == "优秀"


def test_an_appeal_after_the_window_is_refused(world):
    period, _c = _published(world)
    AssessmentPeriod.objects.filter(pk=period.pk).update(
        appeal_until=timezone.now() - dt.timedelta(seconds=1)
    )
    with pytest.raises(ValidationError, match=r"公示期|window"):
        services.appeal_file(
            assessment=_a(period, world, "plain_a1"),
            reason="该投诉经复核为患者误解，请予更正。",
            actor=world.user("staff"),
        )
    assert not Appeal.objects.exists()


def test_only_the_assessed_staff_member_may_appeal(world):
    period, _c = _published(world)
    with pytest.raises(ValidationError):
        services.appeal_file(
            assessment=_a(period, world, "plain_b1"),
            reason="替同事申诉，理由如下……",
            actor=world.user("staff"),
        )


def test_publication_lasts_three_days_and_notifies_the_staff(world):
    from hongfan.notifications.models import Notification

    period, _c = _published(world)
    assert period.appeal_until - period.published_at == dt.timedelta(days=3)
    assert Notification.objects.filter(recipient=world.user("staff")).exists()
    with pytest.raises(ValidationError):
        services.period_close(period=period)  # window still open


def test_the_stages_run_in_order_and_department_reviews_are_required(world):
    services.scorecard_defaults_ensure()
    period = ethics_period(world, AssessmentPeriod.Status.DRAFT)
    services.period_advance(period=period)
    period.refresh_from_db()
    assert period.status == "self"
    a = _a(period, world, "plain_a1")
    items = [i for i in period.scorecard.items.all() if i.kind == "rated"]
    services.self_assessment_submit(
        assessment=a,
        points={i.pk: i.max_points for i in items},
        comment="全年无投诉，积极参加志愿服务。",
        actor=world.user("staff"),
    )
    with pytest.raises(ValidationError):  # a colleague cannot self-assess for plain_a1
        services.self_assessment_submit(
            assessment=a, points={}, comment="x", actor=world.user("department_head")
        )
    services.period_advance(period=period)
    with pytest.raises(ValidationError, match=r"7|科室"):
        services.period_advance(period=period)
    with pytest.raises(ValidationError):  # self-assessment is over
        services.self_assessment_submit(
            assessment=a, points={}, comment="补充", actor=world.user("staff")
        )


def test_an_event_for_a_person_not_employed_on_the_day_is_refused(world):
    plain = world.staff["plain_a1"]
    with pytest.raises(ValidationError, match="2009"):
        services.record_event(
            code="voice.praise", subject=plain, occurred_on=dt.date(2009, 12, 1), key="old"
        )
    assert not LedgerEvent.objects.exists()


def test_a_manual_event_for_another_institution_or_a_published_period_is_refused(world):
    from hongfan.core.testing import make_staff
    from hongfan.org.models import Department

    dept = Department.objects.create(institution=world.centre_hospital, code="ZY1", name="全科")
    outsider = make_staff(dept, "卫生院医生")
    with pytest.raises(ValidationError) as exc:
        services.manual_event_record(
            staff=outsider,
            institution=world.hospital,
            occurred_on=DAY,
            points=Decimal("2"),
            summary="抢救及时",
        )
    assert "staff" in exc.value.error_dict
    _published(world)
    with pytest.raises(ValidationError) as exc:
        services.manual_event_record(
            staff=world.staff["plain_b1"],
            institution=world.hospital,
            occurred_on=DAY,
            points=Decimal("2"),
            summary="抢救及时",
        )
    assert "occurred_on" in exc.value.error_dict
    assert LedgerEvent.objects.filter(rule__code__startswith="manual.").count() == 0


def test_voiding_an_event_needs_a_reason(world):
    ev = services.record_event(
        code="voice.praise", subject=world.staff["plain_a1"], occurred_on=DAY, key="x"
    )
    with pytest.raises(ValidationError):
        services.event_review(event=ev, action="void", reason=" ")
    ev.refresh_from_db()
    assert ev.status == LedgerEvent.Status.CONFIRMED


def test_a_manual_event_with_a_script_link_is_refused(world):
    with pytest.raises(ValidationError) as exc:
        services.manual_event_record(
            staff=world.staff["plain_a1"],
            institution=world.hospital,
            occurred_on=DAY,
            points=Decimal("1"),
            summary="抢救及时",
            evidence_url="javascript:alert(1)",
        )
    assert "evidence_url" in exc.value.error_dict
    assert not LedgerEvent.objects.exists()
