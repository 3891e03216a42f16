"""The clinical part of the small demo hospital: a year of prescriptions, screened and reviewed."""

from __future__ import annotations

import datetime as dt

import pytest

from hongfan.clinical.models import (
    ClinicalWarning,
    Finding,
    IndicatorValue,
    ReviewSample,
    SampleItem,
)
from hongfan.core import analytics
from hongfan.demo import extensions
from hongfan.demo.services import demo_seed

pytestmark = pytest.mark.django_db


def test_the_small_demo_has_a_year_of_screened_prescriptions_samples_and_warnings(
    monkeypatch,
) -> None:
    only_mine = {k: v for k, v in extensions._REGISTRY.items() if k == "clinical"}
    monkeypatch.setattr(extensions, "_REGISTRY", only_mine)
    result = demo_seed(size="small", seed=1, today=dt.date(2026, 11, 23))
    counts = result.extra_counts
    assert analytics.partitions("prescriptions")[0] == "2025-11"
    assert len(analytics.partitions("prescriptions")) == 12
    assert counts["clinical prescriptions"] > 6000
    assert set(IndicatorValue.objects.values_list("month", flat=True)) == set(
        analytics.partitions("prescriptions")
    )
    assert Finding.objects.filter(status=Finding.Status.CONFIRMED).exists()
    assert Finding.objects.filter(status=Finding.Status.OVERRIDDEN).exists()
    assert ReviewSample.objects.count() == 8
    assert SampleItem.objects.filter(
        status=SampleItem.Status.PENDING
    ).exists()  # the latest month waits
    assert ClinicalWarning.objects.filter(matter__closed_at__isnull=False).exists()
    assert ClinicalWarning.objects.filter(matter__closed_at__isnull=True).exists()
