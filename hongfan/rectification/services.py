"""Writes of rectification. Task execution, evidence and verification run on hongfan.loops."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from hongfan.loops import services as loops
from hongfan.rectification.models import Inspection, Problem, Task

TASK_TYPE = "rectification_task"


@transaction.atomic
def inspection_create(
    *,
    title: str,
    source_kind: str,
    inspecting_body: str,
    conducted_on: dt.date,
    summary: str = "",
    actor: Any = None,
) -> Inspection:
    if conducted_on > timezone.localdate():
        raise ValidationError({"conducted_on": _("The inspection date cannot be in the future.")})
    obj = Inspection(
        title=title,
        source_kind=source_kind,
        inspecting_body=inspecting_body,
        conducted_on=conducted_on,
        summary=summary,
        created_by=actor,
    )
    obj.full_clean()
    obj.save()
    return obj


@transaction.atomic
def problem_add(
    *,
    inspection: Inspection,
    description: str,
    department: Any = None,
    number: int | None = None,
) -> Problem:
    """Add a problem found by the inspection; it gets the next number unless given one."""
    Inspection.objects.select_for_update().filter(pk=inspection.pk).first()
    if number is None:
        number = (inspection.problems.aggregate(n=Max("number"))["n"] or 0) + 1
    obj = Problem(
        inspection=inspection,
        number=number,
        description=description.strip(),
        department=department,
    )
    obj.full_clean()
    obj.save()
    return obj


@transaction.atomic
def problem_update(*, problem: Problem, description: str, department: Any = None) -> Problem:
    problem.description = description.strip()
    problem.department = department
    problem.full_clean()
    problem.save()
    return problem


@transaction.atomic
def task_assign(
    *,
    problem: Problem,
    owner: Any,
    measures: str,
    deadline: dt.date,
    actor: Any,
    owner_department: Any = None,
    opened_at: dt.datetime | None = None,
) -> Task:
    """Put a line on the responsibility list and open its rectification matter.

    The deadline is 17:30 (the type's due time) of ``deadline``; a deadline before the
    opening is refused. ``opened_at`` back-dates the opening (imports of old lists, demo).
    """
    if not measures.strip():
        raise ValidationError({"measures": _("Describe the rectification measures.")})
    if owner is None and owner_department is None and problem.department_id is None:
        raise ValidationError({"owner": _("Name the person or department responsible.")})
    mtype = loops.matter_type_get(TASK_TYPE)
    due_at = timezone.make_aware(dt.datetime.combine(deadline, mtype.due_time))
    if due_at < (opened_at or timezone.now()):
        raise ValidationError(
            {"deadline": _("The deadline cannot be before the matter is opened.")}
        )
    if owner_department is None and owner is not None and owner.staff_id:
        owner_department = owner.staff.department
    matter = loops.matter_open(
        type=mtype,
        title=_("Rectify: %(problem)s") % {"problem": problem.description[:150]},
        description=measures,
        originator=actor,
        owner=owner,
        owner_department=owner_department or problem.department,
        due_at=due_at,
        source=problem,
        opened_at=opened_at,
    )
    task = Task(problem=problem, measures=measures, deadline=deadline, matter=matter)
    task.full_clean()
    task.save()
    return task


@transaction.atomic
def task_due_warnings_send(*, now: dt.datetime | None = None, ahead: int = 3) -> dict[str, int]:
    """Warn the owners of open tasks due within ``ahead`` working days.

    Overdue tasks are escalated by ``hongfan.loops`` (``escalate_matters``); this is the
    warning before the deadline. Idempotent: one warning per task and reopening.
    """
    from hongfan.notifications.services import notify
    from hongfan.workdays.services import add_working_days

    now = now or timezone.now()
    today = timezone.localdate(now)
    horizon = add_working_days(today, ahead)
    tasks = Task.objects.filter(
        matter__closed_at__isnull=True,
        matter__due_at__gte=now,
        matter__due_at__date__lte=horizon,
        matter__owner__isnull=False,
    ).select_related("matter__owner", "problem")
    counts = {"tasks": 0, "notifications": 0}
    for task in tasks:
        m = task.matter
        sent = notify(
            users=[m.owner],
            title=_("Rectification due on %(date)s: %(problem)s")
            % {"date": task.deadline.isoformat(), "problem": task.problem.description[:60]},
            url=loops.matter_url(m),
            source=m,
            dedup_key=f"rectification:{task.pk}:r{m.reopened_count}:due_soon",
        )
        if sent:
            counts["tasks"] += 1
            counts["notifications"] += len(sent)
    return counts
