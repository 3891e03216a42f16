"""Permission matrix of the cockpit pages (hongfan/core/matrix.py).

The cockpit is open to the offices, the discipline office, medical affairs and branch
secretaries (each sees only their panels and scope); reports and the appraisal export to the
Party office and the president's office; editing templates to the Party office only.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from hongfan.accounts.roles import Role
from hongfan.core.matrix import Case
from hongfan.core.testing import World

COCKPIT = {
    Role.PARTY_OFFICE,
    Role.PRESIDENT_OFFICE,
    Role.DISCIPLINE,
    Role.MEDICAL_AFFAIRS,
    Role.BRANCH_SECRETARY,
}
REPORTS = {Role.PARTY_OFFICE, Role.PRESIDENT_OFFICE}
TEMPLATES = {Role.PARTY_OFFICE}


def _template(w: World) -> Any:
    from hongfan.cockpit.tests.factories import template

    return template(w)


def _template_pk(w: World) -> dict[str, Any]:
    return {"pk": _template(w).pk}


def _report(w: World) -> Any:
    from hongfan.cockpit import services
    from hongfan.cockpit.models import GeneratedReport

    existing = GeneratedReport.objects.first()
    if existing is not None:
        return existing
    return services.report_generate(
        template=_template(w),
        year=2025,
        quarter=None,
        actor=w.user(Role.PARTY_OFFICE),
        today=dt.date(2026, 11, 23),
    )


CASES = [
    Case("cockpit:dashboard", allowed=COCKPIT),
    Case("cockpit:dashboard", label="xlsx:cockpit:dashboard", allowed=COCKPIT, query="export=xlsx"),
    Case("cockpit:appraisal_export", allowed=REPORTS),
    Case("cockpit:template_list", allowed=REPORTS),
    Case("cockpit:template_create", allowed=TEMPLATES),
    Case("cockpit:template_edit", allowed=TEMPLATES, kwargs=_template_pk),
    Case(
        "cockpit:template_create",
        label="post:cockpit:template_create",
        allowed=TEMPLATES,
        method="post",
        data=lambda w: {
            "name": "新模板",
            "kind": "annual",
            "title": "{{ period.label }}报告",
            "body": "党员 {{ membership.members_in_post }} 名",
            "is_active": "on",
        },
        ok_status=302,
    ),
    Case("cockpit:report_list", allowed=REPORTS),
    Case("cockpit:report_create", allowed=REPORTS),
    Case(
        "cockpit:report_create",
        label="post:cockpit:report_create",
        allowed=REPORTS,
        method="post",
        data=lambda w: {"template": _template(w).pk, "year": 2025},
        ok_status=302,
        # The template names organisational-life and dues figures, panels the president's
        # office does not see: the form comes back naming them, nothing is generated.
        per_role={Role.PRESIDENT_OFFICE: 200},
    ),
    Case("cockpit:report_detail", allowed=REPORTS, kwargs=lambda w: {"pk": _report(w).pk}),
    Case(
        "cockpit:report_file",
        allowed=REPORTS,
        kwargs=lambda w: {"pk": _report(w).pk, "fmt": "pdf"},
    ),
]
