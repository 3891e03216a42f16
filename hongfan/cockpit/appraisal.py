"""Indicators of the national appraisal of public hospitals (三级公立医院绩效考核) and of the
Party-building appraisal (公立医院党建工作考核) that the platform computes.

Each row names the figure of a cockpit panel it comes from; indicators whose module has not
landed yet are listed with "no data" rather than a made-up value.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from hongfan.cockpit import registry, selectors
from hongfan.cockpit.registry import FigureContext

# (appraisal, indicator, figure key or "" when no module computes it yet, source)
INDICATORS: list[tuple[Any, Any, str]] = [
    (_l("Party-building appraisal"), _l("Members in post"), "membership.members_in_post"),
    (
        _l("Party-building appraisal"),
        _l("Share of members among professional-technical staff"),
        "membership.professional_pct",
    ),
    (
        _l("Party-building appraisal"),
        _l("Share of members among senior-title staff"),
        "membership.senior_pct",
    ),
    (
        _l("Party-building appraisal"),
        _l("Share of members among master's and doctorates"),
        "membership.postgraduate_pct",
    ),
    (
        _l("Party-building appraisal"),
        _l("Branch secretaries who are dual leaders (双带头人)"),
        "membership.dual_leader_pct",
    ),
    (
        _l("Party-building appraisal"),
        _l("Organisational-life requirements met (三会一课)"),
        "orglife.compliance_pct",
    ),
    (_l("Party-building appraisal"), _l("Party dues payment rate"), "dues.payment_pct"),
    (
        _l("Party-building appraisal"),
        _l("Supervised matters closed on time"),
        "matters.on_time_pct",
    ),
    (_l("National appraisal"), _l("Complaints answered on time"), "complaints.on_time_pct"),
    (_l("National appraisal"), _l("Outpatient satisfaction"), ""),
    (_l("National appraisal"), _l("Inpatient satisfaction"), ""),
    (_l("National appraisal"), _l("Staff satisfaction"), ""),
]


def appraisal_rows(ctx: FigureContext) -> list[tuple[str, str, str, str, str]]:
    """(appraisal, indicator, value, placeholder, remark) for every indicator."""
    known = registry.known_figures()
    visible = [k for _a, _i, k in INDICATORS if k and k in known]
    allowed = [k for k in visible if registry.get(k.split(".")[0]).visible_to(ctx.user)]  # type: ignore[union-attr]
    figures = selectors.figure_values(ctx, allowed)
    rows = []
    for appraisal, indicator, key in INDICATORS:
        if not key or key not in known:
            rows.append((str(appraisal), str(indicator), "", key, _("No module computes it yet")))
        elif key not in figures:
            rows.append((str(appraisal), str(indicator), "", key, _("Not in your scope")))
        else:
            f = figures[key]
            rows.append((str(appraisal), str(indicator), f.display, key, ""))
    return rows
