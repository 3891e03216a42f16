"""Reads of learning, scoped through ``*_visible_to(user)``; hours and coverage."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Avg, Count, Max, Q, QuerySet, Sum
from django.utils.translation import gettext as _

from hongfan.accounts.roles import Cap
from hongfan.learning.models import BranchBrand, Contest, ContestAttempt, StudyActivity
from hongfan.party.models import PartyMember, PartyOrganisation


def _all(user: Any) -> bool:
    return user.has_capability(Cap.LEARNING_MANAGE) and user.scope.hospital_wide


def _org_ids(user: Any) -> frozenset[int]:
    return user.scope.organisation_ids if user.has_capability(Cap.LEARNING_MANAGE) else frozenset()


def organisations_managed_by(user: Any) -> QuerySet[PartyOrganisation]:
    qs = PartyOrganisation.objects.filter(
        kind__in=[PartyOrganisation.Kind.BRANCH, PartyOrganisation.Kind.COMMITTEE]
    )
    return qs if _all(user) else qs.filter(pk__in=_org_ids(user))


def branches_managed_by(user: Any) -> QuerySet[PartyOrganisation]:
    return organisations_managed_by(user).filter(kind=PartyOrganisation.Kind.BRANCH)


def activities_visible_to(user: Any) -> QuerySet[StudyActivity]:
    """Managers: their organisations' activities; members: activities they took part in."""
    qs = StudyActivity.objects.select_related("organisation")
    if _all(user):
        return qs
    cond = Q(organisation_id__in=_org_ids(user))
    if user.staff_id:
        cond |= Q(
            pk__in=StudyActivity.participants.through.objects.filter(
                member__staff_id=user.staff_id
            ).values("activity_id")
        )
    return qs.filter(cond)


def members_managed_by(user: Any) -> QuerySet[PartyMember]:
    qs = PartyMember.objects.filter(status=PartyMember.Status.NORMAL).select_related(
        "staff", "organisation"
    )
    return qs if _all(user) else qs.filter(organisation_id__in=_org_ids(user))


def member_hours(members: QuerySet[PartyMember], year: int) -> QuerySet[PartyMember]:
    """Annotate each member with study hours and activities in ``year`` (one query)."""
    in_year = Q(study_participations__activity__held_on__year=year)
    return members.annotate(
        study_hours=Sum("study_participations__hours", filter=in_year),
        study_count=Count("study_participations", filter=in_year),
    )


@dataclass
class Coverage:
    name: str
    members: int
    covered: int
    hours: Decimal

    @property
    def rate(self) -> float:
        return round(100 * self.covered / self.members, 1) if self.members else 0.0


def coverage(members: QuerySet[PartyMember], year: int) -> tuple[list[Coverage], Coverage]:
    """Return the coverage (members with ≥ 1 activity / all members) per branch and in total."""
    rows: dict[int, Coverage] = {}
    total = Coverage(str(_("Total")), 0, 0, Decimal(0))
    for m in member_hours(members, year).values(
        "organisation_id", "organisation__name", "study_hours", "study_count"
    ):
        row = rows.setdefault(
            m["organisation_id"], Coverage(m["organisation__name"], 0, 0, Decimal(0))
        )
        for target in (row, total):
            target.members += 1
            target.covered += 1 if m["study_count"] else 0
            target.hours += m["study_hours"] or 0
    return sorted(rows.values(), key=lambda c: c.name), total


def contests_open(today: Any) -> QuerySet[Contest]:
    return Contest.objects.filter(opens_on__lte=today, closes_on__gte=today).annotate(
        n=Count("questions")
    )


def contest_results(
    contest: Contest, members: QuerySet[PartyMember]
) -> tuple[QuerySet[ContestAttempt], list[dict[str, Any]]]:
    attempts = ContestAttempt.objects.filter(contest=contest, member__in=members).select_related(
        "member__staff", "member__organisation"
    )
    by_branch = list(
        attempts.values("member__organisation__name")
        .annotate(n=Count("id"), avg=Avg("score"), best=Max("score"))
        .order_by("-avg")
    )
    return attempts, by_branch


def brands_visible_to(user: Any) -> QuerySet[BranchBrand]:
    qs = BranchBrand.objects.select_related("organisation")
    return qs if _all(user) else qs.filter(organisation_id__in=_org_ids(user))


@dataclass
class ReviewItem:
    question: str
    chosen: list[str]
    correct: list[str]

    @property
    def right(self) -> bool:
        return self.chosen == self.correct


def attempt_review(attempt: ContestAttempt, questions: list[Any]) -> list[ReviewItem]:
    """Return each question with the member's answer and the correct one, for the score page."""
    items = []
    for q in questions:
        labels = q.choices
        chosen = attempt.answers.get(str(q.pk), [])
        items.append(
            ReviewItem(
                q.text,
                [labels[i] for i in sorted(chosen) if 0 <= i < len(labels)],
                [labels[i] for i in sorted(q.answer) if 0 <= i < len(labels)],
            )
        )
    return items
