"""Permission matrix of the equipment pages (hongfan/core/matrix.py).

The device belongs to 心内科 (dept_a1). Medical affairs (medical engineering) and the
president's office keep the register; the head of 心内科 reads the department's devices and
reports adverse events on them; every other role gets 403.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from hongfan.accounts.roles import Role
from hongfan.core.matrix import Case
from hongfan.core.testing import World

MANAGERS = {Role.PRESIDENT_OFFICE, Role.MEDICAL_AFFAIRS}
VIEWERS = MANAGERS | {Role.DEPARTMENT_HEAD}


def _pk(w: World) -> dict[str, Any]:
    from hongfan.equipment.tests.factories import device

    return {"pk": device(w).pk}


def _event(w: World) -> dict[str, Any]:
    from hongfan.equipment import services
    from hongfan.equipment.tests.factories import device

    d = device(w)
    e = services.event_report(
        device=d,
        occurred_on=dt.date(2026, 5, 1),
        discovered_on=dt.date(2026, 5, 1),
        severity="other",
        description="图像伪影",
    )
    return {"pk": d.pk, "event_pk": e.pk}


CASES = [
    Case("equipment:list", allowed=VIEWERS),
    Case("equipment:create", allowed=MANAGERS),
    Case("equipment:schedule", allowed=VIEWERS),
    Case("equipment:events", allowed=VIEWERS),
    Case("equipment:benefit", allowed=VIEWERS),
    Case("equipment:detail", allowed=VIEWERS, kwargs=_pk),
    Case("equipment:edit", allowed=MANAGERS, kwargs=_pk),
    Case("equipment:maintenance_add", allowed=MANAGERS, kwargs=_pk),
    Case("equipment:check_add", allowed=MANAGERS, kwargs=_pk),
    Case("equipment:revenue_add", allowed=MANAGERS, kwargs=_pk),
    Case("equipment:scrap", allowed=MANAGERS, kwargs=_pk),
    Case("equipment:event_add", allowed=VIEWERS, kwargs=_pk),
    Case(
        "equipment:event_status",
        allowed=MANAGERS,
        kwargs=_event,
        method="post",
        data=lambda w: {"status": "submitted"},
        ok_status=302,
    ),
]
