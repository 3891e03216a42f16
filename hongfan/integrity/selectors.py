"""Reads of the integrity app; every scoped read goes through a ``*_visible_to`` function."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet

from hongfan.accounts.roles import Cap
from hongfan.integrity.models import (
    CodeAcknowledgement,
    EducationSession,
    EnvelopeEntry,
    FamilyEvent,
    Report,
    Signature,
)
from hongfan.org.models import Department, Staff


def _is_office(user: Any) -> bool:
    return bool(user.is_authenticated and user.has_capability(Cap.INTEGRITY_MANAGE))


def _reads_all(user: Any) -> bool:
    return bool(
        user.is_authenticated
        and (user.has_capability(Cap.INTEGRITY_MANAGE) or user.has_capability(Cap.INTEGRITY_VIEW))
    )


def reports_visible_to(user: Any) -> QuerySet[Report]:
    """Only holders of ``loops.integrity`` (the discipline office) read reports."""
    if user is None or not user.is_authenticated or not user.has_capability(Cap.LOOPS_INTEGRITY):
        return Report.objects.none()
    return Report.objects.all()


def envelopes_visible_to(user: Any) -> QuerySet[EnvelopeEntry]:
    """The office sees every entry; a staff member their own."""
    if user is None or not user.is_authenticated:
        return EnvelopeEntry.objects.none()
    if _is_office(user):
        return EnvelopeEntry.objects.all()
    return EnvelopeEntry.objects.filter(staff_id=user.scope.staff_id or -1)


def family_events_visible_to(user: Any) -> QuerySet[FamilyEvent]:
    """The office sees all; the superior (head of the department, or the talk's owner) and the
    staff member see theirs."""
    if user is None or not user.is_authenticated:
        return FamilyEvent.objects.none()
    if _is_office(user):
        return FamilyEvent.objects.all()
    scope = user.scope
    q = Q(staff_id=scope.staff_id or -1) | Q(matter__owner_id=user.pk)
    staff = getattr(user, "staff", None)
    if staff is not None and staff.is_department_head:
        q |= Q(department_id=staff.department_id)
    return FamilyEvent.objects.filter(q)


def sessions_visible_to(user: Any) -> QuerySet[EducationSession]:
    if user is None or not _reads_all(user):
        return EducationSession.objects.none()
    return EducationSession.objects.all()


def signatures_visible_to(user: Any) -> QuerySet[Signature]:
    if user is None or not user.is_authenticated:
        return Signature.objects.none()
    if _reads_all(user):
        return Signature.objects.all()
    return Signature.objects.filter(staff_id=user.scope.staff_id or -1)


def completion_by_department(rows: QuerySet[Any], done: Q) -> list[dict[str, Any]]:
    """Per department: total rows, rows matching ``done``, rate (one query)."""
    agg = (
        rows.order_by()
        .values("department_id", "department__name")
        .annotate(total=Count("pk"), done=Count("pk", filter=done))
        .order_by("department__name")
    )
    out = []
    for r in agg:
        rate = round(100 * r["done"] / r["total"], 1) if r["total"] else 0.0
        out.append({"department": r["department__name"], **r, "rate": rate})
    return out


def totals(rows: list[dict[str, Any]]) -> dict[str, Any]:
    total = sum(r["total"] for r in rows)
    done = sum(r["done"] for r in rows)
    return {"total": total, "done": done, "rate": round(100 * done / total, 1) if total else 0.0}


def staff_coverage(done_staff: QuerySet[Any]) -> list[dict[str, Any]]:
    """Per department: staff in post, staff in ``done_staff`` (a values list of staff ids)."""
    agg = (
        Staff.objects.filter(employment_status=Staff.EmploymentStatus.IN_POST)
        .order_by()
        .values("department_id", "department__name")
        .annotate(
            total=Count("pk", distinct=True),
            done=Count("pk", filter=Q(pk__in=done_staff), distinct=True),
        )
        .order_by("department__name")
    )
    return [
        {
            "department": r["department__name"],
            **r,
            "rate": round(100 * r["done"] / r["total"], 1) if r["total"] else 0.0,
        }
        for r in agg
    ]


def education_coverage(year: int) -> list[dict[str, Any]]:
    attended = EducationSession.attendees.through.objects.filter(
        educationsession__held_on__year=year
    ).values("staff_id")
    return staff_coverage(attended)


def code_coverage(document_id: int) -> list[dict[str, Any]]:
    acked = CodeAcknowledgement.objects.filter(document_id=document_id).values("staff_id")
    return staff_coverage(acked)


def departments() -> QuerySet[Department]:
    return Department.objects.filter(is_active=True).order_by("code")
