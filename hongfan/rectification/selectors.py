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
        closed=Count(
            "problems__tasks", filter=Q(**{f"{t}__closed_at__isnull": False}), distinct=True
        ),
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
    ).order_by(
        "problem__inspection__conducted_on", "problem__inspection_id", "problem__number", "pk"
    )


def ledger(
    qs: QuerySet[Task], filters: dict[str, str], now: dt.datetime | None = None
) -> QuerySet[Task]:
    """The 整改台账: filter tasks (inspection, department, state, open/closed, overdue, search)
    and annotate the latest progress note and the evidence count (constant queries)."""
    from django.db.models import Subquery, TextField, Value
    from django.db.models.functions import Coalesce, NullIf

    from hongfan.loops.models import Evidence, MatterEvent

    now = now or timezone.now()
    if filters.get("inspection", "").isdigit():
        qs = qs.filter(problem__inspection_id=int(filters["inspection"]))
    if filters.get("department", "").isdigit():
        qs = qs.filter(matter__owner_department_id=int(filters["department"]))
    if filters.get("state"):
        qs = qs.filter(matter__state=filters["state"])
    if filters.get("status") == "open":
        qs = qs.filter(matter__closed_at__isnull=True)
    elif filters.get("status") == "closed":
        qs = qs.filter(matter__closed_at__isnull=False)
    if filters.get("overdue"):
        qs = qs.filter(matter__closed_at__isnull=True, matter__due_at__lt=now)
    if filters.get("q"):
        term = filters["q"]
        qs = qs.filter(
            Q(problem__description__icontains=term)
            | Q(measures__icontains=term)
            | Q(matter__owner__staff__name__icontains=term)
        )
    # The latest thing someone wrote: a note on a step, or the note of evidence given with it.
    evidence_note = (
        Evidence.objects.filter(event_id=OuterRef("pk")).exclude(note="").order_by("pk")
    ).values("note")[:1]
    latest_note = (
        MatterEvent.objects.filter(matter_id=OuterRef("matter_id"))
        .annotate(
            text=Coalesce(
                NullIf("note", Value("")), Subquery(evidence_note), output_field=TextField()
            )
        )
        .filter(text__isnull=False)
        .order_by("-at", "-pk")
        .values("text")[:1]
    )
    evidence = (
        Evidence.objects.filter(matter_id=OuterRef("matter_id"))
        .order_by()
        .values("matter_id")
        .annotate(n=Count("pk"))
        .values("n")[:1]
    )
    return ledger_rows(qs).annotate(
        progress_note=Subquery(latest_note), evidence_count=Subquery(evidence)
    )


def task_state_counts(qs: QuerySet[Task]) -> dict[str, int]:
    rows = qs.order_by().values("matter__state").annotate(n=Count("pk"))
    return {r["matter__state"]: r["n"] for r in rows}


def overdue_tasks(qs: QuerySet[Task], now: dt.datetime | None = None) -> QuerySet[Task]:
    now = now or timezone.now()
    return ledger_rows(qs.filter(matter__closed_at__isnull=True, matter__due_at__lt=now)).order_by(
        "matter__due_at", "pk"
    )


def due_soon_tasks(
    qs: QuerySet[Task], now: dt.datetime | None = None, days: int = 7
) -> QuerySet[Task]:
    now = now or timezone.now()
    return ledger_rows(
        qs.filter(
            matter__closed_at__isnull=True,
            matter__due_at__gte=now,
            matter__due_at__lt=now + dt.timedelta(days=days),
        )
    ).order_by("matter__due_at", "pk")
