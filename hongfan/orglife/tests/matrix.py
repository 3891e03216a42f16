from hongfan.accounts.roles import ADMIN_ROLES, Role
from hongfan.core.matrix import ALL_ROLES, Case
from hongfan.orglife.models import FrequencyRule
from hongfan.orglife.tests.factories import campaign_for, file_for, meeting_for, token_for

STAFF_ROLES = set(ALL_ROLES) - set(ADMIN_ROLES)
MANAGERS = {Role.PARTY_OFFICE, Role.BRANCH_SECRETARY}
ADMINS_403 = {r: 403 for r in ADMIN_ROLES}


def _a(w):
    return {"pk": meeting_for(w.branch_a).pk}


def _b(w):
    return {"pk": meeting_for(w.branch_b).pk}


CASES = [
    Case("orglife:meeting_list", allowed=STAFF_ROLES),
    Case("orglife:meeting_plan", allowed=MANAGERS),
    Case("orglife:year_plan", allowed=MANAGERS),
    Case(
        "orglife:meeting_detail",
        allowed=MANAGERS,
        kwargs=_a,
        denied_status=404,
        per_role=ADMINS_403,
    ),
    Case(
        "orglife:meeting_detail",
        allowed={Role.PARTY_OFFICE},
        kwargs=_b,
        denied_status=404,
        per_role=ADMINS_403,
        label="get:orglife:meeting_detail(branch_b)",
    ),
    Case("orglife:meeting_record", allowed=MANAGERS, kwargs=_a),
    Case(
        "orglife:meeting_record",
        allowed={Role.PARTY_OFFICE},
        kwargs=_b,
        per_role={Role.BRANCH_SECRETARY: 404},
        label="get:orglife:meeting_record(branch_b)",
    ),
    Case("orglife:meeting_file_upload", allowed=MANAGERS, kwargs=_a, method="post", ok_status=302),
    Case(
        "orglife:meeting_file_download",
        allowed=MANAGERS,
        denied_status=404,
        per_role=ADMINS_403,
        kwargs=lambda w: {"pk": file_for(meeting_for(w.branch_a)).pk},
    ),
    Case("orglife:meeting_qr", allowed=MANAGERS, kwargs=_a),
    Case(
        "orglife:meeting_qr",
        allowed={Role.PARTY_OFFICE},
        kwargs=_b,
        per_role={Role.BRANCH_SECRETARY: 404},
        label="get:orglife:meeting_qr(branch_b)",
    ),
    # Only members of the meeting's branch may sign in: secretary_a is one, nobody else is.
    Case(
        "orglife:sign_in", allowed={Role.BRANCH_SECRETARY}, kwargs=lambda w: {"token": token_for(w)}
    ),
    Case("orglife:compliance_matrix", allowed=MANAGERS),
    Case("orglife:compliance_branch", allowed=MANAGERS, kwargs=lambda w: {"pk": w.branch_a.pk}),
    Case(
        "orglife:compliance_branch",
        allowed={Role.PARTY_OFFICE},
        kwargs=lambda w: {"pk": w.branch_b.pk},
        per_role={Role.BRANCH_SECRETARY: 404},
        label="get:orglife:compliance_branch(branch_b)",
    ),
    Case("orglife:rule_list", allowed=MANAGERS),
    Case("orglife:rule_add", allowed={Role.PARTY_OFFICE}),
    Case(
        "orglife:rule_edit",
        allowed={Role.PARTY_OFFICE},
        kwargs=lambda w: {"pk": FrequencyRule.objects.order_by("pk").first().pk},
    ),
    Case("orglife:settings_edit", allowed={Role.PARTY_OFFICE}),
    Case("orglife:campaign_list", allowed=STAFF_ROLES),
    Case(
        "orglife:campaign_detail",
        allowed=MANAGERS,
        kwargs=lambda w: {"pk": campaign_for(w.branch_a).pk},
    ),
    Case(
        "orglife:campaign_detail",
        allowed={Role.PARTY_OFFICE},
        kwargs=lambda w: {"pk": campaign_for(w.branch_b).pk},
        per_role={Role.BRANCH_SECRETARY: 404},
        label="get:orglife:campaign_detail(branch_b)",
    ),
    # Members of branch_a only (secretary_a); others see no such review.
    Case(
        "orglife:review_self",
        allowed={Role.BRANCH_SECRETARY},
        denied_status=404,
        per_role=ADMINS_403,
        kwargs=lambda w: {"pk": campaign_for(w.branch_a).pk},
    ),
    Case(
        "orglife:review_mutual",
        allowed={Role.BRANCH_SECRETARY},
        denied_status=404,
        per_role=ADMINS_403,
        kwargs=lambda w: {"pk": campaign_for(w.branch_a).pk},
    ),
    Case(
        "orglife:review_vote",
        allowed={Role.BRANCH_SECRETARY},
        denied_status=404,
        per_role=ADMINS_403,
        kwargs=lambda w: {"pk": campaign_for(w.branch_a).pk},
    ),
    Case(
        "orglife:member_reviews",
        allowed=MANAGERS,
        denied_status=404,
        per_role=ADMINS_403,
        kwargs=lambda w: {"pk": w.members["member_a"].pk},
    ),
    Case(
        "orglife:member_reviews",
        allowed={Role.PARTY_OFFICE},
        denied_status=404,
        per_role=ADMINS_403,
        kwargs=lambda w: {"pk": w.members["member_b"].pk},
        label="get:orglife:member_reviews(branch_b)",
    ),
]
