"""Reads of the clinical module, scoped by the user's capability and departments.

For other modules:

- ``indicators_vs_targets(start, end, department_ids=None)`` — the cockpit: every indicator
  for a period (hospital-wide, or the given departments summed) with its target and whether
  it meets it.
- ``warnings_for_period(start, end, department_ids=None)`` — the integrity risk register:
  consumable and insurance warnings per department with the risk point each one monitors and
  the state of its 约谈 matter.
- ``department_indicator(key)`` — department providers registered with the scoring engine
  (``clinical.<indicator>``).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.db.models import Count, Max, Q, QuerySet, Sum
from django.utils.translation import gettext_lazy

from hongfan.accounts.roles import Cap
from hongfan.clinical import rules
from hongfan.clinical.models import (
    ClinicalWarning,
    Finding,
    HisImport,
    IndicatorValue,
    ReviewSample,
    SampleItem,
    ScreeningRun,
)
from hongfan.org.models import Department


def _hospital_wide(user: Any) -> bool:
    return bool(
        user.is_authenticated
        and (
            user.has_capability(Cap.CLINICAL_MANAGE)
            or user.has_capability(Cap.CLINICAL_REVIEW)
            or (user.has_capability(Cap.CLINICAL_VIEW) and user.scope.hospital_wide)
        )
    )


def department_ids_visible(user: Any) -> set[int] | None:
    """None: every department; else the departments whose figures the user may see."""
    if _hospital_wide(user):
        return None
    if user.is_authenticated and user.has_capability(Cap.CLINICAL_VIEW):
        return set(user.scope.department_ids)
    return set()


def dept_codes_visible(user: Any) -> set[str] | None:
    ids = department_ids_visible(user)
    if ids is None:
        return None
    return set(Department.objects.filter(pk__in=ids).values_list("code", flat=True))


def _scoped(qs: QuerySet, user: Any, field: str = "department_id") -> QuerySet:
    ids = department_ids_visible(user)
    if ids is None:
        return qs
    return qs.filter(**{f"{field}__in": ids})


def findings_visible_to(user: Any) -> QuerySet[Finding]:
    return _scoped(Finding.objects.select_related("department", "doctor"), user)


def warnings_visible_to(user: Any) -> QuerySet[ClinicalWarning]:
    return _scoped(ClinicalWarning.objects.select_related("department", "doctor", "matter"), user)


def samples_visible_to(user: Any) -> QuerySet[ReviewSample]:
    if _hospital_wide(user):
        return ReviewSample.objects.all()
    return ReviewSample.objects.none()


def items_visible_to(user: Any) -> QuerySet[SampleItem]:
    if not (user.is_authenticated and user.has_capability(Cap.CLINICAL_REVIEW)):
        return SampleItem.objects.none()
    return SampleItem.objects.select_related("sample", "department", "doctor", "reviewed_by")


def imports_visible_to(user: Any) -> QuerySet[HisImport]:
    if user.is_authenticated and user.has_capability(Cap.CLINICAL_MANAGE):
        return HisImport.objects.select_related("imported_by", "profile")
    return HisImport.objects.none()


def months_available() -> list[str]:
    # order_by() first: the model's default ordering would otherwise join the DISTINCT (every
    # row of the table, 1.4 s on the large demo, instead of one per month).
    return list(
        IndicatorValue.objects.order_by("-month").values_list("month", flat=True).distinct()
    )


def latest_month(start: dt.date, end: dt.date) -> str | None:
    """The latest month in [start, end] with indicators (one probe of the unique index that
    leads with the month), or None when nothing was screened for the period."""
    return IndicatorValue.objects.filter(
        month__gte=f"{start:%Y-%m}", month__lte=f"{end:%Y-%m}"
    ).aggregate(m=Max("month"))["m"]


def latest_runs(limit: int = 5) -> list[ScreeningRun]:
    return list(ScreeningRun.objects.select_related("triggered_by")[:limit])


# -- indicators ---------------------------------------------------------------------------------


def _value(key: str, num: float, den: float) -> float | None:
    if not den:
        return None
    return num / den * rules.INDICATORS_BY_KEY[key].scale


def meets(key: str, value: float | None, target: float | None) -> bool | None:
    if value is None or target is None:
        return None
    ind = rules.INDICATORS_BY_KEY[key]
    return value >= target if ind.higher_is_better else value <= target


def _targets() -> dict[str, float | None]:
    from hongfan.clinical.services import parameters, target

    p = parameters()
    return {i.key: target(i.key, p) for i in rules.INDICATORS}


def _review_ratio(months: list[str], dept_ids: set[int] | None) -> tuple[float, float]:
    items = SampleItem.objects.filter(sample__month__in=months, status=SampleItem.Status.REVIEWED)
    rx = IndicatorValue.objects.filter(month__in=months, indicator="drugs_per_rx")
    if dept_ids is not None:
        items = items.filter(department_id__in=dept_ids)
        rx = rx.filter(department_id__in=dept_ids)
    num = items.filter(sample__setting=ReviewSample.Setting.OUTPATIENT).count()
    den = rx.aggregate(d=Sum("den"))["d"] or 0.0
    return float(num), float(den)


def indicator_summary(months: list[str], dept_ids: set[int] | None = None) -> list[dict[str, Any]]:
    """Every indicator for ``months`` (hospital or the given departments) with its target."""
    qs = IndicatorValue.objects.filter(month__in=months)
    if dept_ids is not None:
        qs = qs.filter(department_id__in=dept_ids)
    sums = {
        r["indicator"]: (r["n"], r["d"])
        for r in qs.values("indicator").annotate(n=Sum("num"), d=Sum("den"))
    }
    targets = _targets()
    rows = []
    for ind in rules.INDICATORS:
        num, den = sums.get(ind.key, (0.0, 0.0))
        value = _value(ind.key, num or 0.0, den or 0.0)
        rows.append(
            {
                "key": ind.key,
                "label": ind.label,
                "unit": ind.unit,
                "group": ind.group,
                "value": value,
                "target": targets[ind.key],
                "higher_is_better": ind.higher_is_better,
                "meets": meets(ind.key, value, targets[ind.key]),
                "num": num,
                "den": den,
                "drill": ind.drill,
            }
        )
    num, den = _review_ratio(months, dept_ids)
    rows.append(
        {
            "key": "review_ratio",
            "label": gettext_lazy("Share of outpatient prescriptions reviewed"),
            "unit": "%",
            "group": "national",
            "value": (num / den * 100) if den else None,
            "target": None,
            "higher_is_better": True,
            "meets": None,
            "num": num,
            "den": den,
            "drill": "",
        }
    )
    return rows


def indicators_vs_targets(
    start: dt.date, end: dt.date, department_ids: set[int] | None = None
) -> list[dict[str, Any]]:
    """Cockpit selector: every indicator over the months touching [start, end]."""
    months = _months_between(start, end)
    return indicator_summary(months, set(department_ids) if department_ids is not None else None)


def _months_between(start: dt.date, end: dt.date) -> list[str]:
    out = []
    y, m = start.year, start.month
    while (y, m) <= (end.year, end.month):
        out.append(f"{y}-{m:02d}")
        y, m = y + (m == 12), m % 12 + 1
    return out


def ranking(
    key: str, months: list[str], by: str, dept_ids: set[int] | None = None, limit: int = 50
) -> list[dict[str, Any]]:
    """Departments (``by='dept'``) or doctors (``by='doctor'``) ordered worst first."""
    ind = rules.INDICATORS_BY_KEY[key]
    qs = IndicatorValue.objects.filter(month__in=months, indicator=key)
    if dept_ids is not None:
        qs = qs.filter(department_id__in=dept_ids)
    fields = ["dept_code", "department__name"] + (
        ["doctor_no", "doctor__name"] if by == "doctor" else []
    )
    rows = []
    targets = _targets()
    for r in qs.values(*fields).annotate(n=Sum("num"), d=Sum("den")):
        value = _value(key, r["n"], r["d"])
        if value is None:
            continue
        rows.append(
            {
                "dept_code": r["dept_code"],
                "dept_name": r["department__name"] or r["dept_code"],
                "doctor_no": r.get("doctor_no", ""),
                "doctor_name": r.get("doctor__name") or r.get("doctor_no", ""),
                "value": value,
                "den": r["d"],
                "meets": meets(key, value, targets[key]),
            }
        )
    rows.sort(
        key=lambda x: (
            x["value"] if ind.higher_is_better else -x["value"],
            x["dept_code"],
            x["doctor_no"],
        )
    )
    return rows[:limit]


def trend(key: str, dept_ids: set[int] | None = None) -> list[dict[str, Any]]:
    qs = IndicatorValue.objects.filter(indicator=key)
    if dept_ids is not None:
        qs = qs.filter(department_id__in=dept_ids)
    return [
        {"month": r["month"], "value": _value(key, r["n"], r["d"])}
        for r in qs.values("month").annotate(n=Sum("num"), d=Sum("den")).order_by("month")
    ]


def department_indicator(key: str) -> Any:
    """A scoring provider: (start, end, department_ids) -> {department_id: Decimal | None}."""

    def provider(
        start: dt.date, end: dt.date, department_ids: set[int] | None
    ) -> dict[int, Decimal | None]:
        qs = IndicatorValue.objects.filter(
            month__in=_months_between(start, end), indicator=key, department__isnull=False
        )
        if department_ids is not None:
            qs = qs.filter(department_id__in=department_ids)
        out: dict[int, Decimal | None] = {}
        for r in qs.values("department_id").annotate(n=Sum("num"), d=Sum("den")):
            v = _value(key, r["n"], r["d"])
            out[r["department_id"]] = None if v is None else Decimal(str(round(v, 2)))
        return out

    return provider


# -- review results -------------------------------------------------------------------------------


def flagged_doctors(
    months: list[str], dept_ids: set[int] | None = None, limit: int = 5
) -> list[dict[str, Any]]:
    """Physicians with ≥ ``limit`` irrational prescriptions (confirmed findings) in the cycle."""
    qs = Finding.objects.filter(month__in=months, status=Finding.Status.CONFIRMED)
    if dept_ids is not None:
        qs = qs.filter(department_id__in=dept_ids)
    rows = (
        qs.values("doctor_no", "doctor__name", "dept_code", "department__name")
        .annotate(n=Count("rx_no", distinct=True))
        .filter(n__gte=limit)
        .order_by("-n", "doctor_no")
    )
    return list(rows)


def sample_progress(sample: ReviewSample) -> dict[str, int]:
    agg = sample.items.aggregate(
        total=Count("pk"),
        reviewed=Count("pk", filter=Q(status=SampleItem.Status.REVIEWED)),
        irrational=Count("pk", filter=Q(verdict=SampleItem.Verdict.IRRATIONAL)),
    )
    return agg


def department_feedback(month: str, department: Department) -> dict[str, Any]:
    """The figures of the 质量考核反馈表 of one department and month."""
    items = SampleItem.objects.filter(sample__month=month, department=department)
    reviewed = items.filter(status=SampleItem.Status.REVIEWED)
    findings = Finding.objects.filter(
        month=month, department=department, status=Finding.Status.CONFIRMED
    )
    by_rule = defaultdict(int)
    for r in findings.values("rule_code", "category").annotate(n=Count("pk")):
        by_rule[(r["category"], r["rule_code"])] += r["n"]
    rule_rows = [
        {
            "category": dict(Finding.Category.choices).get(cat, cat),
            "rule": rules.RULES_BY_CODE[code].name if code in rules.RULES_BY_CODE else "",
            "code": code,
            "n": n,
        }
        for (cat, code), n in sorted(by_rule.items())
    ]
    return {
        "sampled": items.count(),
        "reviewed": reviewed.count(),
        "irrational": reviewed.filter(verdict=SampleItem.Verdict.IRRATIONAL).count(),
        "by_rule": rule_rows,
        "indicators": indicator_summary([month], {department.pk}),
        "doctors": flagged_doctors([month], {department.pk}, limit=1),
        "warnings": list(
            ClinicalWarning.objects.filter(month=month, department=department).select_related(
                "doctor"
            )
        ),
    }


def warnings_for_period(
    start: dt.date, end: dt.date, department_ids: set[int] | None = None
) -> list[dict[str, Any]]:
    """Integrity risk register: warnings of the months touching [start, end] per department."""
    qs = ClinicalWarning.objects.filter(month__in=_months_between(start, end)).select_related(
        "department", "doctor", "matter"
    )
    if department_ids is not None:
        qs = qs.filter(department_id__in=department_ids)
    return [
        {
            "id": w.pk,
            "month": w.month,
            "department_id": w.department_id,
            "department": w.department.name if w.department else w.dept_code,
            "doctor": w.doctor.name if w.doctor else w.doctor_no,
            "kind": w.kind,
            "kind_label": str(w.get_kind_display()),
            "risk_point": w.risk_point,
            "detail": w.detail,
            "matter_id": w.matter_id,
            "matter_state": w.matter.state if w.matter else "",
            "closed": bool(w.matter and w.matter.closed_at),
            "url": w.get_absolute_url(),
        }
        for w in qs.order_by("month", "dept_code", "kind", "pk")
    ]


# -- the analytic store: prescriptions behind a figure ---------------------------------------------


def prescriptions(
    *,
    month: str,
    dept_codes: set[str] | None,
    dept: str = "",
    doctor: str = "",
    drill: str = "",
    visit_type: str = "",
    q: str = "",
    offset: int = 0,
    limit: int = 50,
) -> tuple[int, list[dict[str, Any]]]:
    """Prescriptions of ``month`` matching a drill-down (indicator or rule), scoped by department."""  # noqa: E501
    from hongfan.clinical import engine
    from hongfan.core import analytics

    if month not in analytics.partitions("prescriptions"):
        return 0, []
    _con, t = engine.tables()
    t = dict(t)
    t["prescriptions"] = t["prescriptions"].filter(t["prescriptions"].month == month)
    f = rules.features(t, _rule_params())
    cond = rules.drill_filter(f, drill, _rule_params())
    if dept_codes is not None:
        cond = cond & f.dept_code.isin(list(dept_codes) or ["-"])
    if dept:
        cond = cond & (f.dept_code == dept)
    if doctor:
        cond = cond & (f.doctor_no == doctor)
    if visit_type:
        cond = cond & (f.visit_type == visit_type)
    if q:
        cond = cond & (f.rx_no.contains(q) | f.visit_no.contains(q))
    sel = f.filter(cond)
    total = int(sel.count().execute())
    page = (
        sel.order_by(["rx_date", "rx_no"])
        .select(
            "rx_no",
            "visit_no",
            "visit_type",
            "rx_date",
            "dept_code",
            "doctor_no",
            "n_drugs",
            "has_antibiotic",
            "has_injection",
            "amount",
        )
        .limit(limit, offset=offset)
        .execute()
    )
    return total, page.to_dict("records")


def _rule_params() -> dict[str, Any]:
    from hongfan.clinical.services import parameters

    p = parameters()
    return {k: p[k] for k in rules.DEFAULT_PARAMS}


def prescription_detail(rx_no: str) -> dict[str, Any] | None:
    """Header, lines (with the dictionary's facts) and diagnoses of one prescription."""
    from hongfan.clinical import engine
    from hongfan.core import analytics

    if not analytics.partitions("prescriptions"):
        return None
    _con, t = engine.tables()
    rx = t["prescriptions"]
    lines = rx.filter(rx.rx_no == rx_no).order_by("line_no").execute()
    if lines.empty:
        return None
    first = lines.iloc[0]
    header = {
        k: first[k]
        for k in (
            "rx_no",
            "visit_no",
            "visit_type",
            "rx_date",
            "dept_code",
            "doctor_no",
            "patient_id",
            "age_years",
            "age_months",
            "age_days",
            "long_supply_reason",
            "month",
        )
    }
    drugs = t["drugs"].execute().set_index("drug_code")
    out_lines = []
    for r in lines.to_dict("records"):
        info = drugs.loc[r["drug_code"]].to_dict() if r["drug_code"] in drugs.index else {}
        out_lines.append({**r, "dict": info})
    d = t["diagnoses"]
    diags = d.filter(d.visit_no == header["visit_no"]).order_by("seq").execute().to_dict("records")
    return {"header": header, "lines": out_lines, "diagnoses": diags}


def visit_prescriptions(visit_no: str, month: str) -> list[str]:
    from hongfan.clinical import engine
    from hongfan.core import analytics

    if month not in analytics.partitions("prescriptions"):
        return []
    _con, t = engine.tables()
    rx = t["prescriptions"]
    rows = (
        rx.filter((rx.month == month) & (rx.visit_no == visit_no))
        .select("rx_no")
        .distinct()
        .order_by("rx_no")
        .execute()
    )
    return list(rows["rx_no"])
