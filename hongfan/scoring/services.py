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
from dataclasses import dataclass
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
    if isinstance(subject, Staff) and (
        occurred_on < subject.hired_on or (subject.left_on and occurred_on > subject.left_on)
    ):
        raise ValidationError(
            _("%(name)s was not employed by the institution on %(day)s.")
            % {"name": subject.name, "day": occurred_on.isoformat()}
        )
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


# ===============================================================================================
# Scorecards, periods, assessments, grading, publication and appeals
# ===============================================================================================

import math  # noqa: E402
from collections import defaultdict  # noqa: E402
from collections.abc import Iterable, Mapping  # noqa: E402

from django.db.models import Q  # noqa: E402
from django.utils import timezone  # noqa: E402

from hongfan.org.models import Institution  # noqa: E402
from hongfan.scoring import defaults as _defaults  # noqa: E402
from hongfan.scoring.models import (  # noqa: E402
    Appeal,
    Assessment,
    AssessmentPeriod,
    GradeBand,
    ItemScore,
    RedFlagComponent,
    RedFlagRound,
    RedFlagScore,
    Scorecard,
    ScorecardItem,
)

ZERO = Decimal("0")
CENT = Decimal("0.01")
Status = AssessmentPeriod.Status


def _num(value: Any) -> Decimal:
    return Decimal(str(value)).quantize(CENT)


# --- defaults ----------------------------------------------------------------------------------


@transaction.atomic
def scorecard_defaults_ensure() -> list[Scorecard]:
    """Create the default 医德考评 sheet and branch star-rating sheet (idempotent)."""
    out = []
    for spec in (_defaults.ETHICS, _defaults.BRANCH):
        card, created = Scorecard.objects.get_or_create(
            code=spec["code"],
            defaults={
                "name": spec["name"],
                "purpose": spec["purpose"],
                "base_score": spec["base_score"],
                "rule_source": spec["rule_source"],
                "version_date": spec["version_date"],
                "description": spec["description"],
            },
        )
        if created:
            for order, item in enumerate(spec["items"], start=1):
                ScorecardItem.objects.create(scorecard=card, order=order, **item)
            for rank, band in enumerate(spec["bands"], start=1):
                GradeBand.objects.create(scorecard=card, rank=rank, **band)
        out.append(card)
    return out


@transaction.atomic
def red_flag_components_ensure() -> list[RedFlagComponent]:
    for order, spec in enumerate(_defaults.RED_FLAG_COMPONENTS, start=1):
        RedFlagComponent.objects.get_or_create(key=spec["key"], defaults={**spec, "order": order})
    return list(RedFlagComponent.objects.all())


# --- scorecard editing -------------------------------------------------------------------------


@transaction.atomic
def item_save(*, item: ScorecardItem, actor: Any = None) -> ScorecardItem:
    """Create or change a scorecard item (refused while a period of the card is running)."""
    running = item.scorecard.periods.filter(
        status__in=[Status.SELF, Status.DEPARTMENT, Status.INSTITUTION, Status.PUBLISHED]
    ).exists()
    if running:
        raise ValidationError(
            _("A period of this scorecard is running: change its items after it is closed.")
        )
    if item.source == ScorecardItem.Source.LEDGER and not (
        item.category_list() or item.code_list()
    ):
        raise ValidationError(
            {"ledger_categories": _("An item filled from the ledger names categories or codes.")}
        )
    unknown = [c for c in item.category_list() if c not in EventRule.Category.values]
    if unknown:
        raise ValidationError(
            {"ledger_categories": _("Unknown ledger category: %(c)s.") % {"c": ", ".join(unknown)}}
        )
    if item.kind == ScorecardItem.Kind.DEDUCTION and item.max_points > 0:
        raise ValidationError({"max_points": _("A deduction item cannot give positive points.")})
    if item.kind == ScorecardItem.Kind.ADDITION and item.min_points < 0:
        raise ValidationError({"min_points": _("An addition item cannot take points away.")})
    item.full_clean()
    item.save()
    return item


@transaction.atomic
def band_save(*, band: GradeBand, actor: Any = None) -> GradeBand:
    running = band.scorecard.periods.filter(
        status__in=[Status.INSTITUTION, Status.PUBLISHED]
    ).exists()
    if running:
        raise ValidationError(
            _("Grades of this scorecard are being decided: change them after the period closes.")
        )
    band.full_clean()
    band.save()
    return band


# --- periods -----------------------------------------------------------------------------------

FLOW = {
    Scorecard.Purpose.ETHICS: [Status.DRAFT, Status.SELF, Status.DEPARTMENT, Status.INSTITUTION],
    Scorecard.Purpose.BRANCH: [Status.DRAFT, Status.INSTITUTION],
}


