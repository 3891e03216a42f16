"""Permission matrix of the scoring pages (hongfan/core/matrix.py)."""

from __future__ import annotations

from hongfan.accounts.roles import ADMIN_ROLES, Role
from hongfan.core.matrix import ALL_ROLES, Case
from hongfan.scoring.tests.factories import (
    appeal_for,
    assessment_of,
    branch_assessment,
    branch_rating_period,
    event_for,
    published_ethics_period,
    round_for,
)

STAFF_ROLES = set(ALL_ROLES) - set(ADMIN_ROLES)
MANAGE = {Role.PARTY_OFFICE, Role.DISCIPLINE}
HOSPITAL_VIEW = MANAGE | {Role.PRESIDENT_OFFICE}
VIEW = HOSPITAL_VIEW | {Role.BRANCH_SECRETARY, Role.DEPARTMENT_HEAD}
ADMINS_403 = {r: 403 for r in ADMIN_ROLES}


def _staff_file(key):
    return lambda w: {"pk": w.staff[key].pk}


def _assessment(key):
    return lambda w: {"pk": assessment_of(w, key).pk}


def _ethics(w):
    return {"pk": published_ethics_period(w).pk}


CASES: list[Case] = [
    Case("scoring:home", allowed=STAFF_ROLES),
    Case("scoring:event_list", allowed=STAFF_ROLES),
    Case("scoring:event_add", allowed=MANAGE),
    Case(
        "scoring:event_review",
        allowed=MANAGE,
        kwargs=lambda w: {"pk": event_for(w).pk},
        method="post",
        data=lambda w: {"action": "confirm"},
        ok_status=302,
    ),
    Case("scoring:file_list", allowed=VIEW),
    Case(
        "scoring:file_detail",
        allowed=HOSPITAL_VIEW | {Role.DEPARTMENT_HEAD, Role.STAFF},
        kwargs=_staff_file("plain_a1"),
        denied_status=404,
        per_role=ADMINS_403,
    ),
    Case(
        "scoring:file_detail",
        allowed=HOSPITAL_VIEW,
        kwargs=_staff_file("plain_b1"),
        denied_status=404,
        per_role=ADMINS_403,
        label="get:scoring:file_detail(dept_b1)",
    ),
    Case(
        "scoring:file_docx",
        allowed=HOSPITAL_VIEW | {Role.DEPARTMENT_HEAD, Role.STAFF},
        kwargs=_staff_file("plain_a1"),
        denied_status=404,
        per_role=ADMINS_403,
    ),
    Case(
        "scoring:file_pdf",
        allowed=HOSPITAL_VIEW | {Role.DEPARTMENT_HEAD, Role.STAFF},
        kwargs=_staff_file("plain_a1"),
        denied_status=404,
        per_role=ADMINS_403,
    ),
    Case("scoring:my_assessments", allowed=STAFF_ROLES),
    Case(
        "scoring:self_assess",
        allowed={Role.STAFF},
        kwargs=_assessment("plain_a1"),
        denied_status=404,
        per_role=ADMINS_403,
    ),
    Case(
        "scoring:appeal_file",
        allowed={Role.STAFF},
        kwargs=_assessment("plain_a1"),
        denied_status=404,
        per_role=ADMINS_403,
    ),
    Case("scoring:scorecard_list", allowed=MANAGE),
    Case("scoring:scorecard_defaults", allowed=MANAGE, method="post", ok_status=302),
    Case(
        "scoring:scorecard_detail",
        allowed=MANAGE,
        kwargs=lambda w: {"pk": published_ethics_period(w).scorecard_id},
    ),
    Case(
        "scoring:item_add",
        allowed=MANAGE,
        kwargs=lambda w: {"pk": published_ethics_period(w).scorecard_id},
    ),
    Case(
        "scoring:item_edit",
        allowed=MANAGE,
        kwargs=lambda w: {"pk": published_ethics_period(w).scorecard.items.first().pk},
    ),
    Case(
        "scoring:band_edit",
        allowed=MANAGE,
        kwargs=lambda w: {"pk": published_ethics_period(w).scorecard.bands.first().pk},
    ),
    Case("scoring:period_list", allowed=VIEW),
    Case("scoring:period_add", allowed=MANAGE),
    Case(
        "scoring:period_detail",
        allowed=HOSPITAL_VIEW | {Role.DEPARTMENT_HEAD},
        kwargs=_ethics,
        per_role={Role.BRANCH_SECRETARY: 404},
    ),
    Case(
        "scoring:period_detail",
        allowed=HOSPITAL_VIEW | {Role.BRANCH_SECRETARY},
        kwargs=lambda w: {"pk": branch_rating_period(w).pk},
        per_role={Role.DEPARTMENT_HEAD: 404},
        label="get:scoring:period_detail(branch rating)",
    ),
    Case(
        "scoring:period_action",
        allowed=MANAGE,
        kwargs=_ethics,
        method="post",
        data=lambda w: {"action": "close"},
        ok_status=302,
        per_role={Role.BRANCH_SECRETARY: 403},
    ),
    Case("scoring:period_hr_export", allowed=MANAGE, kwargs=_ethics),
    Case(
        "scoring:assessment_detail",
        allowed=HOSPITAL_VIEW | {Role.DEPARTMENT_HEAD},
        kwargs=_assessment("plain_a1"),
        per_role={Role.BRANCH_SECRETARY: 404},
    ),
    Case(
        "scoring:assessment_detail",
        allowed=HOSPITAL_VIEW | {Role.BRANCH_SECRETARY},
        kwargs=lambda w: {"pk": branch_assessment(w, w.branch_a).pk},
        per_role={Role.DEPARTMENT_HEAD: 404},
        label="get:scoring:assessment_detail(branch_a)",
    ),
    Case(
        "scoring:assessment_detail",
        allowed=HOSPITAL_VIEW,
        kwargs=lambda w: {"pk": branch_assessment(w, w.branch_b).pk},
        per_role={Role.DEPARTMENT_HEAD: 404, Role.BRANCH_SECRETARY: 404},
        label="get:scoring:assessment_detail(branch_b)",
    ),
    Case(
        "scoring:department_review",
        allowed={Role.DEPARTMENT_HEAD},
        kwargs=_assessment("plain_a1"),
    ),
    Case(
        "scoring:department_review",
        allowed=set(),
        kwargs=_assessment("plain_b1"),
        per_role={Role.DEPARTMENT_HEAD: 404},
        label="get:scoring:department_review(dept_b1)",
    ),
    Case("scoring:institution_review", allowed=MANAGE, kwargs=_assessment("plain_a1")),
    Case(
        "scoring:grade_set",
        allowed=MANAGE,
        kwargs=_assessment("plain_a1"),
        method="post",
        ok_status=302,
    ),
    Case("scoring:appeal_list", allowed=MANAGE),
    Case("scoring:appeal_decide", allowed=MANAGE, kwargs=lambda w: {"pk": appeal_for(w).pk}),
    Case("scoring:redflag_list", allowed=VIEW),
    Case(
        "scoring:redflag_compute",
        allowed=MANAGE,
        method="post",
        data=lambda w: {"institution": w.hospital.pk, "year": 2026, "quarter": 1},
        ok_status=302,
    ),
    Case("scoring:redflag_weights", allowed=MANAGE),
    Case("scoring:redflag_detail", allowed=VIEW, kwargs=lambda w: {"pk": round_for(w).pk}),
    Case(
        "scoring:redflag_award",
        allowed=MANAGE,
        kwargs=lambda w: {"pk": round_for(w).pk},
        method="post",
        ok_status=302,
    ),
]
