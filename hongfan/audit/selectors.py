"""Reads of the audit log: only the audit administrator may see it (三权分立)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from hongfan.accounts.roles import Cap
from hongfan.audit.models import AuditEntry


def audit_entries_visible_to(user: Any) -> QuerySet[AuditEntry]:
    """Return the whole log for the audit administrator, nothing for anyone else."""
    if not getattr(user, "is_authenticated", False) or not user.has_capability(Cap.AUDIT_VIEW):
        return AuditEntry.objects.none()
    return AuditEntry.objects.all()


def audit_entries_search(
    qs: QuerySet[AuditEntry],
    *,
    user: str = "",
    action: str = "",
    object_type: str = "",
    object_id: str = "",
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    outcome: str = "",
    source_ip: str = "",
) -> QuerySet[AuditEntry]:
    """Filter the log; dates are whole local days, both ends included."""
    if user:
        qs = qs.filter(Q(username__icontains=user) | Q(user_id__in=_user_ids(user)))
    if action:
        qs = qs.filter(action=action)
    if object_type:
        qs = qs.filter(object_type__icontains=object_type)
    if object_id:
        qs = qs.filter(object_id=object_id)
    if date_from:
        qs = qs.filter(at__gte=_start_of(date_from))
    if date_to:
        qs = qs.filter(at__lt=_start_of(date_to + dt.timedelta(days=1)))
    if outcome:
        qs = qs.filter(outcome=outcome)
    if source_ip:
        qs = qs.filter(source_ip__startswith=source_ip)
    return qs.order_by("-id")


def _start_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _user_ids(text: str) -> QuerySet[Any]:
    from hongfan.accounts.models import User

    return User.objects.filter(Q(username__icontains=text) | Q(staff__name__icontains=text)).values(
        "pk"
    )
