"""Background tasks (django-tasks). Schedule ``report_reminders_task`` daily."""

from __future__ import annotations

from django_tasks import task

from hongfan.innovation.services import report_reminders_send


@task()
def report_reminders_task() -> dict[str, int]:
    """Remind of due and overdue project reports; same service as the management command."""
    return report_reminders_send()
