"""Background tasks (django-tasks). Schedule ``escalate_matters_task`` periodically."""

from __future__ import annotations

from django_tasks import task

from hongfan.loops.services import escalate_overdue


@task()
def escalate_matters_task() -> dict[str, int]:
    """Escalate overdue matters; same service as ``manage.py escalate_matters``."""
    return escalate_overdue()
