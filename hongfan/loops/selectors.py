"""Reads of matters. Every scoped read goes through ``matters_visible_to(user)``."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from typing import Any

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone

from hongfan.loops.models import Matter, MatterType
from hongfan.loops.services import headed_department_ids
from hongfan.workdays.services import working_days_between


def types_visible_to(user: Any) -> QuerySet[MatterType]:
    caps = list(getattr(user, "capabilities", ()))
    return MatterType.objects.filter(
        Q(visibility=MatterType.Visibility.NORMAL) | Q(restricted_capability__in=caps)
    )


def supervised_types(user: Any) -> QuerySet[MatterType]:
    """Types whose matters ``user`` supervises (sees all of, acts on as the office)."""
    caps = list(getattr(user, "capabilities", ()))
    return types_visible_to(user).filter(supervisor_capability__in=caps)


def matters_visible_to(user: Any) -> QuerySet[Matter]:
    """Return the matters ``user`` may see.

    The originator, the owner, participants, heads of the owner department (or of a
    department involved) and holders of the type's supervising capability see a matter;
    restricted types (integrity reports) are seen only by holders of their capability.
    """
    if user is None or not user.is_authenticated:
        return Matter.objects.none()
    caps = list(user.capabilities)
    type_ok = Q(type__visibility=MatterType.Visibility.NORMAL) | Q(
        type__restricted_capability__in=caps
    )
    heads = headed_department_ids(user)
    through = Matter.participants.through
    dept_through = Matter.participant_departments.through
    personal = (
        Q(originator=user)
        | Q(owner=user)
        | Exists(through.objects.filter(matter_id=OuterRef("pk"), user_id=user.pk))
        | Q(type__supervisor_capability__in=caps)
    )
    if heads:
        personal |= (
            Q(owner_department_id__in=heads)
            | Q(owner__staff__department_id__in=heads)
            | Exists(dept_through.objects.filter(matter_id=OuterRef("pk"), department_id__in=heads))
        )
    return Matter.objects.filter(type_ok & personal)


def overdue_q(now: dt.datetime | None = None) -> Q:
    return Q(closed_at__isnull=True, due_at__lt=now or timezone.now())


def inbox(user: Any, tab: str, now: dt.datetime | None = None) -> QuerySet[Matter]:
    """The "my matters" lists: owned, originated, participating, overdue."""
    qs = matters_visible_to(user)
    heads = headed_department_ids(user)
    owned = Q(owner=user) | Q(owner__isnull=True, owner_department_id__in=heads)
    if tab == "originated":
        qs = qs.filter(originator=user)
    elif tab == "participating":
        qs = qs.filter(
            Exists(
                Matter.participants.through.objects.filter(
                    matter_id=OuterRef("pk"), user_id=user.pk
                )
            )
        )
    elif tab == "overdue":
        # A head also sees what is overdue in their departments (escalation digests link here).
        mine = owned | Q(originator=user)
        if heads:
            mine |= Q(owner_department_id__in=heads) | Q(owner__staff__department_id__in=heads)
        qs = qs.filter(mine).filter(overdue_q(now))
    else:
        qs = qs.filter(owned)
    return qs.select_related("type", "owner__staff", "owner_department").order_by(
        "closed_at", "due_at", "pk"
    )


def board(
    user: Any,
    *,
    filters: dict[str, Any],
    now: dt.datetime | None = None,
    for_counts: bool = False,
) -> QuerySet[Matter]:
    """The supervision board's list: every matter of the types ``user`` supervises.

    ``for_counts`` returns the same rows shaped for counting (see below).
    """
    now = now or timezone.now()
    # A supervisor sees every matter of the types they supervise (see ``matters_visible_to``),
    # so the per-person visibility conditions (EXISTS on participants …) are not needed here.
    type_ids = list(supervised_types(user).values_list("pk", flat=True))
    if user is None or not user.is_authenticated or not type_ids:
        return Matter.objects.none()
    # ``type_id + 0``: a supervisor's types cover most matters, so an index on the type would
    # only force a sort of all of them; without it the planner walks the (closed_at, due_at)
    # index in the board's order and stops after one page.
    # Counting and grouping, on the contrary, read the (type, state) index alone.
    if for_counts:
        qs = Matter.objects.filter(type_id__in=type_ids)
    else:
        qs = Matter.objects.alias(type_key=F("type_id") + 0).filter(type_key__in=type_ids)
    if filters.get("type"):
        qs = qs.filter(type__code=filters["type"])
    if filters.get("department"):
        qs = qs.filter(owner_department_id=filters["department"])
    if filters.get("state"):
        qs = qs.filter(state=filters["state"])
    if filters.get("status") == "open":
        qs = qs.filter(closed_at__isnull=True)
    elif filters.get("status") == "closed":
        qs = qs.filter(closed_at__isnull=False)
    if filters.get("overdue"):
        qs = qs.filter(overdue_q(now))
    if filters.get("q"):
        qs = qs.filter(title__icontains=filters["q"])
    return qs


def board_rows(qs: QuerySet[Matter]) -> QuerySet[Matter]:
    """The board's order: open matters first (nearest deadline first), then closed ones."""
    return qs.select_related("type", "owner__staff", "owner_department").order_by(
        F("closed_at").asc(nulls_first=True), "due_at", "pk"
    )


def state_counts(qs: QuerySet[Matter]) -> list[dict[str, Any]]:
    """Matters per (type, state), one query."""
    return list(
        qs.order_by().values("type_id", "state").annotate(n=Count("pk")).order_by("type_id")
    )


def statistics(qs: QuerySet[Matter], *, now: dt.datetime | None = None) -> dict[str, Any]:
    """On-time rate, average working days to close, overdue by department, by type and month."""
    now = now or timezone.now()
    closed = list(
        qs.filter(closed_at__isnull=False).values_list("opened_at", "closed_at", "due_at")
    )
    on_time = sum(1 for _o, c, d in closed if c <= d)
    # Many matters share their opening and closing days: count each pair of days once.
    pairs = Counter(
        (timezone.localtime(o).date(), timezone.localtime(c).date()) for o, c, _d in closed
    )
    total_days = sum(working_days_between(o, c) * n for (o, c), n in pairs.items())
    by_dept = list(
        qs.filter(overdue_q(now))
        .order_by()
        # A matter owned by a person counts for that person's department.
        .annotate(department=Coalesce("owner_department__name", "owner__staff__department__name"))
        .values("department")
        .annotate(n=Count("pk"))
        .order_by("-n")[:20]
    )
    by_type_month: dict[str, dict[str, int]] = defaultdict(dict)
    months: set[str] = set()
    for row in (
        qs.order_by()
        .annotate(month=TruncMonth("opened_at"))
        .values("type__name", "month")
        .annotate(n=Count("pk"))
    ):
        label = row["month"].strftime("%Y-%m") if row["month"] else ""
        months.add(label)
        by_type_month[row["type__name"]][label] = row["n"]
    return {
        "total": qs.count(),
        "closed": len(closed),
        "on_time": on_time,
        "on_time_rate": round(100 * on_time / len(closed), 1) if closed else None,
        "avg_working_days": round(total_days / len(closed), 1) if closed else None,
        "overdue_open": qs.filter(overdue_q(now)).count(),
        "overdue_by_department": by_dept,
        "months": sorted(months),
        "by_type_month": dict(by_type_month),
    }
