"""Rules of the integrity services, at the edges the rules name."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from hongfan.accounts.roles import Role
from hongfan.core.testing import World
from hongfan.integrity import selectors, services
from hongfan.integrity.models import (
    EnvelopeEntry,
    KeyDate,
    LetterTemplate,
    ReminderCampaign,
    ReminderReceipt,
    RiskWarning,
    SelfCheck,
    SelfCheckCampaign,
)
from hongfan.integrity.tests import factories as f
from hongfan.notifications.models import Notification
from hongfan.scoring.models import LedgerEvent
from hongfan.scoring.selectors import events_for_source

pytestmark = pytest.mark.django_db


# ------------------------------------------------------------------ festival dates


@pytest.mark.parametrize(
    ("kind", "year", "expected"),
    [
        ("spring", 2026, dt.date(2026, 2, 17)),
        ("lantern", 2026, dt.date(2026, 3, 3)),
        ("dragon_boat", 2026, dt.date(2026, 6, 19)),
        ("mid_autumn", 2026, dt.date(2026, 9, 25)),
        ("spring", 2027, dt.date(2027, 2, 6)),
        ("lantern", 2027, dt.date(2027, 2, 20)),
        ("dragon_boat", 2027, dt.date(2027, 6, 9)),
        ("mid_autumn", 2027, dt.date(2027, 9, 15)),
        ("new_year", 2027, dt.date(2027, 1, 1)),
        ("labour", 2026, dt.date(2026, 5, 1)),
        ("national", 2026, dt.date(2026, 10, 1)),
    ],
)
def test_festival_dates_for_2026_and_2027(kind: str, year: int, expected: dt.date) -> None:
    assert services.festival_date(kind, year) == expected


def test_the_letter_is_drafted_exactly_n_days_before_and_only_once(world: World) -> None:
    f.key_date(KeyDate.Kind.MID_AUTUMN, days_before=7)
    assert services.reminders_schedule(dt.date(2026, 9, 17)) == {"drafted": 0, "sent": 0}
    assert services.reminders_schedule(dt.date(2026, 9, 18)) == {"drafted": 1, "sent": 0}
    assert services.reminders_schedule(dt.date(2026, 9, 19)) == {"drafted": 0, "sent": 0}
    c = ReminderCampaign.objects.get()
    assert c.festival_on == dt.date(2026, 9, 25) and c.status == "draft"
    assert "中秋" in c.title
    # After the festival nothing more is drafted for it.
    assert services.reminders_schedule(dt.date(2026, 9, 26)) == {"drafted": 0, "sent": 0}


def test_the_command_sends_automatically_to_all_staff_and_is_idempotent(world: World) -> None:
    f.key_date(KeyDate.Kind.SPRING, days_before=10, auto_send=True)
    out = io.StringIO()
    call_command("integrity_schedule", today="2027-01-28", stdout=out)
    assert "1 letters drafted, 1 sent" in out.getvalue()
    c = ReminderCampaign.objects.get()
    assert c.festival_on == dt.date(2027, 2, 6) and c.status == "sent"
    staff_users = [u for u in world.users.values() if u.staff_id]
    assert c.recipients == len(staff_users) == ReminderReceipt.objects.count()
    assert Notification.objects.filter(source_type="integrity.remindercampaign").count() == len(
        staff_users
    )
    assert SelfCheckCampaign.objects.filter(reminder=c).exists()
    out = io.StringIO()
    call_command("integrity_schedule", today="2027-01-29", stdout=out)
    assert "0 letters drafted, 0 sent" in out.getvalue()
    assert ReminderReceipt.objects.count() == len(staff_users)


def test_a_bad_date_for_the_command_is_refused() -> None:
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("integrity_schedule", today="2027-13-01")


def test_read_receipts_give_the_completion_rate(world: World) -> None:
    c = f.reminder(world, sent=True)
    assert services.reminder_mark_read(campaign=c, user=world.user(Role.STAFF)) is True
    assert services.reminder_mark_read(campaign=c, user=world.user(Role.STAFF)) is False
    rows = selectors.completion_by_department(
        ReminderReceipt.objects.filter(campaign=c),
        __import__("django.db.models").db.models.Q(read_at__isnull=False),
    )
    xin = next(r for r in rows if r["department"] == "心内科")
    assert xin["done"] == 1 and xin["total"] == 3  # 李支书, 孙主任, 周群众
    assert selectors.totals(rows)["done"] == 1


def test_a_sent_letter_cannot_be_sent_or_edited_again(world: World) -> None:
    c = f.reminder(world, sent=True)
    with pytest.raises(ValidationError):
        services.reminder_send(campaign=c)
    with pytest.raises(ValidationError):
        services.reminder_update(campaign=c, actor=None, title="x", body="y")


# ------------------------------------------------------------------ letters


def test_nobody_signs_for_another_person(world: World) -> None:
    c = f.campaign(world)
    theirs = c.signatures.get(staff=world.staff["head_a1"])
    with pytest.raises(ValidationError) as exc:
        services.signature_sign(signature=theirs, actor=world.user(Role.STAFF), typed_name="孙主任")
    assert "他人" in str(exc.value) or "本人" in str(exc.value)
    theirs.refresh_from_db()
    assert theirs.signed_at is None


def test_the_typed_name_must_be_ones_own_name(world: World) -> None:
    c = f.campaign(world)
    mine = c.signatures.get(staff=world.staff["plain_a1"])
    with pytest.raises(ValidationError) as exc:
        services.signature_sign(signature=mine, actor=world.user(Role.STAFF), typed_name="周")
    assert "typed_name" in exc.value.error_dict
    s = services.signature_sign(signature=mine, actor=world.user(Role.STAFF), typed_name=" 周群众 ")
    assert s.typed_name == "周群众" and s.signed_at is not None
    with pytest.raises(ValidationError):
        services.signature_sign(signature=mine, actor=world.user(Role.STAFF), typed_name="周群众")


def test_a_closed_campaign_takes_no_signature(world: World) -> None:
    c = f.campaign(world)
    services.signing_campaign_close(campaign=c, actor=f.office(world))
    mine = c.signatures.get(staff=world.staff["plain_a1"])
    with pytest.raises(ValidationError):
        services.signature_sign(signature=mine, actor=world.user(Role.STAFF), typed_name="周群众")


def test_the_department_level_is_signed_by_heads_and_completion_is_by_department(
    world: World,
) -> None:
    c = f.campaign(world, LetterTemplate.Level.DEPARTMENT)
    signers = set(c.signatures.values_list("staff__name", flat=True))
    assert signers == {"李支书", "孙主任"}  # the heads in post
    services.signature_sign(
        signature=c.signatures.get(staff=world.staff["head_a1"]),
        actor=world.user(Role.DEPARTMENT_HEAD),
        typed_name="孙主任",
    )
    rows = selectors.completion_by_department(
        c.signatures.all(), __import__("django.db.models").db.models.Q(signed_at__isnull=False)
    )
    assert [(r["department"], r["done"], r["total"], r["rate"]) for r in rows] == [
        ("心内科", 1, 2, 50.0)
    ]


def test_a_template_has_one_campaign_a_year(world: World) -> None:
    c = f.campaign(world)
    with pytest.raises(ValidationError):
        services.signing_campaign_launch(
            template=c.template, year=c.year, deadline=c.deadline, actor=f.office(world)
        )


# ------------------------------------------------------------------ risk register


def test_a_review_sets_the_next_review_date_by_the_interval(world: World) -> None:
    p = f.risk_point(world)
    services.risk_review_record(
        point=p,
        actor=f.office(world),
        reviewed_on=dt.date(2026, 8, 31),
        findings="管控有效",
        level_after="medium",
    )
    p.refresh_from_db()
    assert p.next_review_on == dt.date(2027, 2, 28) and p.level == "medium"
    with pytest.raises(ValidationError):
        services.risk_review_record(
            point=p,
            actor=f.office(world),
            reviewed_on=timezone.localdate() + dt.timedelta(days=1),
            findings="x",
            level_after="low",
        )


def test_warnings_fed_by_indicator_code_are_idempotent_and_scoped_to_the_department(
    world: World,
) -> None:
    p = f.risk_point(world)
    services.risk_indicator_add(
        point=p, actor=None, code="clinical.antibiotics_intensity", name="抗菌药物使用强度"
    )
    kw = dict(
        indicator_code="clinical.antibiotics_intensity",
        occurred_on=dt.date(2026, 10, 8),
        summary="超过 40 DDDs",
        value="46.2",
        source="clinical",
        key="2026-09",
    )
    assert len(services.risk_warning_record(**kw)) == 1
    assert services.risk_warning_record(**kw) == []
    assert (
        services.risk_warning_record(**{**kw, "key": "2026-10", "department_id": world.dept_b1.pk})
        == []
    )
    assert RiskWarning.objects.count() == 1
    assert Notification.objects.filter(
        recipient=world.user(Role.DISCIPLINE), title__contains="药品采购遴选"
    ).exists()


def test_review_reminders_go_out_once_per_due_date(world: World) -> None:
    p = f.risk_point(world)  # due in 10 days
    today = timezone.localdate()
    assert services.risk_review_reminders_send(today - dt.timedelta(days=10))["points"] == 0
    assert services.risk_review_reminders_send(today)["notifications"] == 1
    assert services.risk_review_reminders_send(today)["notifications"] == 0
    assert (
        services.risk_review_reminders_send(p.next_review_on + dt.timedelta(days=1))[
            "notifications"
        ]
        == 1
    )


# ------------------------------------------------------------------ self-checks


def _answers(campaign: SelfCheckCampaign, yes: str = "") -> dict[str, bool]:
    return {q[0]: q[0] == yes for q in campaign.questions}


def test_all_no_opens_nothing_and_any_yes_opens_a_follow_up_matter(world: World) -> None:
    c = f.selfcheck_campaign(world)
    check = services.selfcheck_submit(campaign=c, actor=world.user(Role.STAFF), answers=_answers(c))
    assert check.matter is None
    with pytest.raises(ValidationError):
        services.selfcheck_submit(campaign=c, actor=world.user(Role.STAFF), answers=_answers(c))
    with pytest.raises(ValidationError) as exc:
        services.selfcheck_submit(
            campaign=c, actor=world.user(Role.DEPARTMENT_HEAD), answers=_answers(c, "banquets")
        )
    assert "declaration" in exc.value.error_dict
    check = services.selfcheck_submit(
        campaign=c,
        actor=world.user(Role.DEPARTMENT_HEAD),
        answers=_answers(c, "banquets"),
        declaration="参加同学聚餐，已自行付费",
    )
    assert check.matter is not None and check.matter.type.code == "integrity_followup"
    assert check.matter.owner == world.user(Role.DEPARTMENT_HEAD)
    assert "宴请" in check.matter.description


def test_a_self_check_is_accepted_on_its_closing_day_and_refused_the_day_after(
    world: World,
) -> None:
    c = f.selfcheck_campaign(world, closes_in=0)
    day = c.closes_on
    services.selfcheck_submit(
        campaign=c, actor=world.user(Role.STAFF), answers=_answers(c), today=day
    )
    with pytest.raises(ValidationError) as exc:
        services.selfcheck_submit(
            campaign=c,
            actor=world.user(Role.DEPARTMENT_HEAD),
            answers=_answers(c),
            today=day + dt.timedelta(days=1),
        )
    assert "不能再提交" in str(exc.value) or "截止" in str(exc.value) or str(day) in str(exc.value)
    assert SelfCheck.objects.count() == 1


def test_a_self_check_needs_every_answer(world: World) -> None:
    c = f.selfcheck_campaign(world)
    answers = _answers(c)
    answers.pop("gifts")
    with pytest.raises(ValidationError):
        services.selfcheck_submit(campaign=c, actor=world.user(Role.STAFF), answers=answers)


# ------------------------------------------------------------------ 红包 register


def test_a_confirmed_envelope_credits_the_ethics_file_once(world: World) -> None:
    e = f.envelope(world)
    assert e.number.startswith(f"HB-{timezone.localdate().year}-")
    assert not events_for_source(e).exists()
    services.envelope_confirm(entry=e, actor=f.office(world))
    services.envelope_confirm(entry=e, actor=f.office(world))
    event = events_for_source(e).get()
    assert event.rule.code == "integrity.envelope_returned"
    assert event.status == LedgerEvent.Status.CONFIRMED and event.points == Decimal("2")


def test_a_rejected_envelope_needs_a_reason_and_earns_nothing(world: World) -> None:
    e = f.envelope(world)
    with pytest.raises(ValidationError):
        services.envelope_reject(entry=e, actor=f.office(world), note=" ")
    services.envelope_reject(entry=e, actor=f.office(world), note="无法核实")
    with pytest.raises(ValidationError):
        services.envelope_confirm(entry=e, actor=f.office(world))
    assert not events_for_source(e).exists()


def test_the_patient_is_encrypted_at_rest_and_masked_on_the_receipt(world: World) -> None:
    e = f.envelope(world)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT patient_name FROM integrity_enveloperentry"
            if False
            else "SELECT patient_name FROM integrity_envelopeentry"
        )
        (stored,) = cursor.fetchone()
    assert "张三丰" not in stored
    from docx import Document

    doc = Document(io.BytesIO(services.envelope_receipt_docx(e)))
    text = "\n".join(c.text for t in doc.tables for row in t.rows for c in row.cells)
    assert "张**" in text and "张三丰" not in text and e.number in text


@pytest.mark.parametrize("amount", [Decimal("0"), Decimal("-5")])
def test_an_envelope_without_an_amount_is_refused(world: World, amount: Decimal) -> None:
    with pytest.raises(ValidationError):
        services.envelope_record(
            actor=world.user(Role.STAFF),
            occurred_on=timezone.localdate(),
            kind="cash",
            amount=amount,
            patient_name="李四",
            handling="returned",
        )
    assert EnvelopeEntry.objects.count() == 0


# ------------------------------------------------------------------ 四必谈


def test_a_family_event_opens_a_talk_for_the_superior_due_the_day_before(world: World) -> None:
    now = timezone.make_aware(dt.datetime(2026, 11, 2, 9, 0))
    e = services.family_event_report(
        actor=world.user(Role.STAFF), kind="wedding", event_on=dt.date(2026, 11, 8), now=now
    )
    m = e.matter
    assert m.type.code == "formal_talk"
    assert m.owner.staff.is_department_head and m.owner.staff.department == world.dept_a1
    assert timezone.localtime(m.due_at) == timezone.make_aware(dt.datetime(2026, 11, 7, 17, 30))


def test_an_event_reported_on_its_eve_after_hours_is_due_the_morning_of_the_event(
    world: World,
) -> None:
    now = timezone.make_aware(dt.datetime(2026, 11, 7, 18, 0))
    e = services.family_event_report(
        actor=world.user(Role.STAFF), kind="funeral", event_on=dt.date(2026, 11, 8), now=now
    )
    assert timezone.localtime(e.matter.due_at) == timezone.make_aware(
        dt.datetime(2026, 11, 8, 8, 0)
    )
    with pytest.raises(ValidationError):
        services.family_event_report(
            actor=world.user(Role.STAFF), kind="funeral", event_on=dt.date(2026, 11, 7), now=now
        )


def test_recording_the_talk_moves_the_matter_and_overdue_talks_escalate(world: World) -> None:
    from hongfan.loops.services import escalate_overdue

    e = f.family_event(world)
    e.matter.opened_at = timezone.now() - dt.timedelta(days=3)
    e.matter.due_at = timezone.now() - dt.timedelta(hours=1)
    e.matter.save(update_fields=["opened_at", "due_at"])
    assert escalate_overdue()["level1"] == 1
    e.refresh_from_db()
    head = e.matter.owner
    with pytest.raises(ValidationError):
        services.talk_record(event=e, actor=head, held_at=timezone.now(), points=" ")
    services.talk_record(
        event=e,
        actor=head,
        held_at=timezone.now() - dt.timedelta(minutes=5),
        points="提醒喜事简办，不收礼金",
    )
    e.refresh_from_db()
    assert e.talk_at is not None and e.matter.state == "held"


# ------------------------------------------------------------------ education and the service code


def test_education_coverage_counts_staff_who_attended(world: World) -> None:
    f.session(world)
    rows = {r["department"]: r for r in selectors.education_coverage(timezone.localdate().year)}
    assert rows["心内科"]["done"] == 2 and rows["心内科"]["total"] == 3
    assert rows["普外科"]["done"] == 0


def test_a_document_is_acknowledged_once_per_person(world: World) -> None:
    d = f.code_document()
    services.code_acknowledge(document=d, actor=world.user(Role.STAFF))
    with pytest.raises(ValidationError):
        services.code_acknowledge(document=d, actor=world.user(Role.STAFF))
    rows = {r["department"]: r for r in selectors.code_coverage(d.pk)}
    assert rows["心内科"]["done"] == 1


def test_a_letter_of_a_key_date_with_the_robot_switched_on_is_posted_to_the_group(
    world: World, settings, monkeypatch, django_capture_on_commit_callbacks
) -> None:
    from hongfan.notifications import webhooks

    posted: list[tuple[str, bytes]] = []

    def transport(url: str, body: bytes, headers: dict[str, str]) -> tuple[int, bytes]:
        posted.append((url, body))
        return 200, b'{"errcode": 0}'

    monkeypatch.setattr(webhooks, "urllib_transport", transport)
    settings.HONGFAN_INTEGRITY_ROBOT = (
        "wecom",
        "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k",
    )
    k = f.key_date(use_webhook=True)
    c, _ = services.reminder_draft(k, timezone.localdate() + dt.timedelta(days=5))
    with django_capture_on_commit_callbacks(execute=True):
        services.reminder_send(campaign=c, actor=f.office(world))
    assert len(posted) == 1 and posted[0][0].startswith("https://qyapi.weixin.qq.com/")
    assert c.title in posted[0][1].decode("utf-8")
    # Without a robot URL nothing leaves the hospital.
    settings.HONGFAN_INTEGRITY_ROBOT = ("wecom", "")
    k2 = f.key_date(kind=KeyDate.Kind.NATIONAL, use_webhook=True)
    c2, _ = services.reminder_draft(k2, timezone.localdate() + dt.timedelta(days=6))
    with django_capture_on_commit_callbacks(execute=True):
        services.reminder_send(campaign=c2, actor=f.office(world))
    assert len(posted) == 1
