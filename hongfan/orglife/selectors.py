"""Reads of organisational life, scoped through ``*_visible_to(user)``; compliance."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import ExtractMonth
from django.utils import timezone

from hongfan.accounts.roles import Cap
from hongfan.orglife.models import (
    Attendance,
    FrequencyRule,
    Meeting,
    MeetingKind,
    ReviewCampaign,
    ReviewResult,
)
from hongfan.party.models import CommitteeMember, PartyMember, PartyOrganisation

# --- scope -------------------------------------------------------------------------------------


def _manages_all(user: Any) -> bool:
    return user.has_capability(Cap.ORGLIFE_MANAGE) and user.scope.hospital_wide


def _managed_org_ids(user: Any) -> frozenset[int]:
    if not user.has_capability(Cap.ORGLIFE_MANAGE):
        return frozenset()
    return user.scope.organisation_ids


def organisations_managed_by(user: Any) -> QuerySet[PartyOrganisation]:
    """Return the organisations whose meetings ``user`` may plan and record."""
    qs = PartyOrganisation.objects.filter(
        kind__in=[PartyOrganisation.Kind.BRANCH, PartyOrganisation.Kind.COMMITTEE]
    )
    if _manages_all(user):
        return qs
    return qs.filter(pk__in=_managed_org_ids(user))


def branches_managed_by(user: Any) -> QuerySet[PartyOrganisation]:
    return organisations_managed_by(user).filter(kind=PartyOrganisation.Kind.BRANCH)


def meetings_managed_by(user: Any) -> QuerySet[Meeting]:
    qs = Meeting.objects.select_related("organisation", "group")
    if _manages_all(user):
        return qs
    return qs.filter(organisation_id__in=_managed_org_ids(user))


def meetings_visible_to(user: Any) -> QuerySet[Meeting]:
    """Managers see their organisations' meetings; members see meetings they were invited to."""
    qs = Meeting.objects.select_related("organisation", "group")
    if _manages_all(user):
        return qs
    cond = Q(organisation_id__in=_managed_org_ids(user))
    if user.staff_id:
        cond |= Q(
            pk__in=Attendance.objects.filter(member__staff_id=user.staff_id).values("meeting_id")
        )
    return qs.filter(cond)


def member_of(user: Any) -> PartyMember | None:
    """Return the signed-in user's Party member record, if any."""
    if not getattr(user, "staff_id", None):
        return None
    return PartyMember.objects.select_related("organisation").filter(staff_id=user.staff_id).first()


def members_visible_to(user: Any) -> QuerySet[PartyMember]:
    """Members whose review record ``user`` may read: managed branches, or oneself."""
    qs = PartyMember.objects.select_related("staff", "organisation")
    if _manages_all(user):
        return qs
    cond = Q(organisation_id__in=_managed_org_ids(user))
    if user.staff_id:
        cond |= Q(staff_id=user.staff_id)
    return qs.filter(cond)


def campaigns_managed_by(user: Any) -> QuerySet[ReviewCampaign]:
    qs = ReviewCampaign.objects.select_related("organisation")
    if _manages_all(user):
        return qs
    return qs.filter(organisation_id__in=_managed_org_ids(user))


def campaigns_for_member(user: Any) -> QuerySet[ReviewCampaign]:
    member = member_of(user)
    if member is None:
        return ReviewCampaign.objects.none()
    return ReviewCampaign.objects.select_related("organisation").filter(
        organisation_id=member.organisation_id
    )


def review_results_for(member: PartyMember) -> QuerySet[ReviewResult]:
    return ReviewResult.objects.filter(member=member).select_related("campaign").order_by("-year")


# --- compliance --------------------------------------------------------------------------------

PERIOD_MONTHS = {"month": 1, "quarter": 3, "year": 12}


@dataclass
class Requirement:
    rule_id: int
    kind: str
    kind_label: str
    period: str
    key: str  # e.g. 2026-03, 2026-Q1, 2026
    label: str
    start: dt.date
    end: dt.date
    required: int
    held: int
    status: str  # met / open / missed / future

    @property
    def end_month(self) -> int:
        return self.end.month


CELL_LOOK = {
    "met": ("hf-cell-green", "✓"),
    "open": ("hf-cell-amber", "…"),
    "missed": ("hf-cell-red", "✗"),
    "future": ("", ""),
    "none": ("", ""),
}


@dataclass
class BranchRow:
    branch: PartyOrganisation
    requirements: list[Requirement] = field(default_factory=list)
    months: list[str] = field(default_factory=list)  # 12 cell statuses

    @property
    def missed(self) -> int:
        return sum(1 for r in self.requirements if r.status == "missed")

    @property
    def met(self) -> int:
        return sum(1 for r in self.requirements if r.status == "met")

    @property
    def cells(self) -> list[tuple[str, str, str]]:
        """Return (status, css class, symbol) per month, ready for the matrix template."""
        return [(status, *CELL_LOOK[status]) for status in self.months]

    def month_requirements(self, month: int) -> list[Requirement]:
        return [r for r in self.requirements if r.end.month == month]


@dataclass
class ComplianceMatrix:
    year: int
    today: dt.date
    rows: list[BranchRow]


def _month_end(year: int, month: int) -> dt.date:
    if month == 12:
        return dt.date(year, 12, 31)
    return dt.date(year, month + 1, 1) - dt.timedelta(days=1)


def periods_of_year(period: str, year: int) -> list[tuple[str, str, dt.date, dt.date, list[int]]]:
    """Return (key, label, start, end, months) for each period of the year."""
    step = PERIOD_MONTHS[period]
    out = []
    for first in range(1, 13, step):
        months = list(range(first, first + step))
        start = dt.date(year, first, 1)
        end = _month_end(year, months[-1])
        if period == "month":
            key = label = f"{year}-{first:02d}"
        elif period == "quarter":
            q = (first - 1) // 3 + 1
            key, label = f"{year}-Q{q}", f"{year}Q{q}"
        else:
            key = label = str(year)
        out.append((key, label, start, end, months))
    return out


