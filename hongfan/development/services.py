"""Writes of member development: candidate files, step records, probation extensions."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hongfan.development.models import Candidate, RuleSet, Stage, Step, StepDocument, StepRecord
from hongfan.development.rules import Context, StepInput, add_months, run_checks
from hongfan.org.models import Staff
from hongfan.party.models import PartyMember, PartyOrganisation

DEFAULT_RULE_SET = "2014"


def default_rule_set() -> RuleSet:
    """Return the newest active rule set in force today (the 2014 细则 unless revised)."""
    today = dt.date.today()
    rs = (
        RuleSet.objects.filter(is_active=True, effective_on__lte=today)
        .order_by("-effective_on")
        .first()
    )
    if rs is None:
        rs = RuleSet.objects.get(code=DEFAULT_RULE_SET)
    return rs


@transaction.atomic
def candidate_create(
    *,
    staff: Staff,
    branch: PartyOrganisation,
    rule_set: RuleSet | None = None,
) -> Candidate:
    """Open a development file. Temporary branches develop no members."""
    if not branch.is_branch:
        raise ValidationError({"branch": _("A development file belongs to a Party branch.")})
    if not branch.may_develop_members:
        raise ValidationError({"branch": _("A temporary branch does not develop Party members.")})
    if PartyMember.objects.filter(staff=staff).exists():
        raise ValidationError({"staff": _("This person is already a Party member.")})
    rs = rule_set or default_rule_set()
    candidate = Candidate(
        staff=staff, branch=branch, rule_set=rs, current_stage=rs.stages.order_by("order").first()
    )
    candidate.full_clean()
    candidate.save()
    return candidate


def recorded_dates(candidate: Candidate) -> dict[str, dt.date]:
    """Return step code → date of the latest record of that step."""
    dates: dict[str, dt.date] = {}
    for code, day in candidate.records.values_list("step__code", "date").order_by("date"):
        dates[code] = day
    return dates


def _order_errors(candidate: Candidate, step: Step, day: dt.date) -> list[str]:
    recorded = {r.step_id: r for r in candidate.records.select_related("step").order_by("date")}
    errors: list[str] = []
    if step.id in recorded and not step.repeatable:
        errors.append(_("This step has already been recorded."))
    previous = [s for s in candidate.rule_set.steps.order_by("order") if s.order < step.order]
    for s in previous:
        if s.repeatable:
            continue
        if s.id not in recorded:
            errors.append(_("Record the step “%(step)s” first.") % {"step": s.name})
            break
        if recorded[s.id].date > day:
            errors.append(
                _("This step cannot be dated before the step “%(step)s” (%(date)s).")
                % {"step": s.name, "date": f"{recorded[s.id].date:%Y-%m-%d}"}
            )
            break
    return errors


def step_check(*, candidate: Candidate, step: Step, data: StepInput) -> list[str]:
    """Return every reason why ``step`` may not be recorded with ``data`` (empty if valid)."""
    if step.rule_set_id != candidate.rule_set_id:
        return [_("This step belongs to another rule set.")]
    if candidate.status == Candidate.Status.STOPPED:
        return [_("This development file is closed.")]
    if not candidate.branch.may_develop_members:
        return [_("A temporary branch does not develop Party members.")]
    if data.date > timezone.localdate():
        return [_("A step cannot be recorded in advance (the date is in the future).")]
    errors = _order_errors(candidate, step, data.date)
    if errors:
        return errors
    names = dict(candidate.rule_set.steps.values_list("code", "name"))
    ctx = Context(candidate, step, data, recorded_dates(candidate), names)
    return run_checks(ctx)


@transaction.atomic
def step_record(
    *,
    candidate: Candidate,
    step: Step,
    data: StepInput,
    user: Any = None,
    approved_by: str = "",
    approval_ref: str = "",
    note: str = "",
    documents: list[tuple[str, Any]] | None = None,
) -> StepRecord:
    """Record ``step`` for ``candidate`` after every check of its rule set passes."""
    candidate = Candidate.objects.select_for_update().get(pk=candidate.pk)
    if step.by_committee and user is not None and not user.scope.hospital_wide:
        raise ValidationError(_("Only the Party committee office records this step."))
    errors = step_check(candidate=candidate, step=step, data=data)
    if errors:
        raise ValidationError(errors)
    record = StepRecord(
        candidate=candidate,
        step=step,
        date=data.date,
        approved_by=approved_by,
        approval_ref=approval_ref,
        special_reason=data.special_reason,
        passed=data.passed,
        training_hours=data.training_hours,
        training_days=data.training_days,
        notice_start=data.notice_start,
        notice_end=data.notice_end,
        members_due=data.members_due,
        members_present=data.members_present,
        votes_yes=data.votes_yes,
        votes_no=data.votes_no,
        votes_abstain=data.votes_abstain,
        note=note,
        recorded_by=user if user is not None and user.pk else None,
    )
    record.full_clean()
    record.save()
    if data.contacts:
        record.contacts.set(data.contacts)
    if data.introducers:
        record.introducers.set(data.introducers)
    for title, file in documents or []:
        doc = StepDocument(record=record, title=title, file=file)
        doc.full_clean()
        doc.save()
    _after_step(candidate, step, record)
    return record


def _after_step(candidate: Candidate, step: Step, record: StepRecord) -> None:
    rules = step.rules or {}
    dates = recorded_dates(candidate)
    if "creates_member" in rules:
        p = rules["creates_member"] or {}
        joined_on = dates.get(p.get("joined_on_step", "admission_vote"), record.date)
        candidate.member = _member_admit(candidate, joined_on, applied_on=dates.get("application"))
    if "confirms_member" in rules:
        p = rules["confirms_member"] or {}
        start = dates.get(p.get("probation_step", "admission_vote"))
        months = int(p.get("probation_months", 12)) + candidate.extension_months
        confirmed_on = add_months(start, months) if start else record.date
        candidate.member = _member_confirm(candidate, confirmed_on)
        candidate.status = Candidate.Status.COMPLETED
    candidate.current_stage = step.stage
    candidate.full_clean()
    candidate.save()


def _member_admit(
    candidate: Candidate, joined_on: dt.date, applied_on: dt.date | None
) -> PartyMember:
    staff = candidate.staff
    member = PartyMember.objects.filter(staff=staff).first() or PartyMember(staff=staff)
    member.organisation = candidate.branch
    member.category = PartyMember.Category.PROBATIONARY
    member.joined_on = joined_on
    member.applied_on = applied_on
    member.confirmed_on = None
    member.full_clean()
    member.save()
    staff.political_status = Staff.PoliticalStatus.PROBATIONARY
    staff.save(update_fields=["political_status", "id_card_digest"])
    return member


def _member_confirm(candidate: Candidate, confirmed_on: dt.date) -> PartyMember:
    member = candidate.member or PartyMember.objects.get(staff=candidate.staff)
    member.category = PartyMember.Category.FULL
    member.confirmed_on = confirmed_on
    member.full_clean()
    member.save()
    staff = candidate.staff
    staff.political_status = Staff.PoliticalStatus.MEMBER
    staff.save(update_fields=["political_status", "id_card_digest"])
    return member


@transaction.atomic
def candidate_extend_probation(
    *, candidate: Candidate, decided_on: dt.date, months: int, reason: str
) -> Candidate:
    """Extend the probation once, by 6 to 12 months (parameters from the rule set)."""
    candidate = Candidate.objects.select_for_update().get(pk=candidate.pk)
    step = candidate.rule_set.steps.filter(rules__has_key="extension").first()
    p = (step.rules.get("extension") if step else None) or {}
    lo, hi = int(p.get("min_months", 6)), int(p.get("max_months", 12))
    times = int(p.get("max_times", 1))
    dates = recorded_dates(candidate)
    if "admission_approval" not in dates or candidate.member is None:
        raise ValidationError(_("Only a probationary member's probation can be extended."))
    if candidate.status != Candidate.Status.ACTIVE:
        raise ValidationError(_("This development file is closed."))
    if candidate.extension_months and times <= 1:
        raise ValidationError(_("The probation period can be extended only once."))
    if not lo <= months <= hi:
        raise ValidationError(
            {
                "months": _("The probation period can be extended by %(min)s to %(max)s months.")
                % {"min": lo, "max": hi}
            }
        )
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the extension.")})
    candidate.extension_months = months
    candidate.extended_on = decided_on
    candidate.extension_reason = reason
    candidate.full_clean()
    candidate.save()
    return candidate


@transaction.atomic
def candidate_stop(*, candidate: Candidate, reason: str) -> Candidate:
    candidate.status = Candidate.Status.STOPPED
    candidate.full_clean()
    candidate.save()
    return candidate


@transaction.atomic
def rule_set_clone(
    *, source: RuleSet, code: str, name: str, effective_on: dt.date, source_text: str = ""
) -> RuleSet:
    """Copy a rule set (stages, steps, parameters) as the start of a revision."""
    new = RuleSet(code=code, name=name, effective_on=effective_on, source=source_text)
    new.full_clean()
    new.save()
    stage_map: dict[int, Stage] = {}
    for stage in source.stages.order_by("order"):
        stage_map[stage.pk] = Stage.objects.create(
            rule_set=new, order=stage.order, code=stage.code, name=stage.name
        )
    for step in source.steps.order_by("order"):
        Step.objects.create(
            rule_set=new,
            stage=stage_map[step.stage_id],
            order=step.order,
            code=step.code,
            name=step.name,
            required_documents=list(step.required_documents),
            rules=dict(step.rules),
            repeatable=step.repeatable,
            by_committee=step.by_committee,
        )
    return new


def development_alerts_notify(*, today: dt.date) -> int:
    """Tell branch secretaries (and the office, for its own steps) what is due or overdue.

    Each alert carries a de-duplication key naming the candidate, the step, its due date and
    whether it is due or overdue, so the command can run daily: a step is announced once when
    it comes due and once more when it becomes overdue.
    """
    from django.urls import reverse

    from hongfan.development.selectors import (
        development_alerts,
        party_office_users,
        secretaries_of,
    )
    from hongfan.notifications.models import Notification
    from hongfan.notifications.services import NotificationItem, notify_many

    alerts = development_alerts(today=today)
    secretaries = secretaries_of({a.candidate.branch_id for a in alerts})
    office = {u.pk for u in party_office_users()}
    items = []
    for a in alerts:
        users = {u.pk for u in secretaries.get(a.candidate.branch_id, [])}
        if a.step.by_committee or not users:
            users |= office
        values = {"name": a.candidate.staff.name, "step": a.step.name, "due": f"{a.due:%Y-%m-%d}"}
        if a.overdue:
            title = _("Overdue: “%(step)s” of %(name)s was due on %(due)s") % values
            level = Notification.Level.WARNING
        else:
            title = _("Due: “%(step)s” of %(name)s by %(due)s") % values
            level = Notification.Level.REMINDER
        state = "overdue" if a.overdue else "due"
        items.append(
            NotificationItem(
                user_ids=users,
                title=title,
                body=_("Record the step in the candidate's development file."),
                url=reverse("development:candidate_detail", args=[a.candidate.pk]),
                level=level,
                dedup_key=f"development:{a.candidate.pk}:{a.step.code}:{a.due:%Y%m%d}:{state}",
                source_type="development.candidate",
                source_id=str(a.candidate.pk),
            )
        )
    return len(notify_many(items))
