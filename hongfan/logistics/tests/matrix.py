"""Permission matrix of the logistics pages (hongfan/core/matrix.py).

The order is filed by 周群众 (plain staff, 心内科) and routed to the repair team (leader and
worker hold no role account in the matrix): the service desk (president's office) sees it
hospital-wide, the head of 心内科 through the department, the requester as the originator;
every other staff role gets 404 for it. Desk pages (statistics, teams) are the service desk's
only; the three administrators have no staff record and no capability here (403).
"""

from __future__ import annotations

from typing import Any

from hongfan.accounts.roles import Role
from hongfan.core.matrix import Case
from hongfan.core.testing import World

ADMINS = {Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN}
STAFF_ROLES = set(Role.values) - ADMINS
SEES_ORDER = {Role.PRESIDENT_OFFICE, Role.DEPARTMENT_HEAD, Role.STAFF}
NOT_IN_SCOPE = {r: 404 for r in STAFF_ROLES - SEES_ORDER}
DESK = {Role.PRESIDENT_OFFICE}


def _order(w: World) -> dict[str, Any]:
    from hongfan.logistics.tests.factories import order

    return {"pk": order(w).pk}


def _team(w: World) -> dict[str, Any]:
    from hongfan.logistics.tests.factories import team

    return {"pk": team(w).pk}


CASES: list[Case] = [
    Case("logistics:list", allowed=STAFF_ROLES),
    Case("logistics:create", allowed=STAFF_ROLES),
    Case("logistics:mine", allowed=STAFF_ROLES),
    Case("logistics:detail", allowed=SEES_ORDER, kwargs=_order, per_role=NOT_IN_SCOPE),
    Case(
        "logistics:act",
        allowed=SEES_ORDER,
        kwargs=_order,
        method="post",
        data=lambda w: {"action": "start"},
        ok_status=302,
        per_role=NOT_IN_SCOPE,
    ),
    Case("logistics:stats", allowed=DESK),
    Case("logistics:teams", allowed=DESK),
    Case("logistics:team_create", allowed=DESK),
    Case("logistics:team_edit", allowed=DESK, kwargs=_team),
]
