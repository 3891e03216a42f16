"""The outreach part of the small demo hospital."""

from __future__ import annotations

import datetime as dt

import pytest

from hongfan.demo import extensions
from hongfan.demo.services import demo_seed
from hongfan.outreach import selectors
from hongfan.outreach.models import Activity, Deployment, EmergencyCall, Honour
from hongfan.scoring.models import LedgerEvent

pytestmark = pytest.mark.django_db


def test_the_small_demo_has_two_years_of_outreach_honours_and_a_deployment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    only_mine = {k: v for k, v in extensions._REGISTRY.items() if k == "outreach"}
    monkeypatch.setattr(extensions, "_REGISTRY", only_mine)
    today = dt.date(2026, 11, 23)
    result = demo_seed(size="small", seed=1, today=today)
    assert result.extra_counts["outreach activities"] >= 20
    years = {d.year for d in Activity.objects.dates("held_on", "year")}
    assert years == {2025, 2026}
    assert not Activity.objects.filter(held_on__gt=today).exists()
    assert len(set(Activity.objects.values_list("kind", flat=True))) >= 5
    totals = selectors.outreach_totals(dt.date(2025, 1, 1), today)
    assert totals["people_served"] > 1000
    assert totals["member_times"] > 0
    assert Honour.objects.filter(holder=Honour.Holder.PERSON).exists()
    assert Honour.objects.filter(holder=Honour.Holder.HOSPITAL).exists()
    call = EmergencyCall.objects.get()
    assert call.temporary_branch is not None and call.temporary_branch.is_temporary
    assert Deployment.objects.count() >= 6
    assert call.pledges.count() > Deployment.objects.count()
    assert (
        LedgerEvent.objects.filter(rule__code="outreach.volunteer_hours").count()
        == (totals["staff_times"])
    )
