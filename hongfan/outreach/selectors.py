"""Reads of outreach, honours and mobilisation.

Scoped reads go through ``activities_visible_to``, ``honours_visible_to``,
``calls_visible_to`` and ``deployments_visible_to``. The totals functions
(``outreach_totals``, ``honours_in``, ``deployment_totals``) are the figures the leadership
cockpit and the generated reports read (docs/apps/outreach.md): they take a period and
optional organisation / department filters and apply no user scope themselves — the caller
passes the ids of the user's scope.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.utils import timezone

from hongfan.accounts.roles import Cap
from hongfan.outreach.models import (
    Activity,
    Deployment,
    EmergencyCall,
    Honour,
    Participant,
    Pledge,
    TaskTeam,
)

ZERO = Decimal("0")


# --- Scoped reads -------------------------------------------------------------------------


def activities_visible_to(user: Any) -> QuerySet[Activity]:
    """Return the activities ``user`` may see.

    Hospital-wide holders of ``outreach.view`` see all; a branch secretary those organised by
    their branch (and its groups) or involving its bound departments; a department head those
    involving their departments; anyone the activities they took part in.
    """
    if user is None or not user.is_authenticated:
        return Activity.objects.none()
    scope = user.scope
    if scope.hospital_wide and user.has_capability(Cap.OUTREACH_VIEW):
        return Activity.objects.all()
    q = Q(pk__in=[])
    if user.has_capability(Cap.OUTREACH_VIEW):
        if scope.organisation_ids:
            q |= Q(organisation_id__in=scope.organisation_ids)
        if scope.department_ids:
            q |= Q(
                pk__in=Activity.departments.through.objects.filter(
                    department_id__in=scope.department_ids
                ).values("activity_id")
            )
    if scope.staff_id:
        q |= Exists(Participant.objects.filter(activity_id=OuterRef("pk"), staff_id=scope.staff_id))
    return Activity.objects.filter(q)


def honours_visible_to(user: Any) -> QuerySet[Honour]:
    """Return the honours register: public recognition, open to everyone signed in."""
    if user is None or not user.is_authenticated:
        return Honour.objects.none()
    return Honour.objects.all()


def calls_visible_to(user: Any) -> QuerySet[EmergencyCall]:
    """Every signed-in staff member sees the calls for volunteers (they answer them)."""
    if user is None or not user.is_authenticated:
        return EmergencyCall.objects.none()
    return EmergencyCall.objects.all()


def deployments_visible_to(user: Any) -> QuerySet[Deployment]:
    """Return deployments: all for mobilisation managers and hospital-wide viewers; a
    secretary's or head's people for them; one's own for anyone."""
    if user is None or not user.is_authenticated:
        return Deployment.objects.none()
    scope = user.scope
    if user.has_capability(Cap.MOBILISATION_MANAGE) or (
        scope.hospital_wide and user.has_capability(Cap.OUTREACH_VIEW)
    ):
        return Deployment.objects.all()
    q = Q(pk__in=[])
    if user.has_capability(Cap.OUTREACH_VIEW):
        if scope.organisation_ids:
            q |= Q(staff__party_member__organisation_id__in=scope.organisation_ids)
        if scope.department_ids:
            q |= Q(staff__department_id__in=scope.department_ids)
    if scope.staff_id:
        q |= Q(staff_id=scope.staff_id)
    return Deployment.objects.filter(q)


def pledges_visible_to(user: Any) -> QuerySet[Pledge]:
    """Signed pledges: all for mobilisation managers, otherwise one's own."""
    if user is None or not user.is_authenticated:
        return Pledge.objects.none()
    if user.has_capability(Cap.MOBILISATION_MANAGE):
        return Pledge.objects.all()
    return Pledge.objects.filter(staff_id=user.scope.staff_id or 0)


# --- Lists --------------------------------------------------------------------------------


