"""Reads of the inbox: a user only ever sees their own notifications."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from hongfan.notifications.models import KindPreference, Notification, Preference


def notifications_visible_to(user: Any) -> QuerySet[Notification]:
    if user is None or not user.is_authenticated:
        return Notification.objects.none()
    return Notification.objects.filter(recipient=user)


def unread_count(user: Any) -> int:
    return notifications_visible_to(user).filter(read_at__isnull=True).count()


def preference_for(user: Any) -> Preference | None:
    return Preference.objects.filter(user=user).first()


def kind_choices_for(user: Any) -> dict[str, str]:
    """The user's explicit channel choice per kind (kinds without one are absent)."""
    return dict(KindPreference.objects.filter(user=user).values_list("kind", "channels"))
