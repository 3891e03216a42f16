"""Reads of the scoring ledger."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import QuerySet, Sum

from hongfan.scoring.models import LedgerEvent


def events_for_source(source: models.Model) -> QuerySet[LedgerEvent]:
    ct = ContentType.objects.get_for_model(source, for_concrete_model=False)
    return LedgerEvent.objects.filter(source_type=ct, source_id=source.pk).select_related("rule")


def events_for_staff(
    staff_id: int, *, start: dt.date | None = None, end: dt.date | None = None
) -> QuerySet[LedgerEvent]:
    qs = LedgerEvent.objects.filter(staff_id=staff_id).select_related("rule")
    if start:
        qs = qs.filter(occurred_on__gte=start)
    if end:
        qs = qs.filter(occurred_on__lte=end)
    return qs


def total_points(qs: QuerySet[LedgerEvent]) -> Decimal:
    """The sum of the confirmed events' points in ``qs``."""
    value = qs.filter(status=LedgerEvent.Status.CONFIRMED).aggregate(s=Sum("points"))["s"]
    return value or Decimal("0")


# ===============================================================================================
# Scoped reads of the assessments
# ===============================================================================================

from collections import defaultdict  # noqa: E402
from dataclasses import dataclass, field  # noqa: E402
from typing import Any  # noqa: E402

from django.db.models import Count, Q  # noqa: E402

from hongfan.accounts.roles import Cap  # noqa: E402
from hongfan.org.models import Department, Institution, Staff  # noqa: E402
from hongfan.scoring import indicators  # noqa: E402
from hongfan.scoring.models import (  # noqa: E402
    Appeal,
    Assessment,
    AssessmentPeriod,
    EventRule,
    RedFlagComponent,
    RedFlagRound,
    RedFlagScore,
)


def sees_everything(user: Any) -> bool:
    """The office, discipline and president's office see every record of the engine."""
    if not user.is_authenticated:
        return False
    if user.has_capability(Cap.SCORING_MANAGE):
        return True
    return user.has_capability(Cap.SCORING_VIEW) and user.scope.hospital_wide


def _head_department_ids(user: Any) -> frozenset[int]:
    if user.has_capability(Cap.SCORING_DEPARTMENT_REVIEW):
        return user.scope.department_ids
    return frozenset()


def _branch_ids(user: Any) -> frozenset[int]:
    if user.has_capability(Cap.SCORING_VIEW):
        return user.scope.organisation_ids
    return frozenset()


def staff_files_visible_to(user: Any) -> QuerySet[Staff]:
    """Ethics files: all for the office; a head their departments; everyone their own."""
    qs = Staff.objects.select_related("department")
    if sees_everything(user):
        return qs
    cond = Q(pk=user.staff_id) if user.staff_id else Q(pk__in=[])
    depts = _head_department_ids(user)
    if depts:
        cond |= Q(department_id__in=depts)
    return qs.filter(cond)


def events_visible_to(user: Any) -> QuerySet[LedgerEvent]:
    qs = LedgerEvent.objects.select_related(
        "rule", "staff__department", "department", "organisation"
    )
    if sees_everything(user):
        return qs
    cond = Q(staff_id=user.staff_id) if user.staff_id else Q(pk__in=[])
    depts = _head_department_ids(user)
    if depts:
        cond |= Q(staff__department_id__in=depts) | Q(department_id__in=depts)
    orgs = _branch_ids(user)
    if orgs:
        cond |= Q(organisation_id__in=orgs)
    return qs.filter(cond)


def assessments_visible_to(user: Any) -> QuerySet[Assessment]:
    qs = Assessment.objects.select_related(
        "period__scorecard", "staff", "department", "organisation", "grade", "computed_grade"
    )
    if sees_everything(user):
        return qs
    cond = Q(staff_id=user.staff_id) if user.staff_id else Q(pk__in=[])
    depts = _head_department_ids(user)
    if depts:
        cond |= Q(department_id__in=depts)
    orgs = _branch_ids(user)
    if orgs:
        cond |= Q(organisation_id__in=orgs)
    return qs.filter(cond)


def periods_visible_to(user: Any) -> QuerySet[AssessmentPeriod]:
    qs = AssessmentPeriod.objects.select_related("scorecard", "institution")
    if sees_everything(user):
        return qs
    if not (_head_department_ids(user) or _branch_ids(user)):
        return qs.none()
    return qs.filter(
        pk__in=assessments_visible_to(user).exclude(staff_id=user.staff_id).values("period_id")
    )


def appeals_visible_to(user: Any) -> QuerySet[Appeal]:
    qs = Appeal.objects.select_related(
        "assessment__period", "assessment__staff__department", "grade_before", "grade_after"
    )
    if sees_everything(user):
        return qs
    return qs.filter(assessment__in=assessments_visible_to(user))


def red_flag_rounds_visible_to(user: Any) -> QuerySet[RedFlagRound]:
    qs = RedFlagRound.objects.select_related("holder", "institution")
    if user.is_authenticated and user.has_capability(Cap.SCORING_VIEW):
        return qs
    return qs.none()