def _staff_in_period(institution: Institution, start: dt.date, end: dt.date) -> Any:
    return Staff.objects.filter(
        institution=institution,
        post_category__in=Staff.PROFESSIONAL_CATEGORIES,
        hired_on__lte=end,
    ).filter(Q(left_on__isnull=True) | Q(left_on__gte=start))


def _branches_in_period(institution: Institution, start: dt.date, end: dt.date) -> Any:
    return PartyOrganisation.objects.filter(
        institution=institution,
        kind=PartyOrganisation.Kind.BRANCH,
        established_on__lte=end,
    ).filter(Q(dissolved_on__isnull=True) | Q(dissolved_on__gte=start))


@transaction.atomic
def period_create(
    *,
    institution: Institution,
    scorecard: Scorecard,
    name: str,
    start: dt.date,
    end: dt.date,
    publish_days: int = 3,
    actor: Any = None,
) -> AssessmentPeriod:
    """Open a period and create one assessment per staff member (医德考评) or branch."""
    if not scorecard.is_active:
        raise ValidationError(_("This scorecard is switched off."))
    if not scorecard.items.exists() or not scorecard.bands.exists():
        raise ValidationError(_("The scorecard needs items and grades before a period can open."))
    period = AssessmentPeriod(
        institution=institution,
        scorecard=scorecard,
        name=name.strip(),
        start=start,
        end=end,
        publish_days=publish_days,
    )
    period.full_clean()
    if publish_days < 1:
        raise ValidationError({"publish_days": _("Publish the results for at least one day.")})
    period.save()
    if scorecard.purpose == Scorecard.Purpose.ETHICS:
        rows = [
            Assessment(period=period, staff_id=s.pk, department_id=s.department_id)
            for s in _staff_in_period(institution, start, end).only("pk", "department_id")
        ]
    else:
        rows = [
            Assessment(period=period, organisation_id=o.pk)
            for o in _branches_in_period(institution, start, end).only("pk")
        ]
    if not rows:
        raise ValidationError(_("Nobody in the institution falls into this period."))
    Assessment.objects.bulk_create(rows, batch_size=500)
    return period


def _notify_staff(period: AssessmentPeriod, title: str, body: str, url: str) -> None:
    from hongfan.accounts.models import User
    from hongfan.notifications.services import notify

    users = User.objects.filter(is_active=True, staff__assessments__period=period).distinct()
    if users.exists():
        notify(users=list(users), title=title, body=body, url=url, source=period)


def _missing_department_reviews(period: AssessmentPeriod) -> int:
    return period.assessments.filter(department_submitted_at__isnull=True).count()


@transaction.atomic
def period_advance(*, period: AssessmentPeriod, actor: Any = None) -> AssessmentPeriod:
    """Move a period to its next stage (自评 → 科评 → 院评; a branch period opens at 院评)."""
    period = (
        AssessmentPeriod.objects.select_for_update().select_related("scorecard").get(pk=period.pk)
    )
    flow = FLOW[period.scorecard.purpose]
    if period.status not in flow or period.status == flow[-1]:
        raise ValidationError(_("This period cannot move to a next stage from here."))
    nxt = flow[flow.index(period.status) + 1]
    if nxt == Status.INSTITUTION and period.status == Status.DEPARTMENT:
        missing = _missing_department_reviews(period)
        if missing:
            raise ValidationError(
                _("%(n)d assessments still lack the department's assessment.") % {"n": missing}
            )
    period.status = nxt
    period.save(update_fields=["status"])
    from django.urls import reverse

    if nxt == Status.SELF:
        _notify_staff(
            period,
            _("Self-assessment is open: %(name)s") % {"name": period.name},
            _("Please complete your self-assessment of medical ethics."),
            reverse("scoring:my_assessments"),
        )
    return period


# --- computing scores --------------------------------------------------------------------------


@dataclass
class Computed:
    score: Decimal
    breakdown: dict[str, str]
    ledger_points: Decimal
    has_deduction: bool
    has_veto: bool
    missing: list[str]


def _ledger_rows(period: AssessmentPeriod, staff_ids: Iterable[int]) -> dict[int, list[tuple]]:
    """Confirmed events of the period per staff member: (category, code, points, is_veto)."""
    out: dict[int, list[tuple]] = defaultdict(list)
    ids = list(staff_ids)
    for i in range(0, len(ids), 900):
        for row in LedgerEvent.objects.filter(
            staff_id__in=ids[i : i + 900],
            institution_id=period.institution_id,
            occurred_on__gte=period.start,
            occurred_on__lte=period.end,
            status=LedgerEvent.Status.CONFIRMED,
        ).values_list("staff_id", "rule__category", "rule__code", "points", "is_veto"):
            out[row[0]].append(row[1:])
    return out


