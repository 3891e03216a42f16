"""Reads for the account, role and lockout pages (system-wide; no record scoping applies)."""

from __future__ import annotations

from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from hongfan.accounts.models import RoleAssignment, User


def user_list(
    *, search: str = "", role: str = "", active: str = "", has_staff: str = ""
) -> QuerySet[User]:
    """Return accounts matching the list page's search box and filters, with their roles."""
    qs = User.objects.select_related("staff", "staff__department").prefetch_related(
        Prefetch(
            "role_assignments",
            queryset=RoleAssignment.objects.select_related("organisation", "department"),
        )
    )
    if search:
        qs = qs.filter(
            Q(username__icontains=search)
            | Q(staff__name__icontains=search)
            | Q(staff__employee_no__icontains=search)
            | Q(email__icontains=search)
        )
    if role:
        qs = qs.filter(role_assignments__role=role).distinct()
    if active in ("1", "0"):
        qs = qs.filter(is_active=active == "1")
    if has_staff in ("1", "0"):
        qs = qs.filter(staff__isnull=has_staff == "0")
    return qs.order_by("username")


def lockouts_current() -> QuerySet[AccessAttempt]:
    """Return the sign-in attempt records that lock someone out right now."""
    threshold = timezone.now() - settings.AXES_COOLOFF_TIME
    return AccessAttempt.objects.filter(
        failures_since_start__gte=settings.AXES_FAILURE_LIMIT, attempt_time__gte=threshold
    ).order_by("-attempt_time")


def attempts_recent() -> QuerySet[AccessAttempt]:
    """Return every failed-attempt record within the cool-off window, locked or not."""
    threshold = timezone.now() - settings.AXES_COOLOFF_TIME
    return AccessAttempt.objects.filter(attempt_time__gte=threshold).order_by("-attempt_time")