# --- the ethics file ---------------------------------------------------------------------------


@dataclass
class YearTotal:
    year: int
    additions: Decimal = Decimal("0")
    deductions: Decimal = Decimal("0")
    events: int = 0
    pending: int = 0
    vetoes: int = 0

    @property
    def net(self) -> Decimal:
        return self.additions + self.deductions


def year_totals(events: list[LedgerEvent]) -> list[YearTotal]:
    """Totals per year of confirmed events (pending ones counted apart, voided ignored)."""
    out: dict[int, YearTotal] = {}
    for e in events:
        t = out.setdefault(e.occurred_on.year, YearTotal(e.occurred_on.year))
        if e.status == LedgerEvent.Status.PENDING:
            t.pending += 1
            continue
        if e.status != LedgerEvent.Status.CONFIRMED:
            continue
        t.events += 1
        if e.points >= 0:
            t.additions += e.points
        else:
            t.deductions += e.points
        if e.is_veto:
            t.vetoes += 1
    return sorted(out.values(), key=lambda t: -t.year)


def published_assessments_for(staff: Staff) -> QuerySet[Assessment]:
    return Assessment.objects.filter(
        staff=staff,
        period__status__in=[AssessmentPeriod.Status.PUBLISHED, AssessmentPeriod.Status.CLOSED],
    ).select_related("period", "grade")


# --- the department red flag -------------------------------------------------------------------


@dataclass
class RedFlagRow:
    department_id: int
    department_name: str
    score: Decimal | None
    rank: int | None
    components: dict[str, dict[str, Any]] = field(default_factory=dict)
    missing: int = 0
    is_holder: bool = False


def _indicator_keys(spec: str) -> list[str]:
    if spec.endswith("*"):
        prefix = spec[:-1]
        return [i.key for i in indicators.available() if i.key.startswith(prefix)]
    return [spec] if indicators.get(spec) is not None else []


def _normalise(values: dict[int, Decimal], higher_is_better: bool) -> dict[int, Decimal]:
    if not values:
        return {}
    lo, hi = min(values.values()), max(values.values())
    if hi == lo:
        return {d: Decimal("100") for d in values}
    out = {}
    for d, v in values.items():
        n = (v - lo) / (hi - lo) * 100
        out[d] = n if higher_is_better else 100 - n
    return out


def _ledger_per_head(
    institution: Institution,
    start: dt.date,
    end: dt.date,
    categories: list[str],
    dept_ids: list[int],
) -> dict[int, Decimal]:
    base = LedgerEvent.objects.filter(
        institution=institution,
        occurred_on__gte=start,
        occurred_on__lte=end,
        status=LedgerEvent.Status.CONFIRMED,
        rule__category__in=categories,
    )
    sums: dict[int, Decimal] = defaultdict(lambda: Decimal("0"))
    for row in (
        base.filter(staff__department_id__in=dept_ids)
        .values("staff__department_id")
        .annotate(s=Sum("points"))
        .order_by()
    ):
        sums[row["staff__department_id"]] += row["s"] or 0
    for row in (
        base.filter(department_id__in=dept_ids)
        .values("department_id")
        .annotate(s=Sum("points"))
        .order_by()
    ):
        sums[row["department_id"]] += row["s"] or 0
    return sums


def _active_components() -> list[RedFlagComponent]:
    """The configured components, or the defaults while none is saved yet."""
    from hongfan.scoring.defaults import RED_FLAG_COMPONENTS

    if RedFlagComponent.objects.exists():
        return list(RedFlagComponent.objects.filter(is_active=True, weight__gt=0))
    return [RedFlagComponent(order=i, **spec) for i, spec in enumerate(RED_FLAG_COMPONENTS)]


