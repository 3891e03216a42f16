"""Writes of the integrity app. Every function is one transaction and validates first."""

from __future__ import annotations

import base64
import datetime as dt
import io
import secrets
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

import lunardate
from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from hongfan.audit.services import bulk_summary, record_read
from hongfan.core import crypto
from hongfan.integrity.models import (
    DEFAULT_QUESTIONS,
    CodeAcknowledgement,
    CodeDocument,
    EducationSession,
    EnvelopeEntry,
    FamilyEvent,
    KeyDate,
    LetterTemplate,
    ReceiptThrottle,
    ReminderCampaign,
    ReminderReceipt,
    Report,
    ReportAttachment,
    ReportFinding,
    ReportMessage,
    RiskIndicator,
    RiskPoint,
    RiskReview,
    RiskWarning,
    SelfCheck,
    SelfCheckCampaign,
    Signature,
    SigningCampaign,
)
from hongfan.loops import services as loops
from hongfan.loops.models import MatterType
from hongfan.loops.workflows import state, step
from hongfan.notifications.services import NotificationItem, notify, notify_many
from hongfan.org.models import Staff
from hongfan.scoring.services import record_event

FOLLOWUP_TYPE = "integrity_followup"
RECEIPT_SECRET_DIGITS = 16
RECEIPT_BUCKET_DIGITS = 4
RECEIPT_LENGTH = RECEIPT_BUCKET_DIGITS + RECEIPT_SECRET_DIGITS
# Wrong receipt codes: per bucket, and across all buckets ("*"), within the window.
THROTTLE_BUCKET_FAILURES = 5
THROTTLE_GLOBAL_FAILURES = 50
THROTTLE_WINDOW = dt.timedelta(minutes=15)
THROTTLE_LOCK = dt.timedelta(minutes=15)
REPORT_MAX_CHARS = 10000
REPORT_MAX_FILES = 5


def _save(obj: Any) -> Any:
    obj.full_clean()
    obj.save()
    return obj


def _staff_of(user: Any) -> Staff:
    staff = getattr(user, "staff", None) if user is not None else None
    if staff is None:
        raise ValidationError(_("Your account is not linked to a staff record."))
    return staff


def _users_of_staff(staff_ids: Sequence[int]) -> list[Any]:
    from hongfan.accounts.models import User

    return list(User.objects.filter(staff_id__in=staff_ids, is_active=True))


def _superior_user(staff: Staff) -> Any:
    """The head of the staff member's department (not themselves), with an account."""
    from hongfan.accounts.models import User

    return (
        User.objects.filter(
            is_active=True,
            staff__department_id=staff.department_id,
            staff__is_department_head=True,
            staff__employment_status=Staff.EmploymentStatus.IN_POST,
        )
        .exclude(staff_id=staff.pk)
        .order_by("staff__employee_no")
        .first()
    )


def _in_post() -> Any:
    return Staff.objects.filter(employment_status=Staff.EmploymentStatus.IN_POST)


# ------------------------------------------------------------------ letters and pledges


def letter_template_save(
    *, template: LetterTemplate | None = None, actor: Any, **fields: Any
) -> LetterTemplate:
    obj = template or LetterTemplate()
    for k, v in fields.items():
        setattr(obj, k, v)
    with transaction.atomic():
        return _save(obj)


def _campaign_targets(level: str) -> Any:
    qs = _in_post()
    if level == LetterTemplate.Level.DEPARTMENT:
        return qs.filter(is_department_head=True)
    if level == LetterTemplate.Level.COMMITTEE:
        from hongfan.party.models import CommitteeMember, PartyOrganisation

        today = timezone.localdate()
        return qs.filter(
            pk__in=CommitteeMember.objects.filter(
                organisation__kind=PartyOrganisation.Kind.COMMITTEE,
                term_start__lte=today,
                term_end__gte=today,
            ).values("member__staff_id")
        )
    return qs


@transaction.atomic
def signing_campaign_launch(
    *, template: LetterTemplate, year: int, deadline: dt.date, title: str = "", actor: Any
) -> SigningCampaign:
    """Open a signing round of ``template``: one pending signature per person of its level."""
    campaign = SigningCampaign(
        template=template,
        year=year,
        deadline=deadline,
        title=title or f"{year}年{template.title}",
        created_by=actor,
    )
    _save(campaign)
    targets = list(_campaign_targets(template.level).values_list("pk", "department_id"))
    if not targets:
        raise ValidationError(_("Nobody is in post at this level; the campaign has no signers."))
    with bulk_summary():
        Signature.objects.bulk_create(
            [Signature(campaign=campaign, staff_id=s, department_id=d) for s, d in targets]
        )
    users = _users_of_staff([s for s, _d in targets])
    notify(
        users=users,
        title=_("Please sign: %(title)s") % {"title": campaign.title},
        url=reverse("integrity:my"),
        source=campaign,
    )
    return campaign


