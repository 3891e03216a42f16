"""The publicity part of the small demo hospital."""

from __future__ import annotations

import datetime as dt

import pytest

from hongfan.demo import extensions
from hongfan.demo.services import demo_seed
from hongfan.publicity.models import (
    Correspondent,
    CulturalActivity,
    Publication,
    Review,
    Story,
    WordMatch,
)
from hongfan.scoring.models import LedgerEvent

pytestmark = pytest.mark.django_db


def test_the_small_demo_has_a_year_of_stories_and_a_dozen_activities(monkeypatch):
    only_mine = {k: v for k, v in extensions._REGISTRY.items() if k == "publicity"}
    monkeypatch.setattr(extensions, "_REGISTRY", only_mine)
    today = dt.date(2026, 11, 23)
    result = demo_seed(size="small", seed=1, today=today)
    assert result.extra_counts["cultural activities"] >= 12
    assert Correspondent.objects.count() >= 8
    published = Story.objects.filter(status=Story.Status.PUBLISHED)
    assert published.count() >= 15
    # Stories span the year, on several platforms, with reach figures.
    days = sorted(Publication.objects.values_list("published_on", flat=True))
    assert days[0] <= today - dt.timedelta(days=300) and days[-1] <= today
    assert Publication.objects.values("platform").distinct().count() >= 5
    # Every published story passed three reviews by three different people.
    for story in published:
        reviews = list(Review.objects.filter(story=story, version=story.version, decision="pass"))
        assert [r.level for r in reviews] == [1, 2, 3]
        assert len({r.reviewer_id for r in reviews}) == 3
    # Some stories were returned once, some wait in review; every flagged word was resolved.
    assert Story.objects.filter(version__gt=1).exists()
    assert Story.objects.filter(status=Story.Status.IN_REVIEW).exists()
    assert WordMatch.objects.filter(resolution="accepted").exists()
    assert not WordMatch.objects.filter(
        story__status=Story.Status.PUBLISHED, resolution="open"
    ).exists()
    assert CulturalActivity.objects.filter(study_activity__isnull=False).exists()
    assert LedgerEvent.objects.filter(rule__code="publicity.piece_published").count() == (
        published.count()
    )