def _branch_rates(period: AssessmentPeriod, org_ids: list[int]) -> dict[int, dict[str, Any]]:
    """Organisational-life compliance and learning coverage per branch (direct selector reads)."""
    from hongfan.learning.selectors import coverage
    from hongfan.orglife.selectors import compliance_for_year
    from hongfan.party.models import PartyMember
    from hongfan.party.selectors import organisation_descendant_ids

    year = period.end.year
    today = min(timezone.localdate(), period.end)
    branches = PartyOrganisation.objects.filter(pk__in=org_ids)
    matrix = compliance_for_year(branches, year, today=today)
    out: dict[int, dict[str, Any]] = {oid: {} for oid in org_ids}
    for row in matrix.rows:
        decided = row.met + row.missed
        out[row.branch.pk]["orglife"] = (
            Decimal(row.met) / Decimal(decided) if decided else None,
            f"{row.met}/{decided}",
        )
    for oid in org_ids:
        members = PartyMember.objects.filter(
            organisation_id__in=organisation_descendant_ids([oid]),
            status=PartyMember.Status.NORMAL,
        )
        _rows, total = coverage(members, year)
        out[oid]["learning"] = (
            Decimal(total.covered) / Decimal(total.members) if total.members else None,
            f"{total.covered}/{total.members}",
        )
    return out


def _item_ledger_points(item: ScorecardItem, rows: list[tuple]) -> tuple[Decimal, bool]:
    cats, codes = set(item.category_list()), set(item.code_list())
    total, any_negative = ZERO, False
    for category, code, points, _veto in rows:
        if cats and category not in cats and code not in codes:
            continue
        if not cats and code not in codes:
            continue
        if item.ledger_sign > 0 and points <= 0:
            continue
        if item.ledger_sign < 0 and points >= 0:
            continue
        total += points
        any_negative = any_negative or points < 0
    return total, any_negative


def _manual_points(scores: list[ItemScore]) -> dict[int, ItemScore]:
    """The score that counts per item: institution beats department beats self."""
    order = {ItemScore.Stage.SELF: 0, ItemScore.Stage.DEPARTMENT: 1, ItemScore.Stage.INSTITUTION: 2}
    best: dict[int, ItemScore] = {}
    for s in scores:
        if s.stage not in order:
            continue
        cur = best.get(s.item_id)
        if cur is None or order[s.stage] > order[cur.stage]:
            best[s.item_id] = s
    return best


def compute(
    assessment: Assessment,
    items: list[ScorecardItem],
    base: Decimal,
    scores: list[ItemScore],
    ledger: list[tuple],
    rates: Mapping[str, Any] | None = None,
) -> Computed:
    """The score of one assessment from its item scores, ledger events and automatic rates."""
    manual = _manual_points(scores)
    total, breakdown, missing = base, {}, []
    has_deduction = has_veto = False
    ledger_total = sum((p for _c, _code, p, _v in ledger), ZERO)
    if any(v for *_r, v in ledger):
        has_veto = True
    for item in items:
        if item.source == ScorecardItem.Source.MANUAL:
            s = manual.get(item.pk)
            if s is None:
                if item.kind == ScorecardItem.Kind.RATED:
                    missing.append(item.name)
                points = ZERO
            else:
                points = s.points
        elif item.source == ScorecardItem.Source.LEDGER:
            raw, _neg = _item_ledger_points(item, ledger)
            points = max(item.min_points, min(item.max_points, raw))
        else:
            key = "orglife" if item.source == ScorecardItem.Source.ORGLIFE else "learning"
            rate, _label = (rates or {}).get(key, (None, ""))
            points = (
                item.min_points + (item.max_points - item.min_points) * rate
                if rate is not None
                else item.min_points
            )
        points = _num(points)
        if item.kind == ScorecardItem.Kind.VETO:
            if points != 0:
                has_veto = True
            breakdown[item.code] = str(points)
            continue
        if item.kind == ScorecardItem.Kind.DEDUCTION and points < 0:
            has_deduction = True
        breakdown[item.code] = str(points)
        total += points
    return Computed(_num(total), breakdown, _num(ledger_total), has_deduction, has_veto, missing)


def band_for(
    bands: list[GradeBand],
    score: Decimal,
    *,
    has_deduction: bool,
    has_veto: bool,
    excluded: set[int] | frozenset[int] = frozenset(),
) -> GradeBand:
    """The grade the rules give: a veto gives the veto grade; else the best band reached."""
    ordered = sorted(bands, key=lambda b: b.rank)
    if has_veto:
        veto = [b for b in ordered if b.is_veto_grade]
        return veto[0] if veto else ordered[-1]
    for b in ordered:
        if b.pk in excluded:
            continue
        if score >= b.min_score and not (b.requires_no_deduction and has_deduction):
            return b
    return ordered[-1]


def quota_limit(band: GradeBand, assessed: int) -> int | None:
    """How many may hold ``band``: ⌊assessed × quota %⌋ (None: no quota)."""
    if band.quota_percent is None:
        return None
    return math.floor(Decimal(assessed) * band.quota_percent / Decimal(100))


