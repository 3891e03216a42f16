"""Permission matrix of the inbox: everyone signed in has one; nobody reads another's."""

from __future__ import annotations

from typing import Any

from hongfan.accounts.roles import Role
from hongfan.core.matrix import ALL_ROLES, Case
from hongfan.core.testing import World


def _note(w: World) -> dict[str, Any]:
    from hongfan.notifications.services import notify

    (n,) = notify(users=[w.user(Role.STAFF)], title="测试通知", url="/inbox/")
    return {"pk": n.pk}


OTHERS = {r: 404 for r in ALL_ROLES if r != Role.STAFF}

CASES = [
    Case("notifications:inbox", allowed=set(ALL_ROLES)),
    Case("notifications:badge", allowed=set(ALL_ROLES)),
    Case("notifications:preferences", allowed=set(ALL_ROLES)),
    Case(
        "notifications:read",
        allowed={Role.STAFF},
        kwargs=_note,
        method="post",
        ok_status=302,
        per_role=OTHERS,
    ),
    Case(
        "notifications:read",
        allowed=set(ALL_ROLES),
        kwargs=lambda w: {"pk": 0},
        method="post",
        ok_status=302,
        label="post:notifications:read_all",
    ),
]
