"""The dues part of the demo hospital: a year's ledger with members in arrears."""

from __future__ import annotations

import datetime as dt

import pytest

from hongfan.demo.extensions import DemoContext
from hongfan.demo.services import demo_seed
from hongfan.dues import demo
from hongfan.dues.models import DuesAssessment, DuesPayment
from hongfan.dues.selectors import arrears
from hongfan.party.models import PartyMember

TODAY = dt.date(2026, 11, 23)


@pytest.mark.django_db
def test_the_demo_ledger_covers_a_year_with_members_at_3_and_5_months() -> None:
    demo_seed(size="small", seed=1, today=TODAY, modules=False)
    ctx = DemoContext(size="small", seed=1, today=TODAY, office_user=None)
    counts = demo.seed(ctx)
    assert counts["dues assessments"] == DuesAssessment.objects.count() > 100
    months = set(DuesAssessment.objects.values_list("month", flat=True))
    assert len(months) == 12 and max(months) == dt.date(2026, 11, 1)
    assert not DuesAssessment.objects.filter(organisation__is_temporary=True).exists()
    runs = {a.months for a in arrears(as_of=TODAY)}
    assert {3, 5} <= runs and max(runs) < 6
    for p in DuesPayment.objects.all()[:50]:
        assert p.paid_on <= TODAY
        assert p.assessments.count() == (p.last_month.month - p.first_month.month) % 12 + 1
    probationary = PartyMember.objects.filter(category="probationary").first()
    if probationary:
        first = DuesAssessment.objects.filter(member=probationary).order_by("month").first()
        assert first is None or first.month >= probationary.joined_on.replace(day=1)
