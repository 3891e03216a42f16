"""Permission matrix of the energy pages (hongfan/core/matrix.py).

The meter measures 心内科 (dept_a1): facilities (president's office, energy.manage) see and
manage every meter; the head of 心内科 sees it read-only (energy.view, scoped); every other
role has no energy capability (403), the administrators included. Writes are facilities' only.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from hongfan.accounts.roles import Role
from hongfan.core.matrix import Case
from hongfan.core.testing import World

MANAGE = {Role.PRESIDENT_OFFICE}
VIEW = MANAGE | {Role.DEPARTMENT_HEAD}


def _meter(w: World) -> dict[str, Any]:
    from hongfan.energy.tests.factories import meter

    return {"pk": meter(w).pk}


def _alarm(w: World) -> dict[str, Any]:
    from hongfan.energy.models import Alarm
    from hongfan.energy.tests.factories import meter

    m = meter(w)
    a, _ = Alarm.objects.get_or_create(
        meter=m,
        kind="night_load",
        day=dt.date(2026, 4, 6),
        defaults={"value": 0.8, "reference": 1.0, "limit": 0.6, "detail": "夜间负荷 80%"},
    )
    return {"pk": a.pk}


CASES: list[Case] = [
    Case("energy:dashboard", allowed=VIEW),
    Case("energy:meters", allowed=VIEW),
    Case("energy:meter", allowed=VIEW, kwargs=_meter),
    Case("energy:meter_create", allowed=MANAGE),
    Case("energy:meter_edit", allowed=MANAGE, kwargs=_meter),
    Case("energy:alarms", allowed=VIEW),
    Case("energy:alarm", allowed=VIEW, kwargs=_alarm),
    Case(
        "energy:alarm_act",
        allowed=MANAGE,
        kwargs=_alarm,
        method="post",
        data=lambda w: {"action": "close", "note": "已核实"},
        ok_status=302,
    ),
    Case("energy:import", allowed=MANAGE),
    Case("energy:import_template", allowed=MANAGE),
    Case(
        "energy:detect",
        allowed=MANAGE,
        method="post",
        data=lambda w: {"start": "2026-04-01", "end": "2026-04-06"},
        ok_status=302,
    ),
]
