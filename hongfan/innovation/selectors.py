"""Reads of innovation projects; every scoped read goes through ``projects_visible_to``."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from hongfan.accounts.roles import Cap
from hongfan.innovation.models import Project, Report, TeamMember


def projects_visible_to(user: Any) -> QuerySet[Project]:
    """Return the projects ``user`` may see.

    Hospital-wide holders of ``innovation.view`` see every project; a branch secretary sees the
    projects of their branch (and its groups) or of the departments bound to it; a department
    head those of their departments; anyone sees the projects they lead or are on the team of.
    """
    if user is None or not user.is_authenticated:
        return Project.objects.none()
    scope = user.scope
    if scope.hospital_wide and (
        user.has_capability(Cap.INNOVATION_VIEW) or user.has_capability(Cap.INNOVATION_MANAGE)
    ):
        return Project.objects.all()
    q = Q(pk__in=[])
    if user.has_capability(Cap.INNOVATION_VIEW):
        if scope.organisation_ids:
            q |= Q(organisation_id__in=scope.organisation_ids)
        if scope.department_ids:
            q |= Q(department_id__in=scope.department_ids)
    if scope.staff_id:
        q |= Q(leader_id=scope.staff_id) | Exists(
            TeamMember.objects.filter(project_id=OuterRef("pk"), staff_id=scope.staff_id)
        )
    return Project.objects.filter(q)


def project_list(qs: QuerySet[Project], filters: dict[str, str]) -> QuerySet[Project]:
    """Apply the list filters (search, stage, branch, year, result) and the row joins."""
    if filters.get("q"):
        term = filters["q"]
        qs = qs.filter(
            Q(title__icontains=term)
            | Q(code__icontains=term)
            | Q(leader__name__icontains=term)
            | Q(goals__icontains=term)
        )
    if filters.get("stage"):
        qs = qs.filter(stage=filters["stage"])
    if filters.get("branch", "").isdigit():
        qs = qs.filter(organisation_id=int(filters["branch"]))
    if filters.get("year", "").isdigit():
        qs = qs.filter(started_on__year=int(filters["year"]))
    if filters.get("result"):
        qs = qs.filter(result=filters["result"])
    return qs.select_related(
        "organisation", "department", "leader", "mentor__member__staff"
    ).annotate(
        team_size=Count("team", distinct=True),
    )


def report_counts(
    project_ids: list[int], today: dt.date | None = None
) -> dict[int, dict[str, int]]:
    """Return per project: reports due so far, submitted, overdue (one query)."""
    today = today or timezone.localdate()
    rows = (
        Report.objects.filter(project_id__in=project_ids)
        .values("project_id")
        .annotate(
            due=Count("pk", filter=Q(due_on__lte=today)),
            submitted=Count("pk", filter=Q(submitted_at__isnull=False)),
            overdue=Count("pk", filter=Q(due_on__lt=today, submitted_at__isnull=True)),
        )
    )
    return {r["project_id"]: r for r in rows}


def stage_counts(qs: QuerySet[Project]) -> dict[str, int]:
    """Projects per stage (one query)."""
    rows = qs.order_by().values("stage").annotate(n=Count("pk"))
    return {r["stage"]: r["n"] for r in rows}


def year_choices(qs: QuerySet[Project]) -> list[int]:
    return sorted({d.year for d in qs.order_by().dates("started_on", "year")}, reverse=True)
