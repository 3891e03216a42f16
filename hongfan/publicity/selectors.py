"""Reads of publicity and culture; every scoped read goes through a ``*_visible_to`` here."""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import ExtractMonth

from hongfan.accounts.roles import Cap
from hongfan.org.models import Department, Staff
from hongfan.party.models import PartyMember, PartyOrganisation
from hongfan.publicity.models import (
    Correspondent,
    CulturalActivity,
    CulturalParticipation,
    MediaAsset,
    Platform,
    Publication,
    Review,
    ReviewerAssignment,
    Story,
)


def is_office(user: Any) -> bool:
    return user.has_capability(Cap.PUBLICITY_MANAGE)


def reviewer_levels(user: Any) -> set[int]:
    return set(
        ReviewerAssignment.objects.filter(user=user, is_active=True).values_list("level", flat=True)
    )


def stories_visible_to(user: Any) -> QuerySet[Story]:
    """The office sees every story; a reviewer the stories in their queue and those they
    reviewed; everyone their own stories (drafts included)."""
    qs = Story.objects.select_related("author", "department", "correspondent__staff")
    if is_office(user):
        return qs
    cond = Q(created_by=user)
    if user.staff_id:
        cond |= Q(author_id=user.staff_id)
    levels = reviewer_levels(user)
    if levels:
        cond |= Q(status=Story.Status.IN_REVIEW, pending_level__in=levels)
        cond |= Q(Exists(Review.objects.filter(story=OuterRef("pk"), reviewer=user)))
    return qs.filter(cond)


def review_queue(user: Any) -> QuerySet[Story]:
    """Stories waiting at a level the user reviews, not written by the user."""
    levels = reviewer_levels(user)
    qs = Story.objects.filter(status=Story.Status.IN_REVIEW, pending_level__in=levels).exclude(
        created_by=user
    )
    if user.staff_id:
        qs = qs.exclude(author_id=user.staff_id)
    return qs.select_related("author", "department").order_by("submitted_at", "pk")


def activities_visible_to(user: Any) -> QuerySet[CulturalActivity]:
    """Culture managers: hospital-wide, or their branches' and departments' activities;
    everyone: the activities they took part in."""
    qs = CulturalActivity.objects.select_related("organiser_organisation", "organiser_department")
    scope = user.scope
    if user.has_capability(Cap.CULTURE_MANAGE) and scope.hospital_wide:
        return qs
    cond = Q(pk__in=[])
    if user.has_capability(Cap.CULTURE_MANAGE):
        cond |= Q(organiser_organisation_id__in=scope.organisation_ids)
        cond |= Q(organiser_department_id__in=scope.department_ids)
    if user.staff_id:
        cond |= Q(
            Exists(
                CulturalParticipation.objects.filter(
                    activity=OuterRef("pk"), staff_id=user.staff_id
                )
            )
        )
    return qs.filter(cond)


def activity_manageable(user: Any, activity: CulturalActivity) -> bool:
    if not user.has_capability(Cap.CULTURE_MANAGE):
        return False
    scope = user.scope
    return (
        scope.hospital_wide
        or activity.organiser_organisation_id in scope.organisation_ids
        or activity.organiser_department_id in scope.department_ids
    )


def organisations_for_activities(user: Any) -> QuerySet[PartyOrganisation]:
    qs = PartyOrganisation.objects.filter(dissolved_on__isnull=True).order_by("code")
    if user.scope.hospital_wide:
        return qs
    return qs.filter(pk__in=user.scope.organisation_ids)


def departments_for_activities(user: Any) -> QuerySet[Department]:
    qs = Department.objects.filter(is_active=True).order_by("code")
    if user.scope.hospital_wide:
        return qs
    return qs.filter(pk__in=user.scope.department_ids)


def media_visible_to(user: Any) -> QuerySet[MediaAsset]:
    qs = MediaAsset.objects.select_related("activity", "department", "uploaded_by")
    return qs if is_office(user) else qs.filter(uploaded_by=user)


