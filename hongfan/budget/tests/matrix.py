"""Permission matrix of the budget pages (hongfan/core/matrix.py).

The line belongs to 心内科 (dept_a1), managed centrally by 设备物资科. The president's office
(the budget committee's secretariat) prepares, reviews, approves and adjusts; the Party office
reads hospital-wide and sees the performance sheet; the head of 心内科 reads and prepares the
department's lines but neither reviews (not the central department) nor approves. Roles
without ``budget.view`` get 403.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from hongfan.accounts.roles import Role
from hongfan.core.matrix import Case
from hongfan.core.testing import World

PO, PARTY, HEAD = Role.PRESIDENT_OFFICE, Role.PARTY_OFFICE, Role.DEPARTMENT_HEAD
VIEWERS = {PO, PARTY, HEAD}


def _line(w: World, status: str = "draft") -> dict[str, Any]:
    from hongfan.budget.tests.factories import line

    return {"pk": line(w, status=status).pk}


def _adjustment(w: World) -> dict[str, Any]:
    from hongfan.accounts.roles import Role
    from hongfan.budget import services
    from hongfan.budget.tests.factories import line

    ln = line(w, status="approved")
    adj = services.adjustment_request(
        line=ln, amount=Decimal("5000"), reason="追加", actor=w.user(Role.PRESIDENT_OFFICE)
    )
    return {"pk": adj.pk}


CASES = [
    Case("budget:list", allowed=VIEWERS),
    Case("budget:create", allowed={PO, HEAD}),
    Case("budget:detail", allowed=VIEWERS, kwargs=_line),
    Case("budget:edit", allowed={PO, HEAD}, kwargs=_line),
    Case("budget:adjust", allowed={PO}, kwargs=lambda w: _line(w, "approved")),
    Case("budget:adjustments", allowed=VIEWERS),
    Case("budget:analysis", allowed=VIEWERS),
    Case("budget:assessment", allowed=VIEWERS),
    Case("budget:performance", allowed={PO, PARTY}),
    Case("budget:submit", allowed={PO, HEAD}, kwargs=_line, method="post", ok_status=302),
    Case(
        "budget:review",
        allowed={PO},
        kwargs=lambda w: _line(w, "submitted"),
        method="post",
        ok_status=302,
    ),
    Case(
        "budget:approve",
        allowed={PO},
        kwargs=lambda w: _line(w, "reviewed"),
        method="post",
        ok_status=302,
    ),
    Case(
        "budget:return",
        allowed={PO},
        kwargs=lambda w: _line(w, "submitted"),
        method="post",
        data=lambda w: {"reason": "测算依据不足"},
        ok_status=302,
    ),
    Case(
        "budget:adjustment_approve",
        allowed={PO},
        kwargs=_adjustment,
        method="post",
        ok_status=302,
    ),
    Case(
        "budget:adjustment_reject",
        allowed={PO},
        kwargs=_adjustment,
        method="post",
        data=lambda w: {"note": "不同意"},
        ok_status=302,
    ),
    Case(
        "budget:assessment",
        label="post:budget:assessment",
        allowed={PO},
        method="post",
        ok_status=302,
    ),
]