@transaction.atomic
def signature_sign(*, signature: Signature, actor: Any, typed_name: str) -> Signature:
    """Sign with one's typed name. Nobody signs for another person."""
    signature = (
        Signature.objects.select_for_update()
        .select_related("staff", "campaign")
        .get(pk=signature.pk)
    )
    staff = _staff_of(actor)
    if signature.staff_id != staff.pk:
        raise ValidationError(_("You can only sign your own letter, not another person's."))
    if signature.signed_at:
        raise ValidationError(_("This letter is already signed."))
    if signature.campaign.status != SigningCampaign.Status.OPEN:
        raise ValidationError(_("The signing campaign is closed."))
    if typed_name.strip() != signature.staff.name:
        raise ValidationError(
            {"typed_name": _("Type your own full name exactly as in your staff record.")}
        )
    signature.typed_name = typed_name.strip()
    signature.signed_at = timezone.now()
    signature.signed_by = actor
    return _save(signature)


@transaction.atomic
def signing_campaign_close(*, campaign: SigningCampaign, actor: Any) -> SigningCampaign:
    campaign.status = SigningCampaign.Status.CLOSED
    return _save(campaign)


# ------------------------------------------------------------------ risk register


@transaction.atomic
def risk_point_save(
    *,
    point: RiskPoint | None = None,
    actor: Any,
    responsible: Sequence[Staff] = (),
    **fields: Any,
) -> RiskPoint:
    obj = point or RiskPoint()
    for k, v in fields.items():
        setattr(obj, k, v)
    _save(obj)
    if responsible:
        obj.responsible.set(responsible)
    elif point is None:
        raise ValidationError({"responsible": _("Name at least one responsible person.")})
    return obj


def _add_months(day: dt.date, months: int) -> dt.date:
    m = day.month - 1 + months
    year, month = day.year + m // 12, m % 12 + 1
    import calendar

    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@transaction.atomic
def risk_review_record(
    *, point: RiskPoint, actor: Any, reviewed_on: dt.date, findings: str, level_after: str
) -> RiskReview:
    """Record a review; the next one is due ``review_interval_months`` later."""
    if reviewed_on > timezone.localdate():
        raise ValidationError({"reviewed_on": _("A review cannot be dated in the future.")})
    review = _save(
        RiskReview(
            point=point,
            reviewer=actor,
            reviewed_on=reviewed_on,
            findings=findings,
            level_after=level_after,
        )
    )
    point.level = level_after
    point.next_review_on = _add_months(reviewed_on, point.review_interval_months)
    _save(point)
    return review


@transaction.atomic
def risk_indicator_add(
    *, point: RiskPoint, actor: Any, code: str, name: str, threshold: str = ""
) -> RiskIndicator:
    return _save(RiskIndicator(point=point, code=code.strip(), name=name, threshold=threshold))


@transaction.atomic
def risk_warning_record(
    *,
    indicator_code: str,
    occurred_on: dt.date,
    summary: str,
    value: str = "",
    source: str = "manual",
    key: str = "",
    department_id: int | None = None,
) -> list[RiskWarning]:
    """Feed a warning into every active risk point watching ``indicator_code``.

    The hook for the clinical analytics module (docs/apps/integrity.md): call it with the
    indicator code it computes (e.g. ``clinical.high_value_consumables``), a stable ``key`` to
    make repeats idempotent, and optionally the department the warning concerns (then only
    points of that department receive it). The points' responsible people are notified.
    """
    indicators = RiskIndicator.objects.filter(
        code=indicator_code, point__is_active=True
    ).select_related("point")
    if department_id is not None:
        indicators = indicators.filter(point__department_id=department_id)
    created: list[RiskWarning] = []
    for ind in indicators:
        if key and RiskWarning.objects.filter(indicator=ind, source=source, key=key).exists():
            continue
        w = _save(
            RiskWarning(
                indicator=ind,
                occurred_on=occurred_on,
                value=value,
                summary=summary,
                source=source,
                key=key,
            )
        )
        created.append(w)
        notify(
            users=_users_of_staff(list(ind.point.responsible.values_list("pk", flat=True))),
            title=_("Risk warning: %(point)s") % {"point": ind.point.title},
            body=summary,
            url=reverse("integrity:risk_detail", args=[ind.point_id]),
            level="warning",
            source=ind.point,
        )
    return created


def risk_review_reminders_send(today: dt.date | None = None, *, within_days: int = 14) -> dict:
    """Remind responsible people of reviews due within ``within_days`` or overdue (idempotent)."""
    today = today or timezone.localdate()
    due = RiskPoint.objects.filter(
        is_active=True, next_review_on__lte=today + dt.timedelta(days=within_days)
    ).prefetch_related("responsible")
    items = []
    for p in due:
        users = _users_of_staff([s.pk for s in p.responsible.all()])
        overdue = p.next_review_on < today
        items.append(
            NotificationItem(
                user_ids={u.pk for u in users},
                title=(
                    _("Risk review overdue: %(point)s")
                    if overdue
                    else _("Risk review due on %(date)s: %(point)s")
                )
                % {"point": p.title, "date": p.next_review_on},
                url=reverse("integrity:risk_detail", args=[p.pk]),
                level="warning" if overdue else "info",
                dedup_key=f"integrity:risk:{p.pk}:{p.next_review_on}:{'o' if overdue else 'd'}",
                source_type="integrity.riskpoint",
                source_id=str(p.pk),
            )
        )
    sent = len(notify_many(items)) if items else 0
    return {"points": len(items), "notifications": sent}


