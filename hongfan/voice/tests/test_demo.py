"""The patient voice part of the small demo hospital."""

from __future__ import annotations

import datetime as dt

import pytest

from hongfan.demo import extensions
from hongfan.demo.services import demo_seed
from hongfan.voice import selectors
from hongfan.voice.models import Contact, FollowUp, ReceptionDay, Response, Wish

pytestmark = pytest.mark.django_db


def test_the_small_demo_has_a_year_of_patient_voice(monkeypatch: pytest.MonkeyPatch) -> None:
    only_mine = {k: v for k, v in extensions._REGISTRY.items() if k == "voice"}
    monkeypatch.setattr(extensions, "_REGISTRY", only_mine)
    today = dt.date(2026, 11, 23)
    demo_seed(size="small", seed=1, today=today)
    kinds = set(Contact.objects.values_list("kind", flat=True))
    assert kinds == set(Contact.Kind.values)
    first = Contact.objects.order_by("received_at").first()
    assert (today - first.received_at.date()).days >= 360
    stats = selectors.complaint_stats(today - dt.timedelta(days=365), today)
    assert stats["overdue_open"] > 0
    assert stats["on_time_rate"] is not None and 70 < stats["on_time_rate"] < 100
    assert len(stats["by_department"]) >= 4
    assert Response.objects.count() > 400
    summary = selectors.satisfaction_summary(today - dt.timedelta(days=365), today)
    assert not summary["suppressed"]
    assert FollowUp.objects.filter(status="completed").exists()
    assert FollowUp.objects.filter(status="pending").exists()
    assert ReceptionDay.objects.filter(status="held").exists()
    assert ReceptionDay.objects.filter(status="planned").exists()
    assert Wish.objects.filter(fulfilled_at__isnull=False).exists()
