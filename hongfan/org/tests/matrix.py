"""Who may open which page of the org app (run by core's permission-matrix test)."""

from hongfan.accounts.roles import Role
from hongfan.core.matrix import Case

R = Role
ORG_VIEWERS = {
    R.PARTY_OFFICE,
    R.BRANCH_SECRETARY,
    R.DISCIPLINE,
    R.MEDICAL_AFFAIRS,
    R.PRESIDENT_OFFICE,
    R.DEPARTMENT_HEAD,
}
STRUCTURE_VIEWERS = ORG_VIEWERS | {R.SYSTEM_ADMIN}
HOSPITAL_WIDE_VIEWERS = {R.PARTY_OFFICE, R.DISCIPLINE, R.MEDICAL_AFFAIRS, R.PRESIDENT_OFFICE}
OUT_OF_SCOPE = {R.BRANCH_SECRETARY: 404, R.DEPARTMENT_HEAD: 404}

CASES = [
    Case("org:institution_list", allowed=STRUCTURE_VIEWERS),
    Case("org:department_list", allowed=STRUCTURE_VIEWERS),
    Case(
        "org:department_detail",
        allowed=STRUCTURE_VIEWERS,
        kwargs=lambda w: {"pk": w.dept_a1.pk},
    ),
    Case(
        "org:department_detail",
        allowed=HOSPITAL_WIDE_VIEWERS | {R.SYSTEM_ADMIN},
        kwargs=lambda w: {"pk": w.dept_b1.pk},
        per_role=OUT_OF_SCOPE,
        label="org:department_detail (another branch's department)",
    ),
    Case("org:department_create", allowed={R.SYSTEM_ADMIN, R.PARTY_OFFICE}),
    Case(
        "org:department_edit",
        allowed={R.SYSTEM_ADMIN, R.PARTY_OFFICE},
        kwargs=lambda w: {"pk": w.dept_a1.pk},
    ),
    Case("org:staff_list", allowed=ORG_VIEWERS),
    Case(
        "org:staff_detail",
        allowed=ORG_VIEWERS | {R.STAFF},  # plain_a1 is the staff role's own record
        kwargs=lambda w: {"pk": w.staff["plain_a1"].pk},
    ),
    Case(
        "org:staff_detail",
        allowed=HOSPITAL_WIDE_VIEWERS,
        kwargs=lambda w: {"pk": w.staff["plain_b1"].pk},
        per_role={**OUT_OF_SCOPE, R.STAFF: 404},
        label="org:staff_detail (out of scope)",
    ),
    Case("org:staff_create", allowed={R.PARTY_OFFICE}),
    Case(
        "org:staff_edit",
        allowed={R.PARTY_OFFICE},
        kwargs=lambda w: {"pk": w.staff["plain_a1"].pk},
    ),
    Case(
        "org:staff_reveal",
        allowed={R.PARTY_OFFICE},
        method="post",
        kwargs=lambda w: {"pk": w.staff["plain_a1"].pk},
    ),
]