# ------------------------------------------------------------------ reminder campaigns

LUNAR = {
    KeyDate.Kind.SPRING: (1, 1),
    KeyDate.Kind.LANTERN: (1, 15),
    KeyDate.Kind.DRAGON_BOAT: (5, 5),
    KeyDate.Kind.MID_AUTUMN: (8, 15),
}
SOLAR = {
    KeyDate.Kind.NEW_YEAR: (1, 1),
    KeyDate.Kind.LABOUR: (5, 1),
    KeyDate.Kind.NATIONAL: (10, 1),
}


def festival_date(kind: str, year: int, custom_date: dt.date | None = None) -> dt.date:
    """Return the Gregorian date of ``kind`` in ``year`` (lunar festivals through lunardate)."""
    if kind in LUNAR:
        month, day = LUNAR[kind]
        return lunardate.LunarDate(year, month, day).to_solar_date()
    if kind in SOLAR:
        month, day = SOLAR[kind]
        return dt.date(year, month, day)
    if custom_date is None:
        raise ValidationError(_("A custom key date needs a date."))
    try:
        return custom_date.replace(year=year)
    except ValueError:  # 29 February
        return dt.date(year, 3, 1)


def key_date_occurrences(key: KeyDate, today: dt.date) -> list[dt.date]:
    """The occurrences of ``key`` this year and next (a custom date is one-off)."""
    if key.kind == KeyDate.Kind.CUSTOM:
        return [key.custom_date] if key.custom_date else []
    return [festival_date(key.kind, y) for y in (today.year, today.year + 1)]


def letter_text(key: KeyDate, festival_on: dt.date) -> tuple[str, str]:
    title = _("Integrity reminder before %(name)s %(year)s") % {
        "name": key.name,
        "year": festival_on.year,
    }
    body = _(
        "Colleagues: %(name)s (%(date)s) is coming. Keep to the Nine Rules of integrity in "
        "medical work: accept no red envelopes, gifts, shopping cards or banquets from "
        "patients or companies; do not use official cars privately; hold no lavish family "
        "celebrations. Refuse any envelope and record it in the red-envelope register; "
        "report problems to the discipline inspection office. Please fill in the festival "
        "self-check. Wishing you a clean and happy festival."
    ) % {"name": key.name, "date": festival_on.strftime("%Y-%m-%d")}
    return title, body


@transaction.atomic
def key_date_save(*, key_date: KeyDate | None = None, actor: Any, **fields: Any) -> KeyDate:
    obj = key_date or KeyDate()
    for k, v in fields.items():
        setattr(obj, k, v)
    return _save(obj)


@transaction.atomic
def reminder_draft(
    key: KeyDate, festival_on: dt.date, now: dt.datetime | None = None
) -> tuple[ReminderCampaign, bool]:
    existing = ReminderCampaign.objects.filter(key_date=key, festival_on=festival_on).first()
    if existing:
        return existing, False
    title, body = letter_text(key, festival_on)
    campaign = _save(
        ReminderCampaign(
            key_date=key,
            festival_on=festival_on,
            title=title,
            body=body,
            drafted_at=now or timezone.now(),
        )
    )
    return campaign, True


@transaction.atomic
def reminder_update(*, campaign: ReminderCampaign, actor: Any, title: str, body: str) -> None:
    if campaign.status != ReminderCampaign.Status.DRAFT:
        raise ValidationError(_("A letter that was sent can no longer be edited."))
    campaign.title, campaign.body = title, body
    _save(campaign)


