"""The engine's rules: deadlines, transitions, evidence, concurrency, escalation, visibility."""

from __future__ import annotations

import datetime as dt
import threading
import zoneinfo

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from hongfan.accounts.roles import Role
from hongfan.core.testing import World
from hongfan.loops import hooks, selectors, services
from hongfan.loops.models import Matter, MatterEvent
from hongfan.notifications.models import Notification
from hongfan.workdays.models import CalendarDay
from hongfan.workdays.services import calendar_day_set

SH = zoneinfo.ZoneInfo("Asia/Shanghai")


def at(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=SH)


def seed_autumn_2026() -> None:
    """The official 2026 arrangement (国办发明电〔2025〕, as in chinesecalendar 1.11).

    Mid-Autumn 09-25..27 off; National Day 10-01..07 off; 09-20 (Sun) and 10-10 (Sat) work.
    """
    for d in (25, 26, 27):
        calendar_day_set(day=dt.date(2026, 9, d), kind=CalendarDay.Kind.HOLIDAY, name="中秋节")
    for d in range(1, 8):
        calendar_day_set(day=dt.date(2026, 10, d), kind=CalendarDay.Kind.HOLIDAY, name="国庆节")
    for day in (dt.date(2026, 9, 20), dt.date(2026, 10, 10)):
        calendar_day_set(day=day, kind=CalendarDay.Kind.WORKDAY, name="国庆节调休")


def open_generic(world: World, **kw: object) -> Matter:
    defaults: dict[str, object] = {
        "type": "generic",
        "title": "落实院长办公会第3项决议",
        "originator": world.user(Role.PRESIDENT_OFFICE),
        "owner": world.user(Role.STAFF),
        "owner_department": world.dept_a1,
        "opened_at": at(2026, 11, 2, 9),
    }
    defaults.update(kw)
    return services.matter_open(**defaults)  # type: ignore[arg-type]


def pdf(name: str = "evidence.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4 test", content_type="application/pdf")


# ---------------------------------------------------------------- deadlines


@pytest.mark.django_db(transaction=True)
def test_five_working_days_from_30_september_skip_national_day_and_count_10_october(
    world: World,
) -> None:
    seed_autumn_2026()
    m = open_generic(world, opened_at=at(2026, 9, 30, 10), deadline_amount=5)
    # 10-08 (1), 10-09 (2), 10-10 Sat adjusted workday (3), 10-12 (4), 10-13 (5); 10-11 Sun off.
    assert m.due_at == at(2026, 10, 13, 17, 30)


@pytest.mark.django_db(transaction=True)
def test_the_convention_calendar_with_8_october_off_moves_the_deadline_one_day(
    world: World,
) -> None:
    seed_autumn_2026()
    calendar_day_set(day=dt.date(2026, 10, 8), kind=CalendarDay.Kind.HOLIDAY, name="国庆节")
    m = open_generic(world, opened_at=at(2026, 9, 30, 10), deadline_amount=5)
    assert m.due_at == at(2026, 10, 14, 17, 30)


@pytest.mark.django_db(transaction=True)
def test_overdue_flag_the_day_before_at_and_after_the_deadline(world: World) -> None:
    seed_autumn_2026()
    m = open_generic(world, opened_at=at(2026, 9, 30, 10), deadline_amount=5)
    assert not m.is_overdue(at(2026, 10, 12, 17, 30))
    assert not m.is_overdue(at(2026, 10, 13, 17, 30))
    assert m.is_overdue(at(2026, 10, 13, 17, 31))
    assert m.is_overdue(at(2026, 10, 14, 9))


def test_work_orders_count_deadlines_in_hours(world: World) -> None:
    m = services.matter_open(
        type="work_order",
        title="3号楼电梯故障",
        originator=world.user(Role.STAFF),
        owner=world.user(Role.DEPARTMENT_HEAD),
        opened_at=at(2026, 10, 3, 22),  # a holiday night: hours run anyway
    )
    assert m.due_at == at(2026, 10, 4, 22)
    m2 = services.matter_open(
        type="work_order",
        title="更换灯管",
        owner=world.user(Role.DEPARTMENT_HEAD),
        opened_at=at(2026, 10, 3, 22),
        deadline_amount=4,
    )
    assert m2.due_at == at(2026, 10, 4, 2)
    assert not m2.is_overdue(at(2026, 10, 4, 2))
    assert m2.is_overdue(at(2026, 10, 4, 2, 1))


