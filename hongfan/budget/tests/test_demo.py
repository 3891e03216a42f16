"""The budget part of the small demo hospital."""

from __future__ import annotations

import datetime as dt

import pytest

from hongfan.budget.models import Adjustment, BudgetLine, Expense
from hongfan.demo import extensions
from hongfan.demo.services import demo_seed

pytestmark = pytest.mark.django_db


def test_the_small_demo_has_a_year_of_budget(monkeypatch: pytest.MonkeyPatch) -> None:
    only_mine = {k: v for k, v in extensions._REGISTRY.items() if k == "budget"}
    monkeypatch.setattr(extensions, "_REGISTRY", only_mine)
    result = demo_seed(size="small", seed=1, today=dt.date(2026, 11, 23))
    lines = BudgetLine.objects.filter(year=2026)
    assert result.extra_counts["budget lines"] == lines.count() > 20
    assert set(lines.values_list("level", flat=True)) == set(BudgetLine.Level.values)
    assert set(lines.values_list("category", flat=True)) == set(BudgetLine.Category.values)
    # Monthly spending from January to the reference month.
    months = {d.month for d in Expense.objects.dates("paid_on", "month")}
    assert months == set(range(1, 12))
    # Without the decisions demo the 三重一大 lines wait for their decision.
    major = lines.filter(amount__gte=500000)
    assert major.exists() and not major.filter(status=BudgetLine.Status.APPROVED).exists()
    assert lines.filter(status=BudgetLine.Status.SUBMITTED).exists()
    statuses = set(Adjustment.objects.values_list("status", flat=True))
    assert statuses == {Adjustment.Status.APPLIED, Adjustment.Status.PENDING}
    # Last year's compressed lines cap this year's.
    for ln in lines.filter(category=BudgetLine.Category.COMPRESSED):
        prev = BudgetLine.objects.get(year=2025, code=ln.code)
        assert ln.amount <= prev.amount
