"""Reads for decision meetings: configuration, entitled members, scoped lists, the report."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet

from hongfan.accounts.roles import Cap
from hongfan.decisions.models import (
    AgendaItem,
    Attendance,
    DecisionConfig,
    Meeting,
    MeetingKind,
    OfficeMeetingMember,
    Resolution,
)
from hongfan.org.models import Institution, Staff
from hongfan.party.models import CommitteeMember, PartyOrganisation


def decision_config() -> DecisionConfig:
    """Return the configured rules, or an unsaved row with the documented defaults."""
    return DecisionConfig.objects.order_by("pk").first() or DecisionConfig()


@dataclass(frozen=True)
class Seat:
    staff: Staff
    title: str


def top_committee(institution: Institution) -> PartyOrganisation | None:
    """Return the institution's top Party committee (kind committee, highest in the tree)."""
    return (
        PartyOrganisation.objects.filter(
            institution=institution, kind=PartyOrganisation.Kind.COMMITTEE, dissolved_on=None
        )
        .order_by("parent_id", "sort_order", "code")
        .first()
    )


def entitled_members(*, kind: str, institution: Institution, on: dt.date) -> list[Seat]:
    """Return who is entitled to attend: 党委 committee members on ``on``, or the office list."""
    if kind == MeetingKind.PARTY_COMMITTEE:
        committee = top_committee(institution)
        if committee is None:
            return []
        seats = (
            CommitteeMember.objects.filter(
                organisation=committee, term_start__lte=on, term_end__gte=on
            )
            .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=on))
            .select_related("member__staff")
            .order_by("position", "id")
        )
        out: list[Seat] = []
        seen: set[int] = set()
        for seat in seats:
            if seat.member.staff_id in seen:
                continue
            seen.add(seat.member.staff_id)
            out.append(Seat(seat.member.staff, str(seat.get_position_display())))
        return out
    rows = OfficeMeetingMember.objects.filter(
        is_active=True, staff__institution=institution
    ).select_related("staff")
    return [Seat(r.staff, r.title) for r in rows]


def meetings_visible_to(user: Any) -> QuerySet[Meeting]:
    if not user.is_authenticated or not user.has_capability(Cap.DECISIONS_VIEW):
        return Meeting.objects.none()
    return Meeting.objects.all()


def meeting_list(
    user: Any, *, kind: str = "", year: int | None = None, major: bool = False, q: str = ""
) -> QuerySet[Meeting]:
    qs = meetings_visible_to(user).select_related("chair", "institution")
    if kind:
        qs = qs.filter(kind=kind)
    if year:
        qs = qs.filter(held_on__year=year)
    if major:
        qs = qs.filter(items__category__in=major_categories()).distinct()
    if q:
        qs = qs.filter(
            Q(place__icontains=q) | Q(number__icontains=q) | Q(items__title__icontains=q)
        ).distinct()
    return qs.annotate(
        item_count=Count("items", distinct=True),
        major_count=Count("items", filter=Q(items__category__in=major_categories()), distinct=True),
    ).order_by("-held_on", "-id")  # GROUP BY drops Meta.ordering: order explicitly for paging


def major_categories() -> list[str]:
    return [c for c in AgendaItem.Category.values if c != AgendaItem.Category.ORDINARY]


def meeting_detail(meeting: Meeting) -> Meeting:
    """Return the meeting with attendance and items (votes, recusals, links) prefetched."""
    return (
        Meeting.objects.filter(pk=meeting.pk)
        .select_related("chair", "recorder", "institution")
        .prefetch_related(
            Prefetch("attendance", queryset=Attendance.objects.select_related("staff")),
            Prefetch(
                "items",
                queryset=AgendaItem.objects.select_related(
                    "proposer_department",
                    "referred_item__meeting",
                    "resolution__matter__type",
                    "resolution__owner__staff",
                    "resolution__owner_department",
                ).prefetch_related(
                    "prior_reviews", "votes__staff", "recusals__staff", "committee_items"
                ),
            ),
        )
        .get()
    )


