"""The assessments part of the small demo hospital."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db.models import Count

from hongfan.demo import extensions
from hongfan.demo.services import demo_seed
from hongfan.scoring.models import (
    Appeal,
    AssessmentPeriod,
    LedgerEvent,
    RedFlagRound,
)

pytestmark = pytest.mark.django_db


def test_the_small_demo_has_a_year_of_events_a_finished_assessment_and_red_flags(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    only_mine = {k: v for k, v in extensions._REGISTRY.items() if k == "scoring"}
    monkeypatch.setattr(extensions, "_REGISTRY", only_mine)
    result = demo_seed(size="small", seed=1, today=dt.date(2026, 11, 23))
    counts = result.extra_counts
    assert counts["ledger events"] > 100
    events = LedgerEvent.objects.filter(rule__category__in=["voice", "outreach", "integrity"])
    assert events.filter(occurred_on__year=2025).dates("occurred_on", "month").count() == 12
    finished = AssessmentPeriod.objects.get(name="2025年度医德考评")
    assert finished.status == "closed"
    grades = dict(
        finished.assessments.values_list("grade__name").annotate(n=Count("id")).order_by()
    )
    assert set(grades) >= {"优秀", "良好", "较差"}
    assert grades["优秀"] <= finished.assessments.count() * 0.15
    assert Appeal.objects.filter(assessment__period=finished).count() == 2
    assert AssessmentPeriod.objects.get(name="2026年度医德考评").status == "self"
    stars = AssessmentPeriod.objects.get(scorecard__code="BRANCH-STAR")
    assert stars.status == "closed" and not stars.assessments.filter(grade__isnull=True).exists()
    flags = RedFlagRound.objects.filter(holder__isnull=False)
    assert [r.label for r in flags.order_by("year", "quarter")] == [
        "2025Q4",
        "2026Q1",
        "2026Q2",
        "2026Q3",
    ]
    # Seeding again records nothing twice (idempotent ledger keys).
    from hongfan.accounts.models import User
    from hongfan.demo.extensions import DemoContext
    from hongfan.scoring.demo import seed

    before = LedgerEvent.objects.count()
    office = User.objects.get(username="demo_office")
    seed(DemoContext(size="small", seed=1, today=dt.date(2026, 11, 23), office_user=office))
    assert LedgerEvent.objects.count() == before
