"""The department indicator registry that source modules fill."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hongfan.scoring import indicators


def test_a_registered_provider_answers_for_the_departments_asked(monkeypatch):
    monkeypatch.setattr(indicators, "_REGISTRY", {})

    def provider(start, end, ids):
        data = {1: Decimal("91.5"), 2: None, 3: Decimal("70")}
        return {k: v for k, v in data.items() if ids is None or k in ids}

    indicators.register("test.satisfaction", "满意度", provider, unit="%")
    got = indicators.department_values(
        "test.satisfaction",
        start=dt.date(2026, 1, 1),
        end=dt.date(2026, 3, 31),
        department_ids=[1, 2],
    )
    assert got == {1: Decimal("91.5"), 2: None}
    assert [i.key for i in indicators.available()] == ["test.satisfaction"]


def test_an_indicator_nobody_provides_gives_no_figures():
    assert (
        indicators.department_values(
            "nobody.provides", start=dt.date(2026, 1, 1), end=dt.date(2026, 3, 31)
        )
        == {}
    )
