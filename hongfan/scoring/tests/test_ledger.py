"""The ledger interface that source modules use (docs/apps/scoring.md)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from hongfan.scoring import selectors, services
from hongfan.scoring.models import EventRule, LedgerEvent

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 3, 2)


def test_the_same_source_event_recorded_twice_counts_once(world):
    staff = world.staff["plain_a1"]
    source = world.dept_a1  # any saved record will do as a source
    first = services.record_event(
        code="voice.praise", subject=staff, occurred_on=DAY, source=source
    )
    again = services.record_event(
        code="voice.praise", subject=staff, occurred_on=DAY, source=source, summary="再次"
    )
    assert again.pk == first.pk
    assert LedgerEvent.objects.count() == 1
    assert selectors.total_points(selectors.events_for_staff(staff.pk)) == Decimal("2")


def test_one_source_may_score_several_people(world):
    source = world.dept_a1
    for key in ("plain_a1", "head_a1"):
        services.record_event(
            code="voice.complaint_verified",
            subject=world.staff[key],
            occurred_on=DAY,
            source=source,
        )
    assert LedgerEvent.objects.filter(points=Decimal("-3")).count() == 2


def test_points_scale_with_quantity_and_the_rule_row_wins_over_the_catalogue(world):
    staff = world.staff["plain_a1"]
    event = services.record_event(
        code="outreach.volunteer_hours", subject=staff, occurred_on=DAY, key="a", quantity=3
    )
    assert event.points == Decimal("1.50")
    EventRule.objects.filter(code="outreach.volunteer_hours").update(points=Decimal("1"))
    event = services.record_event(
        code="outreach.volunteer_hours", subject=staff, occurred_on=DAY, key="b", quantity=3
    )
    assert event.points == Decimal("3.00")


def test_a_code_for_a_department_refuses_a_person(world):
    with pytest.raises(ValidationError, match=r"concerns|对象应为"):
        services.record_event(
            code="voice.praise.department",
            subject=world.staff["plain_a1"],
            occurred_on=DAY,
            key="x",
        )


def test_an_unknown_code_is_refused(world):
    with pytest.raises(ValidationError):
        services.record_event(
            code="voice.nothing", subject=world.staff["plain_a1"], occurred_on=DAY, key="x"
        )


def test_a_veto_starts_pending_and_counts_only_once_confirmed(world):
    staff = world.staff["plain_a1"]
    event = services.record_event(code="integrity.veto", subject=staff, occurred_on=DAY, key="v")
    assert event.status == LedgerEvent.Status.PENDING and event.is_veto
    assert selectors.total_points(selectors.events_for_staff(staff.pk)) == 0
    services.set_event_status(event=event, status=LedgerEvent.Status.CONFIRMED)
    assert selectors.total_points(selectors.events_for_staff(staff.pk)) == Decimal("-30")


def test_voiding_by_source_needs_a_reason_and_stops_the_event_counting(world):
    staff = world.staff["plain_a1"]
    source = world.dept_b1
    services.record_event(
        code="voice.complaint_verified", subject=staff, occurred_on=DAY, source=source
    )
    with pytest.raises(ValidationError):
        services.void_events_for_source(source=source, reason=" ")
    assert services.void_events_for_source(source=source, reason="核实不属实") == 1
    assert selectors.total_points(selectors.events_for_staff(staff.pk)) == 0
    # Recording it again does not resurrect it: the voided event is the same event.
    again = services.record_event(
        code="voice.complaint_verified", subject=staff, occurred_on=DAY, source=source
    )
    assert again.status == LedgerEvent.Status.VOIDED
