"""The development part of the demo hospital: candidates at every stage."""

from __future__ import annotations

import datetime as dt

import pytest

from hongfan.demo.extensions import DemoContext
from hongfan.demo.services import demo_seed
from hongfan.development import demo
from hongfan.development.models import Candidate, StepRecord
from hongfan.development.selectors import development_alerts
from hongfan.party.models import PartyMember

TODAY = dt.date(2026, 11, 23)


@pytest.mark.django_db
def test_the_demo_has_candidates_at_every_stage_recorded_by_the_rules() -> None:
    demo_seed(size="small", seed=1, today=TODAY, modules=False)
    counts = demo.seed(DemoContext(size="small", seed=1, today=TODAY, office_user=None))
    assert counts["development candidates"] == Candidate.objects.count() >= 13
    active = Candidate.objects.filter(status=Candidate.Status.ACTIVE)
    assert set(active.values_list("current_stage__order", flat=True)) == {1, 2, 3, 4, 5}
    assert Candidate.objects.filter(status=Candidate.Status.COMPLETED).exists()
    assert not StepRecord.objects.filter(date__gt=TODAY).exists()
    completed = Candidate.objects.filter(status=Candidate.Status.COMPLETED).first()
    assert completed.member.category == PartyMember.Category.FULL
    assert development_alerts(today=TODAY)
