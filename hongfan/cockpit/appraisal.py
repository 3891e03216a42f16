"""Indicators of the national appraisal of public hospitals (三级公立医院绩效考核) and of the
Party-building appraisal (公立医院党建工作考核) that the platform computes.

Each row names the figure of a cockpit panel it comes from; indicators whose module has not
landed yet are listed with "no data" rather than a made-up value.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hongfan.cockpit import registry, selectors
from hongfan.cockpit.registry import FigureContext

# (appraisal, indicator, figure key or "" when no module computes it yet, source)
INDICATORS: list[tuple[Any, Any, str]] = [
    (
        gettext_lazy("Party-building appraisal"),
        gettext_lazy("Members in post"),
        "membership.members_in_post",
    ),
    (
        gettext_lazy("Party-building appraisal"),
        gettext_lazy("Share of members among professional-technical staff"),
        "membership.professional_pct",
    ),
    (
        gettext_lazy("Party-building appraisal"),
        gettext_lazy("Share of members among senior-title staff"),
        "membership.senior_pct",
    ),
    (
        gettext_lazy("Party-building appraisal"),
        gettext_lazy("Share of members among master's and doctorates"),
        "membership.postgraduate_pct",
    ),
    (
        gettext_lazy("Party-building appraisal"),
        gettext_lazy("Branch secretaries who are dual leaders (双带头人)"),
        "membership.dual_leader_pct",
    ),
    (
        gettext_lazy("Party-building appraisal"),
        gettext_lazy("Organisational-life requirements met (三会一课)"),
        "orglife.compliance_pct",
    ),
    (
        gettext_lazy("Party-building appraisal"),
        gettext_lazy("Party dues payment rate"),
        "dues.payment_pct",
    ),
    (
        gettext_lazy("Party-building appraisal"),
        gettext_lazy("Supervised matters closed on time"),
        "matters.on_time_pct",
    ),
    (
        gettext_lazy("National appraisal"),
        gettext_lazy("Complaints answered on time"),
        "complaints.on_time_pct",
    ),
    (
        gettext_lazy("National appraisal"),
        gettext_lazy("Outpatient satisfaction"),
        "satisfaction.outpatient_pct",
    ),
    (
        gettext_lazy("National appraisal"),
        gettext_lazy("Inpatient satisfaction"),
        "satisfaction.inpatient_pct",
    ),
    (
        gettext_lazy("National appraisal"),
        gettext_lazy("Staff satisfaction"),
        "satisfaction.staff_pct",
    ),
    # Rational drug use (合理用药) indicators of the national appraisal, from the clinical module.
    (
        gettext_lazy("National appraisal"),
        gettext_lazy("Share of outpatient prescriptions reviewed"),
        "clinical_indicators.review_ratio",
    ),
    (
        gettext_lazy("National appraisal"),
        gettext_lazy("Antibiotic use density (DDDs per 100 patient-days)"),
        "clinical_indicators.aud",
    ),
    (
        gettext_lazy("National appraisal"),
        gettext_lazy("Outpatient prescriptions with an essential drug"),
        "clinical_indicators.op_essential_rx_share",
    ),
    (
        gettext_lazy("National appraisal"),
        gettext_lazy("Inpatients using essential drugs"),
        "clinical_indicators.ip_essential_use_rate",
    ),
    (
        gettext_lazy("National appraisal"),
        gettext_lazy("Revenue share of key-monitored drugs"),
        "clinical_indicators.key_drug_share",
    ),
    (
        gettext_lazy("National appraisal"),
        gettext_lazy("Revenue share of key-governed consumables"),
        "clinical_indicators.key_consumable_share",
    ),
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
