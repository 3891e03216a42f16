"""Reads of member development, scoped through ``candidates_visible_to``."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet

from hongfan.accounts.roles import Cap
from hongfan.development.models import Candidate, Stage, Step, StepRecord
from hongfan.development.rules import add_months, probation_end

DUE_SOON_DAYS = 14


def candidates_visible_to(user: Any) -> QuerySet[Candidate]:
    """Office: every file; secretary: own branch; anyone else: only their own file."""
    qs = Candidate.objects.select_related("staff", "branch", "current_stage", "rule_set")
    if not user.is_authenticated:
        return qs.none()
    scope = user.scope
    if scope.hospital_wide and user.has_capability(Cap.DEVELOPMENT_MANAGE):
        return qs
    q = Q(pk__in=[])
    if user.has_capability(Cap.DEVELOPMENT_MANAGE) and scope.organisation_ids:
        q |= Q(branch_id__in=scope.organisation_ids)
    if scope.staff_id:
        q |= Q(staff_id=scope.staff_id)
    return qs.filter(q)


def stage_counts(qs: QuerySet[Candidate]) -> list[dict[str, Any]]:
    """Return the pipeline board: every stage of the default rule set with its count."""
    counts = dict(
        qs.filter(status=Candidate.Status.ACTIVE)
        .values_list("current_stage__order")
        .annotate(n=Count("id"))
        .values_list("current_stage__order", "n")
    )
    completed = qs.filter(status=Candidate.Status.COMPLETED).count()
    stages = Stage.objects.filter(rule_set__code="2014").order_by("order").values("order", "name")
    board = [
        {"order": s["order"], "name": s["name"], "count": counts.get(s["order"], 0)} for s in stages
    ]
    if board:
        board[-1]["completed"] = completed
    return board


@dataclass
class NextStep:
    step: Step
    earliest: dt.date | None
    due: dt.date | None


def _dates(records: list[StepRecord]) -> dict[str, dt.date]:
    dates: dict[str, dt.date] = {}
    for r in sorted(records, key=lambda r: r.date):
        dates[r.step.code] = r.date
    return dates


def next_step(
    candidate: Candidate, steps: list[Step], records: list[StepRecord]
) -> NextStep | None:
    """Return the first unrecorded (non-repeatable) step, when it may and must be taken."""
    if candidate.status != Candidate.Status.ACTIVE:
        return None
    done = {r.step_id for r in records}
    dates = _dates(records)
    for step in steps:
        if step.repeatable or step.id in done:
            continue
        earliest = due = None
        rules = step.rules or {}
        if "min_months_since" in rules:
            p = rules["min_months_since"]
            if p["step"] in dates:
                earliest = add_months(dates[p["step"]], int(p["months"]))
        if "probation_complete" in rules:
            earliest = probation_end(candidate, dates, rules["probation_complete"])
            due = earliest
        if "within_months" in rules:
            p = rules["within_months"]
            if p["step"] in dates:
                due = add_months(dates[p["step"]], int(p["months"]))
        return NextStep(step, earliest, due)
    return None


def next_steps_for(candidates: list[Candidate]) -> dict[int, NextStep]:
    """Return candidate id → its next step, for a page of candidates (two queries)."""
    rule_set_ids = {c.rule_set_id for c in candidates}
    steps_by_rs: dict[int, list[Step]] = defaultdict(list)
    for s in Step.objects.filter(rule_set_id__in=rule_set_ids).order_by("order"):
        steps_by_rs[s.rule_set_id].append(s)
    records: dict[int, list[StepRecord]] = defaultdict(list)
    for r in StepRecord.objects.filter(candidate__in=candidates).select_related("step"):
        records[r.candidate_id].append(r)
    out: dict[int, NextStep] = {}
    for c in candidates:
        found = next_step(c, steps_by_rs[c.rule_set_id], records[c.pk])
        if found is not None:
            out[c.pk] = found
    return out


def assessment_due(
    candidate: Candidate, steps: list[Step], records: list[StepRecord]
) -> tuple[Step, dt.date] | None:
    """Return the half-yearly assessment step that is running and when the next one is due."""
    dates = _dates(records)
    done_codes = set(dates)
    for step in steps:
        p = (step.rules or {}).get("assessment_every_months")
        if not p or p.get("from_step") not in dates:
            continue
        # The assessment runs until the next non-repeatable step of a later stage is recorded.
        later = [s for s in steps if s.stage.order > step.stage.order and not s.repeatable]
        if later and later[0].code in done_codes and step.stage.order < 5:
            continue
        if candidate.status != Candidate.Status.ACTIVE:
            return None
        last = max([r.date for r in records if r.step_id == step.id] + [dates[p["from_step"]]])
        return step, add_months(last, int(p.get("months", 6)))
    return None


@dataclass
class Alert:
    candidate: Candidate
    step: Step
    due: dt.date
    overdue: bool


def development_alerts(
    *, today: dt.date, candidates: QuerySet[Candidate] | None = None
) -> list[Alert]:
    """Return every step due within ``DUE_SOON_DAYS`` or overdue, for active files."""
    qs = (
        (candidates if candidates is not None else Candidate.objects.all())
        .filter(status=Candidate.Status.ACTIVE)
        .select_related("staff", "branch", "rule_set")
    )
    cands = list(qs)
    rule_set_ids = {c.rule_set_id for c in cands}
    steps_by_rs: dict[int, list[Step]] = defaultdict(list)
    for s in (
        Step.objects.filter(rule_set_id__in=rule_set_ids).select_related("stage").order_by("order")
    ):
        steps_by_rs[s.rule_set_id].append(s)
    records_by_c: dict[int, list[StepRecord]] = defaultdict(list)
    for r in StepRecord.objects.filter(candidate__in=cands).select_related("step"):
        records_by_c[r.candidate_id].append(r)
    horizon = today + dt.timedelta(days=DUE_SOON_DAYS)
    alerts: list[Alert] = []
    for c in cands:
        steps, records = steps_by_rs[c.rule_set_id], records_by_c[c.pk]
        found = []
        nxt = next_step(c, steps, records)
        if nxt and nxt.due:
            found.append((nxt.step, nxt.due))
        assess = assessment_due(c, steps, records)
        if assess:
            found.append(assess)
        for step, due in found:
            if due <= horizon:
                alerts.append(Alert(c, step, due, overdue=due < today))
    return alerts


def secretaries_of(branch_ids: set[int] | list[int]) -> dict[int, list[Any]]:
    """Return branch id → the users holding the branch secretary role for it."""
    from hongfan.accounts.models import RoleAssignment
    from hongfan.accounts.roles import Role

    out: dict[int, list[Any]] = defaultdict(list)
    for ra in RoleAssignment.objects.filter(
        role=Role.BRANCH_SECRETARY, organisation_id__in=list(branch_ids), user__is_active=True
    ).select_related("user"):
        out[ra.organisation_id].append(ra.user)
    return out


def party_office_users() -> list[Any]:
    from hongfan.accounts.models import User
    from hongfan.accounts.roles import Role

    return list(
        User.objects.filter(role_assignments__role=Role.PARTY_OFFICE, is_active=True).distinct()
    )
