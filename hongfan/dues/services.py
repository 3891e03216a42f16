"""Writes of Party dues: the pay base, the monthly assessment, payments, arrears alerts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hongfan.dues.models import (
    DuesAssessment,
    DuesCategory,
    DuesConfig,
    DuesPayment,
    MemberDuesCategory,
    RateBracket,
)
from hongfan.org.models import Staff
from hongfan.party.models import PartyMember

FEN = Decimal("0.01")


def to_money(value: Decimal) -> Decimal:
    """Round to the fen, half-up (0.005 → 0.01), as bank counters do."""
    return value.quantize(FEN, rounding=ROUND_HALF_UP)


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def month_index(day: dt.date) -> int:
    return day.year * 12 + day.month - 1


def month_from_index(index: int) -> dt.date:
    year, month = divmod(index, 12)
    return dt.date(year, month + 1, 1)


def active_config() -> DuesConfig:
    config = DuesConfig.objects.filter(is_active=True).first()
    if config is None:
        raise ValidationError(_("No dues configuration is active."))
    return config


def _decimal(value: Any, label: str) -> Decimal:
    if value is None or value == "":
        return Decimal(0)
    try:
        return Decimal(str(value))
    except InvalidOperation as exc:
        raise ValidationError(
            _("“%(value)s” is not a valid amount for %(item)s.") % {"value": value, "item": label}
        ) from exc


def pay_base(items: Mapping[str, Any], config: DuesConfig | None = None) -> Decimal:
    """Return the monthly pay base: counted items less deductions (never below zero)."""
    config = config or active_config()
    known = set(config.income_items) | set(config.deduction_items) | set(config.excluded_items)
    unknown = [name for name in items if name not in known]
    if unknown:
        raise ValidationError(
            _("Pay items not in the dues configuration: %(items)s.") % {"items": "、".join(unknown)}
        )
    income = sum((_decimal(items.get(n), n) for n in config.income_items), Decimal(0))
    deductions = sum((_decimal(items.get(n), n) for n in config.deduction_items), Decimal(0))
    return to_money(max(income - deductions, Decimal(0)))


def member_category(member: PartyMember) -> str:
    override = MemberDuesCategory.objects.filter(member=member).values_list("category", flat=True)
    if override:
        return override[0]
    retired = member.is_retired or member.staff.employment_status == Staff.EmploymentStatus.RETIRED
    return DuesCategory.RETIREE if retired else DuesCategory.IN_POST


def rate_for(category: str, base: Decimal) -> RateBracket:
    """Return the bracket with lower < base ≤ upper (open ends where null)."""
    for bracket in RateBracket.objects.filter(category=category).order_by("lower"):
        above = bracket.lower is None or base > bracket.lower
        within = bracket.upper is None or base <= bracket.upper
        if above and within:
            return bracket
    raise ValidationError(_("No dues rate applies to a base of %(base)s.") % {"base": base})


def dues_amount(category: str, base: Decimal) -> tuple[Decimal | None, Decimal]:
    """Return (rate in percent or None for a fixed amount, the monthly amount)."""
    bracket = rate_for(category, base)
    if bracket.fixed_amount is not None:
        return None, to_money(bracket.fixed_amount)
    rate = bracket.rate_percent or Decimal(0)
    return rate, to_money(base * rate / Decimal(100))


def _check_member_pays(member: PartyMember, month: dt.date) -> None:
    if not member.organisation.collects_dues:
        raise ValidationError(_("A temporary branch collects no Party dues."))
    if month < month_start(member.joined_on):
        raise ValidationError(
            _(
                "%(name)s pays dues from %(month)s (the month of the branch general meeting "
                "that admitted them)."
            )
            % {"name": member.staff.name, "month": f"{member.joined_on:%Y-%m}"}
        )


@transaction.atomic
def dues_assess(
    *,
    member: PartyMember,
    month: dt.date,
    pay_items: Mapping[str, Any] | None = None,
    base: Decimal | None = None,
) -> DuesAssessment:
    """Create or recompute the dues of ``member`` for ``month`` from pay items or a base."""
    month = month_start(month)
    _check_member_pays(member, month)
    category = member_category(member)
    items = {k: str(v) for k, v in (pay_items or {}).items()}
    if base is not None:
        computed = to_money(base)
    elif pay_items is not None:
        computed = pay_base(items)
    elif category == DuesCategory.FLAT:
        computed = Decimal(0)  # the fixed amount does not depend on pay
    else:
        raise ValidationError(_("Give the pay items or the pay base."))
    rate, amount = dues_amount(category, computed)
    existing = DuesAssessment.objects.select_for_update().filter(member=member, month=month).first()
    if existing and existing.is_settled:
        raise ValidationError(
            _("The dues of %(name)s for %(month)s are already settled.")
            % {"name": member.staff.name, "month": f"{month:%Y-%m}"}
        )
    obj = existing or DuesAssessment(member=member, month=month)
    obj.organisation = member.organisation
    obj.category = category
    obj.base = computed
    obj.rate_percent = rate
    obj.amount_due = amount
    obj.pay_items = items
    obj.full_clean()
    obj.save()
    return obj


@transaction.atomic
def dues_pay(
    *,
    member: PartyMember,
    first_month: dt.date,
    last_month: dt.date | None = None,
    amount: Decimal,
    paid_on: dt.date,
    method: str = DuesPayment.Method.TRANSFER,
    note: str = "",
    user: Any = None,
) -> DuesPayment:
    """Settle the months first_month..last_month of ``member`` with one payment."""
    config = active_config()
    first = month_start(first_month)
    last = month_start(last_month or first_month)
    if last < first:
        raise ValidationError(_("The last month cannot precede the first month."))
    if paid_on > timezone.localdate():
        raise ValidationError({"paid_on": _("The payment date cannot be in the future.")})
    months = [month_from_index(i) for i in range(month_index(first), month_index(last) + 1)]
    for m in months:
        _check_member_pays(member, m)
    late = month_index(paid_on) - month_index(first)
    if late > config.max_backpay_months:
        raise ValidationError(
            _(
                "Back-payment is limited to %(max)s months: dues for %(month)s cannot be paid "
                "on %(paid)s (%(late)s months later)."
            )
            % {
                "max": config.max_backpay_months,
                "month": f"{first:%Y-%m}",
                "paid": f"{paid_on:%Y-%m-%d}",
                "late": late,
            }
        )
    rows = {
        a.month: a
        for a in DuesAssessment.objects.select_for_update().filter(member=member, month__in=months)
    }
    missing = [f"{m:%Y-%m}" for m in months if m not in rows]
    if missing:
        raise ValidationError(
            _("No dues have been assessed for %(months)s yet.") % {"months": "、".join(missing)}
        )
    settled = [f"{m:%Y-%m}" for m in months if rows[m].is_settled]
    if settled:
        raise ValidationError(
            _("The dues of %(name)s for %(months)s are already settled.")
            % {"name": member.staff.name, "months": "、".join(settled)}
        )
    amount = to_money(Decimal(amount))
    due = sum((rows[m].amount_due for m in months), Decimal(0))
    if amount < due:
        raise ValidationError(
            {
                "amount": _("The amount %(amount)s is less than the %(due)s due.")
                % {"amount": amount, "due": due}
            }
        )
    payment = DuesPayment(
        member=member,
        amount=amount,
        paid_on=paid_on,
        method=method,
        first_month=first,
        last_month=last,
        note=note,
        recorded_by=user if user is not None and getattr(user, "pk", None) else None,
    )
    payment.full_clean()
    payment.save()
    for m in months:
        rows[m].payment = payment
        rows[m].save(update_fields=["payment"])
    return payment


@transaction.atomic
def member_dues_category_set(
    *, member: PartyMember, category: str, reason: str = ""
) -> MemberDuesCategory:
    obj, _created = MemberDuesCategory.objects.update_or_create(
        member=member, defaults={"category": category, "reason": reason}
    )
    obj.full_clean()
    return obj


def dues_arrears_notify(*, as_of: dt.date) -> int:
    """Warn the branch secretary and the Party office of arrears at each threshold, once.

    The de-duplication key names the member, the first unpaid month and the threshold, so a
    run of arrears is announced once per threshold however often the command runs.
    """
    from django.urls import reverse

    from hongfan.development.selectors import party_office_users, secretaries_of
    from hongfan.dues.selectors import arrears
    from hongfan.notifications.models import Notification
    from hongfan.notifications.services import notify

    found = [a for a in arrears(as_of=as_of) if a.level]
    secretaries = secretaries_of({a.member.organisation_id for a in found})
    office = party_office_users()
    sent = 0
    for a in found:
        if a.lapsed:
            title = _(
                "%(name)s has not paid Party dues for %(months)s months: the 6-month line of "
                "Party Constitution Art. 9 is reached"
            )
            level = Notification.Level.ESCALATION
        else:
            title = _("%(name)s has not paid Party dues for %(months)s months")
            level = Notification.Level.WARNING
        key = (
            f"dues-arrears:{a.member.pk}:{a.first_unpaid:%Y-%m}:{'lapsed' if a.lapsed else a.level}"
        )
        sent += len(
            notify(
                users=[*secretaries.get(a.member.organisation_id, []), *office],
                title=title % {"name": a.member.staff.name, "months": a.months},
                body=_("Unpaid since %(month)s, %(amount)s yuan in total.")
                % {"month": f"{a.first_unpaid:%Y-%m}", "amount": a.amount},
                url=reverse("dues:arrears"),
                level=level,
                source=a.member,
                dedup_key=key,
            )
        )
    return sent