def activity_filter(qs: QuerySet[Activity], filters: dict[str, str]) -> QuerySet[Activity]:
    """Apply the list filters (search, type, branch, department, date range)."""
    if filters.get("q"):
        term = filters["q"]
        qs = qs.filter(
            Q(title__icontains=term)
            | Q(place__icontains=term)
            | Q(partners__icontains=term)
            | Q(
                pk__in=Participant.objects.filter(staff__name__icontains=term).values("activity_id")
            )
        )
    if filters.get("kind") in Activity.Kind.values:
        qs = qs.filter(kind=filters["kind"])
    if filters.get("branch", "").isdigit():
        qs = qs.filter(organisation_id=int(filters["branch"]))
    if filters.get("department", "").isdigit():
        qs = qs.filter(
            pk__in=Activity.departments.through.objects.filter(
                department_id=int(filters["department"])
            ).values("activity_id")
        )
    start, end = _date(filters.get("start")), _date(filters.get("end"))
    if start:
        qs = qs.filter(held_on__gte=start)
    if end:
        qs = qs.filter(held_on__lte=end)
    return qs


def activity_list(qs: QuerySet[Activity], filters: dict[str, str]) -> QuerySet[Activity]:
    """The filtered activities with their branch and participant counts (one query)."""
    return (
        activity_filter(qs, filters)
        .select_related("organisation")
        .annotate(
            staff_count=Count("participants", distinct=True),
            member_count=Count(
                "participants", filter=Q(participants__is_member=True), distinct=True
            ),
        )
    )


def activity_sums(qs: QuerySet[Activity]) -> dict[str, Any]:
    """Sums of the counts of ``qs`` (no joins, so nothing is counted twice)."""
    sums = qs.order_by().aggregate(
        activities=Count("pk"),
        people_served=Sum("people_served"),
        examinations=Sum("examinations"),
        materials=Sum("materials"),
        fees_waived=Sum("fees_waived"),
    )
    return {k: v or 0 for k, v in sums.items()}


