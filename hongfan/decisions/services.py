"""All writes for decision meetings. Rules are documented in docs/apps/decisions.md.

The rules enforced here:

* quorum per item (configurable; default 三重一大 ≥ 2/3 of the members entitled, ordinary
  items > 1/2); a recused member does not count towards it and cannot vote;
* a vote needs the meeting to have taken place and every present, non-recused member's vote;
* a "三重一大" item cannot be finally decided by the 院长办公会: it can only be referred to the
  党委会, whose linked item's decision is the final one;
* amounts at or above the configured thresholds make an item 三重一大 automatically;
* a passed (final) item becomes a ``Resolution`` and a loops matter of type ``resolution``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hongfan.decisions.models import (
    AgendaItem,
    Attendance,
    DecisionConfig,
    Meeting,
    MeetingKind,
    OfficeMeetingMember,
    ProfessionalCommittee,
    Recusal,
    Resolution,
    Vote,
)
from hongfan.decisions.selectors import decision_config, entitled_members
from hongfan.loops import services as loops
from hongfan.org.models import Department, Institution, Staff

RESOLUTION_MATTER_TYPE = "resolution"


# ---------------------------------------------------------------- classification and quorum


def classify(
    *,
    category: str,
    is_project: bool,
    amount: Decimal | None,
    config: DecisionConfig | None = None,
) -> tuple[str, bool]:
    """Return ``(category, auto)``: an ordinary item over a money threshold becomes 三重一大."""
    if category != AgendaItem.Category.ORDINARY or amount is None:
        return category, False
    config = config or decision_config()
    if is_project and amount >= config.major_project_threshold:
        return AgendaItem.Category.MAJOR_PROJECT, True
    if amount >= config.large_funds_threshold:
        return AgendaItem.Category.LARGE_FUNDS, True
    return category, False


@dataclass(frozen=True)
class Quorum:
    entitled: int
    present: int  # present and not recused
    recused: int
    num: int
    den: int
    strict: bool

    @property
    def met(self) -> bool:
        if self.entitled == 0:
            return False
        lhs, rhs = self.present * self.den, self.entitled * self.num
        return lhs > rhs if self.strict else lhs >= rhs

    @property
    def rule(self) -> str:
        if self.strict:
            return _("more than %(num)s/%(den)s") % {"num": self.num, "den": self.den}
        return _("at least %(num)s/%(den)s") % {"num": self.num, "den": self.den}

    @property
    def required(self) -> int:
        """The smallest number present that meets the quorum."""
        need = -(-self.entitled * self.num // self.den)  # ceil
        if self.strict and need * self.den == self.entitled * self.num:
            need += 1
        return need


def item_quorum(item: AgendaItem, *, config: DecisionConfig | None = None) -> Quorum:
    """Return the quorum for ``item``: recused members are not counted as present."""
    config = config or decision_config()
    rows = list(item.meeting.attendance.all())
    recused = {r.staff_id for r in item.recusals.all()}
    present = sum(1 for a in rows if a.is_present and a.staff_id not in recused)
    if item.is_major:
        num, den, strict = (
            config.major_quorum_num,
            config.major_quorum_den,
            config.major_quorum_strict,
        )
    else:
        num, den, strict = (
            config.ordinary_quorum_num,
            config.ordinary_quorum_den,
            config.ordinary_quorum_strict,
        )
    return Quorum(
        entitled=len(rows),
        present=present,
        recused=len(recused),
        num=num,
        den=den,
        strict=strict,
    )


# ---------------------------------------------------------------- meetings


@transaction.atomic
def meeting_create(
    *,
    institution: Institution,
    kind: str,
    held_on: dt.date,
    place: str,
    chair: Staff,
    recorder: Staff,
    number: str = "",
    first_topic_title: str = "",
    first_topic_source: str = "",
    observers: str = "",
    actor: Any = None,
) -> Meeting:
    """Create a meeting and its attendance list from the members entitled on ``held_on``."""
    seats = entitled_members(kind=kind, institution=institution, on=held_on)
    if not seats:
        if kind == MeetingKind.PARTY_COMMITTEE:
            msg = _(
                "The hospital Party committee has no members on this date: record the "
                "committee members first."
            )
        else:
            msg = _("The president's office meeting has no members: maintain the member list.")
        raise ValidationError(msg)
    if chair.pk not in {s.staff.pk for s in seats}:
        raise ValidationError({"chair": _("The chair must be a member entitled to attend.")})
    meeting = Meeting(
        institution=institution,
        kind=kind,
        number=number,
        held_on=held_on,
        place=place,
        chair=chair,
        recorder=recorder,
        first_topic_title=first_topic_title,
        first_topic_source=first_topic_source,
        observers=observers,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    meeting.full_clean()
    meeting.save()
    Attendance.objects.bulk_create(
        [Attendance(meeting=meeting, staff=s.staff, seat=s.title[:50]) for s in seats]
    )
    return meeting


def _has_decisions(meeting: Meeting) -> bool:
    return meeting.items.exclude(decision=AgendaItem.Decision.PENDING).exists()


@transaction.atomic
def meeting_update(*, meeting: Meeting, actor: Any = None, **fields: Any) -> Meeting:
    allowed = {
        "number",
        "held_on",
        "place",
        "chair",
        "recorder",
        "first_topic_title",
        "first_topic_source",
        "observers",
    }
    unknown = set(fields) - allowed
    if unknown:
        raise ValueError(f"unknown fields {unknown}")
    if "held_on" in fields and fields["held_on"] != meeting.held_on and _has_decisions(meeting):
        raise ValidationError(
            {"held_on": _("Items of this meeting are decided: the date cannot change.")}
        )
    entitled = set(meeting.attendance.values_list("staff_id", flat=True))
    if "chair" in fields and fields["chair"].pk not in entitled:
        raise ValidationError({"chair": _("The chair must be a member entitled to attend.")})
    for key, value in fields.items():
        setattr(meeting, key, value)
    meeting.full_clean()
    meeting.save()
    return meeting


@transaction.atomic
def attendance_record(
    *, meeting: Meeting, statuses: Mapping[int, tuple[str, str]], actor: Any = None
) -> None:
    """Record attendance: ``{staff_id: (status, absence_reason)}``.

    Refused once an item of the meeting is decided (the quorum it was decided on must stay).
    """
    if _has_decisions(meeting):
        raise ValidationError(
            _("Items of this meeting are already decided: attendance cannot change.")
        )
    rows = {a.staff_id: a for a in meeting.attendance.select_related("staff")}
    errors = []
    for staff_id, (status, reason) in statuses.items():
        row = rows.get(int(staff_id))
        if row is None:
            raise ValidationError(_("This person is not entitled to attend the meeting."))
        row.status = status
        row.absence_reason = (reason or "").strip() if status == Attendance.Status.ABSENT else ""
        if status == Attendance.Status.ABSENT and not row.absence_reason:
            errors.append(_("Give the reason why %(name)s was absent.") % {"name": row.staff.name})
            continue
        row.full_clean()
    if errors:
        raise ValidationError(errors)
    Attendance.objects.bulk_update(list(rows.values()), ["status", "absence_reason"])


@transaction.atomic
def meeting_minutes_save(*, meeting: Meeting, minutes: str, actor: Any = None) -> Meeting:
    if meeting.held_on > timezone.localdate():
        raise ValidationError(_("The meeting has not taken place yet."))
    meeting.minutes = minutes.strip()
    meeting.minutes_recorded_at = timezone.now() if meeting.minutes else None
    meeting.full_clean()
    meeting.save(update_fields=["minutes", "minutes_recorded_at"])
    return meeting


# ---------------------------------------------------------------- agenda items


def _check_referral(meeting: Meeting, referred_item: AgendaItem | None) -> None:
    if referred_item is None:
        return
    if meeting.kind != MeetingKind.PARTY_COMMITTEE:
        raise ValidationError(
            {"referred_item": _("Only a Party committee item can take up a referred item.")}
        )
    if referred_item.decision != AgendaItem.Decision.REFERRED:
        raise ValidationError(
            {"referred_item": _("This item was not referred to the Party committee.")}
        )
    taken = referred_item.committee_items.exclude(decision=AgendaItem.Decision.DEFERRED).exists()
    if taken:
        raise ValidationError(
            {"referred_item": _("A Party committee item already takes up this referred item.")}
        )
    if referred_item.meeting.held_on > meeting.held_on:
        raise ValidationError(
            {"referred_item": _("The item was referred after this meeting took place.")}
        )


@transaction.atomic
def agenda_item_create(
    *,
    meeting: Meeting,
    title: str,
    category: str = AgendaItem.Category.ORDINARY,
    proposer_department: Department | None = None,
    description: str = "",
    is_project: bool = False,
    amount: Decimal | None = None,
    prior_reviews: Iterable[ProfessionalCommittee] = (),
    prior_review_note: str = "",
    referred_item: AgendaItem | None = None,
    actor: Any = None,
) -> AgendaItem:
    """Add an item; an amount over a threshold classifies it 三重一大 automatically."""
    _check_referral(meeting, referred_item)
    if referred_item is not None:
        # The committee decides the same matter: keep its classification and figures.
        category = referred_item.category
        is_project = is_project or referred_item.is_project
        amount = amount if amount is not None else referred_item.amount
        proposer_department = proposer_department or referred_item.proposer_department
    category, auto = classify(category=category, is_project=is_project, amount=amount)
    last = meeting.items.order_by("-order").values_list("order", flat=True).first() or 0
    item = AgendaItem(
        meeting=meeting,
        meeting_kind=meeting.kind,
        order=last + 1,
        title=title,
        proposer_department=proposer_department,
        description=description,
        category=category,
        is_project=is_project,
        amount=amount,
        auto_classified=auto,
        prior_review_note=prior_review_note,
        referred_item=referred_item,
    )
    item.full_clean()
    item.save()
    if prior_reviews:
        item.prior_reviews.set(prior_reviews)
    return item


def _require_pending(item: AgendaItem) -> None:
    if item.decision != AgendaItem.Decision.PENDING:
        raise ValidationError(_("This item is already decided and cannot change."))


@transaction.atomic
def agenda_item_update(*, item: AgendaItem, actor: Any = None, **fields: Any) -> AgendaItem:
    _require_pending(item)
    reviews = fields.pop("prior_reviews", None)
    if "referred_item" in fields and fields["referred_item"] != item.referred_item:
        _check_referral(item.meeting, fields["referred_item"])
    for key, value in fields.items():
        setattr(item, key, value)
    item.category, item.auto_classified = classify(
        category=item.category, is_project=item.is_project, amount=item.amount
    )
    item.full_clean()
    item.save()
    if reviews is not None:
        item.prior_reviews.set(reviews)
    return item


@transaction.atomic
def recusal_add(*, item: AgendaItem, staff: Staff, reason: str, actor: Any = None) -> Recusal:
    _require_pending(item)
    if not item.meeting.attendance.filter(staff=staff).exists():
        raise ValidationError(_("Only a member entitled to attend can recuse themselves."))
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the recusal.")})
    recusal = Recusal(item=item, staff=staff, reason=reason.strip())
    recusal.full_clean()
    recusal.save()
    return recusal


@transaction.atomic
def recusal_remove(*, recusal: Recusal, actor: Any = None) -> None:
    _require_pending(recusal.item)
    recusal.delete()


def _lock_item(item: AgendaItem) -> AgendaItem:
    locked = AgendaItem.objects.select_for_update().select_related("meeting").get(pk=item.pk)
    _require_pending(locked)
    return locked


def _check_meeting_held(item: AgendaItem) -> None:
    if item.meeting.held_on > timezone.localdate():
        raise ValidationError(_("The meeting has not taken place yet: nothing can be decided."))


@transaction.atomic
def agenda_item_defer(*, item: AgendaItem, actor: Any = None, note: str = "") -> AgendaItem:
    """Mark the item 暂缓 (deferred): no vote, no quorum needed."""
    item = _lock_item(item)
    _check_meeting_held(item)
    item.decision = AgendaItem.Decision.DEFERRED
    item.decided_at = timezone.now()
    item.decision_note = note.strip()[:300]
    item.full_clean()
    item.save(update_fields=["decision", "decided_at", "decision_note"])
    return item


@transaction.atomic
def agenda_item_refer(
    *, item: AgendaItem, actor: Any = None, note: str = "", decided_at: dt.datetime | None = None
) -> AgendaItem:
    """The 院长办公会 discussed a 三重一大 item and refers it to the 党委会 (提交党委会)."""
    item = _lock_item(item)
    _check_meeting_held(item)
    if item.meeting_kind != MeetingKind.PRESIDENT_OFFICE:
        raise ValidationError(_("Only the president's office meeting refers items."))
    if not item.is_major:
        raise ValidationError(
            _("Only a 三重一大 item is referred; decide an ordinary item at this meeting.")
        )
    item.decision = AgendaItem.Decision.REFERRED
    item.decided_at = decided_at or timezone.now()
    item.decision_note = note.strip()[:300]
    item.full_clean()
    item.save(update_fields=["decision", "decided_at", "decision_note"])
    return item


def _check_votes(item: AgendaItem, votes: Mapping[int, str], quorum: Quorum) -> dict[int, str]:
    rows = {a.staff_id: a for a in item.meeting.attendance.all()}
    recused = {r.staff_id: r for r in item.recusals.select_related("staff")}
    clean: dict[int, str] = {}
    for raw_id, choice in votes.items():
        staff_id = int(raw_id)
        if staff_id in recused:
            raise ValidationError(
                _("%(name)s recused themselves from this item and cannot vote.")
                % {"name": recused[staff_id].staff.name}
            )
        row = rows.get(staff_id)
        if row is None:
            raise ValidationError(_("Only members entitled to attend can vote."))
        if not row.is_present:
            raise ValidationError(
                _("%(name)s was not present and cannot vote.") % {"name": row.staff.name}
            )
        if choice not in Vote.Choice.values:
            raise ValidationError(_("Unknown vote."))
        clean[staff_id] = choice
    if not quorum.met:
        raise ValidationError(
            _(
                "No quorum: %(present)s of %(entitled)s members present (recused members not "
                "counted); this item needs %(rule)s, i.e. %(required)s members."
            )
            % {
                "present": quorum.present,
                "entitled": quorum.entitled,
                "rule": quorum.rule,
                "required": quorum.required,
            }
        )
    missing = [
        a.staff.name
        for sid, a in rows.items()
        if a.is_present and sid not in recused and sid not in clean
    ]
    if missing:
        raise ValidationError(
            _("Record the vote of every member present: %(names)s.") % {"names": "、".join(missing)}
        )
    return clean


@transaction.atomic
def agenda_item_decide(
    *,
    item: AgendaItem,
    votes: Mapping[int, str],
    actor: Any = None,
    resolution_text: str = "",
    owner: Any = None,
    owner_department: Department | None = None,
    deadline_days: int | None = None,
    note: str = "",
    decided_at: dt.datetime | None = None,
) -> AgendaItem:
    """Record the votes and the decision (passed when more than half of the members entitled,
    recused members excepted, vote yes).

    A passed item becomes a resolution with a supervised loops matter; its owner (a person or a
    department) and its deadline in working days are required then. ``decided_at`` (default:
    now) is when the matter opens; the deadline is counted from it.
    """
    item = _lock_item(item)
    _check_meeting_held(item)
    if item.meeting_kind == MeetingKind.PRESIDENT_OFFICE and item.is_major:
        raise ValidationError(
            _(
                "A 三重一大 item cannot be finally decided by the president's office meeting "
                "alone: refer it to the Party committee (提交党委会)."
            )
        )
    config = decision_config()
    quorum = item_quorum(item, config=config)
    clean = _check_votes(item, votes, quorum)
    yes = sum(1 for c in clean.values() if c == Vote.Choice.YES)
    voting_entitled = quorum.entitled - quorum.recused
    passed = yes * 2 > voting_entitled
    if passed:
        if owner is None and owner_department is None:
            raise ValidationError(
                {"owner": _("A passed item needs an owner or an owner department.")}
            )
        days = deadline_days if deadline_days is not None else config.resolution_deadline_days
        if days < 1:
            raise ValidationError({"deadline_days": _("The deadline is at least one working day.")})
    Vote.objects.bulk_create([Vote(item=item, staff_id=sid, choice=c) for sid, c in clean.items()])
    item.decision = AgendaItem.Decision.PASSED if passed else AgendaItem.Decision.REJECTED
    item.decided_at = decided_at or timezone.now()
    item.quorum_present = quorum.present
    item.quorum_entitled = quorum.entitled
    item.decision_note = note.strip()[:300]
    item.full_clean()
    item.save(
        update_fields=[
            "decision",
            "decided_at",
            "quorum_present",
            "quorum_entitled",
            "decision_note",
        ]
    )
    if passed:
        resolution_create(
            item=item,
            text=resolution_text.strip() or item.title,
            owner=owner,
            owner_department=owner_department,
            deadline_days=days,
            actor=actor,
            opened_at=item.decided_at,
        )
    return item


# ---------------------------------------------------------------- resolutions


def _next_number(item: AgendaItem) -> str:
    year = item.meeting.held_on.year
    prefix = "DW" if item.meeting_kind == MeetingKind.PARTY_COMMITTEE else "YB"
    stem = f"{prefix}{year}-"
    last = (
        Resolution.objects.filter(number__startswith=stem)
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
    )
    seq = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return f"{stem}{seq:03d}"


@transaction.atomic
def resolution_create(
    *,
    item: AgendaItem,
    text: str,
    owner: Any,
    owner_department: Department | None,
    deadline_days: int,
    actor: Any = None,
    opened_at: dt.datetime | None = None,
) -> Resolution:
    """Create the resolution of a passed item and open its ``resolution`` matter."""
    if item.decision != AgendaItem.Decision.PASSED:
        raise ValidationError(_("Only a passed item has a resolution."))
    resolution = Resolution(
        item=item,
        number=_next_number(item),
        text=text,
        owner=owner,
        owner_department=owner_department,
        deadline_days=deadline_days,
    )
    resolution.full_clean()
    resolution.save()
    matter = loops.matter_open(
        type=RESOLUTION_MATTER_TYPE,
        title=f"{resolution.number} {item.title}"[:200],
        description=text,
        originator=actor,
        owner=owner,
        owner_department=owner_department,
        source=resolution,
        deadline_amount=deadline_days,
        opened_at=opened_at,
        note=str(item.meeting),
    )
    resolution.matter = matter
    resolution.save(update_fields=["matter"])
    return resolution


@transaction.atomic
def resolution_publish(
    *, resolution: Resolution, publish: bool = True, actor: Any = None
) -> Resolution:
    """Publish the resolution on the internal 院务公开 page (or withdraw it)."""
    resolution.is_published = publish
    resolution.published_at = timezone.now() if publish else None
    resolution.save(update_fields=["is_published", "published_at"])
    return resolution


# ---------------------------------------------------------------- configuration


@transaction.atomic
def office_member_add(*, staff: Staff, title: str = "", actor: Any = None) -> OfficeMeetingMember:
    """Add ``staff`` to the 院长办公会 member list (or reactivate their seat)."""
    seat = OfficeMeetingMember.objects.filter(staff=staff).first() or OfficeMeetingMember(
        staff=staff
    )
    seat.title = title
    seat.is_active = True
    if seat.pk is None:
        seat.sort_order = OfficeMeetingMember.objects.count() + 1
    seat.full_clean()
    seat.save()
    return seat


@transaction.atomic
def office_member_remove(*, seat: OfficeMeetingMember, actor: Any = None) -> None:
    """Take a member off the list; past meetings keep their attendance rows."""
    seat.is_active = False
    seat.save(update_fields=["is_active"])
