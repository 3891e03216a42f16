"""Background tasks (django-tasks) wrapping orglife services."""

from __future__ import annotations

from django_tasks import task

from hongfan.orglife.services import reminders_send


@task()
def send_orglife_reminders() -> int:
    """Run the compliance reminders (same service as ``manage.py orglife_reminders``)."""
    return reminders_send()
