"""The integrity part of the small demo hospital: a year of work."""

from __future__ import annotations

import datetime as dt

import pytest

from hongfan.demo import extensions
from hongfan.demo.services import demo_seed
from hongfan.integrity.models import (
    EnvelopeEntry,
    FamilyEvent,
    ReminderCampaign,
    ReminderReceipt,
    Report,
    RiskPoint,
    SelfCheck,
    Signature,
)
from hongfan.scoring.models import LedgerEvent

pytestmark = pytest.mark.django_db


def test_the_small_demo_has_a_year_of_integrity_work(monkeypatch: pytest.MonkeyPatch) -> None:
    only_mine = {k: v for k, v in extensions._REGISTRY.items() if k == "integrity"}
    monkeypatch.setattr(extensions, "_REGISTRY", only_mine)
    result = demo_seed(size="small", seed=1, today=dt.date(2026, 11, 23))
    counts = result.extra_counts
    assert counts["risk points"] == RiskPoint.objects.count() == 8
    # Letters signed level by level, most but not all.
    signed = Signature.objects.filter(signed_at__isnull=False).count()
    assert 0.8 * Signature.objects.count() < signed < Signature.objects.count()
    # Letters for the 2026 festivals up to the demo date, sent, mostly read.
    festivals = set(ReminderCampaign.objects.values_list("festival_on", flat=True))
    assert dt.date(2026, 9, 25) in festivals and dt.date(2026, 2, 17) in festivals
    assert not ReminderCampaign.objects.filter(status="draft").exists()
    read = ReminderReceipt.objects.filter(read_at__isnull=False).count()
    assert 0.7 * ReminderReceipt.objects.count() < read < ReminderReceipt.objects.count()
    assert SelfCheck.objects.filter(matter__isnull=False).count() == 1
    # Confirmed envelopes earned ethics events; talks held and open; a few reports.
    confirmed = EnvelopeEntry.objects.filter(status="confirmed").count()
    assert (
        confirmed
        and LedgerEvent.objects.filter(rule__code="integrity.envelope_returned").count()
        == confirmed
    )
    assert FamilyEvent.objects.filter(talk_at__isnull=False).exists()
    assert FamilyEvent.objects.filter(talk_at__isnull=True).exists()
    assert Report.objects.count() == 3
    assert Report.objects.filter(matter__state="concluded").count() == 1
