"""Permission matrix of the matter pages (hongfan/core/matrix.py)."""

from __future__ import annotations

from typing import Any

from hongfan.accounts.roles import Role
from hongfan.core.matrix import Case
from hongfan.core.testing import World

ADMINS = {Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN}
STAFF_ROLES = {
    Role.PARTY_OFFICE,
    Role.BRANCH_SECRETARY,
    Role.DISCIPLINE,
    Role.MEDICAL_AFFAIRS,
    Role.PRESIDENT_OFFICE,
    Role.DEPARTMENT_HEAD,
    Role.STAFF,
}
# Who sees a 心内科 matter owned by plain_a1 and started by the president's office.
SEES_MATTER = {Role.STAFF, Role.DEPARTMENT_HEAD, Role.PRESIDENT_OFFICE, Role.PARTY_OFFICE}
OUT_OF_SCOPE = {r: 404 for r in STAFF_ROLES - SEES_MATTER}
SUPERVISORS = {
    Role.PARTY_OFFICE,
    Role.PRESIDENT_OFFICE,
    Role.MEDICAL_AFFAIRS,
    Role.DISCIPLINE,
}


def _matter(w: World) -> dict[str, Any]:
    from hongfan.loops import services

    m = services.matter_open(
        type="generic",
        title="落实院长办公会决议",
        originator=w.user(Role.PRESIDENT_OFFICE),
        owner=w.user(Role.STAFF),
        owner_department=w.dept_a1,
    )
    return {"pk": m.pk}


def _version(w: World) -> dict[str, Any]:
    return {"action": "start", "expected_version": 1, "note": "x"}


CASES = [
    Case("loops:inbox", allowed=STAFF_ROLES),
    Case("loops:board", allowed=SUPERVISORS),
    Case("loops:stats", allowed=SUPERVISORS),
    Case("loops:create", allowed={Role.PARTY_OFFICE, Role.PRESIDENT_OFFICE}),
    Case("loops:detail", allowed=SEES_MATTER, kwargs=_matter, per_role=OUT_OF_SCOPE),
    Case(
        "loops:transition",
        allowed=SEES_MATTER,
        kwargs=_matter,
        method="post",
        data=_version,
        ok_status=302,
        per_role=OUT_OF_SCOPE,
    ),
    Case(
        "loops:evidence",
        allowed=SEES_MATTER,
        kwargs=_matter,
        method="post",
        data=lambda w: {"note": "已完成"},
        ok_status=302,
        per_role=OUT_OF_SCOPE,
    ),
    Case(
        "loops:comment",
        allowed=SEES_MATTER,
        kwargs=_matter,
        per_role=OUT_OF_SCOPE,
    ),
    Case(
        "loops:comment",
        allowed=SEES_MATTER,
        kwargs=_matter,
        method="post",
        data=lambda w: {"body": "请尽快办理"},
        ok_status=302,
        per_role=OUT_OF_SCOPE,
        label="post:loops:comment",
    ),
]