def test_a_deadline_before_the_opening_is_refused_and_nothing_is_saved(world: World) -> None:
    with pytest.raises(ValidationError) as exc:
        open_generic(world, opened_at=at(2026, 11, 2, 9), due_at=at(2026, 11, 1, 9))
    assert "due_at" in exc.value.message_dict
    assert not Matter.objects.exists()


def test_the_error_is_in_chinese(world: World) -> None:
    from django.utils import translation

    with translation.override("zh-hans"), pytest.raises(ValidationError) as exc:
        open_generic(world, due_at=at(2026, 1, 1))
    assert "截止" in str(exc.value.message_dict["due_at"][0])


# ---------------------------------------------------------------- transitions


def test_the_owner_closes_a_matter_and_the_originator_is_told(world: World) -> None:
    m = open_generic(world)
    owner = world.user(Role.STAFF)
    m = services.matter_transition(matter=m, action="close", actor=owner, expected_version=1)
    assert m.state == "closed" and m.closed_at is not None and m.version == 2
    assert list(m.events.values_list("action", flat=True)) == ["open", "close"]
    assert Notification.objects.filter(
        recipient=world.user(Role.PRESIDENT_OFFICE), source_id=str(m.pk)
    ).exists()


def test_someone_not_involved_cannot_fire_a_transition(world: World) -> None:
    m = open_generic(world)
    with pytest.raises(ValidationError):
        services.matter_transition(matter=m, action="close", actor=world.user(Role.DISCIPLINE))


def test_closing_without_the_evidence_the_type_requires_is_refused(world: World) -> None:
    m = open_generic(world, type="resolution")
    owner = world.user(Role.STAFF)
    with pytest.raises(ValidationError) as exc:
        services.matter_transition(matter=m, action="close", actor=owner)
    assert "evidence" in exc.value.message_dict
    m.refresh_from_db()
    assert m.state == "open" and m.version == 1
    m = services.matter_transition(
        matter=m, action="close", actor=owner, evidence_files=[pdf()], expected_version=1
    )
    assert m.state == "closed"
    assert m.evidence.get().original_name == "evidence.pdf"


def test_evidence_uploaded_beforehand_satisfies_the_requirement(world: World) -> None:
    m = open_generic(world, type="resolution")
    owner = world.user(Role.STAFF)
    services.evidence_add(matter=m, actor=owner, note="已完成设备采购论证")
    m = services.matter_transition(matter=m, action="close", actor=owner)
    assert m.state == "closed"


def test_a_file_of_a_forbidden_type_or_too_large_is_refused(world: World, settings) -> None:  # type: ignore[no-untyped-def]
    m = open_generic(world)
    owner = world.user(Role.STAFF)
    with pytest.raises(ValidationError):
        services.evidence_add(matter=m, actor=owner, files=[SimpleUploadedFile("x.exe", b"MZ\x90")])
    with pytest.raises(ValidationError):
        services.evidence_add(matter=m, actor=owner, files=[SimpleUploadedFile("x.pdf", b"MZ")])
    settings.HONGFAN_UPLOAD_MAX_BYTES = 1024
    with pytest.raises(ValidationError):
        services.evidence_add(
            matter=m, actor=owner, files=[SimpleUploadedFile("big.pdf", b"%PDF" + b"0" * 2000)]
        )
    assert not m.evidence.exists()


