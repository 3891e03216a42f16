"""The learning part of the demo hospital."""

from __future__ import annotations

import datetime as dt

import pytest

from hongfan.demo.extensions import DemoContext
from hongfan.demo.services import demo_seed
from hongfan.learning import demo
from hongfan.learning.models import BranchBrand, ContestAttempt, StudyActivity
from hongfan.learning.selectors import contests_open, coverage
from hongfan.party.models import PartyMember

TODAY = dt.date(2026, 11, 23)


@pytest.mark.django_db
def test_the_demo_has_a_year_of_study_an_open_contest_with_answers_and_brands() -> None:
    demo_seed(size="small", seed=1, today=TODAY, modules=False)
    counts = demo.seed(DemoContext(size="small", seed=1, today=TODAY, office_user=None))
    assert counts["study activities"] == StudyActivity.objects.count() > 20
    assert not StudyActivity.objects.filter(held_on__gt=TODAY).exists()
    _rows, total = coverage(PartyMember.objects.filter(status="normal"), 2026)
    assert 50 < total.rate < 100
    (open_contest,) = contests_open(TODAY)
    attempts = ContestAttempt.objects.filter(contest=open_contest)
    assert attempts.exists()
    assert all(a.score <= a.max_score == 100 for a in attempts)
    assert 0 < BranchBrand.objects.count() < 8
