"""Writes of the scoring engine.

The ledger interface for source modules (documented in docs/apps/scoring.md)::

    from hongfan.scoring.services import record_event, void_events_for_source

    record_event(code="voice.praise", subject=staff, occurred_on=day, source=complaint,
                 summary="患者表扬：耐心解释病情", actor=request.user)
    void_events_for_source(source=complaint, reason="核实不属实", actor=request.user)

``record_event`` is idempotent: the same (code, source, subject, key) returns the event
already recorded and changes nothing, so a source may call it on every save.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext as _

from hongfan.org.models import Department, Staff
from hongfan.party.models import PartyOrganisation
from hongfan.scoring.codes import CODES
from hongfan.scoring.models import EventRule, LedgerEvent, SubjectKind


def rule_for_code(code: str) -> EventRule:
    """The rule row for ``code``, created from the catalogue on first use."""
    rule = EventRule.objects.filter(code=code).first()
    if rule is not None:
        return rule
    default = CODES.get(code)
    if default is None:
        raise ValidationError(_("Unknown event code %(code)s.") % {"code": code})
    rule, _created = EventRule.objects.get_or_create(
        code=code,
        defaults={
            "name": default.name,
            "category": default.category,
            "subject_kind": default.subject_kind,
            "points": default.points,
            "is_veto": default.is_veto,
            "nine_rules_article": default.nine_rules_article,
            "needs_confirmation": default.needs_confirmation,
        },
    )
    return rule


def _subject_fields(subject: models.Model) -> tuple[str, dict[str, Any], Any]:
    if isinstance(subject, Staff):
        return SubjectKind.STAFF, {"staff": subject}, subject.institution_id
    if isinstance(subject, Department):
        return SubjectKind.DEPARTMENT, {"department": subject}, subject.institution_id
    if isinstance(subject, PartyOrganisation):
        return SubjectKind.BRANCH, {"organisation": subject}, subject.institution_id
    raise ValidationError(_("An event concerns a staff member, a department or a branch."))


def dedupe_key(
    *, code: str, source: models.Model | None, subject_kind: str, subject_id: int, key: str
) -> str:
    if source is not None:
        ct = ContentType.objects.get_for_model(source, for_concrete_model=False)
        src = f"{ct.pk}|{source.pk}"
    else:
        src = "-|-"
    return f"{code}|{src}|{subject_kind}:{subject_id}|{key}"[:255]


@transaction.atomic
def record_event(
    *,
    code: str,
    subject: models.Model,
    occurred_on: dt.date,
    source: models.Model | None = None,
    summary: str = "",
    quantity: Decimal | int | float = 1,
    points: Decimal | None = None,
    key: str = "",
    source_url: str = "",
    status: str | None = None,
    actor: Any = None,
) -> LedgerEvent:
    """Record one scored event (idempotent; see the module docstring).

    ``source`` is the record the event comes from (saved model instance); without a source
    (a manual entry), give a ``key`` that identifies the entry. ``points`` overrides
    ``rule.points × quantity``. ``status`` defaults to pending for rules that need a
    confirmation, confirmed otherwise.
    """
    rule = rule_for_code(code)
    if not rule.is_active:
        raise ValidationError(_("The event code %(code)s is switched off.") % {"code": code})
    kind, subject_kwargs, institution_id = _subject_fields(subject)
    if kind != rule.subject_kind:
        raise ValidationError(
            _("The event code %(code)s concerns a %(expected)s, not a %(given)s.")
            % {
                "code": code,
                "expected": SubjectKind(rule.subject_kind).label,
                "given": SubjectKind(kind).label,
            }
        )
    if source is not None and source.pk is None:
        raise ValidationError(_("Save the source record before recording its event."))
    if source is None and not key:
        raise ValidationError(_("An event without a source record needs a key."))
    if isinstance(occurred_on, dt.datetime):
        occurred_on = occurred_on.date()
    dk = dedupe_key(code=code, source=source, subject_kind=kind, subject_id=subject.pk, key=key)
    existing = LedgerEvent.objects.filter(dedupe_key=dk).first()
    if existing is not None:
        return existing
    qty = Decimal(str(quantity))
    if qty <= 0:
        raise ValidationError(_("The quantity of an event must be positive."))
    default_status = (
        LedgerEvent.Status.PENDING if rule.needs_confirmation else LedgerEvent.Status.CONFIRMED
    )
    event = LedgerEvent(
        rule=rule,
        subject_kind=kind,
        institution_id=institution_id,
        occurred_on=occurred_on,
        quantity=qty,
        points=points if points is not None else (rule.points * qty).quantize(Decimal("0.01")),
        is_veto=rule.is_veto,
        status=status or default_status,
        summary=(summary or str(rule.name))[:300],
        source_type=(
            ContentType.objects.get_for_model(source, for_concrete_model=False)
            if source is not None
            else None
        ),
        source_id=source.pk if source is not None else None,
        source_url=source_url,
        dedupe_key=dk,
        recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
        **subject_kwargs,
    )
    event.full_clean(exclude=["dedupe_key"])
    try:
        with transaction.atomic():
            event.save()
    except IntegrityError:
        # A concurrent call recorded the same event first: count it once.
        return LedgerEvent.objects.get(dedupe_key=dk)
    return event


@transaction.atomic
def set_event_status(
    *, event: LedgerEvent, status: str, reason: str = "", actor: Any = None
) -> LedgerEvent:
    """Confirm, void or mark an event as under appeal (a reason is required to void)."""
    if status not in LedgerEvent.Status.values:
        raise ValidationError(_("Unknown event status."))
    if status == LedgerEvent.Status.VOIDED and not reason.strip():
        raise ValidationError(_("Give a reason for voiding an event."))
    event = LedgerEvent.objects.select_for_update().get(pk=event.pk)
    event.status = status
    event.status_reason = reason.strip()[:300]
    event.save(update_fields=["status", "status_reason"])
    return event


@transaction.atomic
def void_events_for_source(*, source: models.Model, reason: str, actor: Any = None) -> int:
    """Void every live event recorded from ``source`` (e.g. a complaint found unfounded)."""
    ct = ContentType.objects.get_for_model(source, for_concrete_model=False)
    count = 0
    for event in LedgerEvent.objects.filter(source_type=ct, source_id=source.pk).exclude(
        status=LedgerEvent.Status.VOIDED
    ):
        set_event_status(event=event, status=LedgerEvent.Status.VOIDED, reason=reason, actor=actor)
        count += 1
    return count