def requirement_status(
    *, held: int, required: int, start: dt.date, end: dt.date, today: dt.date
) -> str:
    if held >= required:
        return "met"
    if start > today:
        return "future"
    if end >= today:
        return "open"
    return "missed"


def cell_status(requirements: list[Requirement]) -> str:
    """Combine the requirements ending in one month: red beats amber beats green."""
    if not requirements:
        return "none"
    statuses = {r.status for r in requirements}
    if "missed" in statuses:
        return "missed"
    if "open" in statuses:
        return "open"
    if statuses == {"future"}:
        return "future"
    if "future" in statuses:
        return "open"
    return "met"


def compliance_for_year(
    branches: QuerySet[PartyOrganisation], year: int, *, today: dt.date | None = None
) -> ComplianceMatrix:
    """Return required vs held for every branch × period of ``year``.

    Three queries whatever the number of branches: branches (with a has-groups flag), active
    rules, and valid recorded meetings counted per branch, type and month.
    """
    today = today or timezone.localdate()
    branch_list = list(
        branches.filter(kind=PartyOrganisation.Kind.BRANCH)
        .annotate(
            has_groups=Exists(
                PartyOrganisation.objects.filter(
                    parent_id=OuterRef("pk"), kind=PartyOrganisation.Kind.GROUP
                )
            )
        )
        .order_by("sort_order", "code")
    )
    rules = list(FrequencyRule.objects.filter(is_active=True))
    counts: dict[tuple[int, str, int], int] = defaultdict(int)
    meeting_rows = (
        Meeting.objects.filter(
            status=Meeting.Status.RECORDED,
            is_valid=True,
            held_on__year=year,
            organisation__in=branches.filter(kind=PartyOrganisation.Kind.BRANCH).values("pk"),
        )
        .annotate(month=ExtractMonth("held_on"))
        .values("organisation_id", "kind", "month")
        .annotate(n=Count("id"))
        .order_by()
    )
    for r in meeting_rows:
        counts[(r["organisation_id"], r["kind"], r["month"])] += r["n"]
    # Translate the labels once, not once per requirement (3,500 of them for 80 branches).
    labels = {value: str(label) for value, label in MeetingKind.choices}
    periods = {p: periods_of_year(p, year) for p in PERIOD_MONTHS}
    rule_facts = [(r, r.pk, r.kind, labels.get(r.kind, r.kind), r.period, r.minimum) for r in rules]
    rows = []
    for branch in branch_list:
        bid, established, dissolved = branch.pk, branch.established_on, branch.dissolved_on
        row = BranchRow(branch=branch)
        by_month: list[list[Requirement]] = [[] for _ in range(13)]
        for rule, rule_id, kind, kind_label, period, minimum in rule_facts:
            if not rule.applies(is_temporary=branch.is_temporary, has_groups=branch.has_groups):
                continue
            for key, label, start, end, months in periods[period]:
                if established > end or (dissolved is not None and dissolved < start):
                    continue
                held = 0
                for m in months:
                    held += counts.get((bid, kind, m), 0)
                req = Requirement(
                    rule_id=rule_id,
                    kind=kind,
                    kind_label=kind_label,
                    period=period,
                    key=key,
                    label=label,
                    start=start,
                    end=end,
                    required=minimum,
                    held=held,
                    status=requirement_status(
                        held=held, required=minimum, start=start, end=end, today=today
                    ),
                )
                row.requirements.append(req)
                by_month[end.month].append(req)
        row.months = [cell_status(by_month[m]) for m in range(1, 13)]
        rows.append(row)
    return ComplianceMatrix(year=year, today=today, rows=rows)


def compliance_naive(
    branches: QuerySet[PartyOrganisation], year: int
) -> dict[tuple[int, int, int], int]:
    """Baseline for the benchmark: one COUNT per branch × rule × month (do not use in views)."""
    out = {}
    rules = list(FrequencyRule.objects.filter(is_active=True))
    for branch in branches.filter(kind=PartyOrganisation.Kind.BRANCH):
        for rule in rules:
            for month in range(1, 13):
                out[(branch.pk, rule.pk, month)] = Meeting.objects.filter(
                    organisation=branch,
                    kind=rule.kind,
                    status=Meeting.Status.RECORDED,
                    is_valid=True,
                    held_on__year=year,
                    held_on__month=month,
                ).count()
    return out


@dataclass
class SecretaryLecture:
    committee_id: int
    committee_name: str
    secretary_name: str
    lectures: int


def lecture_by_committee_secretary(year: int) -> list[SecretaryLecture]:
    """Return, per Party committee, how many Party lectures its secretary gave in ``year``."""
    day = dt.date(year, 12, 31)
    seats = list(
        CommitteeMember.objects.filter(
            organisation__kind=PartyOrganisation.Kind.COMMITTEE,
            position=CommitteeMember.Position.SECRETARY,
            term_start__lte=day,
            term_end__gte=dt.date(year, 1, 1),
        )
        .select_related("organisation", "member__staff")
        .annotate(
            lectures=Count(
                "member__meeting_lectures",
                filter=Q(
                    member__meeting_lectures__kind=MeetingKind.LECTURE,
                    member__meeting_lectures__is_valid=True,
                    member__meeting_lectures__held_on__year=year,
                ),
            )
        )
    )
    return [
        SecretaryLecture(
            committee_id=s.organisation_id,
            committee_name=s.organisation.name,
            secretary_name=s.member.staff.name,
            lectures=s.lectures,
        )
        for s in seats
    ]
