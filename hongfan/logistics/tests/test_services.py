"""Work orders on the closed-loop engine: routing, deadlines in hours, result, rating."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from hongfan.accounts.roles import Role
from hongfan.core.testing import World
from hongfan.logistics import selectors, services
from hongfan.logistics.models import Category, Urgency, WorkOrder
from hongfan.logistics.tests.factories import leader, order, team, worker
from hongfan.loops import services as loops
from hongfan.loops.models import Matter

pytestmark = pytest.mark.django_db

T0 = timezone.make_aware(dt.datetime(2026, 10, 1, 22, 0))  # a holiday night: hours still count


def _reload(o: WorkOrder) -> WorkOrder:
    return WorkOrder.objects.select_related("matter").get(pk=o.pk)


def test_an_order_is_routed_to_its_category_team_whose_leader_owns_it(world: World) -> None:
    o = order(world, filed_at=T0)
    assert o.number == "GD202610010001"
    assert o.team.category == Category.REPAIR
    assert o.matter.owner == leader(world)
    assert o.matter.originator == world.user(Role.STAFF)
    assert o.department == world.dept_a1
    assert order(world, filed_at=T0).number == "GD202610010002"


def test_a_category_without_a_team_is_refused_and_nothing_is_saved(world: World) -> None:
    with pytest.raises(ValidationError) as exc:
        services.work_order_file(
            requester=world.user(Role.STAFF),
            category=Category.IT,
            title="电脑蓝屏",
            location="门诊 3 楼",
        )
    assert "暂无" in str(exc.value) or "No service team" in str(exc.value)
    assert not WorkOrder.objects.exists() and not Matter.objects.exists()


@pytest.mark.parametrize(
    ("category", "urgency", "hours"),
    [
        (Category.REPAIR, Urgency.NORMAL, 24),
        (Category.REPAIR, Urgency.URGENT, 4),
        (Category.TRANSPORT, Urgency.NORMAL, 2),
        (Category.TRANSPORT, Urgency.URGENT, 1),
        (Category.IT, Urgency.NORMAL, 8),
    ],
)
def test_the_deadline_is_counted_in_clock_hours_through_holidays(
    world: World, category: str, urgency: str, hours: int
) -> None:
    team(world, category)
    o = order(world, category=category, urgency=urgency, filed_at=T0)
    assert o.matter.due_at == T0 + dt.timedelta(hours=hours)


def test_an_order_is_overdue_only_after_its_deadline_hour(world: World) -> None:
    o = order(world, filed_at=T0)
    due = o.matter.due_at
    assert not o.matter.is_overdue(due - dt.timedelta(hours=1))
    assert not o.matter.is_overdue(due)
    assert o.matter.is_overdue(due + dt.timedelta(hours=1))


def test_escalation_hour_by_hour_reaches_the_service_desk_eight_hours_late(world: World) -> None:
    o = order(world, filed_at=T0)
    due = o.matter.due_at
    codes = [services.TYPE_CODE]
    assert loops.escalate_overdue(now=due - dt.timedelta(hours=1), type_codes=codes)["level1"] == 0
    assert loops.escalate_overdue(now=due + dt.timedelta(hours=1), type_codes=codes)["level1"] == 1
    assert _reload(o).matter.escalation_level == 1
    loops.escalate_overdue(now=due + dt.timedelta(hours=8), type_codes=codes)
    assert _reload(o).matter.escalation_level == 1  # exactly 8 hours late: not yet level 2
    loops.escalate_overdue(now=due + dt.timedelta(hours=9), type_codes=codes)
    assert _reload(o).matter.escalation_level == 2
    desk = world.user(Role.PRESIDENT_OFFICE)
    assert desk.notifications.filter(title__contains=o.number).exists()


def test_dispatch_hands_the_order_to_a_worker_of_the_team(world: World) -> None:
    o = order(world, filed_at=T0)
    with pytest.raises(ValidationError):
        services.work_order_dispatch(order=o, actor=leader(world), assignee=world.user(Role.STAFF))
    services.work_order_dispatch(order=o, actor=leader(world), assignee=worker(world))
    o = _reload(o)
    assert o.assignee == worker(world)
    assert o.matter.owner == worker(world)
    assert o.matter.state == "dispatched"


def test_a_plain_requester_cannot_dispatch_or_finish(world: World) -> None:
    o = order(world, filed_at=T0)
    with pytest.raises(ValidationError):
        services.work_order_dispatch(order=o, actor=world.user(Role.STAFF), assignee=worker(world))
    with pytest.raises(ValidationError):
        services.work_order_finish(order=o, actor=world.user(Role.STAFF), result="已修好")


def test_an_order_closed_without_a_result_is_refused(world: World) -> None:
    o = order(world, filed_at=T0)
    services.work_order_dispatch(order=o, actor=leader(world), assignee=worker(world))
    services.work_order_start(order=o, actor=worker(world))
    for blank in ("", "   "):
        with pytest.raises(ValidationError) as exc:
            services.work_order_finish(order=o, actor=worker(world), result=blank)
        assert "result" in exc.value.message_dict
    assert _reload(o).matter.state == "in_progress"
    # Through the engine directly (the matter page) the step is refused too.
    with pytest.raises(ValidationError):
        loops.matter_transition(matter=_reload(o).matter, action="finish", actor=worker(world))
    services.work_order_finish(order=o, actor=worker(world), result="更换阀芯，试水正常")
    o = _reload(o)
    assert o.matter.state == "done" and o.result == "更换阀芯，试水正常"
    assert o.finished_at is not None


def test_the_requester_rates_a_finished_order_once_and_only_the_requester(world: World) -> None:
    o = order(world, filed_at=T0)
    services.work_order_dispatch(order=o, actor=leader(world), assignee=worker(world))
    with pytest.raises(ValidationError):
        services.work_order_rate(order=o, actor=world.user(Role.STAFF), rating=5)
    services.work_order_finish(order=o, actor=worker(world), result="已修复")
    with pytest.raises(ValidationError):
        services.work_order_rate(order=o, actor=worker(world), rating=5)
    with pytest.raises(ValidationError):
        services.work_order_rate(order=o, actor=world.user(Role.STAFF), rating=6)
    services.work_order_rate(order=o, actor=world.user(Role.STAFF), rating=4, comment="及时")
    assert _reload(o).matter.feedback_rating == 4


def test_the_requester_reopens_an_unsolved_order_with_a_fresh_deadline(world: World) -> None:
    o = order(world, filed_at=T0)
    services.work_order_dispatch(order=o, actor=leader(world), assignee=worker(world))
    services.work_order_finish(order=o, actor=worker(world), result="已修复")
    with pytest.raises(ValidationError):
        services.work_order_reopen(order=o, actor=world.user(Role.STAFF), reason="")
    services.work_order_reopen(order=o, actor=world.user(Role.STAFF), reason="还在漏水")
    o = _reload(o)
    assert o.matter.state == "in_progress" and o.finished_at is None
    assert o.matter.due_at > timezone.now() + dt.timedelta(hours=23)


def test_statistics_by_category_and_team_count_on_time_at_the_deadline_hour(world: World) -> None:
    team(world, Category.TRANSPORT)
    on_time = order(world, filed_at=T0)
    late = order(world, filed_at=T0)
    open_overdue = order(world, category=Category.TRANSPORT, filed_at=T0)
    withdrawn = order(world, filed_at=T0)
    for o in (on_time, late):
        services.work_order_dispatch(order=o, actor=leader(world), assignee=worker(world), now=T0)
    due = on_time.matter.due_at
    services.work_order_finish(order=on_time, actor=worker(world), result="好", now=due)
    services.work_order_finish(
        order=late, actor=worker(world), result="好", now=due + dt.timedelta(hours=1)
    )
    services.work_order_cancel(order=withdrawn, actor=world.user(Role.STAFF), reason="自行解决")
    services.work_order_rate(order=on_time, actor=world.user(Role.STAFF), rating=5)
    services.work_order_rate(order=late, actor=world.user(Role.STAFF), rating=2)
    stats = selectors.statistics(WorkOrder.objects.all(), now=due + dt.timedelta(hours=2))
    total = stats["total"]
    assert (total["total"], total["finished"], total["cancelled"]) == (4, 2, 1)
    assert total["on_time_rate"] == 50.0
    assert total["mean_hours"] == 24.5
    assert total["mean_rating"] == 3.5
    assert total["overdue_open"] == 1
    by_cat = {r["name"]: r for r in stats["by_category"]}
    assert by_cat["运送"]["overdue_open"] == 1 if "运送" in by_cat else by_cat["Transport"]
    assert {r["name"] for r in stats["by_team"]} == {on_time.team.name, open_overdue.team.name}


def test_visibility_requester_team_head_and_desk_but_not_another_department(
    world: World,
) -> None:
    o = order(world, filed_at=T0)
    assert selectors.work_orders_visible_to(world.user(Role.STAFF)).filter(pk=o.pk).exists()
    assert selectors.work_orders_visible_to(worker(world)).filter(pk=o.pk).exists()
    assert (
        selectors.work_orders_visible_to(world.user(Role.DEPARTMENT_HEAD)).filter(pk=o.pk).exists()
    )
    assert (
        selectors.work_orders_visible_to(world.user(Role.PRESIDENT_OFFICE)).filter(pk=o.pk).exists()
    )
    assert (
        not selectors.work_orders_visible_to(world.user(Role.BRANCH_SECRETARY))
        .filter(pk=o.pk)
        .exists()
    )
    assert not selectors.work_orders_visible_to(world.user(Role.PARTY_OFFICE)).exists()


def test_a_bad_phone_number_is_refused(world: World) -> None:
    team(world)
    with pytest.raises(ValidationError) as exc:
        order(world, contact_phone="138abc")
    assert "contact_phone" in exc.value.message_dict
