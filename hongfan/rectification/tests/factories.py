"""Test helpers: an inspection with a problem of 心内科 and a task owned by 周群众 (plain_a1)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from hongfan.accounts.roles import Role
from hongfan.core.testing import World
from hongfan.rectification import services
from hongfan.rectification.models import Inspection, Task


def inspection(world: World, **extra: Any) -> Inspection:
    fields: dict[str, Any] = {
        "title": "2026 年院内巡察反馈问题",
        "source_kind": Inspection.SourceKind.INSPECTION_TOUR,
        "inspecting_body": "院党委巡察组",
        "conducted_on": dt.date(2026, 9, 15),
        "actor": world.user(Role.PARTY_OFFICE),
    }
    fields.update(extra)
    return services.inspection_create(**fields)


def task(world: World, insp: Inspection | None = None, **extra: Any) -> Task:
    insp = insp or inspection(world)
    problem = services.problem_add(
        inspection=insp,
        description=extra.pop("description", "门诊病历书写不规范，主诉与诊断不符"),
        department=world.dept_a1,
    )
    fields: dict[str, Any] = {
        "problem": problem,
        "owner": world.user(Role.STAFF),
        "measures": "组织病历书写专项培训，每月抽查 20 份门诊病历",
        "deadline": dt.date(2027, 1, 29),
        "actor": world.user(Role.PARTY_OFFICE),
    }
    fields.update(extra)
    return services.task_assign(**fields)
