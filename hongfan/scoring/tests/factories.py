"""Records for the permission matrix and view tests (created once per world)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from hongfan.scoring import services
from hongfan.scoring.models import (
    Appeal,
    Assessment,
    AssessmentPeriod,
    LedgerEvent,
    RedFlagRound,
    Scorecard,
)
from hongfan.scoring.tests.helpers import branch_period, ethics_period


def published_ethics_period(w) -> AssessmentPeriod:
    existing = AssessmentPeriod.objects.filter(
        institution=w.hospital, scorecard__purpose=Scorecard.Purpose.ETHICS
    ).first()
    if existing:
        return existing
    period = ethics_period(w, AssessmentPeriod.Status.PUBLISHED)
    good = period.scorecard.bands.get(code="good")
    period.assessments.update(score=85, grade=good, computed_grade=good, rank=1)
    AssessmentPeriod.objects.filter(pk=period.pk).update(
        published_at=timezone.now(), appeal_until=timezone.now() + dt.timedelta(days=3)
    )
    period.refresh_from_db()
    return period


def assessment_of(w, key: str) -> Assessment:
    return published_ethics_period(w).assessments.get(staff=w.staff[key])


def branch_rating_period(w) -> AssessmentPeriod:
    existing = AssessmentPeriod.objects.filter(
        institution=w.hospital, scorecard__purpose=Scorecard.Purpose.BRANCH
    ).first()
    return existing or branch_period(w)


def branch_assessment(w, branch) -> Assessment:
    return branch_rating_period(w).assessments.get(organisation=branch)


def appeal_for(w) -> Appeal:
    a = assessment_of(w, "plain_a1")
    appeal = a.appeals.first()
    if appeal is None:
        appeal = Appeal.objects.create(
            assessment=a,
            filed_by=w.user("staff"),
            filed_at=timezone.now(),
            reason="扣分所依据的投诉不属实，请复核。",
            grade_before=a.grade,
        )
    return appeal


def event_for(w, key: str = "plain_a1") -> LedgerEvent:
    return services.record_event(
        code="integrity.violation",
        subject=w.staff[key],
        occurred_on=dt.date(2026, 3, 2),
        key="matrix",
        summary="违规收受礼品",
    )


def round_for(w) -> RedFlagRound:
    existing = RedFlagRound.objects.filter(institution=w.hospital).first()
    return existing or services.red_flag_compute(institution=w.hospital, year=2026, quarter=1)
