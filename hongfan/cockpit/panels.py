"""The cockpit's panels. Each provider reads the owning app's selectors for a FigureContext.

Panels of apps still being built (patient voice, integrity, clinical analytics, outreach and
honours) are added here when their selectors land; until then the cockpit shows no panel for
them rather than a made-up figure.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.db.models import Avg, Count, F, Q
from django.db.models.functions import TruncMonth
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hongfan.accounts.roles import Cap
from hongfan.cockpit.registry import Figure, FigureContext, Panel, PanelData, register
from hongfan.party.selectors import percent

RED = ["#c8102e", "#f0a020", "#5470c6", "#91cc75", "#73c0de", "#9a60b4", "#ea7ccc"]


def url(name: str, **params: Any) -> str:
    base = reverse(name)
    params = {k: v for k, v in params.items() if v not in (None, "")}
    return f"{base}?{urlencode(params)}" if params else base


def bar_chart(
    categories: list[str], series: list[tuple[str, list[Any]]], *, stack: bool = False
) -> dict[str, Any]:
    return {
        "color": RED,
        "tooltip": {"trigger": "axis"},
        "legend": {"top": 0} if len(series) > 1 else {"show": False},
        "grid": {"left": 8, "right": 8, "bottom": 8, "top": 32, "containLabel": True},
        "xAxis": {
            "type": "category",
            "data": categories,
            "axisLabel": {"interval": 0, "rotate": 30},
        },
        "yAxis": {"type": "value", "minInterval": 1},
        "series": [
            {"type": "bar", "name": name, "data": data, **({"stack": "t"} if stack else {})}
            for name, data in series
        ],
    }


# --- membership and structure (hongfan.party) ------------------------------------------------


def membership(ctx: FigureContext) -> PanelData:
    from hongfan.party import selectors as party

    org_ids = None if ctx.hospital_wide else party.composition_scope_ids(ctx.user)
    c = party.composition(
        on=ctx.on,
        institution_id=ctx.institution_id if ctx.hospital_wide else None,
        organisation_ids=org_ids,
    )
    members = party.member_visible_to(ctx.user).filter(party.member_in_post_q(ctx.on))
    if org_ids is not None:  # the scope holds the secretary's branch and its groups
        members = members.filter(organisation_id__in=ctx.user.scope.organisation_ids)
    if ctx.institution_id and ctx.hospital_wide:
        members = members.filter(staff__institution_id=ctx.institution_id)
    rows = list(
        members.order_by()
        .values("organisation_id", "organisation__name")
        .annotate(n=Count("pk"))
        .order_by("-n", "organisation__name")[:15]
    )
    comp = url("party:composition", date=ctx.on.isoformat(), institution=ctx.institution_id or "")
    branch = org_ids[0] if org_ids and len(org_ids) == 1 else ""
    figures = [
        Figure(
            "members_in_post",
            _("Members in post"),
            c.members_in_post,
            url=url("party:member_list", organisation=branch),
        ),
        Figure(
            "professional_pct", _("Professional-technical share"), c.professional_pct, "%", comp
        ),
        Figure("senior_pct", _("Members among senior titles"), c.senior_pct, "%", comp),
        Figure("postgraduate_pct", _("Members among postgraduates"), c.postgraduate_pct, "%", comp),
        Figure("branches", _("Branches"), c.branches, url=url("party:tree")),
        Figure("dual_leader_pct", _("Dual-leader secretaries"), c.dual_leader_pct, "%", comp),
    ]
    return PanelData(
        figures=figures,
        chart=bar_chart(
            [r["organisation__name"] for r in rows], [(_("Members"), [r["n"] for r in rows])]
        )
        if rows
        else None,
        chart_urls=[url("party:member_list", organisation=r["organisation_id"]) for r in rows],
        has_data=c.members_in_post > 0,
        links=[(_("Composition figures"), comp), (_("Member list"), figures[0].url)],
    )


register(
    Panel(
        key="membership",
        label=gettext_lazy("Membership and structure"),
        capabilities=(Cap.COMPOSITION_VIEW,),
        figures={
            "members_in_post": gettext_lazy("Members in post"),
            "professional_pct": gettext_lazy("Professional-technical share"),
            "senior_pct": gettext_lazy("Members among senior titles"),
            "postgraduate_pct": gettext_lazy("Members among postgraduates"),
            "branches": gettext_lazy("Branches"),
            "dual_leader_pct": gettext_lazy("Dual-leader secretaries"),
        },
        provider=membership,
        source="party",
        order=10,
    )
)


# --- organisational-life compliance (hongfan.orglife) ---------------------------------------


def orglife(ctx: FigureContext) -> PanelData:
    from hongfan.orglife import selectors as orglife_selectors

    branches = orglife_selectors.branches_managed_by(ctx.user)
    if ctx.institution_id and ctx.hospital_wide:
        branches = branches.filter(institution_id=ctx.institution_id)
    matrix = orglife_selectors.compliance_for_year(branches, ctx.period.year, today=ctx.today)
    start, end = ctx.period.start, ctx.period.end
    met = missed = open_ = 0
    fully = 0
    per_kind: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for row in matrix.rows:
        row_missed = 0
        for r in row.requirements:
            if r.start < start or r.end > end:
                continue
            if r.status == "met":
                met += 1
                per_kind[r.kind_label][0] += 1
            elif r.status == "missed":
                missed += 1
                row_missed += 1
                per_kind[r.kind_label][1] += 1
            elif r.status == "open":
                open_ += 1
        fully += row_missed == 0
    link = url("orglife:compliance_matrix", year=ctx.period.year)
    kinds = sorted(per_kind)
    return PanelData(
        figures=[
            Figure("branches", _("Branches assessed"), len(matrix.rows), url=link),
            Figure("requirements_met", _("Requirements met"), met, url=link),
            Figure("requirements_missed", _("Requirements missed"), missed, url=link),
            Figure("compliance_pct", _("Compliance rate"), percent(met, met + missed), "%", link),
            Figure("branches_compliant", _("Branches with nothing missed"), fully, url=link),
        ],
        chart=bar_chart(
            kinds,
            [
                (_("Met"), [per_kind[k][0] for k in kinds]),
                (_("Missed"), [per_kind[k][1] for k in kinds]),
            ],
            stack=True,
        )
        if kinds
        else None,
        chart_urls=[link for _k in kinds],
        has_data=bool(matrix.rows) and (met + missed + open_) > 0,
        note=_("Requirements of the period that have ended; those still open are not counted."),
        links=[(_("Compliance matrix"), link)],
    )


register(
    Panel(
        key="orglife",
        label=gettext_lazy("Organisational-life compliance"),
        capabilities=(Cap.ORGLIFE_MANAGE,),
        figures={
            "branches": gettext_lazy("Branches assessed"),
            "requirements_met": gettext_lazy("Requirements met"),
            "requirements_missed": gettext_lazy("Requirements missed"),
            "compliance_pct": gettext_lazy("Compliance rate"),
            "branches_compliant": gettext_lazy("Branches with nothing missed"),
        },
        provider=orglife,
        source="orglife",
        order=20,
    )
)


# --- matters on time, complaints, integrity, clinical warnings (hongfan.loops) ---------------


def _matters_in(ctx: FigureContext, qs: Any) -> Any:
    qs = qs.filter(opened_at__gte=ctx.period.start_dt(), opened_at__lt=ctx.period.end_dt())
    if ctx.institution_id:
        qs = qs.filter(
            Q(owner_department__institution_id=ctx.institution_id)
            | Q(owner_department__isnull=True, owner__staff__institution_id=ctx.institution_id)
        )
    return qs


def _matter_totals(qs: Any, now: Any) -> dict[str, Any]:
    agg = qs.order_by().aggregate(
        total=Count("pk"),
        closed=Count("pk", filter=Q(closed_at__isnull=False)),
        on_time=Count("pk", filter=Q(closed_at__isnull=False, closed_at__lte=F("due_at"))),
        overdue_open=Count("pk", filter=Q(closed_at__isnull=True, due_at__lt=now)),
        rating=Avg("feedback_rating"),
    )
    agg["on_time_pct"] = percent(agg["on_time"], agg["closed"])
    if agg["rating"] is not None:
        agg["rating"] = Decimal(str(agg["rating"])).quantize(Decimal("0.01"))
    return agg


def matters(ctx: FigureContext) -> PanelData:
    from django.utils import timezone

    from hongfan.loops import selectors as loops

    now = timezone.now()
    qs = _matters_in(ctx, loops.board(ctx.user, filters={}, now=now, for_counts=True))
    t = _matter_totals(qs, now)
    rows = list(
        qs.order_by()
        .values("type__code", "type__name")
        .annotate(
            on_time=Count("pk", filter=Q(closed_at__isnull=False, closed_at__lte=F("due_at"))),
            late=Count("pk", filter=Q(closed_at__isnull=False, closed_at__gt=F("due_at"))),
            open=Count("pk", filter=Q(closed_at__isnull=True)),
        )
        .order_by("type__code")
    )
    names = [_(r["type__name"]) for r in rows]
    board = reverse("loops:board")
    return PanelData(
        figures=[
            Figure("total", _("Matters opened"), t["total"], url=board),
            Figure(
                "closed", _("Matters closed"), t["closed"], url=url("loops:board", status="closed")
            ),
            Figure(
                "on_time",
                _("Closed on time"),
                t["on_time"],
                url=url("loops:board", status="closed"),
            ),
            Figure(
                "on_time_pct",
                _("On-time rate"),
                t["on_time_pct"],
                "%",
                url=url("loops:stats"),
            ),
            Figure(
                "overdue_open",
                _("Open and overdue"),
                t["overdue_open"],
                url=url("loops:board", overdue="1"),
            ),
        ],
        chart=bar_chart(
            names,
            [
                (_("On time"), [r["on_time"] for r in rows]),
                (_("Late"), [r["late"] for r in rows]),
                (_("Open"), [r["open"] for r in rows]),
            ],
            stack=True,
        )
        if rows
        else None,
        chart_urls=[url("loops:board", type=r["type__code"]) for r in rows],
        has_data=t["total"] > 0,
        note=_("Matters opened in the period, of the types you supervise."),
        links=[(_("Supervision board"), board), (_("Statistics"), url("loops:stats"))],
    )


register(
    Panel(
        key="matters",
        label=gettext_lazy("Matters on time"),
        capabilities=(Cap.LOOPS_SUPERVISE,),
        figures={
            "total": gettext_lazy("Matters opened"),
            "closed": gettext_lazy("Matters closed"),
            "on_time": gettext_lazy("Closed on time"),
            "on_time_pct": gettext_lazy("On-time rate"),
            "overdue_open": gettext_lazy("Open and overdue"),
        },
        provider=matters,
        source="loops",
        order=30,
    )
)


def _typed_matters(
    ctx: FigureContext, codes: list[str], board_type: str, note: str
) -> tuple[dict[str, Any], dict[str, Any], list[str]]:
    """Totals and a monthly chart of the visible matters of some types."""
    from django.utils import timezone

    from hongfan.loops import selectors as loops

    now = timezone.now()
    qs = _matters_in(ctx, loops.matters_visible_to(ctx.user).filter(type__code__in=codes))
    t = _matter_totals(qs, now)
    rows = list(
        qs.order_by()
        .annotate(month=TruncMonth("opened_at"))
        .values("month")
        .annotate(
            n=Count("pk"),
            on_time=Count("pk", filter=Q(closed_at__isnull=False, closed_at__lte=F("due_at"))),
        )
        .order_by("month")
    )
    months = [f"{r['month']:%Y-%m}" for r in rows]
    chart = (
        bar_chart(
            months,
            [
                (_("Received"), [r["n"] for r in rows]),
                (_("Closed on time"), [r["on_time"] for r in rows]),
            ],
        )
        if rows
        else None
    )
    return t, chart, [url("loops:board", type=board_type) for _m in months]


def complaints(ctx: FigureContext) -> PanelData:
    t, chart, urls = _typed_matters(ctx, ["complaint"], "complaint", "")
    link = url("loops:board", type="complaint")
    return PanelData(
        figures=[
            Figure("received", _("Complaints received"), t["total"], url=link),
            Figure(
                "closed",
                _("Complaints answered"),
                t["closed"],
                url=url("loops:board", type="complaint", status="closed"),
            ),
            Figure("on_time_pct", _("Answered on time"), t["on_time_pct"], "%", link),
            Figure(
                "overdue_open",
                _("Open and overdue"),
                t["overdue_open"],
                url=url("loops:board", type="complaint", overdue="1"),
            ),
            Figure("rating", _("Complainants' rating of handling (1–5)"), t["rating"], url=link),
        ],
        chart=chart,
        chart_urls=urls,
        has_data=t["total"] > 0,
        note=_("Complaints recorded in the period (首诉负责制, answer within 5 working days)."),
        links=[(_("Complaints on the board"), link)],
    )


register(
    Panel(
        key="complaints",
        label=gettext_lazy("Complaints"),
        capabilities=(Cap.LOOPS_SUPERVISE,),
        figures={
            "received": gettext_lazy("Complaints received"),
            "closed": gettext_lazy("Complaints answered"),
            "on_time_pct": gettext_lazy("Answered on time"),
            "overdue_open": gettext_lazy("Open and overdue"),
            "rating": gettext_lazy("Complainants' rating of handling (1–5)"),
        },
        provider=complaints,
        source="loops",
        order=40,
    )
)


def integrity(ctx: FigureContext) -> PanelData:
    reports, chart, urls = _typed_matters(ctx, ["integrity_report"], "integrity_report", "")
    talks, _c, _u = _typed_matters(ctx, ["formal_talk"], "formal_talk", "")
    link = url("loops:board", type="integrity_report")
    return PanelData(
        figures=[
            Figure("reports_received", _("Integrity reports received"), reports["total"], url=link),
            Figure(
                "reports_concluded",
                _("Integrity reports concluded"),
                reports["closed"],
                url=url("loops:board", type="integrity_report", status="closed"),
            ),
            Figure(
                "reports_on_time_pct", _("Concluded on time"), reports["on_time_pct"], "%", link
            ),
            Figure(
                "talks",
                _("Formal talks (四必谈)"),
                talks["total"],
                url=url("loops:board", type="formal_talk"),
            ),
            Figure(
                "talks_done",
                _("Formal talks held"),
                talks["closed"],
                url=url("loops:board", type="formal_talk", status="closed"),
            ),
        ],
        chart=chart,
        chart_urls=urls,
        has_data=reports["total"] + talks["total"] > 0,
        note=_("Restricted: seen only by the discipline inspection office."),
        links=[(_("Integrity reports"), link)],
    )


register(
    Panel(
        key="integrity",
        label=gettext_lazy("Integrity work"),
        capabilities=(Cap.LOOPS_INTEGRITY,),
        figures={
            "reports_received": gettext_lazy("Integrity reports received"),
            "reports_concluded": gettext_lazy("Integrity reports concluded"),
            "reports_on_time_pct": gettext_lazy("Concluded on time"),
            "talks": gettext_lazy("Formal talks (四必谈)"),
            "talks_done": gettext_lazy("Formal talks held"),
        },
        provider=integrity,
        source="loops",
        order=60,
    )
)


def clinical(ctx: FigureContext) -> PanelData:
    t, chart, urls = _typed_matters(ctx, ["clinical_warning"], "clinical_warning", "")
    link = url("loops:board", type="clinical_warning")
    return PanelData(
        figures=[
            Figure("warnings", _("Clinical warnings"), t["total"], url=link),
            Figure(
                "closed",
                _("Warnings closed"),
                t["closed"],
                url=url("loops:board", type="clinical_warning", status="closed"),
            ),
            Figure("on_time_pct", _("Closed on time"), t["on_time_pct"], "%", link),
            Figure(
                "overdue_open",
                _("Open and overdue"),
                t["overdue_open"],
                url=url("loops:board", type="clinical_warning", overdue="1"),
            ),
        ],
        chart=chart,
        chart_urls=urls,
        has_data=t["total"] > 0,
        note=_("Clinical warnings followed by a formal talk (约谈), tracked as matters."),
        links=[(_("Clinical warnings"), link)],
    )


register(
    Panel(
        key="clinical",
        label=gettext_lazy("Clinical warnings and formal talks"),
        capabilities=(Cap.LOOPS_SUPERVISE_CLINICAL,),
        figures={
            "warnings": gettext_lazy("Clinical warnings"),
            "closed": gettext_lazy("Warnings closed"),
            "on_time_pct": gettext_lazy("Closed on time"),
            "overdue_open": gettext_lazy("Open and overdue"),
        },
        provider=clinical,
        source="loops",
        order=70,
    )
)


# --- clinical indicators: prescriptions against the national targets (hongfan.clinical) -----

CLINICAL_VIEW_CAPS = (Cap.CLINICAL_VIEW, Cap.CLINICAL_REVIEW, Cap.CLINICAL_MANAGE)
GREEN, GREY = "#3ba272", "#9e9e9e"


def _clinical_departments(ctx: FigureContext) -> set[int] | None:
    """The departments whose indicators count: None for every one.

    The clinical module's own rule decides (``department_ids_visible``: hospital-wide for
    medical affairs, the president's and the discipline office; a department head's own
    departments); the institution filter narrows a hospital-wide user to its departments.
    """
    from hongfan.clinical import selectors as clinical
    from hongfan.org.selectors import department_visible_to

    dept_ids = clinical.department_ids_visible(ctx.user)
    if dept_ids is None and ctx.institution_id:
        dept_ids = set(
            department_visible_to(ctx.user)
            .filter(institution_id=ctx.institution_id)
            .values_list("pk", flat=True)
        )
    return dept_ids


def _decimal(value: float | None) -> Decimal | None:
    if value is None:
        return None
    return Decimal(str(value)).quantize(Decimal("0.01"))


def _target_display(row: dict[str, Any]) -> str:
    if row["target"] is None:
        return "—"
    sign = "≥" if row["higher_is_better"] else "≤"
    unit = "%" if row["unit"] == "%" else ""
    return f"{sign} {_decimal(row['target'])}{unit}"


def clinical_indicators(ctx: FigureContext) -> PanelData:
    from hongfan.clinical import selectors as clinical

    start, end = ctx.period.start, ctx.period.end
    rows = clinical.indicators_vs_targets(start, end, _clinical_departments(ctx))
    month = clinical.latest_month(start, end) or ""  # the period's latest screened month

    sees_samples = any(
        ctx.user.has_capability(c) for c in (Cap.CLINICAL_REVIEW, Cap.CLINICAL_MANAGE)
    )

    def drill(key: str) -> str:
        if key == "review_ratio":  # the samples page is the pharmacists'; others: dashboard
            if sees_samples:
                return url("clinical:samples")
            return url("clinical:dashboard", month=month)
        return url("clinical:dashboard", month=month, indicator=key)

    figures, table = [], []
    for r in rows:
        unit = "%" if r["unit"] == "%" else ""
        f = Figure(r["key"], str(r["label"]), _decimal(r["value"]), unit, drill(r["key"]))
        figures.append(f)
        table.append(
            {
                "figure": f,
                "target": _target_display(r),
                "meets": r["meets"],
                "group": r["group"],
                "prescriptions": url("clinical:prescriptions", month=month, drill=r["drill"])
                if r["drill"] and month
                else "",
            }
        )
    charted = [r for r in rows if r["unit"] == "%" and r["target"] and r["value"] is not None]
    chart = None
    if charted:
        chart = {
            "color": [RED[0], RED[1]],
            "tooltip": {"trigger": "axis"},
            "legend": {"top": 0},
            "grid": {"left": 8, "right": 24, "bottom": 8, "top": 32, "containLabel": True},
            "xAxis": {"type": "value", "axisLabel": {"formatter": "{value}%"}},
            "yAxis": {
                "type": "category",
                "inverse": True,
                "data": [str(r["label"]) for r in charted],
            },
            "series": [
                {
                    "type": "bar",
                    "name": _("This period"),
                    "data": [
                        {
                            "value": float(_decimal(r["value"])),  # type: ignore[arg-type]
                            "itemStyle": {"color": GREEN if r["meets"] else RED[0]},
                        }
                        for r in charted
                    ],
                },
                {
                    "type": "scatter",
                    "name": _("Target"),
                    "symbol": "diamond",
                    "symbolSize": 12,
                    "data": [float(r["target"]) for r in charted],
                },
            ],
        }
    has_data = month != ""
    return PanelData(
        figures=figures,
        chart=chart,
        chart_urls=[drill(r["key"]) for r in charted],
        has_data=has_data,
        table=table,
        empty=_("No prescription data was imported for this period."),
        note=_(
            "Sums of the months in the period with imported data; a figure opens the clinical "
            "dashboard on the period's latest month."
        ),
        links=[(_("Clinical dashboard"), url("clinical:dashboard", month=month))]
        + ([(_("Review samples"), url("clinical:samples"))] if sees_samples else []),
    )


def _clinical_figures() -> dict[str, Any]:
    from hongfan.clinical import rules as clinical_rules

    figures: dict[str, Any] = {i.key: i.label for i in clinical_rules.INDICATORS}
    figures["review_ratio"] = gettext_lazy("Share of outpatient prescriptions reviewed")
    return figures


register(
    Panel(
        key="clinical_indicators",
        label=gettext_lazy("Clinical indicators"),
        capabilities=CLINICAL_VIEW_CAPS,
        figures=_clinical_figures(),
        provider=clinical_indicators,
        source="clinical",
        order=68,
    )
)


# --- Party dues (hongfan.dues) ----------------------------------------------------------------


def dues(ctx: FigureContext) -> PanelData:
    from hongfan.dues import selectors as dues_selectors

    qs = dues_selectors.assessments_visible_to(ctx.user).filter(
        month__gte=ctx.period.start, month__lte=ctx.period.end
    )
    if ctx.institution_id and ctx.hospital_wide:
        qs = qs.filter(organisation__institution_id=ctx.institution_id)
    total = dues_selectors.summary_total(qs)
    months = dues_selectors.summary_by_month(qs)
    link = url("dues:summary", year=ctx.period.year)
    return PanelData(
        figures=[
            Figure("due", _("Dues assessed (yuan)"), total.due, url=link),
            Figure("paid", _("Dues paid (yuan)"), total.paid, url=link),
            Figure("payment_pct", _("Payment rate"), total.rate, "%", link),
            Figure("arrears", _("Arrears (yuan)"), total.arrears, url=url("dues:arrears")),
        ],
        chart=bar_chart(
            [m.label for m in months],
            [(_("Payment rate (%)"), [float(m.rate) if m.rate is not None else 0 for m in months])],
        )
        if months
        else None,
        chart_urls=[
            url("dues:summary", year=m.month.year, month=m.month.month) for m in months if m.month
        ],
        has_data=total.members > 0,
        links=[(_("Dues summary"), link), (_("Arrears"), url("dues:arrears"))],
    )


register(
    Panel(
        key="dues",
        label=gettext_lazy("Party dues"),
        capabilities=(Cap.DUES_MANAGE,),
        figures={
            "due": gettext_lazy("Dues assessed (yuan)"),
            "paid": gettext_lazy("Dues paid (yuan)"),
            "payment_pct": gettext_lazy("Payment rate"),
            "arrears": gettext_lazy("Arrears (yuan)"),
        },
        provider=dues,
        source="dues",
        order=25,
    )
)


# --- outreach, mobilisation and honours (hongfan.outreach) -----------------------------------


def _outreach_scope(ctx: FigureContext) -> list[int] | None:
    """The organisations whose activities count: None for everything."""
    from hongfan.party import selectors as party

    if not ctx.hospital_wide:
        return sorted(ctx.user.scope.organisation_ids)
    if ctx.institution_id:
        return list(
            party.organisation_visible_to(ctx.user)
            .filter(institution_id=ctx.institution_id)
            .values_list("pk", flat=True)
        )
    return None


def outreach(ctx: FigureContext) -> PanelData:
    import datetime as dt

    from hongfan.outreach import selectors as outreach_selectors

    org_ids = _outreach_scope(ctx)
    start, end = ctx.period.start, ctx.period.end
    t = outreach_selectors.outreach_totals(start, end, organisation_ids=org_ids)
    cumulative = outreach_selectors.outreach_totals(
        dt.date(2000, 1, 1), end, organisation_ids=org_ids
    )
    d = outreach_selectors.deployment_totals(start, end, organisation_ids=org_ids)
    branch = org_ids[0] if not ctx.hospital_wide and org_ids and len(org_ids) == 1 else ""
    link = url(
        "outreach:activity_list", start=start.isoformat(), end=end.isoformat(), branch=branch
    )
    kinds = list(t["by_type"].items())
    return PanelData(
        figures=[
            Figure("activities", _("Outreach activities"), t["activities"], url=link),
            Figure("people_served", _("People served (人次)"), t["people_served"], url=link),
            Figure(
                "people_served_cumulative",
                _("People served, cumulative (人次)"),
                cumulative["people_served"],
                url=url("outreach:activity_list", end=end.isoformat(), branch=branch),
            ),
            Figure("examinations", _("Examinations done"), t["examinations"], url=link),
            Figure("materials", _("Materials handed out"), t["materials"], url=link),
            Figure("fees_waived", _("Fees waived (yuan)"), t["fees_waived"], url=link),
            Figure("staff_times", _("Staff taking part (人次)"), t["staff_times"], url=link),
            Figure("member_times", _("Of whom Party members (人次)"), t["member_times"], url=link),
            Figure("hours", _("Volunteer hours"), t["hours"], url=link),
            Figure(
                "people_deployed",
                _("People deployed in emergencies"),
                d["people_deployed"],
                url=url("outreach:call_list"),
            ),
        ],
        chart=bar_chart(
            [v["label"] for _k, v in kinds],
            [(_("People served"), [v["people_served"] for _k, v in kinds])],
        )
        if kinds
        else None,
        chart_urls=[
            url(
                "outreach:activity_list",
                start=start.isoformat(),
                end=end.isoformat(),
                kind=k,
                branch=branch,
            )
            for k, _v in kinds
        ],
        has_data=t["activities"] > 0 or d["deployments"] > 0,
        note=_(
            "Activities held in the period; the cumulative figure counts every activity "
            "up to its end."
        ),
        links=[
            (_("Activities"), link),
            (_("Totals"), url("outreach:totals")),
            (_("Mobilisation"), url("outreach:call_list")),
        ],
    )


register(
    Panel(
        key="outreach",
        label=gettext_lazy("Outreach and volunteering"),
        capabilities=(Cap.OUTREACH_VIEW,),
        figures={
            "activities": gettext_lazy("Outreach activities"),
            "people_served": gettext_lazy("People served (人次)"),
            "people_served_cumulative": gettext_lazy("People served, cumulative (人次)"),
            "examinations": gettext_lazy("Examinations done"),
            "materials": gettext_lazy("Materials handed out"),
            "fees_waived": gettext_lazy("Fees waived (yuan)"),
            "staff_times": gettext_lazy("Staff taking part (人次)"),
            "member_times": gettext_lazy("Of whom Party members (人次)"),
            "hours": gettext_lazy("Volunteer hours"),
            "people_deployed": gettext_lazy("People deployed in emergencies"),
        },
        provider=outreach,
        source="outreach",
        order=80,
    )
)


def honours(ctx: FigureContext) -> PanelData:
    from hongfan.outreach import selectors as outreach_selectors
    from hongfan.outreach.models import Honour  # level labels only

    org_ids = _outreach_scope(ctx)
    qs = outreach_selectors.honours_in(ctx.period.start, ctx.period.end, organisation_ids=org_ids)
    counts = outreach_selectors.honour_counts(qs)
    total = sum(c["total"] for c in counts.values())
    by_holder = {h: sum(c[h] for c in counts.values()) for h in ("hospital", "branch", "person")}
    year = ctx.period.year
    link = url("outreach:honour_list", year=year)
    levels = [(v, str(label)) for v, label in Honour.Level.choices]
    return PanelData(
        figures=[
            Figure("total", _("Honours"), total, url=link),
            Figure(
                "national_provincial",
                _("National and provincial honours"),
                counts["national"]["total"] + counts["provincial"]["total"],
                url=link,
            ),
            Figure("hospital", _("Honours of the hospital"), by_holder["hospital"], url=link),
            Figure("branch", _("Honours of branches"), by_holder["branch"], url=link),
            Figure("person", _("Honours of people"), by_holder["person"], url=link),
        ],
        chart=bar_chart(
            [label for _v, label in levels],
            [(_("Honours"), [counts[v]["total"] for v, _label in levels])],
        )
        if total
        else None,
        chart_urls=[url("outreach:honour_list", year=year, level=v) for v, _label in levels],
        has_data=total > 0,
        links=[(_("Honours register"), link)],
    )


register(
    Panel(
        key="honours",
        label=gettext_lazy("Honours"),
        capabilities=(Cap.OUTREACH_VIEW,),
        figures={
            "total": gettext_lazy("Honours"),
            "national_provincial": gettext_lazy("National and provincial honours"),
            "hospital": gettext_lazy("Honours of the hospital"),
            "branch": gettext_lazy("Honours of branches"),
            "person": gettext_lazy("Honours of people"),
        },
        provider=honours,
        source="outreach",
        order=90,
    )
)


# --- patient and staff satisfaction (hongfan.voice) ------------------------------------------


def satisfaction(ctx: FigureContext) -> PanelData:
    from hongfan.org.selectors import institution_visible_to
    from hongfan.voice import selectors as voice

    start, end = ctx.period.start, ctx.period.end
    dept_ids = voice.department_ids_for_scores(ctx.user)
    institution = None
    if ctx.institution_id and ctx.hospital_wide:
        institution = institution_visible_to(ctx.user).filter(pk=ctx.institution_id).first()

    def summary(kinds: list[str] | None) -> dict[str, Any]:
        return voice.satisfaction_summary(
            start, end, institution, survey_kinds=kinds, department_ids=dept_ids
        )

    patients = summary(None)
    outpatient = summary(["outpatient"])
    inpatient = summary(["inpatient", "discharge"])
    staff = summary(["staff"])
    link = url("voice:scores", start=start.isoformat(), end=end.isoformat())

    def pct(s: dict[str, Any]) -> Decimal | None:
        return None if s["top_box"] is None else Decimal(str(s["top_box"]))

    dims = [d for d in patients["dimensions"] if d["top_box"] is not None]
    return PanelData(
        figures=[
            Figure("patients_pct", _("Patient satisfaction (top box)"), pct(patients), "%", link),
            Figure(
                "outpatient_pct",
                _("Outpatient satisfaction"),
                pct(outpatient),
                "%",
                url(
                    "voice:scores", start=start.isoformat(), end=end.isoformat(), kind="outpatient"
                ),
            ),
            Figure(
                "inpatient_pct",
                _("Inpatient satisfaction"),
                pct(inpatient),
                "%",
                url("voice:scores", start=start.isoformat(), end=end.isoformat(), kind="inpatient"),
            ),
            Figure(
                "staff_pct",
                _("Staff satisfaction"),
                pct(staff),
                "%",
                url("voice:scores", start=start.isoformat(), end=end.isoformat(), kind="staff"),
            ),
            Figure("responses", _("Patient responses"), patients["n"], url=link),
        ],
        chart=bar_chart(
            [d["label"] for d in dims], [(_("Top box (%)"), [d["top_box"] for d in dims])]
        )
        if dims
        else None,
        chart_urls=[link for _d in dims],
        has_data=patients["n"] + staff["n"] > 0,
        note=_(
            "Share of top-box answers (5 of 5, 9–10 of 10); hidden below %(n)s responses, "
            "as the patient voice module rules."
        )
        % {"n": patients["min_n"]},
        links=[(_("Satisfaction scores"), link)],
    )


register(
    Panel(
        key="satisfaction",
        label=gettext_lazy("Satisfaction"),
        capabilities=(Cap.VOICE_VIEW,),
        figures={
            "patients_pct": gettext_lazy("Patient satisfaction (top box)"),
            "outpatient_pct": gettext_lazy("Outpatient satisfaction"),
            "inpatient_pct": gettext_lazy("Inpatient satisfaction"),
            "staff_pct": gettext_lazy("Staff satisfaction"),
            "responses": gettext_lazy("Patient responses"),
        },
        provider=satisfaction,
        source="voice",
        order=35,
    )
)


# --- integrity files: the 红包 register and warning education (hongfan.integrity) ------------


def integrity_files(ctx: FigureContext) -> PanelData:
    from django.db.models import Sum

    from hongfan.integrity import selectors as integrity

    start, end = ctx.period.start, ctx.period.end
    envelopes = (
        integrity.envelopes_visible_to(ctx.user)
        .filter(occurred_on__gte=start, occurred_on__lte=end)
        .exclude(status="rejected")
    )
    if ctx.institution_id and ctx.hospital_wide:
        envelopes = envelopes.filter(staff__institution_id=ctx.institution_id)
    agg = envelopes.order_by().aggregate(n=Count("pk"), amount=Sum("amount"))
    coverage = integrity.totals(integrity.education_coverage(ctx.period.year))
    link = url("integrity:envelopes")
    return PanelData(
        figures=[
            Figure("envelopes", _("Red envelopes refused and registered"), agg["n"], url=link),
            Figure(
                "envelope_amount",
                _("Amount refused (yuan)"),
                agg["amount"] or Decimal("0.00"),
                url=link,
            ),
            Figure(
                "education_pct",
                _("Staff reached by warning education (year)"),
                percent(coverage["done"], coverage["total"]),
                "%",
                url("integrity:dashboard"),
            ),
        ],
        has_data=agg["n"] > 0 or coverage["done"] > 0,
        note=_("Education coverage is of the calendar year; the register counts the period."),
        links=[
            (_("Red envelope register"), link),
            (_("Integrity dashboard"), url("integrity:dashboard")),
        ],
    )


register(
    Panel(
        key="integrity_files",
        label=gettext_lazy("Integrity files"),
        capabilities=(Cap.INTEGRITY_MANAGE,),
        figures={
            "envelopes": gettext_lazy("Red envelopes refused and registered"),
            "envelope_amount": gettext_lazy("Amount refused (yuan)"),
            "education_pct": gettext_lazy("Staff reached by warning education (year)"),
        },
        provider=integrity_files,
        source="integrity",
        order=65,
    )
)