def test_a_stale_version_is_refused_with_a_reload_message(world: World) -> None:
    m = open_generic(world)
    owner = world.user(Role.STAFF)
    services.matter_transition(matter=m, action="start", actor=owner, expected_version=1)
    with pytest.raises(ValidationError) as exc:
        services.matter_transition(matter=m, action="close", actor=owner, expected_version=1)
    assert exc.value.code == "stale"
    m.refresh_from_db()
    assert m.state == "in_progress" and m.version == 2


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_transitions_with_the_same_version_one_wins(world: World) -> None:
    if connection.vendor == "sqlite":
        pytest.skip("SQLite serialises writers (BEGIN IMMEDIATE); the race needs PostgreSQL")
    m = open_generic(world)
    owner = world.user(Role.STAFF)
    barrier = threading.Barrier(2)
    results: list[str] = []

    def act(action: str) -> None:
        from django.db import connection as conn

        try:
            barrier.wait()
            services.matter_transition(
                matter=Matter.objects.get(pk=m.pk), action=action, actor=owner, expected_version=1
            )
            results.append("ok")
        except ValidationError as exc:
            results.append(exc.code or "error")
        finally:
            conn.close()

    threads = [threading.Thread(target=act, args=(a,)) for a in ("start", "close")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == ["ok", "stale"]
    assert Matter.objects.get(pk=m.pk).version == 2


def test_reopen_counts_and_clears_the_closing(world: World) -> None:
    m = open_generic(world)
    m = services.matter_transition(matter=m, action="close", actor=world.user(Role.STAFF))
    with pytest.raises(ValidationError):
        services.matter_reopen(matter=m, actor=world.user(Role.PRESIDENT_OFFICE), note="")
    m = services.matter_reopen(
        matter=m, actor=world.user(Role.PRESIDENT_OFFICE), note="整改不到位", expected_version=2
    )
    assert m.state == "in_progress" and m.closed_at is None and m.reopened_count == 1
    assert m.events.last().action == MatterEvent.Action.REOPEN  # type: ignore[union-attr]


def test_feedback_by_the_originator_on_a_closed_matter(world: World) -> None:
    m = open_generic(world)
    originator = world.user(Role.PRESIDENT_OFFICE)
    with pytest.raises(ValidationError):
        services.matter_feedback(matter=m, actor=originator, text="好", rating=5)
    m = services.matter_transition(matter=m, action="close", actor=world.user(Role.STAFF))
    with pytest.raises(ValidationError):
        services.matter_feedback(matter=m, actor=world.user(Role.STAFF), text="好", rating=5)
    with pytest.raises(ValidationError):
        services.matter_feedback(matter=m, actor=originator, text="好", rating=6)
    m = services.matter_feedback(matter=m, actor=originator, text="办理及时", rating=5)
    assert m.feedback_rating == 5 and m.feedback_text == "办理及时"


def test_hand_over_records_the_previous_owner(world: World) -> None:
    m = open_generic(world)
    new_owner = world.user(Role.MEDICAL_AFFAIRS)
    m = services.matter_hand_over(
        matter=m, actor=world.user(Role.STAFF), new_owner=new_owner, note="转医务科"
    )
    assert m.owner == new_owner
    event = m.events.get(action=MatterEvent.Action.HAND_OVER)
    assert event.data["before"]["owner"] == world.user(Role.STAFF).pk
    assert Notification.objects.filter(recipient=new_owner, source_id=str(m.pk)).exists()


def test_hooks_run_inside_the_transition(world: World) -> None:
    seen: list[str] = []

    @hooks.on("generic", "close")
    def _hook(*, matter: Matter, event: MatterEvent) -> None:
        seen.append(f"{matter.pk}:{event.to_state}")

    try:
        m = open_generic(world)
        services.matter_transition(matter=m, action="close", actor=world.user(Role.STAFF))
        assert seen == [f"{m.pk}:closed"]
    finally:
        hooks._HOOKS.remove(("generic", "close", _hook))


# ---------------------------------------------------------------- escalation


def test_escalation_level_1_then_2_notifies_the_right_people_once(world: World) -> None:
    m = open_generic(world, opened_at=at(2026, 11, 2, 9), deadline_amount=2)
    assert m.due_at == at(2026, 11, 4, 17, 30)
    owner, head = world.user(Role.STAFF), world.user(Role.DEPARTMENT_HEAD)
    office, president = world.user(Role.PARTY_OFFICE), world.user(Role.PRESIDENT_OFFICE)

    def escalations(user: object) -> int:
        return Notification.objects.filter(
            recipient=user, level=Notification.Level.ESCALATION
        ).count()

    assert services.escalate_overdue(now=at(2026, 11, 4, 17, 30))["level1"] == 0  # at due
    assert services.escalate_overdue(now=at(2026, 11, 4, 17, 31))["level1"] == 1  # a minute late
    m.refresh_from_db()
    assert m.escalation_level == 1
    assert (escalations(owner), escalations(head), escalations(office)) == (1, 1, 0)
    # Second run: nothing new.
    again = services.escalate_overdue(now=at(2026, 11, 5, 9))
    assert again["level1"] == again["level2"] == again["notifications"] == 0
    # Level 2 three working days after the deadline (type default), at the same time of day.
    assert services.escalate_overdue(now=at(2026, 11, 9, 17, 30))["level2"] == 0
    assert services.escalate_overdue(now=at(2026, 11, 9, 17, 31))["level2"] == 1
    m.refresh_from_db()
    assert m.escalation_level == 2
    assert (escalations(office), escalations(president), escalations(owner)) == (1, 1, 2)
    assert escalations(world.user(Role.DISCIPLINE)) == 0
    assert services.escalate_overdue(now=at(2026, 11, 20))["notifications"] == 0
    assert m.events.filter(action=MatterEvent.Action.ESCALATE).count() == 2


def test_a_closed_matter_is_not_escalated(world: World) -> None:
    m = open_generic(world, deadline_amount=1)
    services.matter_transition(matter=m, action="close", actor=world.user(Role.STAFF))
    assert services.escalate_overdue(now=at(2026, 12, 31))["checked"] == 0


def test_a_very_late_matter_jumps_to_level_2_and_still_warns_the_superior(world: World) -> None:
    open_generic(world, deadline_amount=1)
    counts = services.escalate_overdue(now=at(2026, 12, 31))
    assert counts["level2"] == 1
    assert Notification.objects.filter(
        recipient=world.user(Role.DEPARTMENT_HEAD), level=Notification.Level.ESCALATION
    ).exists()


def test_the_command_prints_a_one_line_summary(world: World) -> None:
    from io import StringIO

    from django.core.management import call_command

    open_generic(world, deadline_amount=1)
    out = StringIO()
    call_command("escalate_matters", "--now", "2026-12-31T09:00", stdout=out)
    assert out.getvalue().count("\n") == 1 and "1 to level 2" in out.getvalue()
    out = StringIO()
    call_command("escalate_matters", "--now", "2026-12-31T09:00", stdout=out)
    assert "0 to level 2" in out.getvalue()


def test_the_task_calls_the_same_service(world: World) -> None:
    from hongfan.loops.tasks import escalate_matters_task

    result = escalate_matters_task.call()
    assert set(result) == {"checked", "level1", "level2", "notifications"}


@pytest.mark.django_db
def test_seeding_types_twice_changes_nothing() -> None:
    from django.core.management import call_command

    from hongfan.loops.models import MatterType

    call_command("loops_seed_types", stdout=open("/dev/null", "w"))  # noqa: SIM115
    n = MatterType.objects.count()
    call_command("loops_seed_types", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert MatterType.objects.count() == n >= 9


# ---------------------------------------------------------------- visibility


def test_a_restricted_integrity_report_is_invisible_to_the_party_office(world: World) -> None:
    report = services.matter_open(
        type="integrity_report",
        title="举报某科室收受回扣",
        owner=world.user(Role.DISCIPLINE),
        notify_owner=False,
    )
    assert report in selectors.matters_visible_to(world.user(Role.DISCIPLINE))
    for role in (Role.PARTY_OFFICE, Role.PRESIDENT_OFFICE, Role.DEPARTMENT_HEAD, Role.STAFF):
        assert report not in selectors.matters_visible_to(world.user(role)), role


def test_scoping_of_a_department_matter(world: World) -> None:
    m = open_generic(world)
    visible = {
        role: m in selectors.matters_visible_to(world.user(role))
        for role in (
            Role.STAFF,
            Role.DEPARTMENT_HEAD,
            Role.PRESIDENT_OFFICE,
            Role.PARTY_OFFICE,
            Role.BRANCH_SECRETARY,
            Role.DISCIPLINE,
            Role.MEDICAL_AFFAIRS,
            Role.SYSTEM_ADMIN,
        )
    }
    assert visible == {
        Role.STAFF: True,  # owner
        Role.DEPARTMENT_HEAD: True,  # head of 心内科
        Role.PRESIDENT_OFFICE: True,  # originator and supervisor
        Role.PARTY_OFFICE: True,  # supervisor
        Role.BRANCH_SECRETARY: False,
        Role.DISCIPLINE: False,
        Role.MEDICAL_AFFAIRS: False,
        Role.SYSTEM_ADMIN: False,
    }


def test_statistics_on_time_rate_and_working_days(world: World) -> None:
    a = open_generic(world, opened_at=at(2026, 11, 2, 9), deadline_amount=2)
    b = open_generic(world, opened_at=at(2026, 11, 2, 9), deadline_amount=2)
    open_generic(world, opened_at=at(2026, 11, 2, 9), deadline_amount=2)
    # Owned by a person only: counted for the person's department (心内科).
    open_generic(world, opened_at=at(2026, 11, 2, 9), deadline_amount=2, owner_department=None)
    owner = world.user(Role.STAFF)
    services.matter_transition(matter=a, action="close", actor=owner, now=at(2026, 11, 3, 10))
    services.matter_transition(matter=b, action="close", actor=owner, now=at(2026, 11, 6, 10))
    stats = selectors.statistics(Matter.objects.all(), now=at(2026, 11, 10))
    assert stats["closed"] == 2 and stats["on_time"] == 1 and stats["on_time_rate"] == 50.0
    assert stats["avg_working_days"] == 2.5  # 1 and 4 working days
    assert stats["overdue_open"] == 2
    assert stats["overdue_by_department"] == [{"department": "心内科", "n": 2}]


# ---------------------------------------------------------------- escalation across the holiday


@pytest.mark.django_db(transaction=True)
def test_escalation_across_the_holiday_the_day_before_on_and_after_each_level(
    world: World,
) -> None:
    seed_autumn_2026()
    m = open_generic(world, opened_at=at(2026, 9, 30, 16), deadline_amount=5)
    assert m.due_at == at(2026, 10, 13, 17, 30)
    owner, head = world.user(Role.STAFF), world.user(Role.DEPARTMENT_HEAD)
    office = world.user(Role.PARTY_OFFICE)

    def level() -> int:
        m.refresh_from_db()
        return m.escalation_level

    def escalated(user: object) -> int:
        return Notification.objects.filter(
            recipient=user, level=Notification.Level.ESCALATION
        ).count()

    # During the holiday, the day before the deadline and at the deadline itself: nothing.
    services.escalate_overdue(now=at(2026, 10, 5, 12))
    services.escalate_overdue(now=at(2026, 10, 12, 17, 31))
    services.escalate_overdue(now=at(2026, 10, 13, 17, 30))
    assert level() == 0 and escalated(owner) == 0
    assert m.is_overdue(at(2026, 10, 13, 17, 31))
    # The day after: level 1 reaches the owner and the head of the owner's department.
    assert services.escalate_overdue(now=at(2026, 10, 14, 9))["level1"] == 1
    assert level() == 1
    assert (escalated(owner), escalated(head), escalated(office)) == (1, 1, 0)
    # Level 2 three working days after the deadline: 10-14, 10-15, 10-16 at 17:30.
    assert services.escalate_overdue(now=at(2026, 10, 15, 12))["level2"] == 0
    assert services.escalate_overdue(now=at(2026, 10, 16, 17, 30))["level2"] == 0
    assert services.escalate_overdue(now=at(2026, 10, 16, 17, 31))["level2"] == 1
    assert level() == 2
    assert (escalated(owner), escalated(head), escalated(office)) == (2, 1, 1)
    # Idempotent: another run the next working day changes nothing.
    again = services.escalate_overdue(now=at(2026, 10, 19, 9))
    assert (again["level1"], again["level2"], again["notifications"]) == (0, 0, 0)


def test_configurable_thresholds_escalate_later(world: World) -> None:
    services.matter_type_ensure(
        code="slow_generic",
        name="Supervised matter",
        workflow=services.matter_type_get("generic").workflow,
        deadline_amount=2,
        escalation_level1_after=2,
        escalation_level2_after=5,
    )
    m = open_generic(world, type="slow_generic", opened_at=at(2026, 11, 2, 9))
    assert m.due_at == at(2026, 11, 4, 17, 30)
    # Two working days after the deadline (11-06 17:30) before level 1.
    assert services.escalate_overdue(now=at(2026, 11, 5, 9))["level1"] == 0
    assert services.escalate_overdue(now=at(2026, 11, 6, 17, 31))["level1"] == 1
    assert services.escalate_overdue(now=at(2026, 11, 11, 17, 30))["level2"] == 0
    assert services.escalate_overdue(now=at(2026, 11, 11, 17, 31))["level2"] == 1


def test_a_reopened_matter_escalates_again_with_fresh_notifications(world: World) -> None:
    m = open_generic(world, opened_at=at(2026, 11, 2, 9), deadline_amount=1)
    services.escalate_overdue(now=at(2026, 11, 4, 9))
    owner = world.user(Role.STAFF)
    m = services.matter_transition(matter=m, action="close", actor=owner, now=at(2026, 11, 4, 10))
    services.matter_reopen(
        matter=m,
        actor=world.user(Role.PRESIDENT_OFFICE),
        note="落实不到位，重新办理",
        due_at=dt.datetime(2099, 1, 1, tzinfo=SH),
    )
    m.refresh_from_db()
    assert m.escalation_level == 0 and m.reopened_count == 1
    services.escalate_overdue(now=dt.datetime(2099, 1, 20, tzinfo=SH))
    m.refresh_from_db()
    assert m.escalation_level == 2
    assert (
        Notification.objects.filter(recipient=owner, level=Notification.Level.ESCALATION).count()
        >= 2
    )


def test_the_office_gets_one_digest_when_many_matters_reach_level_2(world: World) -> None:
    for i in range(7):
        open_generic(world, title=f"落实第{i + 1}项议定事项", deadline_amount=1)
    counts = services.escalate_overdue(now=at(2026, 12, 31))
    assert counts["level2"] == 7
    office = world.user(Role.PARTY_OFFICE)
    digest = Notification.objects.get(recipient=office, level=Notification.Level.ESCALATION)
    assert "7" in digest.title and "落实第1项议定事项" in digest.body
    assert "overdue=1" in digest.url
    # The owner gets a digest of their own matters too; a second run sends nothing.
    owner = world.user(Role.STAFF)
    mine = Notification.objects.get(recipient=owner, level="escalation")
    assert "7" in mine.title and "tab=overdue" in mine.url
    assert services.escalate_overdue(now=at(2027, 1, 5))["notifications"] == 0


def test_the_heads_overdue_tab_lists_the_overdue_matters_of_their_department(
    world: World,
) -> None:
    late = open_generic(world, owner_department=None, deadline_amount=1)  # owned by a 心内科 nurse
    open_generic(world, title="未逾期事项", owner_department=None, opened_at=at(2026, 12, 28, 9))
    head = world.user(Role.DEPARTMENT_HEAD)
    overdue = selectors.inbox(head, "overdue", now=at(2026, 12, 1))
    assert list(overdue) == [late]
    assert late not in selectors.inbox(head, "owned", now=at(2026, 12, 1))