@transaction.atomic
def reminder_send(
    *, campaign: ReminderCampaign, actor: Any = None, today: dt.date | None = None
) -> ReminderCampaign:
    """Send the letter to every active account with a staff record; open the self-check."""
    from hongfan.accounts.models import User

    campaign = ReminderCampaign.objects.select_for_update().get(pk=campaign.pk)
    if campaign.status == ReminderCampaign.Status.SENT:
        raise ValidationError(_("This letter was already sent."))
    today = today or timezone.localdate()
    users = list(
        User.objects.filter(is_active=True, staff__isnull=False)
        .filter(staff__employment_status=Staff.EmploymentStatus.IN_POST)
        .values_list("pk", "staff__department_id")
    )
    with bulk_summary():
        ReminderReceipt.objects.bulk_create(
            [ReminderReceipt(campaign=campaign, user_id=u, department_id=d) for u, d in users],
            ignore_conflicts=True,
            batch_size=1000,
        )
    notify_many(
        [
            NotificationItem(
                user_ids={u for u, _d in users},
                title=campaign.title,
                body=campaign.body[:200],
                url=reverse("integrity:reminder_read", args=[campaign.pk]),
                dedup_key=f"integrity:reminder:{campaign.pk}",
                source_type="integrity.remindercampaign",
                source_id=str(campaign.pk),
            )
        ]
    )
    campaign.status = ReminderCampaign.Status.SENT
    campaign.sent_at = timezone.now()
    campaign.recipients = len(users)
    _save(campaign)
    if campaign.key_date.use_webhook:
        transaction.on_commit(lambda: _post_group_robot(campaign.title, campaign.body))
    SelfCheckCampaign.objects.get_or_create(
        reminder=campaign,
        defaults={
            "title": _("%(name)s festival integrity self-check %(year)s")
            % {"name": campaign.key_date.name, "year": campaign.festival_on.year},
            "opens_on": min(today, campaign.festival_on),
            "closes_on": campaign.festival_on + dt.timedelta(days=7),
            "questions": DEFAULT_QUESTIONS,
        },
    )
    return campaign


def _post_group_robot(title: str, body: str) -> None:
    """Post to the hospital's group robot when ``HONGFAN_INTEGRITY_ROBOT`` = (kind, url)."""
    import logging

    from hongfan.notifications import webhooks

    kind, url = getattr(settings, "HONGFAN_INTEGRITY_ROBOT", ("", ""))
    if not url:
        return
    try:
        webhooks.robot_for(kind, url).send(title, body)
    except Exception:
        logging.getLogger(__name__).warning("integrity: group robot post failed")


@transaction.atomic
def reminder_mark_read(*, campaign: ReminderCampaign, user: Any) -> bool:
    """Record that ``user`` read the letter (first time only). Return whether it changed."""
    return bool(
        ReminderReceipt.objects.filter(campaign=campaign, user=user, read_at__isnull=True).update(
            read_at=timezone.now()
        )
    )


def reminders_schedule(today: dt.date | None = None) -> dict[str, int]:
    """Draft (and, where configured, send) the letters due by ``today``. Idempotent."""
    today = today or timezone.localdate()
    drafted = sent = 0
    for key in KeyDate.objects.filter(is_active=True):
        for festival_on in key_date_occurrences(key, today):
            if not (festival_on - dt.timedelta(days=key.days_before) <= today <= festival_on):
                continue
            campaign, created = reminder_draft(key, festival_on)
            drafted += int(created)
            if key.auto_send and campaign.status == ReminderCampaign.Status.DRAFT:
                reminder_send(campaign=campaign, today=today)
                sent += 1
    return {"drafted": drafted, "sent": sent}


# ------------------------------------------------------------------ festival self-check


def _followup_type() -> MatterType:
    existing = MatterType.objects.filter(code=FOLLOWUP_TYPE).first()
    if existing:
        return existing
    return loops.matter_type_ensure(
        code=FOLLOWUP_TYPE,
        name=gettext_noop("Integrity follow-up"),
        deadline_unit="working_days",
        deadline_amount=10,
        escalation_level1_after=0,
        escalation_level2_after=3,
        supervisor_capability="loops.integrity",
        workflow={
            "initial": "open",
            "states": [
                state("open", gettext_noop("To be explained")),
                state("explained", gettext_noop("Explained")),
                state("done", gettext_noop("Verified"), terminal=True),
            ],
            "transitions": [
                step(
                    "explain",
                    gettext_noop("Explain"),
                    ["open"],
                    "explained",
                    ["owner", "supervisor"],
                    note=True,
                ),
                step(
                    "verify",
                    gettext_noop("Verify and close"),
                    ["open", "explained"],
                    "done",
                    ["supervisor"],
                    evidence=True,
                ),
            ],
        },
    )


@transaction.atomic
def selfcheck_campaign_save(
    *, campaign: SelfCheckCampaign | None = None, actor: Any, **fields: Any
) -> SelfCheckCampaign:
    obj = campaign or SelfCheckCampaign(questions=DEFAULT_QUESTIONS)
    for k, v in fields.items():
        setattr(obj, k, v)
    return _save(obj)


