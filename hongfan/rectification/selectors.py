"""Reads of rectification, scoped through the loops visibility rules."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from hongfan.accounts.roles import Cap
from hongfan.loops.selectors import matters_visible_to
from hongfan.rectification.models import Inspection, Task


def tasks_visible_to(user: Any) -> QuerySet[Task]:
    """The Party office sees every task; owners their own; department heads their department's."""
    if user is None or not user.is_authenticated:
        return Task.objects.none()
    if user.has_capability(Cap.RECTIFICATION_MANAGE):
        return Task.objects.all()
    return Task.objects.filter(matter__in=matters_visible_to(user))


def inspections_visible_to(user: Any) -> QuerySet[Inspection]:
    if user is None or not user.is_authenticated:
        return Inspection.objects.none()
    if user.has_capability(Cap.RECTIFICATION_MANAGE):
        return Inspection.objects.all()
    return Inspection.objects.filter(
        Exists(tasks_visible_to(user).filter(problem__inspection=OuterRef("pk")))
    )


def with_progress(qs: QuerySet[Inspection], now: dt.datetime | None = None) -> QuerySet[Inspection]:
    """Annotate total / closed / overdue tasks (one query for any number of inspections)."""
    now = now or timezone.now()
    t = "problems__tasks__matter"
    return qs.annotate(
        total=Count("problems__tasks", distinct=True),
        closed=Count("problems__tasks", filter=Q(**{f"{t}__closed_at__isnull": False}), distinct=True),
        overdue=Count(
            "problems__tasks",
            filter=Q(**{f"{t}__closed_at__isnull": True, f"{t}__due_at__lt": now}),
            distinct=True,
        ),
    )


def ledger_rows(qs: QuerySet[Task]) -> QuerySet[Task]:
    return qs.select_related(
        "problem__inspection",
        "problem__department",
        "matter__type",
        "matter__owner__staff",
        "matter__owner_department",
    ).order_by("problem__inspection__conducted_on", "problem__inspection_id", "problem__number", "pk")
