"""Permission matrix for hongfan.decisions (see hongfan/core/matrix.py)."""

from __future__ import annotations

from typing import Any

from hongfan.accounts.roles import Role
from hongfan.core.matrix import ALL_ROLES, Case
from hongfan.core.testing import World
from hongfan.decisions import services
from hongfan.decisions.models import MeetingKind
from hongfan.decisions.tests.factories import all_yes, committee_members, item, meeting

MANAGE = {Role.PARTY_OFFICE, Role.PRESIDENT_OFFICE}
VIEW = MANAGE | {Role.DISCIPLINE}


def _meeting(w: World) -> dict[str, Any]:
    members = committee_members(w, 3)
    return {"pk": meeting(w, members, present=3).pk}


def _item(w: World) -> dict[str, Any]:
    members = committee_members(w, 3)
    return {"pk": item(meeting(w, members, present=3), title="议题").pk}


def _office_item(w: World) -> dict[str, Any]:
    from hongfan.decisions.tests.factories import office_members

    members = office_members(w, 3)
    m = meeting(w, members, kind=MeetingKind.PRESIDENT_OFFICE, present=3)
    return {"pk": item(m, category="major_decision").pk}


def _resolution(w: World) -> dict[str, Any]:
    members = committee_members(w, 3)
    it = item(meeting(w, members, present=3), title="议题")
    it = services.agenda_item_decide(item=it, votes=all_yes(members, 3), owner_department=w.dept_a1)
    return {"pk": it.resolution.pk}


CASES = [
    Case("decisions:meeting_list", allowed=VIEW),
    Case("decisions:meeting_list", allowed=VIEW, query="export=xlsx", label="meetings-xlsx"),
    Case("decisions:meeting_create", allowed=MANAGE),
    Case("decisions:meeting_detail", allowed=VIEW, kwargs=_meeting),
    Case("decisions:meeting_edit", allowed=MANAGE, kwargs=_meeting),
    Case("decisions:meeting_attendance", allowed=MANAGE, kwargs=_meeting),
    Case("decisions:meeting_minutes", allowed=MANAGE, kwargs=_meeting),
    Case("decisions:item_create", allowed=MANAGE, kwargs=_meeting),
    Case("decisions:item_edit", allowed=MANAGE, kwargs=_item),
    Case("decisions:item_recusal", allowed=MANAGE, kwargs=_item),
    Case("decisions:item_decide", allowed=MANAGE, kwargs=_item),
    Case("decisions:item_refer", allowed=MANAGE, kwargs=_office_item, method="post", ok_status=302),
    Case("decisions:item_defer", allowed=MANAGE, kwargs=_item, method="post", ok_status=302),
    Case("decisions:resolution_list", allowed=VIEW),
    Case("decisions:resolution_list", allowed=VIEW, query="export=xlsx", label="resolutions-xlsx"),
    Case("decisions:resolution_detail", allowed=VIEW, kwargs=_resolution),
    Case(
        "decisions:resolution_publish",
        allowed=MANAGE,
        kwargs=_resolution,
        method="post",
        ok_status=302,
    ),
    Case("decisions:disclosure", allowed=set(ALL_ROLES)),
    Case("decisions:compliance", allowed=VIEW),
    Case(
        "decisions:compliance", allowed=VIEW, query="export=xlsx&year=2026", label="compliance-xlsx"
    ),
    Case("decisions:office_members", allowed=MANAGE),
]
