from hongfan.accounts.roles import ADMIN_ROLES, Role
from hongfan.core.matrix import ALL_ROLES, Case
from hongfan.core.testing import World
from hongfan.learning.models import BranchBrand
from hongfan.learning.services import brand_save
from hongfan.learning.tests.factories import activity_for, open_contest

STAFF_ROLES = set(ALL_ROLES) - set(ADMIN_ROLES)
MANAGERS = {Role.PARTY_OFFICE, Role.BRANCH_SECRETARY}
ADMINS_403 = {r: 403 for r in ADMIN_ROLES}


def branded_branch_a(w: World) -> dict[str, int]:
    if not BranchBrand.objects.filter(organisation=w.branch_a).exists():
        brand_save(organisation=w.branch_a, name="心佑先锋")
    return {"pk": w.branch_a.pk}


CASES = [
    Case("learning:activity_list", allowed=STAFF_ROLES),
    Case("learning:activity_create", allowed=MANAGERS),
    Case(
        "learning:activity_detail",
        allowed=MANAGERS,
        denied_status=404,
        per_role=ADMINS_403,
        kwargs=lambda w: {"pk": activity_for(w).pk},
    ),
    Case("learning:hours_report", allowed=MANAGERS),
    Case("learning:question_list", allowed={Role.PARTY_OFFICE}),
    Case("learning:contest_list", allowed=STAFF_ROLES),
    # Only Party members take part: secretary_a is one; the other staff users are not.
    Case(
        "learning:contest_take",
        allowed={Role.BRANCH_SECRETARY},
        kwargs=lambda w: {"pk": open_contest().pk},
    ),
    Case("learning:contest_results", allowed=MANAGERS, kwargs=lambda w: {"pk": open_contest().pk}),
    Case("learning:brand_list", allowed=MANAGERS),
    Case("learning:brand_edit", allowed=MANAGERS, kwargs=lambda w: {"pk": w.branch_a.pk}),
    Case(
        "learning:brand_edit",
        allowed={Role.PARTY_OFFICE},
        kwargs=lambda w: {"pk": w.branch_b.pk},
        per_role={Role.BRANCH_SECRETARY: 404},
        label="get:learning:brand_edit(branch_b)",
    ),
    # Creating a contest and evaluating a brand belong to the Party office alone.
    Case(
        "learning:contest_list",
        allowed={Role.PARTY_OFFICE},
        method="post",
        data=lambda w: {},
        label="post:learning:contest_list (create a contest)",
    ),
    Case(
        "learning:brand_edit",
        allowed={Role.PARTY_OFFICE},
        kwargs=branded_branch_a,
        method="post",
        data=lambda w: {"action": "evaluate", "score": "95"},
        ok_status=302,
        label="post:learning:brand_edit (evaluate)",
    ),
]
