"""Reads of the scoring ledger."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import QuerySet, Sum

from hongfan.scoring.models import LedgerEvent


def events_for_source(source: models.Model) -> QuerySet[LedgerEvent]:
    ct = ContentType.objects.get_for_model(source, for_concrete_model=False)
    return LedgerEvent.objects.filter(source_type=ct, source_id=source.pk).select_related("rule")


def events_for_staff(
    staff_id: int, *, start: dt.date | None = None, end: dt.date | None = None
) -> QuerySet[LedgerEvent]:
    qs = LedgerEvent.objects.filter(staff_id=staff_id).select_related("rule")
    if start:
        qs = qs.filter(occurred_on__gte=start)
    if end:
        qs = qs.filter(occurred_on__lte=end)
    return qs


def total_points(qs: QuerySet[LedgerEvent]) -> Decimal:
    """The sum of the confirmed events' points in ``qs``."""
    value = qs.filter(status=LedgerEvent.Status.CONFIRMED).aggregate(s=Sum("points"))["s"]
    return value or Decimal("0")