def _tie_key(a: Assessment) -> tuple:
    # Higher score first, then more ledger points (documented tie rule).
    return (-(a.score or ZERO), -(a.ledger_points or ZERO))


def _load(
    period: AssessmentPeriod,
) -> tuple[list[Assessment], list[ScorecardItem], list[GradeBand]]:
    items = list(period.scorecard.items.all())
    bands = list(period.scorecard.bands.all())
    assessments = list(
        period.assessments.select_related("staff", "organisation").prefetch_related("scores")
    )
    return assessments, items, bands


def assessment_breakdown(assessment: Assessment) -> Computed:
    """Compute one assessment live (for its page before grading)."""
    period = assessment.period
    items = list(period.scorecard.items.all())
    scores = list(assessment.scores.all())
    ledger = (
        _ledger_rows(period, [assessment.staff_id])[assessment.staff_id]
        if assessment.staff_id
        else []
    )
    rates = (
        _branch_rates(period, [assessment.organisation_id])[assessment.organisation_id]
        if assessment.organisation_id
        else None
    )
    return compute(assessment, items, period.scorecard.base_score, scores, ledger, rates)


@transaction.atomic
def period_grade(*, period: AssessmentPeriod, actor: Any = None) -> AssessmentPeriod:
    """Compute every score, grade by the bands, apply the quotas and rank (单位评价).

    Quota and tie rule: within a band with a quota, candidates are ordered by score, then by
    ledger points; the first ⌊n × quota⌋ keep the band. Candidates still tied at the cut (same
    score and ledger points) all move down together: the quota is never exceeded. Grades set
    by the institution (overrides, appeals) are kept and count against the quota first.
    """
    period = (
        AssessmentPeriod.objects.select_for_update().select_related("scorecard").get(pk=period.pk)
    )
    if period.status != Status.INSTITUTION:
        raise ValidationError(_("Grades are computed at the institution stage."))
    assessments, items, bands = _load(period)
    staff_ids = [a.staff_id for a in assessments if a.staff_id]
    ledger = _ledger_rows(period, staff_ids) if staff_ids else {}
    org_ids = [a.organisation_id for a in assessments if a.organisation_id]
    rates = _branch_rates(period, org_ids) if org_ids else {}
    incomplete = []
    now = timezone.now()
    for a in assessments:
        c = compute(
            a,
            items,
            period.scorecard.base_score,
            list(a.scores.all()),
            ledger.get(a.staff_id, []) if a.staff_id else [],
            rates.get(a.organisation_id) if a.organisation_id else None,
        )
        if c.missing:
            incomplete.append(str(a.subject))
        a.score, a.breakdown, a.ledger_points = c.score, c.breakdown, c.ledger_points
        a.has_deduction, a.has_veto, a.computed_at = c.has_deduction, c.has_veto, now
        a.computed_grade = band_for(
            bands, c.score, has_deduction=c.has_deduction, has_veto=c.has_veto
        )
    if incomplete:
        raise ValidationError(
            _("Items are still unscored for %(n)d assessments (e.g. %(names)s).")
            % {"n": len(incomplete), "names": "、".join(incomplete[:5])}
        )
    n = len(assessments)
    excluded: dict[int, set[int]] = defaultdict(set)  # assessment -> bands lost to the quota
    for band in sorted(bands, key=lambda b: b.rank):
        limit = quota_limit(band, n)
        if limit is None:
            continue
        fixed = [a for a in assessments if a.grade_overridden and a.grade_id == band.pk]
        free = [a for a in assessments if not a.grade_overridden and a.computed_grade_id == band.pk]
        room = max(0, limit - len(fixed))
        if len(free) <= room:
            continue
        free.sort(key=_tie_key)
        keep = free[:room]
        if keep and room < len(free) and _tie_key(keep[-1]) == _tie_key(free[room]):
            cut = _tie_key(free[room])
            keep = [a for a in keep if _tie_key(a) != cut]
        kept = {a.pk for a in keep}
        for a in free:
            if a.pk not in kept:
                excluded[a.pk].add(band.pk)
                a.computed_grade = band_for(
                    bands,
                    a.score,
                    has_deduction=a.has_deduction,
                    has_veto=a.has_veto,
                    excluded=excluded[a.pk],
                )
    ordered = sorted(assessments, key=_tie_key)
    previous, rank = None, 0
    for i, a in enumerate(ordered, start=1):
        if _tie_key(a)[0] != previous:
            rank, previous = i, _tie_key(a)[0]
        a.rank = rank
        if not a.grade_overridden:
            a.grade = a.computed_grade
    Assessment.objects.bulk_update(
        assessments,
        [
            "score",
            "breakdown",
            "ledger_points",
            "has_deduction",
            "has_veto",
            "computed_at",
            "computed_grade",
            "grade",
            "rank",
        ],
        batch_size=500,
    )
    return period


