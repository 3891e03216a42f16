"""Reads of Party dues, scoped through ``assessments_visible_to`` / ``payments_visible_to``."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum

from hongfan.accounts.roles import Cap
from hongfan.dues.models import DuesAssessment, DuesConfig, DuesPayment
from hongfan.dues.services import month_from_index, month_index
from hongfan.party.models import PartyMember, PartyOrganisation


def _scope_q(user: Any, prefix: str) -> Q | None:
    """None: everything; else the filter for the user's branches and own records."""
    scope = user.scope
    if scope.hospital_wide and user.has_capability(Cap.DUES_MANAGE):
        return None
    q = Q(pk__in=[])
    if user.has_capability(Cap.DUES_MANAGE) and scope.organisation_ids:
        q |= Q(**{f"{prefix}organisation_id__in": scope.organisation_ids})
    if scope.staff_id:
        q |= Q(**{f"{prefix}staff_id": scope.staff_id})
    return q


def assessments_visible_to(user: Any) -> QuerySet[DuesAssessment]:
    qs = DuesAssessment.objects.select_related("member__staff", "organisation", "payment")
    if not user.is_authenticated:
        return qs.none()
    q = _scope_q(user, "member__")
    return qs if q is None else qs.filter(q)


def payments_visible_to(user: Any) -> QuerySet[DuesPayment]:
    qs = DuesPayment.objects.select_related("member__staff", "member__organisation")
    if not user.is_authenticated:
        return qs.none()
    q = _scope_q(user, "member__")
    return qs if q is None else qs.filter(q)


def members_visible_to(user: Any) -> QuerySet[PartyMember]:
    qs = PartyMember.objects.select_related("staff", "organisation").filter(
        status=PartyMember.Status.NORMAL
    )
    if not user.is_authenticated:
        return qs.none()
    q = _scope_q(user, "")
    return qs if q is None else qs.filter(q)


def branches_visible_to(user: Any) -> QuerySet[PartyOrganisation]:
    qs = PartyOrganisation.objects.filter(kind=PartyOrganisation.Kind.BRANCH)
    scope = user.scope
    if scope.hospital_wide:
        return qs
    return qs.filter(pk__in=scope.organisation_ids)


# --- arrears ---------------------------------------------------------------------------


@dataclass
class Arrears:
    member: PartyMember
    months: int  # consecutive unpaid months up to the reference month
    first_unpaid: dt.date
    amount: Decimal
    level: int  # the highest warning threshold reached (0: none)
    lapsed: bool  # reached the 自行脱党 line


def arrears(*, as_of: dt.date, members: QuerySet[PartyMember] | None = None) -> list[Arrears]:
    """Return members whose dues are unpaid for consecutive months ending at ``as_of``'s month.

    A month counts once it has been assessed and is not settled; the run stops at the first
    settled month going backwards. Two queries whatever the number of members.
    """
    config = DuesConfig.objects.filter(is_active=True).first()
    warn = sorted(int(m) for m in (config.warn_months if config else [3, 5]))
    lapse = config.lapse_months if config else 6
    ref = month_index(as_of)
    window_start = month_from_index(ref - lapse - 12)
    qs = DuesAssessment.objects.filter(month__gte=window_start, month__lte=month_from_index(ref))
    if members is not None:
        qs = qs.filter(member__in=members)
    by_member: dict[int, dict[int, tuple[bool, Decimal]]] = defaultdict(dict)
    for member_id, month, paid, due in qs.values_list(
        "member_id", "month", "payment_id", "amount_due"
    ):
        by_member[member_id][month_index(month)] = (paid is not None, due)
    result: list[tuple[int, int, int, Decimal]] = []
    for member_id, months in by_member.items():
        run, amount, i = 0, Decimal(0), ref
        while i in months and not months[i][0]:
            run += 1
            amount += months[i][1]
            i -= 1
        if run:
            result.append((member_id, run, i + 1, amount))
    found = PartyMember.objects.select_related("staff", "organisation").in_bulk(
        [r[0] for r in result]
    )
    out = []
    for member_id, run, first, amount in result:
        level = max([w for w in warn if run >= w], default=0)
        out.append(
            Arrears(found[member_id], run, month_from_index(first), amount, level, run >= lapse)
        )
    out.sort(key=lambda a: (-a.months, a.member.staff.employee_no))
    return out


# --- summaries ---------------------------------------------------------------------------


@dataclass
class SummaryRow:
    label: str
    organisation_id: int | None
    month: dt.date | None
    members: int
    due: Decimal
    paid: Decimal

    @property
    def arrears(self) -> Decimal:
        return self.due - self.paid

    @property
    def rate(self) -> Decimal | None:
        if not self.due:
            return None
        return (self.paid / self.due * 100).quantize(Decimal("0.01"))


def _rows(qs: QuerySet[DuesAssessment], *group: str) -> list[dict[str, Any]]:
    return list(
        qs.values(*group)
        .annotate(
            members=Count("member_id", distinct=True),
            due=Sum("amount_due"),
            paid=Sum("amount_due", filter=Q(payment__isnull=False)),
        )
        .order_by(*group)
    )


def summary_by_branch(qs: QuerySet[DuesAssessment], *, by_month: bool) -> list[SummaryRow]:
    """Due, paid, arrears and payment rate per branch (and per month), plus a total row."""
    group = ["organisation_id", "organisation__name"] + (["month"] if by_month else [])
    rows = [
        SummaryRow(
            r["organisation__name"],
            r["organisation_id"],
            r.get("month"),
            r["members"],
            r["due"] or Decimal(0),
            r["paid"] or Decimal(0),
        )
        for r in _rows(qs, *group)
    ]
    return rows


def summary_total(qs: QuerySet[DuesAssessment]) -> SummaryRow:
    agg = qs.aggregate(
        members=Count("member_id", distinct=True),
        due=Sum("amount_due"),
        paid=Sum("amount_due", filter=Q(payment__isnull=False)),
    )
    return SummaryRow(
        "", None, None, agg["members"] or 0, agg["due"] or Decimal(0), agg["paid"] or Decimal(0)
    )


def summary_by_month(qs: QuerySet[DuesAssessment]) -> list[SummaryRow]:
    """Hospital-wide due, paid, arrears and payment rate per month."""
    return [
        SummaryRow(
            f"{r['month']:%Y-%m}",
            None,
            r["month"],
            r["members"],
            r["due"] or Decimal(0),
            r["paid"] or Decimal(0),
        )
        for r in _rows(qs, "month")
    ]
