"""Permission matrix of the integrity pages (hongfan/core/matrix.py).

The discipline office (``integrity.manage``) runs everything; the Party office reads the
dashboards (``integrity.view``); every staff member uses the self-service pages. Reports are
read by the discipline office only (``loops.integrity``). The three administrators have no
staff record (403 on the self-service pages). The anonymous report pages are public.
"""

from __future__ import annotations

from typing import Any

from hongfan.accounts.roles import Role
from hongfan.core.matrix import Case
from hongfan.core.testing import World
from hongfan.integrity.tests import factories as f

ADMINS = {Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN}
STAFF_ROLES = set(Role.values) - ADMINS
OFFICE = {Role.DISCIPLINE}
VIEWERS = {Role.DISCIPLINE, Role.PARTY_OFFICE}


def _pk(factory: Any) -> Any:
    return lambda w: {"pk": factory(w).pk}


def _signature(w: World) -> dict[str, Any]:
    c = f.campaign(w)
    return {"pk": c.signatures.get(staff=w.staff["plain_a1"]).pk}


def _attachment(w: World) -> dict[str, Any]:
    from django.core.files.uploadedfile import SimpleUploadedFile

    r, _code = f.anonymous_report(
        files=[SimpleUploadedFile("证据.txt", "证据".encode(), "text/plain")]
    )
    return {"pk": r.pk, "att_pk": r.attachments.first().pk}


def _own(allowed: set[str]) -> dict[str, int]:
    """404 for staff roles outside ``allowed`` (the record is not theirs)."""
    return {r: 404 for r in STAFF_ROLES - allowed}


CASES = [
    Case("integrity:dashboard", allowed=VIEWERS),
    Case("integrity:my", allowed=STAFF_ROLES),
    # Letters
    Case("integrity:letters", allowed=VIEWERS),
    Case("integrity:template_create", allowed=OFFICE),
    Case("integrity:template_edit", allowed=OFFICE, kwargs=lambda w: {"pk": f.template().pk}),
    Case("integrity:campaign_create", allowed=OFFICE),
    Case("integrity:campaign_detail", allowed=VIEWERS, kwargs=_pk(f.campaign)),
    Case(
        "integrity:campaign_close",
        allowed=OFFICE,
        kwargs=_pk(f.campaign),
        method="post",
        ok_status=302,
    ),
    Case(
        "integrity:sign",
        allowed={Role.STAFF},
        kwargs=_signature,
        per_role=_own({Role.STAFF}),
    ),
    # Risk register
    Case("integrity:risks", allowed=VIEWERS),
    Case("integrity:risk_create", allowed=OFFICE),
    Case("integrity:risk_detail", allowed=VIEWERS, kwargs=_pk(f.risk_point)),
    Case("integrity:risk_edit", allowed=OFFICE, kwargs=_pk(f.risk_point)),
    # Reminders
    Case("integrity:reminders", allowed=VIEWERS),
    Case("integrity:keydate_create", allowed=OFFICE),
    Case("integrity:keydate_edit", allowed=OFFICE, kwargs=lambda w: {"pk": f.key_date().pk}),
    Case("integrity:reminder_detail", allowed=VIEWERS, kwargs=_pk(f.reminder)),
    Case(
        "integrity:reminder_send",
        allowed=OFFICE,
        kwargs=_pk(f.reminder),
        method="post",
        ok_status=302,
    ),
    Case(
        "integrity:reminder_read",
        allowed=STAFF_ROLES,
        kwargs=lambda w: {"pk": f.reminder(w, sent=True).pk},
        denied_status=403,
    ),
    # Self-checks
    Case("integrity:selfchecks", allowed=VIEWERS),
    Case("integrity:selfcheck_create", allowed=OFFICE),
    Case("integrity:selfcheck_detail", allowed=VIEWERS, kwargs=_pk(f.selfcheck_campaign)),
    Case("integrity:selfcheck_fill", allowed=STAFF_ROLES, kwargs=_pk(f.selfcheck_campaign)),
    # 红包 register
    Case("integrity:envelopes", allowed=STAFF_ROLES),
    Case("integrity:envelope_create", allowed=STAFF_ROLES),
    Case(
        "integrity:envelope_detail",
        allowed={Role.STAFF, Role.DISCIPLINE},
        kwargs=_pk(f.envelope),
        per_role=_own({Role.STAFF, Role.DISCIPLINE}),
    ),
    Case(
        "integrity:envelope_receipt",
        allowed={Role.STAFF, Role.DISCIPLINE},
        kwargs=_pk(f.envelope),
        per_role=_own({Role.STAFF, Role.DISCIPLINE}),
    ),
    Case(
        "integrity:envelope_decide",
        allowed=OFFICE,
        kwargs=_pk(f.envelope),
        method="post",
        ok_status=302,
    ),
    # 四必谈
    Case("integrity:talks", allowed=STAFF_ROLES),
    Case("integrity:talk_create", allowed=STAFF_ROLES),
    Case(
        "integrity:talk_detail",
        allowed={Role.STAFF, Role.DISCIPLINE, Role.DEPARTMENT_HEAD, Role.BRANCH_SECRETARY},
        kwargs=_pk(f.family_event),
        per_role=_own({Role.STAFF, Role.DISCIPLINE, Role.DEPARTMENT_HEAD, Role.BRANCH_SECRETARY}),
    ),
    # Warning education
    Case("integrity:education", allowed=VIEWERS),
    Case("integrity:session_create", allowed=OFFICE),
    Case("integrity:session_detail", allowed=VIEWERS, kwargs=_pk(f.session)),
    Case("integrity:session_edit", allowed=OFFICE, kwargs=_pk(f.session)),
    Case("integrity:material", allowed=VIEWERS, kwargs=_pk(f.material)),
    # Reports: only the discipline office reads them
    Case("integrity:reports", allowed=OFFICE),
    Case(
        "integrity:report_detail",
        allowed=OFFICE,
        kwargs=lambda w: {"pk": f.anonymous_report()[0].pk},
    ),
    Case(
        "integrity:report_detail",
        allowed=OFFICE,
        kwargs=lambda w: {"pk": f.named_report(w).pk},
        label="get:integrity:report_detail:named",
    ),
    Case("integrity:report_attachment", allowed=OFFICE, kwargs=_attachment),
    Case("integrity:report_named", allowed=STAFF_ROLES),
    Case(
        "integrity:report_mine",
        allowed={Role.STAFF},
        kwargs=_pk(f.named_report),
        per_role=_own({Role.STAFF}),
    ),
    Case("integrity:anonymous_report", allowed=set(Role.values), anonymous_status=200),
    Case("integrity:anonymous_follow", allowed=set(Role.values), anonymous_status=200),
    # Service code
    Case("integrity:code_list", allowed=STAFF_ROLES),
    Case("integrity:code_create", allowed=OFFICE),
    Case(
        "integrity:code_detail", allowed=STAFF_ROLES, kwargs=lambda w: {"pk": f.code_document().pk}
    ),
    Case("integrity:code_edit", allowed=OFFICE, kwargs=lambda w: {"pk": f.code_document().pk}),
]