def _check_grade_allowed(assessment: Assessment, band: GradeBand) -> None:
    """A grade the institution sets must still respect the veto, the threshold and the quota."""
    period = assessment.period
    bands = list(period.scorecard.bands.all())
    if band.scorecard_id != period.scorecard_id:
        raise ValidationError(_("This grade belongs to another scorecard."))
    if assessment.score is None:
        raise ValidationError(_("Compute the grades before setting one."))
    if assessment.has_veto:
        veto = band_for(bands, ZERO, has_deduction=True, has_veto=True)
        if band.rank < veto.rank:
            raise ValidationError(
                _("A veto item applies: the grade cannot be above %(grade)s.")
                % {"grade": veto.name}
            )
        return
    if assessment.score < band.min_score:
        raise ValidationError(
            _("The score %(score)s is below the %(min)s that %(grade)s needs.")
            % {"score": assessment.score, "min": band.min_score, "grade": band.name}
        )
    if band.requires_no_deduction and assessment.has_deduction:
        raise ValidationError(
            _("%(grade)s needs a record without deductions.") % {"grade": band.name}
        )
    limit = quota_limit(band, period.assessments.count())
    if limit is not None:
        holders = period.assessments.filter(grade=band).exclude(pk=assessment.pk).count()
        if holders + 1 > limit:
            raise ValidationError(
                _("The quota of %(grade)s is full (at most %(limit)d).")
                % {"grade": band.name, "limit": limit}
            )


@transaction.atomic
def grade_set(
    *, assessment: Assessment, band: GradeBand, note: str, actor: Any = None
) -> Assessment:
    """The institution sets a grade by decision (with a reason); the rules still apply."""
    assessment = (
        Assessment.objects.select_for_update(of=("self",))
        .select_related("period__scorecard")
        .get(pk=assessment.pk)
    )
    if assessment.period.status != Status.INSTITUTION:
        raise ValidationError(_("Grades are set at the institution stage."))
    if not note.strip():
        raise ValidationError({"note": _("Give the reason for the decision.")})
    _check_grade_allowed(assessment, band)
    assessment.grade = band
    assessment.grade_overridden = True
    assessment.grade_note = note.strip()[:300]
    assessment.save(update_fields=["grade", "grade_overridden", "grade_note"])
    return assessment


@transaction.atomic
def period_publish(*, period: AssessmentPeriod, actor: Any = None) -> AssessmentPeriod:
    """Publish the grades for ``publish_days`` days; appeals are accepted until then."""
    period = AssessmentPeriod.objects.select_for_update().get(pk=period.pk)
    if period.status != Status.INSTITUTION:
        raise ValidationError(_("Only a period at the institution stage can be published."))
    ungraded = period.assessments.filter(grade__isnull=True).count()
    if ungraded:
        raise ValidationError(
            _("%(n)d assessments have no grade yet: compute the grades first.") % {"n": ungraded}
        )
    now = timezone.now()
    period.status = Status.PUBLISHED
    period.published_at = now
    period.appeal_until = now + dt.timedelta(days=period.publish_days)
    period.save(update_fields=["status", "published_at", "appeal_until"])
    from django.urls import reverse

    if period.is_ethics:
        _notify_staff(
            period,
            _("Results published: %(name)s") % {"name": period.name},
            _("Your grade is published until %(until)s; you may appeal in writing until then.")
            % {"until": timezone.localtime(period.appeal_until).strftime("%Y-%m-%d %H:%M")},
            reverse("scoring:my_assessments"),
        )
    return period


@transaction.atomic
def period_close(*, period: AssessmentPeriod, actor: Any = None) -> AssessmentPeriod:
    period = AssessmentPeriod.objects.select_for_update().get(pk=period.pk)
    if period.status != Status.PUBLISHED:
        raise ValidationError(_("Only a published period can be closed."))
    if period.appeal_until and timezone.now() < period.appeal_until:
        raise ValidationError(_("The publication window is still open."))
    if Appeal.objects.filter(assessment__period=period, status=Appeal.Status.OPEN).exists():
        raise ValidationError(_("Decide the open appeals before closing the period."))
    period.status = Status.CLOSED
    period.save(update_fields=["status"])
    return period


# --- the three stages --------------------------------------------------------------------------


