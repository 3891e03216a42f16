"""Permission matrix of the innovation pages (hongfan/core/matrix.py).

The project belongs to 内科党支部 (branch_a) / 心内科, led by 赵党员 (no account): the offices
see it hospital-wide, the branch secretary through the branch, the head of 心内科 through the
department; discipline, medical affairs and plain staff hold no innovation capability on it
(404 for the record), the three administrators have no staff record (403).
"""

from __future__ import annotations

from typing import Any

from hongfan.accounts.roles import Role
from hongfan.core.matrix import Case
from hongfan.core.testing import World

ADMINS = {Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN}
STAFF_ROLES = set(Role.values) - ADMINS
MANAGERS = {Role.PARTY_OFFICE, Role.PRESIDENT_OFFICE}
SEES_PROJECT = MANAGERS | {Role.BRANCH_SECRETARY, Role.DEPARTMENT_HEAD}
NOT_IN_SCOPE = {r: 404 for r in STAFF_ROLES - SEES_PROJECT}


def _project(w: World) -> Any:
    from hongfan.innovation.tests.factories import project

    return project(w)


def _pk(w: World) -> dict[str, Any]:
    return {"pk": _project(w).pk}


def _report(w: World) -> dict[str, Any]:
    p = _project(w)
    return {"pk": p.pk, "report_pk": p.reports.first().pk}


def _member(w: World) -> dict[str, Any]:
    from hongfan.innovation import services

    p = _project(w)
    m = services.team_member_add(project=p, staff=w.staff["plain_b1"], role="成员")
    return {"pk": p.pk, "member_pk": m.pk}


def _file(w: World) -> dict[str, Any]:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from hongfan.innovation import services

    p = _project(w)
    r = services.report_submit(
        report=p.reports.first(),
        actor=None,
        text="第一季度进展",
        files=[SimpleUploadedFile("进展.txt", "进展顺利".encode(), "text/plain")],
    )
    return {"pk": p.pk, "file_pk": r.files.first().pk}


CASES = [
    Case("innovation:list", allowed=STAFF_ROLES),
    Case("innovation:create", allowed=MANAGERS),
    Case("innovation:detail", allowed=SEES_PROJECT, kwargs=_pk, per_role=NOT_IN_SCOPE),
    Case("innovation:team", allowed=SEES_PROJECT, kwargs=_pk, per_role=NOT_IN_SCOPE),
    Case("innovation:report", allowed=SEES_PROJECT, kwargs=_report, per_role=NOT_IN_SCOPE),
    Case("innovation:report_file", allowed=SEES_PROJECT, kwargs=_file, per_role=NOT_IN_SCOPE),
    Case("innovation:edit", allowed=MANAGERS, kwargs=_pk),
    Case("innovation:evaluate", allowed=MANAGERS, kwargs=_pk),
    Case("innovation:accept", allowed=MANAGERS, kwargs=_pk),
    Case(
        "innovation:stage",
        allowed=MANAGERS,
        kwargs=_pk,
        method="post",
        data=lambda w: {"to_stage": "team"},
        ok_status=302,
    ),
    Case(
        "innovation:team_remove",
        allowed=MANAGERS,
        kwargs=_member,
        method="post",
        ok_status=302,
    ),
    Case(
        "innovation:team",
        label="post:innovation:team",
        allowed=MANAGERS,
        kwargs=_pk,
        method="post",
        data=lambda w: {"staff": w.staff["plain_a1"].pk, "role": "骨干"},
        ok_status=302,
        per_role={Role.BRANCH_SECRETARY: 403, Role.DEPARTMENT_HEAD: 403, **NOT_IN_SCOPE},
    ),
]
