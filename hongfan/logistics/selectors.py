"""Reads of the logistics service: scoped work orders, teams, statistics by category and team."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from hongfan.accounts.roles import Cap
from hongfan.logistics.models import Category, ServiceTeam, WorkOrder
from hongfan.loops.services import headed_department_ids


def work_orders_visible_to(user: Any) -> QuerySet[WorkOrder]:
    """The service desk sees every order; others their own, their team's, their departments'."""
    qs = WorkOrder.objects.all()
    if not user.is_authenticated:
        return qs.none()
    if user.has_capability(Cap.LOGISTICS_MANAGE):
        return qs
    cond = Q(requester=user) | Q(assignee=user) | Q(team__leader=user) | Q(team__members=user)
    heads = headed_department_ids(user)  # a department head follows their departments' orders
    if heads:
        cond |= Q(department_id__in=heads)
    return qs.filter(pk__in=WorkOrder.objects.filter(cond).values("pk"))


def teams_for_worker(user: Any) -> QuerySet[ServiceTeam]:
    return ServiceTeam.objects.filter(Q(leader=user) | Q(members=user)).distinct()


def work_order_list(qs: QuerySet[WorkOrder], filters: dict[str, str]) -> QuerySet[WorkOrder]:
    now = timezone.now()
    if q := filters.get("q"):
        qs = qs.filter(
            Q(number__icontains=q)
            | Q(title__icontains=q)
            | Q(location__icontains=q)
            | Q(requester__staff__name__icontains=q)
        )
    if c := filters.get("category"):
        qs = qs.filter(category=c)
    if t := filters.get("team"):
        qs = qs.filter(team_id=t) if t.isdigit() else qs.none()
    if s := filters.get("state"):
        qs = qs.filter(matter__state=s)
    if filters.get("overdue") == "1":
        qs = qs.filter(matter__closed_at__isnull=True, matter__due_at__lt=now)
    if m := filters.get("month"):
        try:
            first = dt.datetime.strptime(m, "%Y-%m")
        except ValueError:
            return qs.none()
        start = timezone.make_aware(first)
        end = timezone.make_aware((first + dt.timedelta(days=32)).replace(day=1))
        qs = qs.filter(filed_at__gte=start, filed_at__lt=end)
    return qs.select_related(
        "team", "matter__type", "requester__staff", "assignee__staff", "department"
    )


def _hours(a: dt.datetime, b: dt.datetime) -> float:
    return (b - a).total_seconds() / 3600


def statistics(qs: QuerySet[WorkOrder], *, now: dt.datetime | None = None) -> dict[str, Any]:
    """Counts, on-time rate, mean handling hours and mean rating by category and by team.

    An order is on time when it was finished by its deadline (exactly at the deadline counts
    as on time); handling time runs from filing to finishing. Withdrawn orders are counted
    but take no part in the rates.
    """
    now = now or timezone.now()
    rows = qs.values_list(
        "category",
        "team__name",
        "matter__state",
        "matter__opened_at",
        "matter__closed_at",
        "matter__due_at",
        "matter__feedback_rating",
    )
    by: dict[str, dict[tuple[str, ...], dict[str, Any]]] = {
        "category": defaultdict(_bucket),
        "team": defaultdict(_bucket),
    }
    total = _bucket()
    labels = dict(Category.choices)
    for cat, team, state, opened, closed, due, rating in rows.iterator():
        for b in (by["category"][(str(labels.get(cat, cat)),)], by["team"][(team,)], total):
            b["total"] += 1
            if state == "cancelled":
                b["cancelled"] += 1
                continue
            if closed is not None:
                b["finished"] += 1
                b["on_time"] += closed <= due
                b["hours"] += _hours(opened, closed)
            elif due is not None and due < now:
                b["overdue_open"] += 1
            else:
                b["open"] += 1
            if rating:
                b["ratings"] += 1
                b["rating_sum"] += rating
    return {
        "total": _finish(total),
        "by_category": [dict(_finish(v), name=k[0]) for k, v in sorted(by["category"].items())],
        "by_team": [dict(_finish(v), name=k[0]) for k, v in sorted(by["team"].items())],
    }


def _bucket() -> dict[str, Any]:
    return {
        "total": 0,
        "cancelled": 0,
        "finished": 0,
        "on_time": 0,
        "hours": 0.0,
        "overdue_open": 0,
        "open": 0,
        "ratings": 0,
        "rating_sum": 0,
    }


def _finish(b: dict[str, Any]) -> dict[str, Any]:
    done = b["finished"]
    return {
        **b,
        "on_time_rate": round(100 * b["on_time"] / done, 1) if done else None,
        "mean_hours": round(b["hours"] / done, 1) if done else None,
        "mean_rating": round(b["rating_sum"] / b["ratings"], 2) if b["ratings"] else None,
    }
