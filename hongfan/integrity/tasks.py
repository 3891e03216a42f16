"""Background tasks (django-tasks). Schedule ``integrity_schedule_task`` daily."""

from __future__ import annotations

import datetime as dt

from django_tasks import task

from hongfan.integrity.services import reminders_schedule, risk_review_reminders_send


@task()
def integrity_schedule_task(today: str | None = None) -> dict[str, int]:
    """Same work as ``manage.py integrity_schedule``: letters drafted/sent, risk reminders."""
    day = dt.date.fromisoformat(today) if today else None
    return {**reminders_schedule(day), **risk_review_reminders_send(day)}
