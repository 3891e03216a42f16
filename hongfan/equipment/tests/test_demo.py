"""The equipment part of the small demo hospital."""

from __future__ import annotations

import datetime as dt

import pytest

from hongfan.demo import extensions
from hongfan.demo.services import demo_seed
from hongfan.equipment.models import AdverseEvent, Device, Maintenance, QualityCheck, Revenue

pytestmark = pytest.mark.django_db


def test_the_small_demo_has_fifty_devices_with_their_history(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    only_mine = {k: v for k, v in extensions._REGISTRY.items() if k == "equipment"}
    monkeypatch.setattr(extensions, "_REGISTRY", only_mine)
    result = demo_seed(size="small", seed=1, today=dt.date(2026, 11, 23))
    assert result.extra_counts["devices"] == Device.objects.count() == 50
    assert Device.objects.filter(status=Device.Status.SCRAPPED).count() == 1
    assert Device.objects.filter(status=Device.Status.UNDER_REPAIR).exists()
    assert AdverseEvent.objects.count() == 1
    assert QualityCheck.objects.filter(result=QualityCheck.Result.FAILED).count() == 1
    # Devices have their maintenance history, none dated before the purchase.
    assert Device.objects.filter(maintenance__isnull=False).distinct().count() >= 45
    for d in Device.objects.prefetch_related("maintenance"):
        assert all(m.done_on >= d.purchased_on for m in d.maintenance.all())
    assert Maintenance.objects.filter(kind=Maintenance.Kind.REPAIR).exists()
    assert Revenue.objects.exists()
