"""Reads of Party organisations and members, scoped through ``visible_to``."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import (
    Count,
    Exists,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.utils import timezone
from django.utils.translation import gettext as _

from hongfan.org.models import Staff
from hongfan.party.models import (
    CommitteeMember,
    DualCultivation,
    PartyMember,
    PartyOrganisation,
    ThreeLink,
)

Kind = PartyOrganisation.Kind


def organisation_descendant_ids(root_ids: Iterable[int]) -> set[int]:
    """Return the given organisations and all their descendants (one query per tree level)."""
    found = set(root_ids)
    frontier = set(found)
    while frontier:
        children = set(
            PartyOrganisation.objects.filter(parent_id__in=frontier).values_list("id", flat=True)
        )
        frontier = children - found
        found |= frontier
    return found


def bound_department_ids(organisation_ids: Iterable[int]) -> set[int]:
    """Return the departments bound to the given organisations."""
    through = PartyOrganisation.departments.through
    return set(
        through.objects.filter(partyorganisation_id__in=list(organisation_ids)).values_list(
            "department_id", flat=True
        )
    )


# --- Scoped reads ---------------------------------------------------------------------------


def organisation_visible_to(user: Any) -> QuerySet[PartyOrganisation]:
    """Hospital-wide roles: the whole tree; a branch secretary: their branch and its groups."""
    qs = PartyOrganisation.objects.select_related("institution", "parent")
    if not user.is_authenticated:
        return qs.none()
    scope = user.scope
    if scope.hospital_wide:
        return qs
    return qs.filter(id__in=scope.organisation_ids)


def member_visible_to(user: Any) -> QuerySet[PartyMember]:
    """Hospital-wide roles: every member; a branch secretary: the members of their branch;
    anyone: their own member record."""
    qs = PartyMember.objects.select_related(
        "staff", "staff__department", "staff__institution", "organisation", "group"
    )
    if not user.is_authenticated:
        return qs.none()
    scope = user.scope
    if scope.hospital_wide:
        return qs
    cond = Q(staff_id=scope.staff_id) if scope.staff_id else Q(pk__in=[])
    if scope.organisation_ids:
        cond |= Q(organisation_id__in=scope.organisation_ids)
    return qs.filter(cond)


def dual_visible_to(user: Any) -> QuerySet[DualCultivation]:
    qs = DualCultivation.objects.select_related(
        "staff", "staff__department", "mentor", "staff__party_member__organisation"
    )
    if not user.is_authenticated:
        return qs.none()
    scope = user.scope
    if scope.hospital_wide:
        return qs
    cond = Q(staff_id=scope.staff_id) if scope.staff_id else Q(pk__in=[])
    if scope.department_ids:
        cond |= Q(staff__department_id__in=scope.department_ids)
    if scope.organisation_ids:
        cond |= Q(staff__party_member__organisation_id__in=scope.organisation_ids)
    return qs.filter(cond)


def link_visible_to(user: Any) -> QuerySet[ThreeLink]:
    qs = ThreeLink.objects.select_related("linker", "branch", "target_staff")
    if not user.is_authenticated:
        return qs.none()
    scope = user.scope
    if scope.hospital_wide:
        return qs
    cond = Q(linker_id=scope.staff_id) if scope.staff_id else Q(pk__in=[])
    if scope.organisation_ids:
        cond |= Q(branch_id__in=scope.organisation_ids)
    return qs.filter(cond)


def links_with_contact_state(qs: QuerySet[ThreeLink], *, on: dt.date) -> list[ThreeLink]:
    """Return the pairings with ``last_contact_on`` (one aggregate query) and ``is_overdue``:
    a running pairing whose last contact — or its start, before any contact — is more than
    ``contact_interval_days`` before ``on``."""
    links = list(qs.annotate(last_contact_on=Max("contacts__contacted_on")))
    for link in links:
        link.is_overdue = link_is_overdue(link, on=on)  # type: ignore[attr-defined]
    return links


def link_is_overdue(link: ThreeLink, *, on: dt.date) -> bool:
    if link.ended_on is not None and link.ended_on <= on:
        return False
    since = getattr(link, "last_contact_on", None) or link.started_on
    return (on - since).days > link.contact_interval_days


# --- Membership on a date -------------------------------------------------------------------


def member_on_q(on: dt.date, prefix: str = "") -> Q:
    """Members whose relationship counted on ``on``: joined by then and not yet gone (status
    normal and no leaving date, or a leaving date after ``on``)."""
    p = prefix
    return Q(**{f"{p}joined_on__lte": on}) & (
        Q(**{f"{p}status": PartyMember.Status.NORMAL, f"{p}left_on__isnull": True})
        | Q(**{f"{p}left_on__gt": on})
    )


def full_member_on_q(on: dt.date, prefix: str = "") -> Q:
    """Members who were full members on ``on`` (confirmed by then)."""
    return member_on_q(on, prefix) & Q(**{f"{prefix}confirmed_on__lte": on})


def staff_in_post_q(on: dt.date, prefix: str = "") -> Q:
    """Staff in post on ``on``: hired by then, not left by then, not retired.

    A retired staff member with a leaving (retirement) date after ``on`` was in post on
    ``on``; a retired one without a date is not counted for any date.
    """
    p = prefix
    return (
        Q(**{f"{p}hired_on__lte": on})
        & (Q(**{f"{p}left_on__isnull": True}) | Q(**{f"{p}left_on__gt": on}))
        & ~Q(
            **{
                f"{p}employment_status": Staff.EmploymentStatus.RETIRED,
                f"{p}left_on__isnull": True,
            }
        )
    )


def member_in_post_q(on: dt.date, prefix: str = "") -> Q:
    """在职党员 on ``on``: a member on that date whose staff record was in post."""
    p = prefix
    return (
        member_on_q(on, p)
        & staff_in_post_q(on, f"{p}staff__")
        & ~Q(**{f"{p}is_retired": True, f"{p}staff__left_on__isnull": True})
    )


def seat_on_q(on: dt.date, prefix: str = "") -> Q:
    """Committee seats held on ``on`` (started, not ended; an expired term still serves
    until the election — the warnings flag it)."""
    p = prefix
    return Q(**{f"{p}term_start__lte": on}) & (
        Q(**{f"{p}ended_on__isnull": True}) | Q(**{f"{p}ended_on__gt": on})
    )


def organisation_exists_on_q(on: dt.date) -> Q:
    return Q(established_on__lte=on) & (Q(dissolved_on__isnull=True) | Q(dissolved_on__gt=on))


class SubqueryCount(Subquery):
    """``(SELECT COUNT(*) FROM (subquery))``: a correlated count without GROUP BY tricks."""

    template = "(SELECT COUNT(*) FROM (%(subquery)s) _count)"
    output_field = IntegerField()


def _count_of(qs: QuerySet[Any]) -> SubqueryCount:
    return SubqueryCount(qs.order_by().values("pk"))


def attach_structure_counts(
    organisations: Iterable[PartyOrganisation], *, on: dt.date
) -> list[PartyOrganisation]:
    """Set the counts the structure rules read on each organisation, like
    :func:`with_structure_counts`, with four grouped queries instead of correlated subqueries
    per row — the whole tree costs the same as one branch (the tree page, the warnings page).
    """
    orgs = list(organisations)
    members = PartyMember.objects.filter(member_on_q(on)).order_by()
    own: dict[int, tuple[int, int]] = {
        row["organisation_id"]: (row["n"], row["full"])
        for row in members.values("organisation_id").annotate(
            n=Count("pk"), full=Count("pk", filter=Q(confirmed_on__lte=on))
        )
    }
    in_group = dict(
        members.filter(group__isnull=False)
        .values("group_id")
        .annotate(n=Count("pk"))
        .values_list("group_id", "n")
    )
    seats = {
        row["organisation_id"]: row
        for row in CommitteeMember.objects.filter(seat_on_q(on))
        .order_by()
        .values("organisation_id")
        .annotate(
            n=Count("pk"),
            secretaries=Count("pk", filter=Q(position=CommitteeMember.Position.SECRETARY)),
            term_end=Min("term_end"),
        )
    }
    children: dict[int, list[int]] = defaultdict(list)
    for pk, parent_id in PartyOrganisation.objects.order_by().values_list("pk", "parent_id"):
        if parent_id is not None:
            children[parent_id].append(pk)

    def count(pk: int) -> int:
        return own.get(pk, (0, 0))[0]

    for org in orgs:
        org.member_count, org.full_count = own.get(org.pk, (0, 0))
        org.group_member_count = in_group.get(org.pk, 0)
        level1 = children.get(org.pk, [])
        level2 = [g for c in level1 for g in children.get(c, [])]
        org.subtree_count = count(org.pk) + sum(map(count, level1)) + sum(map(count, level2))
        seat = seats.get(org.pk)
        org.seat_count = seat["n"] if seat else 0
        org.secretary_count = seat["secretaries"] if seat else 0
        org.seat_term_end = seat["term_end"] if seat else None
    return orgs


# --- Structure rules (DOMAIN.md §1) ---------------------------------------------------------

MIN_BRANCH_FULL = 3  # fewer full members → no branch of its own (joint branch)
COMMITTEE_FROM = 7  # ≥ 7 full members → a branch committee
COMMITTEE_MIN, COMMITTEE_MAX, COMMITTEE_LIMIT = 3, 5, 7
BRANCH_MAX = 50  # a branch generally has ≤ 50 members; more → may form a 党总支
COMMITTEE_THRESHOLD = 100  # more than 100 members → may form a 基层党委
TERM_WARNING_DAYS = 90


@dataclass(frozen=True)
class StructureWarning:
    code: str
    level: str  # Bootstrap contextual class: danger / warning / info
    message: str


def _term_last_day(org: PartyOrganisation) -> dt.date | None:
    """The last day of the current term: from the organisation's term, or the earliest end
    of a seat held now, whichever comes first."""
    candidates = []
    if org.term_started_on:
        candidates.append(_add_years(org.term_started_on, org.term_years) - dt.timedelta(days=1))
    if getattr(org, "seat_term_end", None):
        candidates.append(org.seat_term_end)
    return min(candidates) if candidates else None


def _add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def with_structure_counts(
    organisations: QuerySet[PartyOrganisation], *, on: dt.date
) -> QuerySet[PartyOrganisation]:
    """Annotate the counts the structure rules read (correlated subqueries: one query)."""
    members = PartyMember.objects.filter(member_on_q(on))
    own = Q(organisation=OuterRef("pk"))
    seats = CommitteeMember.objects.filter(seat_on_q(on), organisation=OuterRef("pk"))
    return organisations.annotate(
        member_count=_count_of(members.filter(own)),
        full_count=_count_of(PartyMember.objects.filter(full_member_on_q(on)).filter(own)),
        group_member_count=_count_of(members.filter(group=OuterRef("pk"))),
        # Three indexed equalities summed (the levels are disjoint), not one OR across three
        # joins that no index serves (docs/performance.md: 2.3 s → 22 ms on 360 organisations).
        subtree_count=(
            _count_of(members.filter(own))
            + _count_of(members.filter(organisation__parent=OuterRef("pk")))
            + _count_of(members.filter(organisation__parent__parent=OuterRef("pk")))
        ),
        seat_count=_count_of(seats),
        secretary_count=_count_of(seats.filter(position=CommitteeMember.Position.SECRETARY)),
        seat_term_end=Subquery(seats.order_by("term_end").values("term_end")[:1]),
    )


def warnings_for(org: PartyOrganisation, *, on: dt.date) -> list[StructureWarning]:
    """Return the structure warnings of one organisation annotated by
    :func:`with_structure_counts`."""
    out: list[StructureWarning] = []
    if org.established_on > on or (org.dissolved_on is not None and org.dissolved_on <= on):
        return out
    kind = org.kind
    full, total, seats = org.full_count, org.member_count, org.seat_count
    if kind == Kind.BRANCH and org.is_temporary:
        if not org.secretary_count:
            out.append(
                StructureWarning(
                    "temporary_no_secretary",
                    "danger",
                    _("The temporary branch has no appointed secretary."),
                )
            )
        return out
    if kind == Kind.BRANCH:
        if full < MIN_BRANCH_FULL:
            out.append(
                StructureWarning(
                    "too_few_full_members",
                    "warning",
                    _(
                        "%(n)d full members: a branch needs at least 3. "
                        "Consider a joint branch with neighbouring units (at most 5)."
                    )
                    % {"n": full},
                )
            )
        if full >= COMMITTEE_FROM and seats < COMMITTEE_MIN:
            out.append(
                StructureWarning(
                    "no_committee",
                    "warning",
                    _(
                        "%(n)d full members but no branch committee (%(seats)d seats): "
                        "a branch of 7 or more full members elects a committee of 3 to 5."
                    )
                    % {"n": full, "seats": seats},
                )
            )
        elif seats > COMMITTEE_LIMIT:
            pass  # reported below for every kind
        elif full >= COMMITTEE_FROM and not COMMITTEE_MIN <= seats <= COMMITTEE_MAX:
            out.append(
                StructureWarning(
                    "committee_size",
                    "warning",
                    _("The branch committee has %(seats)d seats; it should have 3 to 5.")
                    % {"seats": seats},
                )
            )
        if total > BRANCH_MAX:
            out.append(
                StructureWarning(
                    "too_many_members",
                    "warning",
                    _("%(n)d members: a branch generally has at most 50. Consider splitting it.")
                    % {"n": total},
                )
            )
            out.append(
                StructureWarning(
                    "general_branch_threshold",
                    "info",
                    _("More than 50 members: the branch may form a general branch (党总支).")
                    if total <= COMMITTEE_THRESHOLD
                    else _("More than 100 members: a basic-level Party committee may be formed."),
                )
            )
    if kind == Kind.GENERAL_BRANCH and org.subtree_count > COMMITTEE_THRESHOLD:
        out.append(
            StructureWarning(
                "committee_threshold",
                "info",
                _(
                    "%(n)d members: more than 100, a basic-level Party committee (基层党委) "
                    "may be formed."
                )
                % {"n": org.subtree_count},
            )
        )
    if kind != Kind.GROUP and seats > COMMITTEE_LIMIT:
        out.append(
            StructureWarning(
                "committee_too_large",
                "warning",
                _("The committee has %(seats)d seats: more than 7.") % {"seats": seats},
            )
        )
    if kind != Kind.GROUP:
        last = _term_last_day(org)
        if last is not None:
            days = (last - on).days
            if days < 0:
                out.append(
                    StructureWarning(
                        "term_expired",
                        "danger",
                        _("The committee's term ended on %(day)s: hold the election.")
                        % {"day": last.isoformat()},
                    )
                )
            elif days <= TERM_WARNING_DAYS:
                out.append(
                    StructureWarning(
                        "term_ending",
                        "warning",
                        _(
                            "The committee's term ends on %(day)s (in %(n)d days): "
                            "prepare the election."
                        )
                        % {"day": last.isoformat(), "n": days},
                    )
                )
    return out


def structure_warnings(
    organisations: QuerySet[PartyOrganisation] | None = None, *, on: dt.date | None = None
) -> dict[int, list[StructureWarning]]:
    """Return ``{organisation id: [warnings]}`` for the organisations with any warning.

    One query whatever the number of organisations.
    """
    on = on or timezone.localdate()
    qs = organisations if organisations is not None else PartyOrganisation.objects.all()
    out: dict[int, list[StructureWarning]] = {}
    for org in attach_structure_counts(qs, on=on):
        found = warnings_for(org, on=on)
        if found:
            out[org.pk] = found
    return out


# --- The organisation tree ------------------------------------------------------------------


@dataclass
class TreeNode:
    org: PartyOrganisation
    children: list[TreeNode] = field(default_factory=list)
    warnings: list[StructureWarning] = field(default_factory=list)
    total: int = 0  # members in this node and beneath it (group members counted once)


def organisation_tree(user: Any, *, on: dt.date | None = None) -> list[TreeNode]:
    """Return the visible organisations as a forest, with member counts and warnings.

    Five queries for the organisations and their counts, whatever the size of the tree.
    """
    on = on or timezone.localdate()
    orgs = attach_structure_counts(
        organisation_visible_to(user)
        .filter(Q(dissolved_on__isnull=True) | Q(dissolved_on__gt=on))
        .order_by("sort_order", "code"),
        on=on,
    )
    nodes = {o.pk: TreeNode(o, warnings=warnings_for(o, on=on)) for o in orgs}
    roots: list[TreeNode] = []
    for node in nodes.values():
        parent = nodes.get(node.org.parent_id) if node.org.parent_id else None
        (parent.children if parent else roots).append(node)

    def total(node: TreeNode) -> int:
        if node.org.kind == Kind.GROUP:
            node.total = node.org.group_member_count
            for child in node.children:
                total(child)
            return 0  # already counted in the branch
        node.total = node.org.member_count + sum(total(c) for c in node.children)
        return node.total

    for root in roots:
        total(root)
    return roots


# --- Composition figures (the 沧州 figures) --------------------------------------------------


@dataclass(frozen=True)
class Composition:
    on: dt.date
    members_in_post: int
    professional_members: int
    professional_pct: Decimal | None
    senior_staff: int
    senior_members: int
    senior_pct: Decimal | None
    postgraduate_staff: int
    postgraduate_members: int
    postgraduate_pct: Decimal | None
    branches: int
    dual_leader_branches: int
    dual_leader_pct: Decimal | None

    def as_dict(self) -> dict[str, Any]:
        return {
            k: (str(v) if isinstance(v, Decimal) else v.isoformat() if k == "on" else v)
            for k, v in asdict(self).items()
        }


def percent(numerator: int, denominator: int) -> Decimal | None:
    """Return ``numerator / denominator`` as a percentage rounded half-up to 2 decimals."""
    if not denominator:
        return None
    return (Decimal(numerator) * 100 / Decimal(denominator)).quantize(
        Decimal("0.01"), rounding=ROUND_HALF_UP
    )


def composition(
    *,
    on: dt.date,
    institution_id: int | None = None,
    organisation_ids: Iterable[int] | None = None,
) -> Composition:
    """Compute the composition figures on ``on`` for the deployment, one institution, or the
    subtrees of some organisations (three aggregate queries, plus the subtree look-up).

    * members in post: members on ``on`` (see :func:`member_in_post_q`);
    * professional share: of those, post category doctor / nurse / technician / pharmacist;
    * senior share: of the in-post staff with a 正高 or 副高 title, the share who are members
      in post; postgraduate share likewise for 博士 and 硕士 (title and education as they are
      recorded now);
    * branches: regular (not temporary) branches existing on ``on``; the dual-leader share is
      of those whose secretary on ``on`` heads (``is_department_head``) a department bound to
      the branch.
    """
    members = PartyMember.objects.filter(member_in_post_q(on))
    staff = Staff.objects.filter(staff_in_post_q(on))
    branches = PartyOrganisation.objects.filter(
        organisation_exists_on_q(on), kind=Kind.BRANCH, is_temporary=False
    )
    if institution_id:
        members = members.filter(staff__institution_id=institution_id)
        staff = staff.filter(institution_id=institution_id)
        branches = branches.filter(institution_id=institution_id)
    if organisation_ids is not None:
        subtree = organisation_descendant_ids(organisation_ids)
        departments = bound_department_ids(subtree)
        members = members.filter(organisation_id__in=subtree)
        staff = staff.filter(
            Q(department_id__in=departments) | Q(party_member__organisation_id__in=subtree)
        )
        branches = branches.filter(id__in=subtree)

    m = members.aggregate(
        total=Count("pk"),
        professional=Count("pk", filter=Q(staff__post_category__in=Staff.PROFESSIONAL_CATEGORIES)),
    )
    is_member = member_in_post_q(on, "party_member__")
    senior = Q(title_level__in=Staff.SENIOR_TITLES)
    postgraduate = Q(education__in=Staff.POSTGRADUATE)
    s = staff.aggregate(
        senior=Count("pk", filter=senior),
        senior_members=Count("pk", filter=senior & is_member),
        postgraduate=Count("pk", filter=postgraduate),
        postgraduate_members=Count("pk", filter=postgraduate & is_member),
    )
    dual = CommitteeMember.objects.filter(
        seat_on_q(on),
        organisation=OuterRef("pk"),
        position=CommitteeMember.Position.SECRETARY,
        term_end__gte=on,
        member__staff__is_department_head=True,
        member__staff__department__party_organisations=OuterRef("pk"),
    )
    b = branches.aggregate(total=Count("pk"), dual=Count("pk", filter=Exists(dual)))
    return Composition(
        on=on,
        members_in_post=m["total"],
        professional_members=m["professional"],
        professional_pct=percent(m["professional"], m["total"]),
        senior_staff=s["senior"],
        senior_members=s["senior_members"],
        senior_pct=percent(s["senior_members"], s["senior"]),
        postgraduate_staff=s["postgraduate"],
        postgraduate_members=s["postgraduate_members"],
        postgraduate_pct=percent(s["postgraduate_members"], s["postgraduate"]),
        branches=b["total"],
        dual_leader_branches=b["dual"],
        dual_leader_pct=percent(b["dual"], b["total"]),
    )


def composition_scope_ids(user: Any) -> list[int] | None:
    """Return the organisations a user's composition figures are limited to (None: all)."""
    scope = user.scope
    if scope.hospital_wide:
        return None
    return sorted(
        PartyOrganisation.objects.filter(
            id__in=scope.organisation_ids, kind=Kind.BRANCH
        ).values_list("id", flat=True)
    )


def dual_summary(qs: QuerySet[DualCultivation]) -> list[dict[str, Any]]:
    """Per track: how many are on the list, in progress, achieved, stopped, and the share
    achieved (one query)."""
    rows = {
        r["track"]: r
        for r in qs.order_by()
        .values("track")
        .annotate(
            total=Count("pk"),
            active=Count("pk", filter=Q(status=DualCultivation.Status.ACTIVE)),
            achieved=Count("pk", filter=Q(status=DualCultivation.Status.ACHIEVED)),
            stopped=Count("pk", filter=Q(status=DualCultivation.Status.STOPPED)),
        )
    }
    out = []
    for value, label in DualCultivation.Track.choices:
        r = rows.get(value, {"total": 0, "active": 0, "achieved": 0, "stopped": 0})
        out.append(
            {
                "track": value,
                "label": label,
                **{k: r[k] for k in ("total", "active", "achieved", "stopped")},
                "achieved_pct": percent(r["achieved"], r["total"]),
            }
        )
    return out