@transaction.atomic
def selfcheck_submit(
    *,
    campaign: SelfCheckCampaign,
    actor: Any,
    answers: dict[str, bool],
    declaration: str = "",
    today: dt.date | None = None,
) -> SelfCheck:
    """Submit a self-check; any "yes" opens a follow-up matter for the discipline office."""
    today = today or timezone.localdate()
    staff = _staff_of(actor)
    if today > campaign.closes_on:
        raise ValidationError(
            _("The self-check closed on %(date)s; it can no longer be submitted.")
            % {"date": campaign.closes_on}
        )
    if today < campaign.opens_on:
        raise ValidationError(_("The self-check opens on %(date)s.") % {"date": campaign.opens_on})
    codes = [q[0] for q in campaign.questions]
    missing = [c for c in codes if c not in answers]
    if missing:
        raise ValidationError(_("Answer every question."))
    yes = [q for q in campaign.questions if answers.get(q[0])]
    if yes and not declaration.strip():
        raise ValidationError(
            {"declaration": _("You answered yes: explain what happened and how it was handled.")}
        )
    if SelfCheck.objects.filter(campaign=campaign, staff=staff).exists():
        raise ValidationError(_("You have already submitted this self-check."))
    check = _save(
        SelfCheck(
            campaign=campaign,
            staff=staff,
            department_id=staff.department_id,
            answers={c: bool(answers[c]) for c in codes},
            declaration=declaration.strip(),
            submitted_at=timezone.now(),
        )
    )
    if yes:
        items = "；".join(q[1] for q in yes)
        check.matter = loops.matter_open(
            type=_followup_type(),
            title=_("Self-check follow-up: %(name)s (%(campaign)s)")
            % {"name": staff.name, "campaign": campaign.title},
            description=_("Answered yes: %(items)s\nDeclaration: %(text)s")
            % {"items": items, "text": check.declaration},
            originator=actor,
            owner=actor,
            source=check,
        )
        check.save(update_fields=["matter"])
    return check


# ------------------------------------------------------------------ 红包 register


def _next_number(model: Any, prefix: str, year: int) -> str:
    stem = f"{prefix}-{year}-"
    last = (
        model.objects.select_for_update()
        .filter(number__startswith=stem)
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
    )
    n = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return f"{stem}{n:04d}"


@transaction.atomic
def envelope_record(
    *,
    actor: Any,
    occurred_on: dt.date,
    kind: str,
    amount: Decimal,
    patient_name: str,
    handling: str,
    description: str = "",
    patient_ward: str = "",
    staff: Staff | None = None,
) -> EnvelopeEntry:
    """Record an envelope refused or handed in; the office confirms it later."""
    staff = staff or _staff_of(actor)
    if occurred_on > timezone.localdate():
        raise ValidationError({"occurred_on": _("The date cannot be in the future.")})
    if staff.hired_on and occurred_on < staff.hired_on:
        raise ValidationError({"occurred_on": _("The date is before the staff member was hired.")})
    if amount is None or amount <= 0:
        raise ValidationError({"amount": _("Enter the amount or the value of the gift.")})
    entry = EnvelopeEntry(
        number=_next_number(EnvelopeEntry, "HB", occurred_on.year),
        staff=staff,
        department_id=staff.department_id,
        occurred_on=occurred_on,
        kind=kind,
        amount=amount,
        description=description,
        patient_name=patient_name.strip(),
        patient_ward=patient_ward,
        handling=handling,
        recorded_by=actor,
    )
    return _save(entry)


@transaction.atomic
def envelope_confirm(*, entry: EnvelopeEntry, actor: Any, note: str = "") -> EnvelopeEntry:
    """Confirm an entry and credit the staff member's ethics file (idempotent event)."""
    entry = EnvelopeEntry.objects.select_for_update().get(pk=entry.pk)
    if entry.status == EnvelopeEntry.Status.REJECTED:
        raise ValidationError(_("A rejected entry cannot be confirmed."))
    if entry.status != EnvelopeEntry.Status.CONFIRMED:
        entry.status = EnvelopeEntry.Status.CONFIRMED
        entry.confirmed_by = actor
        entry.confirmed_at = timezone.now()
        entry.office_note = note
        _save(entry)
    record_event(
        code="integrity.envelope_returned",
        subject=entry.staff,
        occurred_on=entry.occurred_on,
        source=entry,
        summary=_("Refused or handed in %(kind)s of %(amount)s yuan (%(number)s)")
        % {"kind": entry.get_kind_display(), "amount": entry.amount, "number": entry.number},
        source_url=reverse("integrity:envelope_detail", args=[entry.pk]),
        actor=actor,
    )
    return entry


@transaction.atomic
def envelope_reject(*, entry: EnvelopeEntry, actor: Any, note: str) -> EnvelopeEntry:
    if not note.strip():
        raise ValidationError({"note": _("Give the reason for rejecting the entry.")})
    if entry.status == EnvelopeEntry.Status.CONFIRMED:
        raise ValidationError(_("A confirmed entry cannot be rejected."))
    entry.status = EnvelopeEntry.Status.REJECTED
    entry.office_note = note.strip()
    entry.confirmed_by = actor
    entry.confirmed_at = timezone.now()
    return _save(entry)


