"""Background tasks (django-tasks). Schedule ``due_warnings_task`` daily."""

from __future__ import annotations

from django_tasks import task

from hongfan.rectification.services import task_due_warnings_send


@task()
def due_warnings_task() -> dict[str, int]:
    """Warn owners of tasks due soon; same service as ``manage.py rectification_due_warnings``."""
    return task_due_warnings_send()
