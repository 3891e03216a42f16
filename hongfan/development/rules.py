"""The checks a step's ``rules`` JSON can name, and the date arithmetic they share.

Each check reads its parameters from the rule set (never from code), so the 2014 rules and a
later revision differ only in data. A check returns a list of Chinese-translatable messages;
an empty list means the step passes.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from hongfan.workdays.services import working_days_between


def add_months(day: dt.date, months: int) -> dt.date:
    """Return ``day`` moved by ``months`` calendar months (clamped to the month's last day)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


def age_on(birth: dt.date, day: dt.date) -> int:
    years = day.year - birth.year
    if (day.month, day.day) < (birth.month, birth.day):
        years -= 1
    return years


@dataclass
class StepInput:
    """What the user entered for a step (the form's cleaned data, without the candidate)."""

    date: dt.date
    contacts: list[Any] = field(default_factory=list)  # PartyMember
    introducers: list[Any] = field(default_factory=list)  # PartyMember
    passed: bool | None = None
    training_hours: Decimal | None = None
    training_days: int | None = None
    notice_start: dt.date | None = None
    notice_end: dt.date | None = None
    members_due: int | None = None
    members_present: int | None = None
    votes_yes: int | None = None
    votes_no: int | None = None
    votes_abstain: int | None = None
    special_reason: str = ""


@dataclass
class Context:
    """The candidate's situation when a step is checked."""

    candidate: Any
    step: Any
    data: StepInput
    # step code → date of its latest record (earlier steps already recorded)
    dates: dict[str, dt.date]
    step_names: dict[str, str]

    def ref(self, code: str) -> dt.date | None:
        return self.dates.get(code)

    def name(self, code: str) -> str:
        return self.step_names.get(code, code)


Check = Callable[[Context, dict[str, Any]], list[str]]


def _fmt(day: dt.date) -> str:
    return f"{day:%Y-%m-%d}"


def check_min_age(ctx: Context, p: dict[str, Any]) -> list[str]:
    birth = ctx.candidate.staff.birth_date
    years = int(p.get("years", 18))
    if age_on(birth, ctx.data.date) < years:
        return [
            _("The applicant must be at least %(years)s years old on the day of the application.")
            % {"years": years}
        ]
    return []


def _missing(ctx: Context, code: str) -> list[str]:
    return [_("Record the step “%(step)s” first.") % {"step": ctx.name(code)}]


def check_within_months(ctx: Context, p: dict[str, Any]) -> list[str]:
    code = p["step"]
    ref = ctx.ref(code)
    if ref is None:
        return _missing(ctx, code)
    months = int(p["months"])
    special = p.get("special_months")
    limit = months
    if special and ctx.data.special_reason.strip():
        limit = int(special)
    deadline = add_months(ref, limit)
    if ctx.data.date > deadline:
        if special and not ctx.data.special_reason.strip():
            return [
                _(
                    "This step must be taken within %(months)s months of “%(step)s” (%(ref)s), "
                    "that is by %(deadline)s; with a special reason the limit is %(special)s "
                    "months."
                )
                % {
                    "months": months,
                    "step": ctx.name(code),
                    "ref": _fmt(ref),
                    "deadline": _fmt(deadline),
                    "special": special,
                }
            ]
        return [
            _(
                "This step must be taken within %(months)s months of “%(step)s” (%(ref)s), "
                "that is by %(deadline)s."
            )
            % {
                "months": limit,
                "step": ctx.name(code),
                "ref": _fmt(ref),
                "deadline": _fmt(deadline),
            }
        ]
    return []


def check_min_months_since(ctx: Context, p: dict[str, Any]) -> list[str]:
    code = p["step"]
    ref = ctx.ref(code)
    if ref is None:
        return _missing(ctx, code)
    months = int(p["months"])
    earliest = add_months(ref, months)
    if ctx.data.date < earliest:
        return [
            _(
                "At least %(months)s months must pass after “%(step)s” (%(ref)s): this step "
                "can be taken on %(earliest)s at the earliest."
            )
            % {
                "months": months,
                "step": ctx.name(code),
                "ref": _fmt(ref),
                "earliest": _fmt(earliest),
            }
        ]
    return []


def _full_member_errors(people: list[Any], role: str, day: dt.date) -> list[str]:
    errors = []
    for m in people:
        if not m.is_full or (m.confirmed_on and m.confirmed_on > day):
            errors.append(
                _("%(name)s is a probationary member and cannot be a %(role)s.")
                % {"name": m.staff.name, "role": role}
            )
        elif not m.is_active_member:
            errors.append(
                _("%(name)s is not a member in good standing and cannot be a %(role)s.")
                % {"name": m.staff.name, "role": role}
            )
    return errors


def check_contacts(ctx: Context, p: dict[str, Any]) -> list[str]:
    lo, hi = int(p.get("min", 1)), int(p.get("max", 2))
    people = ctx.data.contacts
    errors = []
    if not lo <= len(people) <= hi:
        errors.append(
            _("Name %(min)s to %(max)s full members as cultivation contacts.")
            % {"min": lo, "max": hi}
        )
    return errors + _full_member_errors(people, str(_("cultivation contact")), ctx.data.date)


def check_introducers(ctx: Context, p: dict[str, Any]) -> list[str]:
    count = int(p.get("count", 2))
    people = ctx.data.introducers
    errors = []
    if len(people) != count:
        errors.append(_("Exactly %(count)s introducers are required.") % {"count": count})
    errors += _full_member_errors(people, str(_("introducer")), ctx.data.date)
    for m in people:
        if m.under_probation:
            errors.append(
                _(
                    "%(name)s is under probation within the Party (留党察看) "
                    "and cannot be an introducer."
                )
                % {"name": m.staff.name}
            )
        if m.staff_id == ctx.candidate.staff_id:
            errors.append(_("A candidate cannot introduce themselves."))
    return errors


def check_passed(ctx: Context, p: dict[str, Any]) -> list[str]:
    if ctx.data.passed is not True:
        return [
            _(
                "This step must be passed before the candidate can go on "
                "(e.g. the political review)."
            )
        ]
    return []


def check_training(ctx: Context, p: dict[str, Any]) -> list[str]:
    min_hours = Decimal(str(p.get("min_hours", 24)))
    min_days = int(p.get("min_days", 3))
    hours = ctx.data.training_hours or Decimal(0)
    days = ctx.data.training_days or 0
    if hours >= min_hours or days >= min_days:
        return []
    return [
        _("The centralised training must last at least %(hours)s class hours or %(days)s days.")
        % {"hours": min_hours.normalize(), "days": min_days}
    ]


def notice_working_days(start: dt.date, end: dt.date) -> int:
    """Working days in the notice period, both ends included."""
    return working_days_between(start - dt.timedelta(days=1), end)


def check_notice(ctx: Context, p: dict[str, Any]) -> list[str]:
    needed = int(p.get("min_working_days", 5))
    start, end = ctx.data.notice_start, ctx.data.notice_end
    if start is None or end is None:
        return [_("Enter the first and the last day of the public notice.")]
    if end < start:
        return [_("The public notice cannot end before it starts.")]
    if ctx.data.date < end:
        return [_("The branch committee can conclude only after the public notice has ended.")]
    got = notice_working_days(start, end)
    if got < needed:
        return [
            _(
                "The public notice must last at least %(needed)s working days; "
                "%(start)s to %(end)s has %(got)s."
            )
            % {"needed": needed, "start": _fmt(start), "end": _fmt(end), "got": got}
        ]
    return []


def check_vote(ctx: Context, p: dict[str, Any]) -> list[str]:
    d = ctx.data
    if d.members_due is None or d.members_present is None or d.votes_yes is None:
        return [_("Enter the members due to attend, the members present and the votes.")]
    no, abstain = d.votes_no or 0, d.votes_abstain or 0
    errors = []
    if d.members_due <= 0:
        return [_("The number of full members due to attend must be positive.")]
    if d.members_present > d.members_due:
        errors.append(_("More members present than full members due to attend."))
    if d.votes_yes + no + abstain > d.members_present:
        errors.append(_("More votes than members present."))
    if errors:
        return errors
    if d.members_present * 2 <= d.members_due:
        errors.append(
            _(
                "No quorum: more than half of the %(due)s full members due to attend must be "
                "present (present: %(present)s)."
            )
            % {"due": d.members_due, "present": d.members_present}
        )
    if d.votes_yes * 2 <= d.members_due:
        errors.append(
            _(
                "Not adopted: the yes votes must exceed half of the %(due)s full members due to "
                "attend (yes: %(yes)s)."
            )
            % {"due": d.members_due, "yes": d.votes_yes}
        )
    return errors


def probation_end(candidate: Any, dates: dict[str, dt.date], p: dict[str, Any]) -> dt.date | None:
    start = dates.get(p.get("step", "admission_vote"))
    if start is None:
        return None
    return add_months(start, int(p.get("months", 12)) + candidate.extension_months)


def check_probation_complete(ctx: Context, p: dict[str, Any]) -> list[str]:
    end = probation_end(ctx.candidate, ctx.dates, p)
    if end is None:
        return _missing(ctx, p.get("step", "admission_vote"))
    if ctx.data.date < end:
        return [
            _(
                "The probation period ends on %(end)s; the branch can discuss full membership "
                "on that day at the earliest."
            )
            % {"end": _fmt(end)}
        ]
    return []


def _no_check(ctx: Context, p: dict[str, Any]) -> list[str]:
    return []


CHECKS: dict[str, Check] = {
    "min_age": check_min_age,
    "within_months": check_within_months,
    "min_months_since": check_min_months_since,
    "contacts": check_contacts,
    "introducers": check_introducers,
    "passed": check_passed,
    "training": check_training,
    "notice": check_notice,
    "vote": check_vote,
    "probation_complete": check_probation_complete,
    # Parameters read elsewhere (alerts, the extension service, member creation).
    "assessment_every_months": _no_check,
    "extension": _no_check,
    "creates_member": _no_check,
    "confirms_member": _no_check,
}


def run_checks(ctx: Context) -> list[str]:
    errors: list[str] = []
    for name, params in (ctx.step.rules or {}).items():
        check = CHECKS.get(name)
        if check is None:
            errors.append(_("Unknown check “%(name)s” in the rule set.") % {"name": name})
            continue
        errors += check(ctx, params or {})
    return errors