def envelope_receipt_docx(entry: EnvelopeEntry) -> bytes:
    """Return the receipt (回执) as a Word document; the patient appears masked."""
    from docx import Document

    from hongfan.core.masking import mask_name

    doc = Document()
    doc.add_heading(_("Receipt for an envelope or gift refused or handed in"), level=1)
    rows = [
        (_("Receipt number"), entry.number),
        (_("Staff member"), entry.staff.name),
        (_("Department"), entry.department.name),
        (_("Date"), entry.occurred_on.strftime("%Y-%m-%d")),
        (_("Kind"), entry.get_kind_display()),
        (_("Amount (yuan)"), f"{entry.amount:.2f}"),
        (_("Description"), entry.description or "—"),
        (_("Patient"), mask_name(entry.patient_name)),
        (_("Handling"), entry.get_handling_display()),
        (_("Status"), entry.get_status_display()),
    ]
    table = doc.add_table(rows=len(rows), cols=2)
    table.style = "Table Grid"
    for i, (label, value) in enumerate(rows):
        table.cell(i, 0).text = str(label)
        table.cell(i, 1).text = str(value)
    doc.add_paragraph("")
    doc.add_paragraph(
        _("Confirmed by the discipline inspection office on %(date)s.")
        % {"date": timezone.localtime(entry.confirmed_at).strftime("%Y-%m-%d")}
        if entry.confirmed_at and entry.status == EnvelopeEntry.Status.CONFIRMED
        else _("Awaiting confirmation by the discipline inspection office.")
    )
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


# ------------------------------------------------------------------ 四必谈


def _talk_deadline(event_on: dt.date, now: dt.datetime) -> dt.datetime:
    """17:30 of the day before the event; on the day itself 08:00 when reported late."""
    tz = timezone.get_current_timezone()
    due = dt.datetime.combine(event_on - dt.timedelta(days=1), dt.time(17, 30), tzinfo=tz)
    if due <= now:
        due = dt.datetime.combine(event_on, dt.time(8, 0), tzinfo=tz)
    return due


@transaction.atomic
def family_event_report(
    *, actor: Any, kind: str, event_on: dt.date, scale: str = "", now: dt.datetime | None = None
) -> FamilyEvent:
    """Report a family event; a 四必谈 talk opens for the superior, due before the event."""
    now = now or timezone.now()
    staff = _staff_of(actor)
    if event_on <= timezone.localtime(now).date():
        raise ValidationError(
            {
                "event_on": _(
                    "Report the event before it takes place (at the latest the day before)."
                )
            }
        )
    event = _save(
        FamilyEvent(
            staff=staff,
            department_id=staff.department_id,
            kind=kind,
            event_on=event_on,
            scale=scale,
            reported_at=now,
        )
    )
    superior = _superior_user(staff)
    title = _("四必谈: %(name)s, %(kind)s on %(date)s") % {
        "name": staff.name,
        "kind": event.get_kind_display(),
        "date": event_on.strftime("%Y-%m-%d"),
    }
    event.matter = loops.matter_open(
        type="formal_talk",
        title=title,
        description=scale,
        originator=actor,
        owner=superior,
        owner_department=None if superior else staff.department,
        participants=[actor],
        source=event,
        opened_at=now,
        due_at=_talk_deadline(event_on, now),
    )
    event.save(update_fields=["matter"])
    return event


@transaction.atomic
def talk_record(
    *, event: FamilyEvent, actor: Any, held_at: dt.datetime, points: str
) -> FamilyEvent:
    """Record the talk (time, points made) and move the matter to "held"."""
    if not points.strip():
        raise ValidationError({"points": _("Write down the points made in the talk.")})
    if held_at > timezone.now():
        raise ValidationError({"held_at": _("The talk cannot be recorded in advance.")})
    if event.talk_at:
        raise ValidationError(_("The talk is already recorded."))
    if event.matter is not None:
        loops.matter_transition(
            matter=event.matter,
            action="hold",
            actor=actor,
            evidence_note=points.strip(),
            expected_version=event.matter.version,
        )
    event.talk_at = held_at
    event.talk_points = points.strip()
    event.talked_by = actor
    return _save(event)


# ------------------------------------------------------------------ warning education


@transaction.atomic
def session_save(
    *,
    session: EducationSession | None = None,
    actor: Any,
    attendees: Sequence[Staff] | None = None,
    **fields: Any,
) -> EducationSession:
    obj = session or EducationSession()
    for k, v in fields.items():
        setattr(obj, k, v)
    _save(obj)
    if attendees is not None:
        obj.attendees.set(attendees)
    return obj


@transaction.atomic
def material_add(*, session: EducationSession, actor: Any, title: str, file: UploadedFile) -> Any:
    from hongfan.integrity.models import EducationMaterial

    loops.validate_evidence_file(file)
    return _save(EducationMaterial(session=session, title=title, file=file, uploaded_by=actor))


# ------------------------------------------------------------------ reports (举报)


def _check_report_text(body: str) -> str:
    body = (body or "").strip()
    if len(body) < 10:
        raise ValidationError({"body": _("Describe the matter in at least 10 characters.")})
    if len(body) > REPORT_MAX_CHARS:
        raise ValidationError(
            {
                "body": _("The text is too long (at most %(n)s characters).")
                % {"n": REPORT_MAX_CHARS}
            }
        )
    return body