def _save_scores(
    *,
    assessment: Assessment,
    stage: str,
    items: list[ScorecardItem],
    points: Mapping[int, Any],
    evidence: Mapping[int, str],
    required: bool,
) -> None:
    errors: dict[str, list[str]] = {}
    rows = []
    for item in items:
        raw = points.get(item.pk)
        if raw is None or raw == "":
            if required and item.kind == ScorecardItem.Kind.RATED:
                errors.setdefault(f"item_{item.pk}", []).append(
                    _("Score 「%(item)s」.") % {"item": item.name}
                )
            continue
        try:
            value = _num(raw)
        except Exception:
            errors.setdefault(f"item_{item.pk}", []).append(_("Enter a number."))
            continue
        if value < item.min_points or value > item.max_points:
            errors.setdefault(f"item_{item.pk}", []).append(
                _("「%(item)s」 takes %(min)s to %(max)s points.")
                % {"item": item.name, "min": item.min_points, "max": item.max_points}
            )
            continue
        note = (evidence.get(item.pk) or "").strip()
        if item.evidence_required and value != 0 and not note:
            errors.setdefault(f"evidence_{item.pk}", []).append(
                _("「%(item)s」 needs evidence.") % {"item": item.name}
            )
            continue
        rows.append((item, value, note))
    if errors:
        raise ValidationError(errors)
    for item, value, note in rows:
        ItemScore.objects.update_or_create(
            assessment=assessment,
            item=item,
            stage=stage,
            defaults={"points": value, "evidence": note[:500]},
        )


def _locked(assessment_pk: int) -> Assessment:
    return (
        Assessment.objects.select_for_update(of=("self",))
        .select_related("period__scorecard", "staff")
        .get(pk=assessment_pk)
    )


@transaction.atomic
def self_assessment_submit(
    *,
    assessment: Assessment,
    points: Mapping[int, Any],
    comment: str,
    evidence: Mapping[int, str] | None = None,
    actor: Any = None,
) -> Assessment:
    """自我评价: the staff member scores the rated items and writes a self-evaluation."""
    assessment = _locked(assessment.pk)
    if assessment.period.status != Status.SELF:
        raise ValidationError(_("Self-assessment is not open for this period."))
    if actor is not None and getattr(actor, "staff_id", None) != assessment.staff_id:
        raise ValidationError(_("Only the staff member assesses themselves."))
    if not comment.strip():
        raise ValidationError({"comment": _("Write a short self-evaluation.")})
    items = [
        i
        for i in assessment.period.scorecard.items.all()
        if i.kind == ScorecardItem.Kind.RATED and i.is_manual
    ]
    _save_scores(
        assessment=assessment,
        stage=ItemScore.Stage.SELF,
        items=items,
        points=points,
        evidence=evidence or {},
        required=True,
    )
    assessment.self_comment = comment.strip()
    assessment.self_submitted_at = timezone.now()
    assessment.save(update_fields=["self_comment", "self_submitted_at"])
    return assessment


@transaction.atomic
def department_review_submit(
    *,
    assessment: Assessment,
    points: Mapping[int, Any],
    comment: str,
    evidence: Mapping[int, str] | None = None,
    actor: Any = None,
) -> Assessment:
    """科室评价: the department scores every manual item (rated, deductions, vetoes)."""
    assessment = _locked(assessment.pk)
    if assessment.period.status != Status.DEPARTMENT:
        raise ValidationError(_("The department assessment is not open for this period."))
    if not comment.strip():
        raise ValidationError({"comment": _("Write the department's opinion.")})
    items = [i for i in assessment.period.scorecard.items.all() if i.is_manual]
    _save_scores(
        assessment=assessment,
        stage=ItemScore.Stage.DEPARTMENT,
        items=items,
        points=points,
        evidence=evidence or {},
        required=True,
    )
    assessment.department_comment = comment.strip()
    assessment.department_submitted_at = timezone.now()
    assessment.save(update_fields=["department_comment", "department_submitted_at"])
    return assessment


@transaction.atomic
def institution_review_submit(
    *,
    assessment: Assessment,
    points: Mapping[int, Any],
    comment: str,
    evidence: Mapping[int, str] | None = None,
    actor: Any = None,
) -> Assessment:
    """单位评价 (or the assessors of a branch rating): scores that override earlier stages."""
    assessment = _locked(assessment.pk)
    if assessment.period.status != Status.INSTITUTION:
        raise ValidationError(_("The institution assessment is not open for this period."))
    items = [i for i in assessment.period.scorecard.items.all() if i.is_manual]
    _save_scores(
        assessment=assessment,
        stage=ItemScore.Stage.INSTITUTION,
        items=items,
        points=points,
        evidence=evidence or {},
        required=assessment.organisation_id is not None,
    )
    assessment.institution_comment = comment.strip()
    assessment.save(update_fields=["institution_comment"])
    return assessment


# --- appeals -----------------------------------------------------------------------------------


