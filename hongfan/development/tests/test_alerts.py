"""Due and overdue development steps become notifications, once each."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command

from hongfan.accounts.roles import Role
from hongfan.core.testing import World
from hongfan.development.selectors import development_alerts
from hongfan.development.tests.factories import new_candidate, record
from hongfan.notifications.models import Notification

pytestmark = pytest.mark.django_db
APPLIED = dt.date(2026, 11, 2)  # the talk is due by 2026-12-02


def test_the_talk_is_due_14_days_ahead_and_overdue_the_day_after(world: World) -> None:
    candidate = new_candidate(world)
    record(world, candidate, "application", APPLIED)
    assert development_alerts(today=dt.date(2026, 11, 17)) == []
    (due,) = development_alerts(today=dt.date(2026, 11, 18))
    assert (due.step.code, due.due, due.overdue) == ("talk", dt.date(2026, 12, 2), False)
    (on_day,) = development_alerts(today=dt.date(2026, 12, 2))
    assert not on_day.overdue
    (late,) = development_alerts(today=dt.date(2026, 12, 3))
    assert late.overdue


def test_the_command_notifies_the_secretary_once_as_due_and_once_as_overdue(
    world: World,
) -> None:
    candidate = new_candidate(world, "林申请")
    record(world, candidate, "application", APPLIED)
    secretary = world.user(Role.BRANCH_SECRETARY)
    for _ in range(2):
        call_command("development_alerts", "--today", "2026-11-20", stdout=io.StringIO())
    inbox = Notification.objects.filter(recipient=secretary)
    assert inbox.count() == 1
    assert "林申请" in inbox.get().title and "2026-12-02" in inbox.get().title
    out = io.StringIO()
    call_command("development_alerts", "--today", "2026-12-05", stdout=out)
    call_command("development_alerts", "--today", "2026-12-06", stdout=io.StringIO())
    assert inbox.count() == 2
    assert inbox.filter(level=Notification.Level.WARNING).count() == 1
    assert "1 notification" in out.getvalue()
    assert (
        not Notification.objects.filter(recipient=world.user(Role.BRANCH_SECRETARY))
        .filter(recipient__username="secretary_b")
        .exists()
    )


def test_a_recorded_step_is_no_longer_announced(world: World) -> None:
    candidate = new_candidate(world)
    record(world, candidate, "application", APPLIED)
    record(world, candidate, "talk", dt.date(2026, 11, 10))
    codes = [a.step.code for a in development_alerts(today=dt.date(2026, 11, 20))]
    assert "talk" not in codes
