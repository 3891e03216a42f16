"""The decisions part of the demo hospital: a year of meetings and supervised resolutions."""

from __future__ import annotations

import datetime as dt

import pytest

from hongfan.decisions.models import AgendaItem, Meeting, MeetingKind, Resolution
from hongfan.demo import extensions
from hongfan.demo.services import demo_seed
from hongfan.loops.models import Matter

TODAY = dt.date(2026, 11, 20)


@pytest.fixture
def only_decisions(monkeypatch: pytest.MonkeyPatch) -> None:
    """Run the foundation and this module's extension only (keeps the test fast)."""
    mine = {k: v for k, v in extensions._REGISTRY.items() if k == "decisions"}
    monkeypatch.setattr(extensions, "_REGISTRY", mine)


@pytest.mark.django_db
def test_the_small_demo_has_a_year_of_meetings_and_a_mix_of_resolution_matters(
    only_decisions: None,
) -> None:
    result = demo_seed(size="small", seed=1, today=TODAY)
    meetings = Meeting.objects.all()
    kinds = set(meetings.values_list("kind", flat=True))
    assert kinds == {MeetingKind.PARTY_COMMITTEE, MeetingKind.PRESIDENT_OFFICE}
    first, last = meetings.order_by("held_on")[0].held_on, meetings.order_by("-held_on")[0].held_on
    assert (last - first).days > 200 and last < TODAY
    assert result.extra_counts["decision meetings"] == meetings.count()
    # Every 三重一大 item was finally decided by the Party committee, never by the office alone.
    major = AgendaItem.objects.exclude(category=AgendaItem.Category.ORDINARY)
    assert major.exists()
    assert not major.filter(
        meeting_kind=MeetingKind.PRESIDENT_OFFICE, decision__in=["passed", "rejected"]
    ).exists()
    assert major.filter(referred_item__isnull=False, decision="passed").exists()
    # Each resolution is a matter; the mix has closed on time, closed late, open and escalated.
    resolutions = Resolution.objects.all()
    assert resolutions.count() == Matter.objects.filter(type__code="resolution").count() > 10
    matters = list(Matter.objects.filter(type__code="resolution"))
    closed = [m for m in matters if m.closed_at]
    assert any(m.closed_at <= m.due_at for m in closed)
    assert any(m.closed_at > m.due_at for m in closed)
    assert any(m.closed_at is None and m.escalation_level > 0 for m in matters)
    assert any(m.closed_at is None and m.escalation_level == 0 for m in matters)
    assert resolutions.filter(is_published=True).exists()
    assert all(m.minutes for m in meetings)