def red_flag_compute_rows(
    *, institution: Institution, start: dt.date, end: dt.date
) -> tuple[list[dict[str, Any]], list[RedFlagRow]]:
    """Compute the red-flag ranking of ``institution`` over [start, end] (nothing saved).

    Each component's figures are scaled to 0–100 among the departments that have one (best
    = 100; lower-is-better components inverted); the score is the weighted mean over the
    components a department has figures for. A component nobody provides is shown as not
    connected and left out for everyone; a missing figure (``None``) is shown and counted in
    ``missing``, never taken as zero.
    """
    heads = {
        r["department_id"]: r["n"]
        for r in Staff.objects.filter(
            institution=institution, department__is_active=True, hired_on__lte=end
        )
        .filter(Q(left_on__isnull=True) | Q(left_on__gte=start))
        .values("department_id")
        .annotate(n=Count("id"))
        .order_by()
    }
    departments = list(
        Department.objects.filter(pk__in=heads.keys()).order_by("code").only("pk", "name", "code")
    )
    dept_ids = [d.pk for d in departments]
    rows = {d.pk: RedFlagRow(d.pk, d.name, None, None) for d in departments}
    weights: list[dict[str, Any]] = []
    norms: dict[str, dict[int, Decimal]] = {}
    for comp in _active_components():
        entry = {
            "key": comp.key,
            "name": comp.name,
            "weight": str(comp.weight),
            "source": comp.source,
            "higher_is_better": comp.higher_is_better,
            "connected": True,
        }
        values: dict[int, Decimal | None] = {}
        norm: dict[int, Decimal] = {}
        if comp.source == RedFlagComponent.Source.INDICATOR:
            keys = _indicator_keys(comp.indicator_key)
            if not keys:
                entry["connected"] = False
                weights.append(entry)
                continue
            per_key: list[dict[int, Decimal]] = []
            for key in keys:
                ind = indicators.get(key)
                got = indicators.department_values(
                    key, start=start, end=end, department_ids=dept_ids
                )
                if len(keys) == 1:
                    values = {d: got.get(d) for d in dept_ids}
                per_key.append(
                    _normalise(
                        {d: Decimal(v) for d, v in got.items() if v is not None and d in rows},
                        ind.higher_is_better if len(keys) > 1 else comp.higher_is_better,
                    )
                )
            for d in dept_ids:
                parts = [p[d] for p in per_key if d in p]
                if parts:
                    norm[d] = sum(parts, Decimal("0")) / len(parts)
                if len(keys) > 1:
                    values[d] = Decimal(len(parts)) if parts else None
            entry["indicators"] = keys
        else:
            sums = _ledger_per_head(
                institution,
                start,
                end,
                [c.strip() for c in comp.ledger_categories.split(",") if c.strip()],
                dept_ids,
            )
            values = {
                d: (sums.get(d, Decimal("0")) / heads[d]).quantize(Decimal("0.01"))
                for d in dept_ids
            }
            norm = _normalise(
                {d: v for d, v in values.items() if v is not None}, comp.higher_is_better
            )
        norms[comp.key] = norm
        weights.append(entry)
        for d in dept_ids:
            v = values.get(d)
            rows[d].components[comp.key] = {
                "value": None if v is None else str(v),
                "normalised": None if d not in norm else str(norm[d].quantize(Decimal("0.01"))),
            }
            if d not in norm:
                rows[d].missing += 1
    connected = {w["key"]: Decimal(w["weight"]) for w in weights if w["connected"]}
    for d, row in rows.items():
        num = den = Decimal("0")
        for key, w in connected.items():
            n = norms.get(key, {}).get(d)
            if n is not None:
                num += w * n
                den += w
        row.score = (num / den).quantize(Decimal("0.01")) if den else None
    ranked = sorted((r for r in rows.values() if r.score is not None), key=lambda r: -r.score)
    previous, rank = None, 0
    for i, r in enumerate(ranked, start=1):
        if r.score != previous:
            rank, previous = i, r.score
        r.rank = rank
    out = ranked + [r for r in rows.values() if r.score is None]
    return weights, out


def _parse_period(period: Any) -> tuple[int, int]:
    if isinstance(period, tuple):
        return int(period[0]), int(period[1])
    text = str(period).upper().replace("-", "")
    year, quarter = text.split("Q")
    return int(year), int(quarter)


def red_flag_scores(
    period: RedFlagRound | str | tuple[int, int], *, institution: Institution | None = None
) -> dict[int, RedFlagRow]:
    """The red-flag score of every department for a quarter (read by the performance sheet).

    ``period`` is a ``RedFlagRound``, ``"2026-Q3"`` or ``(2026, 3)``. A computed round is read
    as stored (the figures the office saw); a quarter without a round is computed live for
    ``institution`` (or for every institution). Returns ``{department_id: RedFlagRow}`` with
    ``score`` (0–100, ``None`` when the department has no figure at all), ``rank``,
    ``components`` ({key: {"value", "normalised"}}), ``missing`` and ``is_holder``.
    """
    if isinstance(period, RedFlagRound):
        rounds = [period]
    else:
        year, quarter = _parse_period(period)
        qs = RedFlagRound.objects.filter(year=year, quarter=quarter)
        if institution is not None:
            qs = qs.filter(institution=institution)
        rounds = list(qs)
        if not rounds:
            from hongfan.scoring.services import quarter_bounds

            start, end = quarter_bounds(year, quarter)
            insts = [institution] if institution is not None else list(Institution.objects.all())
            out: dict[int, RedFlagRow] = {}
            for inst in insts:
                _w, rows = red_flag_compute_rows(institution=inst, start=start, end=end)
                out.update({r.department_id: r for r in rows})
            return out
    out = {}
    for rnd in rounds:
        for s in RedFlagScore.objects.filter(round=rnd).select_related("department"):
            out[s.department_id] = RedFlagRow(
                s.department_id,
                s.department.name,
                s.score,
                s.rank,
                s.components,
                s.missing,
                is_holder=rnd.holder_id == s.department_id,
            )
    return out


def category_choices() -> list[tuple[str, Any]]:
    return list(EventRule.Category.choices)