def calendar(start: dt.date, end: dt.date, platform_id: int | None = None) -> QuerySet[Publication]:
    qs = Publication.objects.filter(
        Q(planned_on__range=(start, end)) | Q(published_on__range=(start, end))
    ).select_related("story__department", "story__author", "platform")
    if platform_id:
        qs = qs.filter(platform_id=platform_id)
    return qs.order_by("planned_on", "platform__sort_order", "pk")


# --- statistics --------------------------------------------------------------------------


@dataclass
class CorrespondentOutput:
    correspondent: Correspondent
    submitted: int = 0
    published: int = 0

    @property
    def completion(self) -> Decimal | None:
        target = self.correspondent.yearly_target
        if not target:
            return None
        return (Decimal(self.published) * 100 / target).quantize(Decimal("0.1"))


def correspondent_output(year: int) -> list[CorrespondentOutput]:
    """Each correspondent active in ``year`` with pieces submitted and published that year."""
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    terms = list(
        Correspondent.objects.filter(appointed_on__lte=end, term_ends_on__gte=start)
        .select_related("staff", "department", "organisation")
        .order_by("department__code", "staff__name")
    )
    staff_ids = {t.staff_id for t in terms}
    submitted = dict(
        Story.objects.filter(author_id__in=staff_ids, submitted_at__year=year)
        .values_list("author_id")
        .annotate(n=Count("pk"))
    )
    published = dict(
        Story.objects.filter(author_id__in=staff_ids, published_on__year=year)
        .values_list("author_id")
        .annotate(n=Count("pk"))
    )
    return [
        CorrespondentOutput(t, submitted.get(t.staff_id, 0), published.get(t.staff_id, 0))
        for t in terms
    ]


@dataclass
class PieceStats:
    year: int
    by_department: list[tuple[str, int, int]] = field(default_factory=list)
    by_platform: list[tuple[str, int, int]] = field(default_factory=list)  # name, pieces, views
    by_month: list[tuple[int, int, int]] = field(
        default_factory=list
    )  # month, submitted, published
    total_submitted: int = 0
    total_published: int = 0


def piece_stats(year: int) -> PieceStats:
    """Pieces by department, platform and month (4 queries)."""
    stats = PieceStats(year)
    submitted = dict(
        Story.objects.filter(submitted_at__year=year)
        .values_list("department__name")
        .annotate(n=Count("pk"))
    )
    published = dict(
        Story.objects.filter(published_on__year=year)
        .values_list("department__name")
        .annotate(n=Count("pk"))
    )
    names = sorted(set(submitted) | set(published), key=lambda n: (-published.get(n, 0), n))
    stats.by_department = [(n, submitted.get(n, 0), published.get(n, 0)) for n in names]
    platform_rows = (
        Publication.objects.filter(published_on__year=year)
        .values("platform__name", "platform__sort_order")
        .annotate(n=Count("pk"), views=_sum("views"))
        .order_by("platform__sort_order", "platform__name")
    )
    stats.by_platform = [(r["platform__name"], r["n"], r["views"] or 0) for r in platform_rows]
    sub_month = dict(
        Story.objects.filter(submitted_at__year=year)
        .annotate(m=ExtractMonth("submitted_at"))
        .values_list("m")
        .annotate(n=Count("pk"))
    )
    pub_month = dict(
        Story.objects.filter(published_on__year=year)
        .annotate(m=ExtractMonth("published_on"))
        .values_list("m")
        .annotate(n=Count("pk"))
    )
    stats.by_month = [(m, sub_month.get(m, 0), pub_month.get(m, 0)) for m in range(1, 13)]
    stats.total_submitted = sum(sub_month.values())
    stats.total_published = sum(pub_month.values())
    return stats


def _sum(name: str) -> Any:
    from django.db.models import Sum

    return Sum(name)


@dataclass
class Turnaround:
    level: int
    label: str
    reviews: int
    median_hours: float | None
    mean_hours: float | None


