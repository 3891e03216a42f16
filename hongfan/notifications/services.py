"""Send notifications: in-app always; e-mail and group-robot webhooks by preference/setting."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import models, transaction

from hongfan.notifications.models import Notification


@transaction.atomic
def notify(
    *,
    users: Iterable[Any],
    title: str,
    body: str = "",
    url: str = "",
    level: str = Notification.Level.INFO,
    source: models.Model | None = None,
    dedup_key: str = "",
) -> list[Notification]:
    """Put a notification in each user's inbox; with ``dedup_key``, at most once per user.

    Returns the notifications created (already-sent duplicates are skipped), so periodic
    reminder commands can run any number of times.
    """
    recipients = {u.pk: u for u in users if u is not None and u.pk}
    if dedup_key:
        already = set(
            Notification.objects.filter(
                recipient_id__in=recipients, dedup_key=dedup_key
            ).values_list("recipient_id", flat=True)
        )
        recipients = {pk: u for pk, u in recipients.items() if pk not in already}
    source_type = f"{source._meta.app_label}.{source._meta.model_name}" if source else ""
    source_id = str(source.pk) if source is not None else ""
    created = [
        Notification(
            recipient_id=pk,
            level=level,
            title=title[:200],
            body=body,
            url=url,
            dedup_key=dedup_key,
            source_type=source_type,
            source_id=source_id,
        )
        for pk in recipients
    ]
    return Notification.objects.bulk_create(created)


@transaction.atomic
def notification_mark_read(*, notification: Notification) -> Notification:
    from django.utils import timezone

    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification
