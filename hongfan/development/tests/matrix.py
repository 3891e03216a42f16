"""Who may use which page of member development (run by core's permission-matrix test)."""

from __future__ import annotations

from hongfan.accounts.roles import Role
from hongfan.core.matrix import Case
from hongfan.core.testing import World, make_staff
from hongfan.development.models import Candidate
from hongfan.development.services import candidate_create

MANAGERS = {Role.PARTY_OFFICE, Role.BRANCH_SECRETARY}
# Roles that hold SELF_VIEW but may not see plain_a1's file: 404, not 403.
OTHERS_404 = {
    Role.DISCIPLINE: 404,
    Role.MEDICAL_AFFAIRS: 404,
    Role.PRESIDENT_OFFICE: 404,
    Role.DEPARTMENT_HEAD: 404,
}


def own_candidate(w: World) -> dict[str, int]:
    """plain_a1's own file in branch_a (the staff user sees it, secretary_a manages it)."""
    staff = w.staff["plain_a1"]
    c = Candidate.objects.filter(staff=staff).first() or candidate_create(
        staff=staff, branch=w.branch_a
    )
    return {"pk": c.pk}


def other_branch_candidate(w: World) -> dict[str, int]:
    c = Candidate.objects.filter(branch=w.branch_b).first() or candidate_create(
        staff=make_staff(w.dept_b1, "外科申请人"), branch=w.branch_b
    )
    return {"pk": c.pk}


CASES = [
    Case("development:candidate_list", allowed=MANAGERS),
    Case(
        "development:candidate_list",
        allowed=MANAGERS,
        query="export=xlsx",
        label="export:development:candidate_list",
    ),
    Case("development:candidate_create", allowed=MANAGERS),
    Case(
        "development:candidate_detail",
        allowed=MANAGERS | {Role.STAFF},
        kwargs=own_candidate,
        per_role=OTHERS_404,
    ),
    Case(
        "development:candidate_detail",
        allowed={Role.PARTY_OFFICE},
        kwargs=other_branch_candidate,
        per_role={**OTHERS_404, Role.BRANCH_SECRETARY: 404, Role.STAFF: 404},
        label="other-branch:development:candidate_detail",
    ),
    Case(
        "development:candidate_docx",
        allowed=MANAGERS | {Role.STAFF},
        kwargs=own_candidate,
        per_role=OTHERS_404,
    ),
    Case(
        "development:step_record",
        allowed=MANAGERS,
        kwargs=own_candidate,
        method="post",
        data=lambda w: {},
    ),
    Case(
        "development:candidate_extend",
        allowed=MANAGERS,
        kwargs=own_candidate,
        method="post",
        data=lambda w: {},
        ok_status=302,
    ),
]