@transaction.atomic
def appeal_file(*, assessment: Assessment, reason: str, actor: Any) -> Appeal:
    """A written appeal by the assessed staff member, within the publication window."""
    assessment = _locked(assessment.pk)
    period = assessment.period
    if period.status != Status.PUBLISHED or period.appeal_until is None:
        raise ValidationError(_("Appeals are accepted only while the results are published."))
    now = timezone.now()
    if now > period.appeal_until:
        raise ValidationError(
            _("The publication window ended on %(until)s: appeals are no longer accepted.")
            % {"until": timezone.localtime(period.appeal_until).strftime("%Y-%m-%d %H:%M")}
        )
    if getattr(actor, "staff_id", None) != assessment.staff_id:
        raise ValidationError(_("Only the assessed staff member may appeal."))
    if not reason.strip() or len(reason.strip()) < 10:
        raise ValidationError(
            {"reason": _("Write the grounds of the appeal (at least 10 characters).")}
        )
    if assessment.appeals.filter(status=Appeal.Status.OPEN).exists():
        raise ValidationError(_("An appeal of yours is already open."))
    appeal = Appeal(
        assessment=assessment,
        filed_by=actor,
        filed_at=now,
        reason=reason.strip(),
        grade_before=assessment.grade,
    )
    appeal.full_clean()
    appeal.save()
    return appeal


@transaction.atomic
def appeal_decide(
    *,
    appeal: Appeal,
    upheld: bool,
    decision: str,
    grade: GradeBand | None = None,
    actor: Any = None,
) -> Appeal:
    """Decide an appeal. Upheld: the assessment is recomputed (after corrections to the
    ledger or the scores) and gets ``grade`` if given, else the grade the rules now give;
    the veto, threshold and quota rules apply either way."""
    appeal = Appeal.objects.select_for_update().get(pk=appeal.pk)
    if appeal.status != Appeal.Status.OPEN:
        raise ValidationError(_("This appeal is already decided."))
    if not decision.strip():
        raise ValidationError({"decision": _("Write the decision and its reasons.")})
    assessment = _locked(appeal.assessment_id)
    if upheld:
        period = assessment.period
        bands = list(period.scorecard.bands.all())
        c = assessment_breakdown(assessment)
        assessment.score, assessment.breakdown = c.score, c.breakdown
        assessment.ledger_points = c.ledger_points
        assessment.has_deduction, assessment.has_veto = c.has_deduction, c.has_veto
        assessment.computed_at = timezone.now()
        target = grade or band_for(
            bands, c.score, has_deduction=c.has_deduction, has_veto=c.has_veto
        )
        if target.pk != assessment.grade_id:
            _check_grade_allowed(assessment, target)
        assessment.grade = target
        assessment.grade_overridden = True
        assessment.grade_note = (_("Appeal upheld: %(d)s") % {"d": decision.strip()})[:300]
        assessment.save()
        appeal.grade_after = target
        appeal.status = Appeal.Status.UPHELD
    else:
        appeal.status = Appeal.Status.REJECTED
        appeal.grade_after = assessment.grade
    appeal.decision = decision.strip()
    appeal.decided_by = actor if getattr(actor, "is_authenticated", False) else None
    appeal.decided_at = timezone.now()
    appeal.save()
    if assessment.staff_id:
        from django.urls import reverse

        from hongfan.accounts.models import User
        from hongfan.notifications.services import notify

        users = list(User.objects.filter(staff_id=assessment.staff_id, is_active=True))
        if users:
            notify(
                users=users,
                title=_("Your appeal is decided"),
                body=appeal.decision,
                url=reverse("scoring:my_assessments"),
                source=appeal,
            )
    return appeal


# --- ledger entries by the office --------------------------------------------------------------


@transaction.atomic
def manual_event_record(
    *,
    staff: Staff,
    institution: Institution | None,
    occurred_on: dt.date,
    points: Decimal,
    summary: str,
    evidence_url: str = "",
    actor: Any = None,
) -> LedgerEvent:
    """An addition or deduction entered by the office (its own key: each entry counts)."""
    import uuid

    if institution is not None and staff.institution_id != institution.pk:
        raise ValidationError(
            {
                "staff": _("%(name)s does not belong to %(inst)s.")
                % {"name": staff.name, "inst": institution}
            }
        )
    if occurred_on > timezone.localdate():
        raise ValidationError({"occurred_on": _("An event cannot be dated in the future.")})
    if points == 0:
        raise ValidationError({"points": _("Give points above or below zero.")})
    if not summary.strip():
        raise ValidationError({"summary": _("Describe the event.")})
    evidence_url = evidence_url.strip()
    if evidence_url and not evidence_url.startswith(("/", "https://", "http://")):
        raise ValidationError(
            {"evidence_url": _("A link starts with / (a page here) or http(s)://.")}
        )
    closed = AssessmentPeriod.objects.filter(
        institution_id=staff.institution_id,
        scorecard__purpose=Scorecard.Purpose.ETHICS,
        start__lte=occurred_on,
        end__gte=occurred_on,
        status__in=[Status.PUBLISHED, Status.CLOSED],
    ).first()
    if closed is not None:
        raise ValidationError(
            {
                "occurred_on": _("%(period)s is already published: its events are final.")
                % {"period": closed.name}
            }
        )
    code = "manual.addition" if points > 0 else "manual.deduction"
    return record_event(
        code=code,
        subject=staff,
        occurred_on=occurred_on,
        summary=summary.strip(),
        points=_num(points),
        key=uuid.uuid4().hex,
        source_url=evidence_url,
        actor=actor,
    )