def _attach(report: Report, files: Sequence[UploadedFile]) -> None:
    if len(files) + report.attachments.count() > REPORT_MAX_FILES:
        raise ValidationError(
            {"files": _("At most %(n)s files can be attached.") % {"n": REPORT_MAX_FILES}}
        )
    for upload in files:
        try:
            loops.validate_evidence_file(upload)
        except ValidationError as exc:
            raise ValidationError({"files": exc.messages}) from exc
        raw = upload.read()
        _save(
            ReportAttachment(
                report=report,
                name=(upload.name or "file")[-120:],
                content_type=(upload.content_type or "application/octet-stream")[:100],
                size=len(raw),
                data=base64.b64encode(raw).decode(),
            )
        )


def attachment_bytes(attachment: ReportAttachment) -> bytes:
    return base64.b64decode(attachment.data)


def _new_receipt() -> tuple[str, str, str]:
    bucket = "".join(secrets.choice("0123456789") for _i in range(RECEIPT_BUCKET_DIGITS))
    secret = "".join(secrets.choice("0123456789") for _i in range(RECEIPT_SECRET_DIGITS))
    return bucket + secret, bucket, make_password(secret, hasher="argon2")


def _open_report_matter(report: Report) -> None:
    office = sorted(loops.capability_holder_ids("loops.integrity"))
    if not office:
        raise ValidationError(
            _("No discipline office account exists to receive reports; contact the hospital.")
        )
    from hongfan.accounts.models import User

    report.matter = loops.matter_open(
        owner=User.objects.get(pk=office[0]),
        type="integrity_report",
        title=_("Report %(number)s (%(category)s)")
        % {"number": report.number, "category": report.get_category_display()},
        description=_("The report text is kept encrypted in the report record."),
        originator=None,
        source=report,
    )
    report.save(update_fields=["matter"])
    notify(
        users=_users_of_capability("loops.integrity"),
        title=_("New report %(number)s") % {"number": report.number},
        url=reverse("integrity:report_detail", args=[report.pk]),
        source=report.matter,
    )


def _users_of_capability(cap: str) -> list[Any]:
    from hongfan.accounts.models import User

    return list(User.objects.filter(pk__in=loops.capability_holder_ids(cap)))


@transaction.atomic
def report_submit_anonymous(
    *, category: str, subject: str, body: str, files: Sequence[UploadedFile] = ()
) -> tuple[Report, str]:
    """File an anonymous report; return it and the receipt code (shown once, never stored)."""
    body = _check_report_text(body)
    code, bucket, hashed = _new_receipt()
    today = timezone.localdate()
    report = _save(
        Report(
            number=_next_number(Report, "JB", today.year),
            channel=Report.Channel.ANONYMOUS,
            category=category,
            subject=subject.strip(),
            body=body,
            receipt_bucket=bucket,
            receipt_hash=hashed,
            received_on=today,
        )
    )
    _attach(report, files)
    _open_report_matter(report)
    return report, code


@transaction.atomic
def report_submit_named(
    *,
    actor: Any,
    category: str,
    subject: str,
    body: str,
    phone: str = "",
    files: Sequence[UploadedFile] = (),
) -> Report:
    """File a named report: the reporter's identity is stored encrypted, never in clear."""
    staff = _staff_of(actor)
    body = _check_report_text(body)
    today = timezone.localdate()
    identity = f"{staff.name}（{staff.employee_no}，{staff.department.name}）"
    if phone.strip():
        identity += f" {phone.strip()}"
    report = _save(
        Report(
            number=_next_number(Report, "JB", today.year),
            channel=Report.Channel.NAMED,
            category=category,
            subject=subject.strip(),
            body=body,
            reporter_identity=identity,
            reporter_digest=crypto.blind_index(str(actor.pk), purpose="integrity-reporter"),
            received_on=today,
        )
    )
    _attach(report, files)
    _open_report_matter(report)
    return report


def reports_of_reporter(user: Any) -> Any:
    """A named reporter's own reports (found through the keyed digest of their account)."""
    digest = crypto.blind_index(str(user.pk), purpose="integrity-reporter")
    return Report.objects.filter(reporter_digest=digest, channel=Report.Channel.NAMED)


def reporter_identity_read(*, report: Report, user: Any) -> str:
    """Return the named reporter's identity; every call is recorded in the audit log."""
    record_read(report, user=user, what="reporter identity")
    return report.reporter_identity


def normalise_receipt(code: str) -> str:
    digits = "".join(ch for ch in (code or "") if not ch.isspace() and ch != "-")
    if not digits.isdigit() or len(digits) != RECEIPT_LENGTH:
        raise ValidationError(
            {"code": _("The receipt code has %(n)s digits.") % {"n": RECEIPT_LENGTH}},
            code="length",
        )
    return digits


