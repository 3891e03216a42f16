"""Rectification services: the responsibility list opens loops matters, closure needs
evidence and the office's verification, deadlines and overdue tasks."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from hongfan.accounts.roles import Role
from hongfan.core.testing import World
from hongfan.loops import services as loops
from hongfan.loops.models import Matter
from hongfan.notifications.models import Notification
from hongfan.rectification import selectors, services
from hongfan.rectification.models import Problem, Task
from hongfan.rectification.tests.factories import inspection, task

pytestmark = pytest.mark.django_db


def test_problems_are_numbered_in_order(world: World) -> None:
    insp = inspection(world)
    a = services.problem_add(inspection=insp, description="问题一")
    b = services.problem_add(inspection=insp, description="问题二")
    assert (a.number, b.number) == (1, 2)


def test_an_inspection_in_the_future_is_refused(world: World) -> None:
    with pytest.raises(ValidationError) as exc:
        inspection(world, conducted_on=timezone.localdate() + dt.timedelta(days=1))
    assert "conducted_on" in exc.value.message_dict


def test_a_task_is_a_loops_matter_owned_by_the_person_responsible(world: World) -> None:
    t = task(world)
    m = t.matter
    assert m.type.code == "rectification_task"
    assert m.owner == world.user(Role.STAFF)
    assert m.owner_department == world.dept_a1
    assert timezone.localtime(m.due_at).date() == dt.date(2027, 1, 29)
    assert timezone.localtime(m.due_at).time() == dt.time(17, 30)
    assert Notification.objects.filter(recipient=world.user(Role.STAFF)).exists()


def test_a_deadline_in_the_past_is_refused_and_nothing_is_saved(world: World) -> None:
    insp = inspection(world)
    problem = services.problem_add(inspection=insp, description="问题", department=world.dept_a1)
    with pytest.raises(ValidationError) as exc:
        services.task_assign(
            problem=problem,
            owner=world.user(Role.STAFF),
            measures="整改",
            deadline=timezone.localdate() - dt.timedelta(days=1),
            actor=world.user(Role.PARTY_OFFICE),
        )
    assert exc.value.message_dict["deadline"] == ["截止时间不能早于事项立项时间。"]
    assert not Task.objects.exists() and not Matter.objects.exists()


def test_a_task_without_measures_is_refused(world: World) -> None:
    with pytest.raises(ValidationError):
        task(world, measures="  ")
    assert not Matter.objects.exists()


def test_closing_needs_evidence_then_the_office_verifies(world: World) -> None:
    t = task(world)
    owner, office = world.user(Role.STAFF), world.user(Role.PARTY_OFFICE)
    m = loops.matter_transition(matter=t.matter, action="start", actor=owner)
    with pytest.raises(ValidationError):
        loops.matter_transition(matter=m, action="submit", actor=owner)
    m = loops.matter_transition(
        matter=m, action="submit", actor=owner, evidence_note="已培训 2 次，抽查 20 份病历合格"
    )
    with pytest.raises(ValidationError):  # the owner cannot verify their own work
        loops.matter_transition(matter=m, action="verify", actor=owner)
    m = loops.matter_transition(matter=m, action="verify", actor=office)
    assert m.closed_at is not None and m.state == "closed"


def test_the_office_can_send_a_task_back_only_with_a_reason(world: World) -> None:
    t = task(world)
    owner, office = world.user(Role.STAFF), world.user(Role.PARTY_OFFICE)
    m = loops.matter_transition(matter=t.matter, action="submit", actor=owner, evidence_note="x")
    with pytest.raises(ValidationError):
        loops.matter_transition(matter=m, action="reject", actor=office)
    m = loops.matter_transition(matter=m, action="reject", actor=office, note="佐证不足")
    assert m.state == "in_progress"


def test_overdue_tasks_are_those_open_after_their_deadline(world: World) -> None:
    t = task(world)
    later = timezone.make_aware(dt.datetime(2027, 1, 29, 17, 31))
    at_deadline = timezone.make_aware(dt.datetime(2027, 1, 29, 17, 30))
    assert list(selectors.overdue_tasks(Task.objects.all(), later)) == [t]
    assert list(selectors.overdue_tasks(Task.objects.all(), at_deadline)) == []
    row = selectors.with_progress(type(t.problem.inspection).objects.all(), later).get()
    assert (row.total, row.closed, row.overdue) == (1, 0, 1)


def test_the_ledger_shows_the_latest_progress_note_and_evidence(world: World) -> None:
    t = task(world)
    owner = world.user(Role.STAFF)
    loops.matter_transition(matter=t.matter, action="start", actor=owner, note="已开展培训")
    loops.evidence_add(matter=t.matter, actor=owner, note="培训签到表")
    row = selectors.ledger(Task.objects.all(), {}).get()
    assert row.progress_note == "培训签到表"  # the latest note, evidence included
    assert row.evidence_count == 1


def test_owners_see_only_their_tasks(world: World) -> None:
    mine = task(world)
    task(world, owner=world.user(Role.PRESIDENT_OFFICE), description="其他科室的问题")
    assert list(selectors.tasks_visible_to(world.user(Role.STAFF))) == [mine]
    assert selectors.tasks_visible_to(world.user(Role.PARTY_OFFICE)).count() == 2
    assert not selectors.tasks_visible_to(world.user(Role.BRANCH_SECRETARY)).exists()
    assert Problem.objects.count() == 2


def test_owners_are_warned_once_before_the_deadline(world: World) -> None:
    from hongfan.workdays.models import CalendarDay
    from hongfan.workdays.services import calendar_day_set

    for d in range(1, 9):
        calendar_day_set(day=dt.date(2026, 10, d), kind=CalendarDay.Kind.HOLIDAY, name="国庆节")
    t = task(
        world,
        deadline=dt.date(2026, 10, 9),
        opened_at=timezone.make_aware(dt.datetime(2026, 9, 1, 9)),
    )
    owner = world.user(Role.STAFF)
    before = Notification.objects.filter(recipient=owner).count()
    # From Monday 09-28, 3 working days ahead is 10-09 (the holiday does not count);
    # from Friday 09-25 it is only 09-30.
    sept_25 = timezone.make_aware(dt.datetime(2026, 9, 25, 9))
    sept_28 = timezone.make_aware(dt.datetime(2026, 9, 28, 9))
    assert services.task_due_warnings_send(now=sept_25)["tasks"] == 0
    assert services.task_due_warnings_send(now=sept_28)["tasks"] == 1
    assert services.task_due_warnings_send(now=sept_28)["tasks"] == 0
    assert Notification.objects.filter(recipient=owner).count() == before + 1
    late = timezone.make_aware(dt.datetime(2026, 10, 9, 17, 31))
    assert services.task_due_warnings_send(now=late)["tasks"] == 0  # overdue: loops escalates
    assert t.matter.closed_at is None


def test_the_warning_command_prints_a_summary(
    world: World, capsys: pytest.CaptureFixture[str]
) -> None:
    from django.core.management import call_command

    task(world)  # due 2027-01-29
    call_command("rectification_due_warnings", "--now", "2027-01-27T09:00:00+08:00")
    assert "tasks warned: 1" in capsys.readouterr().out
