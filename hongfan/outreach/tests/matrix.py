"""Permission matrix of the outreach pages (hongfan/core/matrix.py).

The activity is organised by 内科党支部 (branch_a) with 心内科, 赵党员 and 孙主任 taking part:
the Party office and the president's office see it hospital-wide, the branch secretary
through the branch, the head of 心内科 through the department and as a participant;
discipline, medical affairs and plain staff have no view of it (404). The three
administrators have no staff record and no capability here (403). Honours and calls for
volunteers are open to every staff member.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from hongfan.accounts.roles import Role
from hongfan.core.matrix import Case
from hongfan.core.testing import World

ADMINS = {Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN}
STAFF_ROLES = set(Role.values) - ADMINS
VIEWERS = {Role.PARTY_OFFICE, Role.PRESIDENT_OFFICE, Role.BRANCH_SECRETARY, Role.DEPARTMENT_HEAD}
MANAGERS = {Role.PARTY_OFFICE, Role.BRANCH_SECRETARY}
MOBILISERS = {Role.PARTY_OFFICE, Role.PRESIDENT_OFFICE}
NOT_IN_SCOPE = {r: 404 for r in STAFF_ROLES - VIEWERS}


def _activity(w: World, **extra: Any) -> Any:
    from hongfan.outreach.tests.factories import activity

    return activity(w, **extra)


def _pk(w: World) -> dict[str, Any]:
    return {"pk": _activity(w).pk}


def _photo(w: World) -> dict[str, Any]:
    from hongfan.outreach.tests.factories import png

    a = _activity(w, photos=[png()])
    return {"pk": a.pk, "photo_pk": a.photos.get().pk}


def _honour(w: World) -> dict[str, Any]:
    from hongfan.outreach.tests.factories import honour, pdf

    return {"pk": honour(w, evidence=pdf()).pk}


def _call(w: World) -> dict[str, Any]:
    from hongfan.outreach.tests.factories import call

    return {"pk": call(w).pk}


def _deployment(w: World) -> dict[str, Any]:
    from hongfan.outreach import services
    from hongfan.outreach.tests.factories import call

    c = call(w)
    d = services.deployment_create(
        call=c,
        actor=None,
        staff=w.staff["plain_b1"],
        place="西河乡",
        role="医疗队员",
        starts_on=dt.date(2026, 11, 10),
    )
    return {"pk": c.pk, "deployment_pk": d.pk}


def _shift(w: World) -> dict[str, Any]:
    from hongfan.outreach import services

    shift = services.shift_add(
        actor=None,
        desk="门诊大厅红帆驿站",
        on=dt.date(2026, 11, 24),
        slot="am",
        staff=w.staff["member_a"],
        organisation=w.branch_a,
    )
    return {"pk": shift.pk}


CASES = [
    Case("outreach:desk_roster", allowed=STAFF_ROLES),
    Case(
        "outreach:shift_add",
        allowed=MANAGERS,
        method="post",
        data=lambda w: {
            "desk": "门诊大厅红帆驿站",
            "on": "2026-11-25",
            "slot": "pm",
            "staff": w.staff["head_a1"].pk,
            "organisation": w.branch_a.pk,
        },
        ok_status=302,
    ),
    Case(
        "outreach:shift_remove",
        allowed=MANAGERS,
        kwargs=_shift,
        method="post",
        ok_status=302,
    ),
    Case("outreach:activity_list", allowed=STAFF_ROLES),
    Case("outreach:activity_create", allowed=MANAGERS),
    Case("outreach:activity_detail", allowed=VIEWERS, kwargs=_pk, per_role=NOT_IN_SCOPE),
    Case(
        "outreach:activity_photo",
        allowed=VIEWERS,
        kwargs=_photo,
        per_role=NOT_IN_SCOPE,
    ),
    Case("outreach:activity_edit", allowed=MANAGERS, kwargs=_pk),
    Case(
        "outreach:activity_photo_delete",
        allowed=MANAGERS,
        kwargs=_photo,
        method="post",
        ok_status=302,
    ),
    Case(
        "outreach:activity_delete",
        allowed=MANAGERS,
        kwargs=_pk,
        method="post",
        ok_status=302,
    ),
    Case("outreach:totals", allowed=VIEWERS),
    Case("outreach:honour_list", allowed=STAFF_ROLES),
    Case("outreach:honour_create", allowed={Role.PARTY_OFFICE}),
    Case("outreach:honour_edit", allowed={Role.PARTY_OFFICE}, kwargs=_honour),
    Case(
        "outreach:honour_revoke",
        allowed={Role.PARTY_OFFICE},
        kwargs=_honour,
        method="post",
        data=lambda w: {"revoked_on": "2026-11-20", "revoke_reason": "复核不符合条件"},
        ok_status=302,
    ),
    Case("outreach:honour_evidence", allowed=STAFF_ROLES, kwargs=_honour),
    Case("outreach:call_list", allowed=STAFF_ROLES),
    Case("outreach:call_create", allowed=MOBILISERS),
    Case("outreach:call_detail", allowed=STAFF_ROLES, kwargs=_call),
    Case("outreach:call_sign", allowed=STAFF_ROLES, kwargs=_call),
    Case(
        "outreach:call_close",
        allowed=MOBILISERS,
        kwargs=_call,
        method="post",
        ok_status=302,
    ),
    Case(
        "outreach:team_create",
        allowed=MOBILISERS,
        kwargs=_call,
        method="post",
        data=lambda w: {"name": "医疗救治组"},
        ok_status=302,
    ),
    Case(
        "outreach:deployment_create",
        allowed=MOBILISERS,
        kwargs=_call,
        method="post",
        data=lambda w: {
            "staff": w.staff["plain_a1"].pk,
            "place": "西河乡",
            "role": "医疗队员",
            "starts_on": "2026-11-10",
        },
        ok_status=302,
    ),
    Case(
        "outreach:deployment_end",
        allowed=MOBILISERS,
        kwargs=_deployment,
        method="post",
        data=lambda w: {"ends_on": "2026-11-20"},
        ok_status=302,
    ),
    Case(
        "outreach:temporary_branch_create",
        allowed=MOBILISERS,
        kwargs=_call,
        method="post",
        data=lambda w: {
            "code": "LS-T1",
            "name": "医疗队临时党支部",
            "parent": w.committee.pk,
            "secretary": w.members["secretary_b"].pk,
            "established_on": "2026-11-05",
        },
        ok_status=302,
    ),
]