def _throttle_row(bucket: str, now: dt.datetime) -> ReceiptThrottle:
    row, _created = ReceiptThrottle.objects.select_for_update().get_or_create(
        bucket=bucket, defaults={"window_started_at": now}
    )
    if now - row.window_started_at > THROTTLE_WINDOW and not (
        row.locked_until and row.locked_until > now
    ):
        row.failures, row.window_started_at, row.locked_until = 0, now, None
        row.save()
    return row


class Throttled(ValidationError):
    pass


def receipt_lookup(code: str, *, now: dt.datetime | None = None) -> Report:
    """Return the anonymous report of ``code``; wrong codes count towards a lock-out.

    The first four digits select a bucket (not secret); the sixteen others are checked against
    the Argon2 hashes in that bucket only. Five wrong codes in a bucket, or fifty across all
    buckets, within 15 minutes lock look-ups for 15 minutes. No address is kept.
    """
    digits = normalise_receipt(code)
    bucket, secret = digits[:RECEIPT_BUCKET_DIGITS], digits[RECEIPT_BUCKET_DIGITS:]
    now = now or timezone.now()
    with transaction.atomic():
        rows = [_throttle_row("*", now), _throttle_row(bucket, now)]
        if any(r.locked_until and r.locked_until > now for r in rows):
            raise Throttled(
                _("Too many wrong receipt codes. Try again in 15 minutes."), code="throttled"
            )
        for report in Report.objects.filter(
            channel=Report.Channel.ANONYMOUS, receipt_bucket=bucket
        ).only("pk", "receipt_hash"):
            if check_password(secret, report.receipt_hash):
                return Report.objects.get(pk=report.pk)
        for row, limit in zip(
            rows, (THROTTLE_GLOBAL_FAILURES, THROTTLE_BUCKET_FAILURES), strict=True
        ):
            ReceiptThrottle.objects.filter(pk=row.pk).update(failures=F("failures") + 1)
            row.refresh_from_db()
            if row.failures >= limit:
                row.locked_until = now + THROTTLE_LOCK
                row.save(update_fields=["locked_until"])
    raise ValidationError({"code": _("No report has this receipt code.")}, code="wrong")


@transaction.atomic
def report_add_info(
    *, report: Report, body: str, files: Sequence[UploadedFile] = (), author: Any = None
) -> ReportMessage:
    """The reporter adds information (anonymous: through the receipt code)."""
    body = _check_report_text(body)
    msg = _save(
        ReportMessage(
            report=report,
            direction=ReportMessage.Direction.REPORTER,
            body=body,
            author=None if report.channel == Report.Channel.ANONYMOUS else author,
            sent_on=timezone.localdate(),
        )
    )
    _attach(report, files)
    if report.matter_id:
        notify(
            users=_users_of_capability("loops.integrity"),
            title=_("The reporter added information to %(number)s") % {"number": report.number},
            url=reverse("integrity:report_detail", args=[report.pk]),
            source=report.matter,
        )
    return msg


@transaction.atomic
def report_reply(*, report: Report, actor: Any, body: str) -> ReportMessage:
    """The office replies; the reporter reads it with the receipt code (or on their page)."""
    if not body.strip():
        raise ValidationError({"body": _("Write the reply.")})
    return _save(
        ReportMessage(
            report=report,
            direction=ReportMessage.Direction.OFFICE,
            body=body.strip(),
            author=actor,
            sent_on=timezone.localdate(),
        )
    )


@transaction.atomic
def report_finding_record(
    *, report: Report, actor: Any, staff: Staff, kind: str, summary: str
) -> ReportFinding:
    """Record a violation found true; a pending ethics-file event follows (confirmed later)."""
    if report.matter is None or report.matter.state != "concluded":
        raise ValidationError(_("Conclude the investigation before recording a finding."))
    finding = _save(
        ReportFinding(report=report, staff=staff, kind=kind, summary=summary, recorded_by=actor)
    )
    record_event(
        code="integrity.veto" if kind == ReportFinding.Kind.VETO else "integrity.violation",
        subject=staff,
        occurred_on=timezone.localdate(),
        source=report,
        summary=f"{report.number}：{summary}",
        source_url=reverse("integrity:report_detail", args=[report.pk]),
        actor=actor,
    )
    return finding


# ------------------------------------------------------------------ service code


@transaction.atomic
def code_document_save(
    *, document: CodeDocument | None = None, actor: Any, **fields: Any
) -> CodeDocument:
    obj = document or CodeDocument()
    for k, v in fields.items():
        setattr(obj, k, v)
    return _save(obj)


@transaction.atomic
def code_acknowledge(*, document: CodeDocument, actor: Any) -> CodeAcknowledgement:
    staff = _staff_of(actor)
    if CodeAcknowledgement.objects.filter(document=document, staff=staff).exists():
        raise ValidationError(_("You have already acknowledged this document."))
    return _save(
        CodeAcknowledgement(
            document=document,
            staff=staff,
            department_id=staff.department_id,
            acknowledged_at=timezone.now(),
        )
    )
