"""Reads of institutions, departments and staff, scoped through ``*_visible_to(user)``."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet

from hongfan.accounts.roles import Cap
from hongfan.core.crypto import blind_index
from hongfan.org.models import Department, Institution, Staff
from hongfan.org.validators import normalise_id_card


def _sees_all_structure(user: Any) -> bool:
    """Hospital-wide roles and structure managers (the system admin) see every unit."""
    return bool(user.scope.hospital_wide or user.has_capability(Cap.STRUCTURE_MANAGE))


def institution_visible_to(user: Any) -> QuerySet[Institution]:
    qs = Institution.objects.select_related("leading")
    if not user.is_authenticated:
        return qs.none()
    if _sees_all_structure(user):
        return qs
    scope = user.scope
    return qs.filter(
        Q(departments__id__in=scope.department_ids) | Q(staff__id=scope.staff_id or 0)
    ).distinct()


def department_visible_to(user: Any) -> QuerySet[Department]:
    qs = Department.objects.select_related("institution", "centre")
    if not user.is_authenticated:
        return qs.none()
    if _sees_all_structure(user):
        return qs
    scope = user.scope
    return qs.filter(id__in=scope.department_ids)


def staff_visible_to(user: Any) -> QuerySet[Staff]:
    """Hospital-wide roles: everyone; a branch secretary: the staff of the bound departments
    and the members of the branch (and its groups); a department head: their department;
    anyone: themselves."""
    qs = Staff.objects.all()
    if not user.is_authenticated:
        return qs.none()
    scope = user.scope
    if scope.hospital_wide:
        return qs
    cond = Q(pk=scope.staff_id) if scope.staff_id else Q(pk__in=[])
    if scope.department_ids:
        cond |= Q(department_id__in=scope.department_ids)
    if scope.organisation_ids:
        cond |= Q(party_member__organisation_id__in=scope.organisation_ids)
    return qs.filter(cond)


def staff_list(
    user: Any,
    *,
    q: str = "",
    institution: int | None = None,
    department: int | None = None,
    post_category: str = "",
    title_level: str = "",
    education: str = "",
    political_status: str = "",
    employment_status: str = "",
    head_only: bool = False,
) -> QuerySet[Staff]:
    """Return the visible staff matching the filters, with everything a row shows joined in
    (a constant number of queries however many rows)."""
    qs = staff_visible_to(user).select_related(
        "institution", "department", "party_member", "party_member__organisation"
    )
    if q:
        q = q.strip()
        cond = Q(name__icontains=q) | Q(employee_no__icontains=q) | Q(department__name__icontains=q)
        id_card = normalise_id_card(q)
        if len(id_card) == 18:
            # The number is stored encrypted: an exact number is found through its blind index.
            cond |= Q(id_card_digest=blind_index(id_card, purpose="id_card"))
        qs = qs.filter(cond)
    if institution:
        qs = qs.filter(institution_id=institution)
    if department:
        qs = qs.filter(department_id=department)
    if post_category:
        qs = qs.filter(post_category=post_category)
    if title_level:
        qs = qs.filter(title_level=title_level)
    if education:
        qs = qs.filter(education=education)
    if political_status:
        qs = qs.filter(political_status=political_status)
    if employment_status:
        qs = qs.filter(employment_status=employment_status)
    if head_only:
        qs = qs.filter(is_department_head=True)
    return qs.order_by("institution_id", "employee_no")


def department_list(
    user: Any, *, q: str = "", institution: int | None = None, category: str = ""
) -> QuerySet[Department]:
    qs = department_visible_to(user).annotate(
        staff_count=Count(
            "staff", filter=Q(staff__employment_status=Staff.EmploymentStatus.IN_POST)
        )
    )
    if q:
        qs = qs.filter(Q(name__icontains=q.strip()) | Q(code__icontains=q.strip()))
    if institution:
        qs = qs.filter(institution_id=institution)
    if category:
        qs = qs.filter(category=category)
    return qs.order_by("institution_id", "code")


def department_heads(department_ids: list[int]) -> dict[int, list[Staff]]:
    """Return the heads of the given departments, by department id (one query)."""
    heads: dict[int, list[Staff]] = {}
    for s in Staff.objects.filter(
        department_id__in=department_ids,
        is_department_head=True,
        employment_status=Staff.EmploymentStatus.IN_POST,
    ).only("id", "name", "department_id", "employee_no"):
        heads.setdefault(s.department_id, []).append(s)
    return heads
