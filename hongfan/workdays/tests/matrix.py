"""Who may use which page of the working-day calendar (run by core's permission matrix)."""

from __future__ import annotations

import datetime as dt

from hongfan.accounts.roles import Role
from hongfan.core.matrix import ALL_ROLES, Case
from hongfan.core.testing import World

EVERYONE = set(ALL_ROLES)
MANAGERS = {Role.SYSTEM_ADMIN, Role.PARTY_OFFICE}


def _day(world: World) -> dict[str, int]:
    from hongfan.workdays.services import calendar_day_set

    day = calendar_day_set(day=dt.date(2026, 10, 1), kind="holiday", name="国庆节")
    return {"pk": day.pk}


CASES = [
    Case("workdays:year", allowed=EVERYONE),
    Case("workdays:year", allowed=EVERYONE, query="year=2027", label="2027:workdays:year"),
    Case("workdays:calculator", allowed=EVERYONE, query="start=2026-09-30&days=5"),
    Case("workdays:day_list", allowed=MANAGERS),
    Case("workdays:day_list", allowed=MANAGERS, query="export=xlsx", label="export:workdays"),
    Case("workdays:day_create", allowed=MANAGERS),
    Case(
        "workdays:day_create",
        allowed=MANAGERS,
        method="post",
        data=lambda w: {"date": "2027-10-01", "kind": "holiday", "name": "国庆节"},
        ok_status=302,
        label="post:workdays:day_create",
    ),
    Case("workdays:day_edit", allowed=MANAGERS, kwargs=_day),
    Case("workdays:day_delete", allowed=MANAGERS, kwargs=_day),
    Case(
        "workdays:day_delete",
        allowed=MANAGERS,
        kwargs=_day,
        method="post",
        ok_status=302,
        label="post:workdays:day_delete",
    ),
    Case(
        "workdays:year_mark",
        allowed=MANAGERS,
        kwargs=lambda w: {"year": 2027},
        method="post",
        ok_status=302,
    ),
]