@transaction.atomic
def event_review(
    *, event: LedgerEvent, action: str, reason: str = "", actor: Any = None
) -> LedgerEvent:
    """Confirm a pending event, or void one (with a reason)."""
    if action == "confirm":
        if event.status not in (LedgerEvent.Status.PENDING, LedgerEvent.Status.APPEALED):
            raise ValidationError(_("Only a pending event can be confirmed."))
        return set_event_status(
            event=event, status=LedgerEvent.Status.CONFIRMED, reason=reason, actor=actor
        )
    if action == "void":
        if event.status == LedgerEvent.Status.VOIDED:
            raise ValidationError(_("This event is already voided."))
        return set_event_status(
            event=event, status=LedgerEvent.Status.VOIDED, reason=reason, actor=actor
        )
    raise ValidationError(_("Unknown action."))


# --- the department red flag -------------------------------------------------------------------


def quarter_bounds(year: int, quarter: int) -> tuple[dt.date, dt.date]:
    if quarter not in (1, 2, 3, 4):
        raise ValidationError(_("A quarter is 1 to 4."))
    start = dt.date(year, 3 * quarter - 2, 1)
    end = (
        dt.date(year, 12, 31)
        if quarter == 4
        else dt.date(year, 3 * quarter + 1, 1) - dt.timedelta(days=1)
    )
    return start, end


@transaction.atomic
def red_flag_compute(
    *, institution: Institution, year: int, quarter: int, actor: Any = None
) -> RedFlagRound:
    """Compute (or recompute) a quarter's ranking; refused once the flag is awarded."""
    from hongfan.scoring.selectors import red_flag_compute_rows

    start, end = quarter_bounds(year, quarter)
    if start > timezone.localdate():
        raise ValidationError(_("This quarter has not started yet."))
    rnd = (
        RedFlagRound.objects.select_for_update()
        .filter(institution=institution, year=year, quarter=quarter)
        .first()
    )
    if rnd is not None and rnd.status == RedFlagRound.Status.AWARDED:
        raise ValidationError(_("The flag of this quarter is awarded: the ranking is final."))
    red_flag_components_ensure()
    weights, rows = red_flag_compute_rows(institution=institution, start=start, end=end)
    if not rows:
        raise ValidationError(_("The institution has no departments with staff."))
    if rnd is None:
        rnd = RedFlagRound(institution=institution, year=year, quarter=quarter)
    rnd.start, rnd.end, rnd.weights, rnd.computed_at = start, end, weights, timezone.now()
    rnd.full_clean()
    rnd.save()
    rnd.scores.all().delete()
    RedFlagScore.objects.bulk_create(
        [
            RedFlagScore(
                round=rnd,
                department_id=r.department_id,
                score=r.score,
                rank=r.rank,
                components=r.components,
                missing=r.missing,
            )
            for r in rows
        ]
    )
    return rnd


@transaction.atomic
def red_flag_award(
    *, rnd: RedFlagRound, department_id: int | None = None, note: str = "", actor: Any = None
) -> RedFlagRound:
    """Award the flag to the top department (a tie at the top needs the office's choice)."""
    rnd = RedFlagRound.objects.select_for_update().get(pk=rnd.pk)
    if rnd.status == RedFlagRound.Status.AWARDED:
        raise ValidationError(_("The flag of this quarter is already awarded."))
    if rnd.end >= timezone.localdate():
        raise ValidationError(_("The quarter is not over yet."))
    top = list(rnd.scores.filter(rank=1))
    if not top:
        raise ValidationError(_("No department has a score in this round."))
    if department_id is None:
        if len(top) > 1:
            raise ValidationError(
                _("%(n)d departments share the first place: choose the holder and give a reason.")
                % {"n": len(top)}
            )
        department_id = top[0].department_id
    elif department_id not in {t.department_id for t in top}:
        raise ValidationError(_("The flag goes to a department in the first place."))
    elif len(top) > 1 and not note.strip():
        raise ValidationError({"note": _("Give the reason for choosing among tied departments.")})
    rnd.holder_id = department_id
    rnd.status = RedFlagRound.Status.AWARDED
    rnd.award_note = note.strip()[:300]
    rnd.awarded_at = timezone.now()
    rnd.save()
    return rnd


@transaction.atomic
def red_flag_weights_save(*, forms: Iterable[Any], actor: Any = None) -> None:
    """Save the components' weights; at least one active component must weigh above zero."""
    rows = [f.save(commit=False) for f in forms]
    for r in rows:
        r.full_clean()
    if not any(r.is_active and r.weight > 0 for r in rows):
        raise ValidationError(_("At least one active component needs a weight above zero."))
    for r in rows:
        r.save()