def resolutions_visible_to(user: Any) -> QuerySet[Resolution]:
    """Office roles see every resolution; everybody else only published ones."""
    qs = Resolution.objects.all()
    if not user.is_authenticated:
        return qs.none()
    if user.has_capability(Cap.DECISIONS_VIEW):
        return qs
    return qs.filter(is_published=True)


def resolution_list(
    user: Any, *, q: str = "", state: str = "", year: int | None = None, kind: str = ""
) -> QuerySet[Resolution]:
    qs = resolutions_visible_to(user).select_related(
        "item__meeting",
        "owner__staff",
        "owner_department",
        "matter__type",
    )
    if q:
        qs = qs.filter(Q(text__icontains=q) | Q(item__title__icontains=q) | Q(number__icontains=q))
    if year:
        qs = qs.filter(item__meeting__held_on__year=year)
    if kind:
        qs = qs.filter(item__meeting__kind=kind)
    if state == "open":
        qs = qs.filter(matter__closed_at__isnull=True)
    elif state == "closed":
        qs = qs.filter(matter__closed_at__isnull=False)
    return qs


def published_resolutions(*, q: str = "", year: int | None = None) -> QuerySet[Resolution]:
    qs = Resolution.objects.filter(is_published=True).select_related(
        "item__meeting", "owner_department", "matter__type"
    )
    if q:
        qs = qs.filter(Q(text__icontains=q) | Q(item__title__icontains=q))
    if year:
        qs = qs.filter(item__meeting__held_on__year=year)
    return qs.order_by("-published_at", "-id")


@dataclass
class ComplianceRow:
    item: AgendaItem
    committee_item: AgendaItem | None
    yes: int
    no: int
    abstain: int

    @property
    def compliant(self) -> bool:
        ci = self.committee_item
        return bool(
            ci is not None
            and ci.decision != AgendaItem.Decision.PENDING
            and ci.quorum_present is not None
        )


def compliance_rows(year: int) -> list[ComplianceRow]:
    """Every 三重一大 item first put to a meeting in ``year`` with its 党委会 decision.

    An item referred by the 院长办公会 appears once, with the 党委会 item that decided it; a
    党委会 item that only decides a referred item is not listed again.
    """
    items = (
        AgendaItem.objects.filter(meeting__held_on__year=year, category__in=major_categories())
        .filter(Q(meeting_kind=MeetingKind.PRESIDENT_OFFICE) | Q(referred_item__isnull=True))
        .select_related("meeting", "proposer_department")
        .prefetch_related(
            Prefetch(
                "committee_items",
                queryset=AgendaItem.objects.select_related("meeting").order_by("-id"),
            ),
            "votes",
            "committee_items__votes",
        )
        .order_by("meeting__held_on", "meeting_id", "order", "id")
    )
    rows = []
    for item in items:
        if item.meeting_kind == MeetingKind.PARTY_COMMITTEE:
            committee_item: AgendaItem | None = item
        else:
            linked = list(item.committee_items.all())
            decided = [c for c in linked if c.decision != AgendaItem.Decision.PENDING]
            committee_item = (decided or linked or [None])[0]
        votes = list(committee_item.votes.all()) if committee_item else []
        rows.append(
            ComplianceRow(
                item=item,
                committee_item=committee_item,
                yes=sum(v.choice == "yes" for v in votes),
                no=sum(v.choice == "no" for v in votes),
                abstain=sum(v.choice == "abstain" for v in votes),
            )
        )
    return rows


def referable_items() -> QuerySet[AgendaItem]:
    """Office items referred to the committee and not yet taken up by a committee item."""
    return (
        AgendaItem.objects.filter(decision=AgendaItem.Decision.REFERRED)
        .exclude(
            committee_items__decision__in=[
                AgendaItem.Decision.PENDING,
                AgendaItem.Decision.PASSED,
                AgendaItem.Decision.REJECTED,
            ]
        )
        .select_related("meeting")
    )
