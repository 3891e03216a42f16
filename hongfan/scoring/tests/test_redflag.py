"""The department red flag: weights, missing figures, ranking, the holder, the selector."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from hongfan.scoring import indicators, selectors, services
from hongfan.scoring.models import RedFlagComponent, RedFlagRound

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 2, 10)


@pytest.fixture
def registry(monkeypatch):
    monkeypatch.setattr(indicators, "_REGISTRY", {})
    return indicators


def test_components_nobody_provides_are_shown_as_not_connected_not_zero(world, registry):
    services.record_event(
        code="voice.praise.department", subject=world.dept_a1, occurred_on=DAY, key="p"
    )
    rnd = services.red_flag_compute(institution=world.hospital, year=2026, quarter=1)
    connected = {w["key"]: w["connected"] for w in rnd.weights}
    assert connected == {
        "satisfaction": False,
        "complaints": False,
        "ethics": True,
        "integrity": True,
        "prescribing": False,
    }
    scores = {s.department_id: s for s in rnd.scores.all()}
    assert scores[world.dept_a1.pk].rank == 1
    assert "satisfaction" not in scores[world.dept_a1.pk].components


def test_a_missing_figure_is_counted_as_missing_and_the_score_uses_the_other_weights(
    world, registry
):
    def satisfaction(start, end, ids):
        data = {world.dept_a1.pk: Decimal("96"), world.dept_a2.pk: None, world.dept_b1.pk: 90}
        return {k: v for k, v in data.items() if ids is None or k in ids}

    registry.register("voice.satisfaction", "满意度", satisfaction, unit="%")
    # 消化内科 has the best ledger record but no satisfaction figure.
    services.record_event(
        code="voice.praise.department", subject=world.dept_a2, occurred_on=DAY, key="p"
    )
    rows = selectors.red_flag_scores((2026, 1), institution=world.hospital)
    a2 = rows[world.dept_a2.pk]
    assert a2.components["satisfaction"]["value"] is None
    assert a2.missing == 1
    # Its score is its ledger components only (100 on each), not dragged to 0 by the gap.
    assert a2.score == Decimal("100.00")
    a1, b1 = rows[world.dept_a1.pk], rows[world.dept_b1.pk]
    # 心内科: satisfaction 100 (best) × 30, ethics 0 × 20, integrity 100 × 15 → 65 weight.
    assert a1.components["satisfaction"]["normalised"] == "100.00"
    assert b1.components["satisfaction"]["normalised"] == "0.00"
    assert a1.score == Decimal("69.23")  # (30×100 + 20×0 + 15×100) / 65
    assert b1.score == Decimal("23.08")  # (30×0 + 20×0 + 15×100) / 65


def test_a_lower_is_better_indicator_is_inverted_and_weights_are_configurable(world, registry):
    def complaints(start, end, ids):
        return {world.dept_a1.pk: Decimal("0"), world.dept_a2.pk: 4, world.dept_b1.pk: 2}

    registry.register("voice.complaints_verified", "核实投诉", complaints, higher_is_better=False)
    services.red_flag_components_ensure()
    RedFlagComponent.objects.exclude(key="complaints").update(weight=0)
    rows = selectors.red_flag_scores("2026-Q1", institution=world.hospital)
    assert rows[world.dept_a1.pk].score == Decimal("100.00")
    assert rows[world.dept_b1.pk].score == Decimal("50.00")
    assert rows[world.dept_a2.pk].score == Decimal("0.00")
    assert [rows[d.pk].rank for d in (world.dept_a1, world.dept_b1, world.dept_a2)] == [1, 2, 3]


def test_clinical_indicators_are_averaged_each_in_its_own_direction(world, registry):
    registry.register(
        "clinical.antibiotic_rate",
        "抗菌药物使用率",
        lambda s, e, ids: {world.dept_a1.pk: 10, world.dept_a2.pk: 30, world.dept_b1.pk: 20},
        higher_is_better=False,
    )
    registry.register(
        "clinical.essential_drugs",
        "基本药物占比",
        lambda s, e, ids: {world.dept_a1.pk: 50, world.dept_a2.pk: 70, world.dept_b1.pk: 60},
    )
    services.red_flag_components_ensure()
    RedFlagComponent.objects.exclude(key="prescribing").update(weight=0)
    rows = selectors.red_flag_scores((2026, 1), institution=world.hospital)
    assert rows[world.dept_a1.pk].components["prescribing"]["normalised"] == "50.00"
    assert rows[world.dept_b1.pk].score == Decimal("50.00")


def test_the_flag_goes_to_the_top_department_and_ties_need_a_choice(world, registry):
    rnd = services.red_flag_compute(institution=world.hospital, year=2026, quarter=1)
    assert rnd.scores.filter(rank=1).count() == 3  # no events: all equal
    with pytest.raises(ValidationError):
        services.red_flag_award(rnd=rnd)
    with pytest.raises(ValidationError):
        services.red_flag_award(rnd=rnd, department_id=world.dept_a2.pk)  # no reason
    services.red_flag_award(rnd=rnd, department_id=world.dept_a2.pk, note="满意度调查第一")
    rnd.refresh_from_db()
    assert rnd.holder == world.dept_a2 and rnd.status == RedFlagRound.Status.AWARDED
    assert selectors.red_flag_scores(rnd)[world.dept_a2.pk].is_holder
    with pytest.raises(ValidationError):
        services.red_flag_compute(institution=world.hospital, year=2026, quarter=1)


def test_ledger_components_are_per_staff_member_and_confirmed_only(world, registry):
    services.red_flag_components_ensure()
    RedFlagComponent.objects.exclude(key="integrity").update(weight=0)
    services.record_event(
        code="integrity.envelope_returned",
        subject=world.staff["plain_b1"],
        occurred_on=DAY,
        key="e",
    )
    services.record_event(  # pending: does not count
        code="integrity.violation", subject=world.staff["plain_a1"], occurred_on=DAY, key="v"
    )
    rnd = services.red_flag_compute(institution=world.hospital, year=2026, quarter=1)
    by = {s.department_id: s for s in rnd.scores.all()}
    # 普外科 has 3 staff: +2 / 3 = 0.67 per head.
    assert by[world.dept_b1.pk].components["integrity"]["value"] == "0.67"
    assert by[world.dept_a1.pk].components["integrity"]["value"] == "0.00"
    assert by[world.dept_b1.pk].rank == 1


def test_a_quarter_that_has_not_started_is_refused(world, registry):
    with pytest.raises(ValidationError):
        services.red_flag_compute(institution=world.hospital, year=2099, quarter=1)
    assert not RedFlagRound.objects.exists()
