"""Helpers for the assessment tests: a 医德考评 period at a chosen stage, scores by total."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from hongfan.scoring import services
from hongfan.scoring.models import Assessment, AssessmentPeriod, ItemScore, Scorecard

YEAR_START, YEAR_END = dt.date(2026, 1, 1), dt.date(2026, 12, 31)


def ethics_period(world, status: str = AssessmentPeriod.Status.INSTITUTION) -> AssessmentPeriod:
    services.scorecard_defaults_ensure()
    card = Scorecard.objects.get(code="ETHICS")
    period = services.period_create(
        institution=world.hospital,
        scorecard=card,
        name="2026年度医德考评",
        start=YEAR_START,
        end=YEAR_END,
    )
    AssessmentPeriod.objects.filter(pk=period.pk).update(status=status)
    period.refresh_from_db()
    return period


def branch_period(world, status: str = AssessmentPeriod.Status.INSTITUTION) -> AssessmentPeriod:
    services.scorecard_defaults_ensure()
    card = Scorecard.objects.get(code="BRANCH-STAR")
    period = services.period_create(
        institution=world.hospital,
        scorecard=card,
        name="2026年度党支部星级评定",
        start=YEAR_START,
        end=YEAR_END,
    )
    AssessmentPeriod.objects.filter(pk=period.pk).update(status=status)
    period.refresh_from_db()
    return period


def rate(assessment: Assessment, total: Decimal | str, stage: str = "department", **extra) -> None:
    """Give the rated items ``total`` points together (filled in order), plus ``extra`` by code."""
    remaining = Decimal(str(total))
    for item in assessment.period.scorecard.items.all():
        if item.code in extra:
            points = Decimal(str(extra[item.code]))
        elif item.kind == "rated" and item.source == "manual":
            points = min(item.max_points, remaining)
            remaining -= points
        else:
            continue
        ItemScore.objects.update_or_create(
            assessment=assessment,
            item=item,
            stage=stage,
            defaults={"points": points, "evidence": "依据" if points else ""},
        )
    if stage == "department":
        Assessment.objects.filter(pk=assessment.pk).update(department_submitted_at=timezone.now())


def rate_all(period: AssessmentPeriod, total: Decimal | str = "85") -> None:
    for a in period.assessments.all():
        rate(a, total)