def review_turnaround(year: int) -> tuple[list[Turnaround], float | None]:
    """Hours from a story reaching a level to that level's decision, per level; and the median
    days from first submission to final approval, for reviews made in ``year``."""
    from hongfan.publicity.models import ReviewLevel

    reviews = list(
        Review.objects.filter(reviewed_at__year=year)
        .select_related("story")
        .order_by("story_id", "reviewed_at", "pk")
        .values("story_id", "level", "reviewed_at", "story__submitted_at")
    )
    # A level starts when the previous level passed (or the story was submitted).
    waits: dict[int, list[float]] = defaultdict(list)
    last: dict[int, Any] = {}
    for r in reviews:
        started = last.get(r["story_id"]) or r["story__submitted_at"]
        if started and r["reviewed_at"] >= started:
            waits[r["level"]].append((r["reviewed_at"] - started).total_seconds() / 3600)
        last[r["story_id"]] = r["reviewed_at"]
    rows = []
    for level in ReviewLevel:
        values = waits.get(level.value, [])
        rows.append(
            Turnaround(
                level.value,
                str(level.label),
                len(values),
                round(statistics.median(values), 1) if values else None,
                round(statistics.fmean(values), 1) if values else None,
            )
        )
    approvals = [
        (a - s).total_seconds() / 86400
        for s, a in Story.objects.filter(
            approved_at__year=year, submitted_at__isnull=False
        ).values_list("submitted_at", "approved_at")
    ]
    overall = round(statistics.median(approvals), 1) if approvals else None
    return rows, overall


@dataclass
class Participation:
    name: str
    headcount: int  # staff (or members) in the unit
    participants: int  # distinct people who took part
    person_times: int

    @property
    def rate(self) -> Decimal | None:
        if not self.headcount:
            return None
        return (Decimal(self.participants) * 100 / self.headcount).quantize(Decimal("0.1"))


def participation(year: int) -> tuple[list[Participation], list[Participation], int]:
    """Participation in cultural activities by department and by branch, and the count of
    activities in ``year`` (constant number of queries)."""
    parts = CulturalParticipation.objects.filter(activity__held_on__year=year)
    activities = CulturalActivity.objects.filter(held_on__year=year).count()
    dept_rows = parts.values("staff__department_id").annotate(
        people=Count("staff", distinct=True), times=Count("pk")
    )
    dept_stats = {r["staff__department_id"]: r for r in dept_rows}
    headcounts = dict(
        Staff.objects.filter(employment_status=Staff.EmploymentStatus.IN_POST)
        .values_list("department_id")
        .annotate(n=Count("pk"))
    )
    by_department = [
        Participation(
            d.name,
            headcounts.get(d.pk, 0),
            dept_stats.get(d.pk, {}).get("people", 0),
            dept_stats.get(d.pk, {}).get("times", 0),
        )
        for d in Department.objects.filter(is_active=True).order_by("code")
        if d.pk in dept_stats or headcounts.get(d.pk)
    ]
    member_org = dict(
        PartyMember.objects.filter(status=PartyMember.Status.NORMAL).values_list(
            "staff_id", "organisation_id"
        )
    )
    org_people: dict[int, set[int]] = defaultdict(set)
    org_times: dict[int, int] = defaultdict(int)
    for staff_id in parts.values_list("staff_id", flat=True):
        org = member_org.get(staff_id)
        if org:
            org_people[org].add(staff_id)
            org_times[org] += 1
    org_heads: dict[int, int] = defaultdict(int)
    for org in member_org.values():
        org_heads[org] += 1
    by_branch = [
        Participation(o.name, org_heads.get(o.pk, 0), len(org_people[o.pk]), org_times[o.pk])
        for o in PartyOrganisation.objects.filter(
            kind=PartyOrganisation.Kind.BRANCH, dissolved_on__isnull=True
        ).order_by("code")
    ]
    return by_department, by_branch, activities


def platforms() -> QuerySet[Platform]:
    return Platform.objects.order_by("sort_order", "name")
