"""Permission matrix of the rectification pages (hongfan/core/matrix.py).

The task belongs to 心内科 and is owned by 周群众 (plain_a1): the Party office (rectification
manager) sees everything, the owner and the head of 心内科 see the inspection through the task;
everyone else with a staff record gets 404 for the record, the administrators 403.
"""

from __future__ import annotations

from typing import Any

from hongfan.accounts.roles import Role
from hongfan.core.matrix import Case
from hongfan.core.testing import World

ADMINS = {Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN}
STAFF_ROLES = set(Role.values) - ADMINS
MANAGER = {Role.PARTY_OFFICE}
SEES_TASK = {Role.PARTY_OFFICE, Role.DEPARTMENT_HEAD, Role.STAFF}
NOT_IN_SCOPE = {r: 404 for r in STAFF_ROLES - SEES_TASK}


def _inspection(w: World) -> dict[str, Any]:
    from hongfan.rectification.tests.factories import task

    return {"pk": task(w).problem.inspection_id}


def _problem(w: World) -> dict[str, Any]:
    from hongfan.rectification.tests.factories import task

    return {"pk": task(w).problem_id}


CASES = [
    Case("rectification:list", allowed=STAFF_ROLES),
    Case("rectification:ledger", allowed=STAFF_ROLES),
    Case("rectification:create", allowed=MANAGER),
    Case("rectification:board", allowed={Role.PARTY_OFFICE, Role.PRESIDENT_OFFICE}),
    Case("rectification:detail", allowed=SEES_TASK, kwargs=_inspection, per_role=NOT_IN_SCOPE),
    Case(
        "rectification:problem_add",
        allowed=MANAGER,
        kwargs=_inspection,
        method="post",
        data=lambda w: {"description": "科室学习记录不全"},
        ok_status=302,
    ),
    Case("rectification:task_add", allowed=MANAGER, kwargs=_problem),
]