def _date(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


def honour_list(qs: QuerySet[Honour], filters: dict[str, str]) -> QuerySet[Honour]:
    if filters.get("q"):
        term = filters["q"]
        qs = qs.filter(
            Q(title__icontains=term)
            | Q(staff__name__icontains=term)
            | Q(organisation__name__icontains=term)
            | Q(awarded_by__icontains=term)
            | Q(document_no__icontains=term)
        )
    if filters.get("level") in Honour.Level.values:
        qs = qs.filter(level=filters["level"])
    if filters.get("holder") in Honour.Holder.values:
        qs = qs.filter(holder=filters["holder"])
    if filters.get("year", "").isdigit():
        qs = qs.filter(awarded_on__year=int(filters["year"]))
    if filters.get("revoked") != "1":
        qs = qs.filter(revoked_on__isnull=True)
    return qs.select_related("institution", "organisation", "staff__department")


# --- Figures for the cockpit and the reports ----------------------------------------------


def _activities_in(
    start: dt.date,
    end: dt.date,
    organisation_ids: Iterable[int] | None,
    department_ids: Iterable[int] | None,
) -> QuerySet[Activity]:
    qs = Activity.objects.filter(held_on__gte=start, held_on__lte=end)
    if organisation_ids is not None:
        qs = qs.filter(organisation_id__in=list(organisation_ids))
    if department_ids is not None:
        qs = qs.filter(
            pk__in=Activity.departments.through.objects.filter(
                department_id__in=list(department_ids)
            ).values("activity_id")
        )
    return qs


def _empty_totals() -> dict[str, Any]:
    return {
        "activities": 0,
        "people_served": 0,
        "examinations": 0,
        "materials": 0,
        "fees_waived": ZERO,
        "staff_times": 0,
        "member_times": 0,
        "hours": ZERO,
    }


def outreach_totals(
    start: dt.date,
    end: dt.date,
    *,
    organisation_ids: Iterable[int] | None = None,
    department_ids: Iterable[int] | None = None,
) -> dict[str, Any]:
    """Return the outreach figures of activities held from ``start`` to ``end`` (inclusive).

    Keys: ``activities``, ``people_served`` (人次), ``examinations``, ``materials``,
    ``fees_waived`` (Decimal yuan), ``staff_times`` (participations, 人次), ``member_times``
    (of which by Party members), ``hours`` (Decimal volunteer hours = Σ hours × participants)
    and ``by_type``: ``{kind: {"label", same keys}}`` for every type with activities.
    ``organisation_ids`` filters on the organising branch (pass descendants yourself);
    ``department_ids`` keeps activities involving any of those departments. Three queries.
    """
    qs = _activities_in(start, end, organisation_ids, department_ids)
    labels = dict(Activity.Kind.choices)
    totals = _empty_totals()
    by_type: dict[str, dict[str, Any]] = {}
    rows = (
        qs.order_by()
        .values("kind")
        .annotate(
            n=Count("pk"),
            people=Sum("people_served"),
            exams=Sum("examinations"),
            mats=Sum("materials"),
            fees=Sum("fees_waived"),
        )
    )
    for r in rows:
        entry = _empty_totals()
        entry.update(
            label=str(labels.get(r["kind"], r["kind"])),
            activities=r["n"],
            people_served=r["people"] or 0,
            examinations=r["exams"] or 0,
            materials=r["mats"] or 0,
            fees_waived=r["fees"] or ZERO,
        )
        by_type[r["kind"]] = entry
    part_rows = (
        Participant.objects.filter(activity__in=qs.values("pk"))
        .order_by()
        .values("activity__kind")
        .annotate(
            n=Count("pk"),
            members=Count("pk", filter=Q(is_member=True)),
            hours=Sum("activity__hours"),
        )
    )
    for r in part_rows:
        entry = by_type[r["activity__kind"]]
        entry.update(staff_times=r["n"], member_times=r["members"], hours=r["hours"] or ZERO)
    for entry in by_type.values():
        for key in totals:
            totals[key] += entry[key]
    totals["by_type"] = {k: by_type[k] for k in Activity.Kind.values if k in by_type}
    return totals


def outreach_totals_by(
    start: dt.date,
    end: dt.date,
    *,
    by: str,
    organisation_ids: Iterable[int] | None = None,
    department_ids: Iterable[int] | None = None,
) -> list[dict[str, Any]]:
    """Return outreach figures per organising branch (``by="organisation"``) or per
    department (``by="department"``; an activity of two departments counts for both),
    largest number of people served first."""
    qs = _activities_in(start, end, organisation_ids, department_ids)
    if by == "organisation":
        key, name = "organisation_id", "organisation__name"
        base = qs
        part = Participant.objects.filter(activity__in=qs.values("pk"))
        part_key = "activity__organisation_id"
    elif by == "department":
        through = Activity.departments.through
        base = None
        rows = (
            through.objects.filter(activity__in=qs.values("pk"))
            .order_by()
            .values("department_id", "department__name")
            .annotate(
                n=Count("activity_id"),
                people=Sum("activity__people_served"),
                exams=Sum("activity__examinations"),
                mats=Sum("activity__materials"),
                fees=Sum("activity__fees_waived"),
            )
        )
        key, name = "department_id", "department__name"
        part = Participant.objects.filter(activity__in=qs.values("pk"))
        part_key = "staff__department_id"
    else:
        raise ValueError(f"unknown grouping {by!r}")
    if base is not None:
        rows = (
            base.order_by()
            .values(key, name)
            .annotate(
                n=Count("pk"),
                people=Sum("people_served"),
                exams=Sum("examinations"),
                mats=Sum("materials"),
                fees=Sum("fees_waived"),
            )
        )
    parts = {
        r[part_key]: r
        for r in part.order_by()
        .values(part_key)
        .annotate(
            n=Count("pk"),
            members=Count("pk", filter=Q(is_member=True)),
            hours=Sum("activity__hours"),
        )
    }
    result = []
    for r in rows:
        p = parts.get(r[key], {})
        result.append(
            {
                "id": r[key],
                "name": r[name],
                "activities": r["n"],
                "people_served": r["people"] or 0,
                "examinations": r["exams"] or 0,
                "materials": r["mats"] or 0,
                "fees_waived": r["fees"] or ZERO,
                "staff_times": p.get("n", 0),
                "member_times": p.get("members", 0),
                "hours": p.get("hours") or ZERO,
            }
        )
    result.sort(key=lambda x: (-x["people_served"], x["name"] or ""))
    return result


def honours_in(
    start: dt.date,
    end: dt.date,
    *,
    organisation_ids: Iterable[int] | None = None,
    department_ids: Iterable[int] | None = None,
    levels: Iterable[str] | None = None,
) -> QuerySet[Honour]:
    """Return the honours awarded from ``start`` to ``end`` and not revoked.

    Without filters every honour (hospital, branches, people). With ``organisation_ids`` and/or
    ``department_ids``: the honours of those organisations and of people who are members there
    or work in those departments (hospital-level honours are then left out).
    """
    qs = Honour.objects.filter(awarded_on__gte=start, awarded_on__lte=end, revoked_on__isnull=True)
    if organisation_ids is not None or department_ids is not None:
        q = Q(pk__in=[])
        if organisation_ids is not None:
            ids = list(organisation_ids)
            q |= Q(organisation_id__in=ids) | Q(staff__party_member__organisation_id__in=ids)
        if department_ids is not None:
            q |= Q(staff__department_id__in=list(department_ids))
        qs = qs.filter(q)
    if levels is not None:
        qs = qs.filter(level__in=list(levels))
    return qs.select_related("institution", "organisation", "staff__department").order_by(
        "-awarded_on", "-id"
    )


def honour_counts(qs: QuerySet[Honour]) -> dict[str, dict[str, int]]:
    """Honours per level and holder: ``{level: {holder: n, "total": n}}`` (one query)."""
    out: dict[str, dict[str, int]] = {
        lvl: {h: 0 for h in [*Honour.Holder.values, "total"]} for lvl in Honour.Level.values
    }
    for r in qs.order_by().values("level", "holder").annotate(n=Count("pk")):
        out[r["level"]][r["holder"]] = r["n"]
        out[r["level"]]["total"] += r["n"]
    return out


def deployment_totals(
    start: dt.date,
    end: dt.date,
    *,
    organisation_ids: Iterable[int] | None = None,
    department_ids: Iterable[int] | None = None,
    call_ids: Iterable[int] | None = None,
    today: dt.date | None = None,
) -> dict[str, Any]:
    """Return mobilisation figures for ``start`` … ``end``.

    Keys: ``calls`` (issued in the period), ``pledges`` (signed in the period) and
    ``members_pledged``, ``deployments`` (overlapping the period), ``people_deployed``
    (distinct staff), ``members_deployed``, ``person_days`` (days inside the period; an
    open-ended deployment counts up to today), ``teams`` and ``temporary_branches`` (of the
    calls with deployments in the period). ``organisation_ids`` selects people by their Party
    branch, ``department_ids`` by department (either matches).
    """
    today = today or timezone.localdate()
    people_q = Q()
    if organisation_ids is not None or department_ids is not None:
        people_q = Q(pk__in=[])
        if organisation_ids is not None:
            people_q |= Q(staff__party_member__organisation_id__in=list(organisation_ids))
        if department_ids is not None:
            people_q |= Q(staff__department_id__in=list(department_ids))
    deps = Deployment.objects.filter(people_q, starts_on__lte=end).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=start)
    )
    pledges = Pledge.objects.filter(people_q, signed_at__date__gte=start, signed_at__date__lte=end)
    calls = EmergencyCall.objects.filter(issued_on__gte=start, issued_on__lte=end)
    if call_ids is not None:
        ids = list(call_ids)
        deps, pledges, calls = (
            deps.filter(call_id__in=ids),
            pledges.filter(call_id__in=ids),
            calls.filter(pk__in=ids),
        )
    rows = list(deps.values_list("call_id", "staff_id", "is_member", "starts_on", "ends_on"))
    person_days = 0
    for _call, _staff, _member, s, e in rows:
        last = min(e or min(today, end), end)
        first = max(s, start)
        if last >= first:
            person_days += (last - first).days + 1
    call_set = {r[0] for r in rows}
    pledge_counts = pledges.aggregate(n=Count("pk"), members=Count("pk", filter=Q(is_member=True)))
    return {
        "calls": calls.count(),
        "pledges": pledge_counts["n"],
        "members_pledged": pledge_counts["members"],
        "deployments": len(rows),
        "people_deployed": len({r[1] for r in rows}),
        "members_deployed": len({r[1] for r in rows if r[2]}),
        "person_days": person_days,
        "teams": TaskTeam.objects.filter(call_id__in=call_set).count() if call_set else 0,
        "temporary_branches": EmergencyCall.objects.filter(
            pk__in=call_set, temporary_branch__isnull=False
        ).count()
        if call_set
        else 0,
    }


def year_choices(qs: QuerySet[Any], field: str) -> list[int]:
    return sorted({d.year for d in qs.order_by().dates(field, "year")}, reverse=True)
