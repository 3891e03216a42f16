"""A valid development timeline, so tests can walk a candidate up to the step they probe."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from hongfan.core.testing import World, make_staff
from hongfan.development.models import Candidate, Step
from hongfan.development.rules import StepInput, add_months
from hongfan.development.services import candidate_create, step_record

D = dt.timedelta


def timeline(start: dt.date) -> dict[str, dt.date]:
    """Return a date for every step that satisfies the 2014 rules, from an application date."""
    t: dict[str, dt.date] = {"application": start, "talk": start + D(10)}
    a = add_months(start, 6)
    t |= {"activist": a, "activist_filing": a + D(5), "contacts": a + D(10)}
    p = add_months(start, 18)
    t |= {
        "prospect": p,
        "prospect_filing": p + D(5),
        "introducers": p + D(10),
        "political_review": p + D(20),
        "training": p + D(30),
        "branch_review": p + D(50),
        "committee_pre_review": p + D(55),
        "application_form": p + D(60),
        "admission_vote": p + D(70),
        "committee_talk": p + D(75),
        "admission_approval": p + D(90),
        "admission_filing": p + D(95),
        "assignment": p + D(96),
        "oath": p + D(100),
    }
    v = t["admission_vote"]
    c = add_months(v, 12)
    t |= {
        "confirmation_application": c - D(20),
        "confirmation_vote": c,
        "confirmation_approval": c + D(20),
        "archiving": c + D(30),
    }
    return t


def valid_input(world: World, code: str, day: dt.date, t: dict[str, dt.date]) -> StepInput:
    data = StepInput(date=day)
    full = [world.members["secretary_a"], world.members["member_a"]]
    if code == "contacts":
        data.contacts = full[:1]
    elif code == "introducers":
        data.introducers = full
    elif code == "political_review":
        data.passed = True
    elif code == "training":
        data.training_hours = Decimal(24)
    elif code == "branch_review":
        data.notice_start, data.notice_end = day - D(10), day - D(1)
    elif code in ("admission_vote", "confirmation_vote"):
        data.members_due, data.members_present, data.votes_yes = 10, 8, 7
    return data


def new_candidate(world: World, name: str = "林申请", **staff: Any) -> Candidate:
    person = make_staff(world.dept_a1, name, **staff)
    return candidate_create(staff=person, branch=world.branch_a)


def step(candidate: Candidate, code: str) -> Step:
    return candidate.rule_set.steps.get(code=code)


def walk(
    world: World,
    candidate: Candidate,
    *,
    until: str,
    start: dt.date = dt.date(2023, 1, 10),
    overrides: dict[str, dt.date] | None = None,
) -> dict[str, dt.date]:
    """Record every non-repeatable step before ``until`` with valid data; return the dates."""
    t = timeline(start) | (overrides or {})
    office = world.user("party_office")
    for s in candidate.rule_set.steps.order_by("order"):
        if s.code == until:
            break
        if s.repeatable:
            continue
        step_record(
            candidate=candidate, step=s, data=valid_input(world, s.code, t[s.code], t), user=office
        )
    return t


def record(world: World, candidate: Candidate, code: str, day: dt.date, **fields: Any) -> Any:
    data = valid_input(world, code, day, {})
    for k, v in fields.items():
        setattr(data, k, v)
    return step_record(
        candidate=candidate, step=step(candidate, code), data=data, user=world.user("party_office")
    )
