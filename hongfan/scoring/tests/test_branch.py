"""Branch star ratings: automatic items from organisational life and learning, the 5-star quota."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from hongfan.scoring import services
from hongfan.scoring.tests.helpers import branch_period, rate

pytestmark = pytest.mark.django_db


def _assessors(period, **totals):
    for a in period.assessments.select_related("organisation"):
        rate(a, totals.get(a.organisation.code, "60"), stage="institution")


def test_organisational_life_compliance_fills_its_item_automatically(world, monkeypatch):
    from hongfan.scoring import services as svc

    def rates(period, org_ids):
        return {
            world.branch_a.pk: {"orglife": (Decimal("0.8"), "8/10"), "learning": (Decimal(1), "")},
            world.branch_b.pk: {"orglife": (None, "0/0"), "learning": (Decimal("0.5"), "")},
        }

    monkeypatch.setattr(svc, "_branch_rates", rates)
    period = branch_period(world)
    _assessors(period, P01="60", P02="60")
    services.period_grade(period=period)
    a = period.assessments.get(organisation=world.branch_a)
    b = period.assessments.get(organisation=world.branch_b)
    assert a.breakdown["B2"] == "20.00"  # 25 × 80 %
    assert a.breakdown["B3"] == "15.00"
    assert a.score == Decimal("95.00")
    assert b.breakdown["B2"] == "0.00"  # no requirement yet: no points, shown as such
    assert b.score == Decimal("67.50")
    # Two branches leave ⌊2 × 30 %⌋ = 0 five-star places: 95 points give four stars.
    assert a.computed_grade.name == "四星"
    assert (a.grade.name, b.grade.name) == ("四星", "二星")


def test_the_real_compliance_matrix_and_coverage_are_read(world):
    from hongfan.orglife import services as orglife

    orglife.default_rules_ensure()
    period = branch_period(world)
    _assessors(period)
    services.period_grade(period=period)
    a = period.assessments.get(organisation=world.branch_a)
    # Nothing was held in 2026 in the test world: compliance 0, learning coverage 0.
    assert a.breakdown["B2"] == "0.00"
    assert a.breakdown["B3"] == "0.00"
    assert a.grade.name == "二星"


def test_the_five_star_quota_holds_at_30_percent(world, monkeypatch):
    from hongfan.scoring import services as svc

    full = {"orglife": (Decimal(1), ""), "learning": (Decimal(1), "")}
    monkeypatch.setattr(svc, "_branch_rates", lambda p, ids: {i: full for i in ids})
    period = branch_period(world)  # two branches: ⌊2 × 30 %⌋ = 0 five-star places
    _assessors(period, P01="60", P02="55")
    services.period_grade(period=period)
    grades = {a.organisation.code: a.grade.name for a in period.assessments.all()}
    assert grades == {"P01": "四星", "P02": "四星"}


def test_assessors_cannot_give_points_outside_an_item_range(world):
    period = branch_period(world)
    a = period.assessments.get(organisation=world.branch_a)
    b1 = period.scorecard.items.get(code="B1")
    with pytest.raises(ValidationError) as exc:
        services.institution_review_submit(assessment=a, points={b1.pk: "11"}, comment="")
    assert "B1" not in str(exc.value) and "10" in str(exc.value)
    assert not a.scores.exists()


def test_an_item_cannot_change_while_a_period_of_its_card_runs(world):
    period = branch_period(world)
    item = period.scorecard.items.get(code="B1")
    item.max_points = 20
    with pytest.raises(ValidationError):
        services.item_save(item=item)


def test_periods_cover_only_branches_existing_then(world):
    from hongfan.party.models import PartyOrganisation

    PartyOrganisation.objects.filter(pk=world.branch_b.pk).update(
        established_on=dt.date(2027, 1, 1)
    )
    period = branch_period(world)
    assert list(period.assessments.values_list("organisation__code", flat=True)) == ["P01"]
