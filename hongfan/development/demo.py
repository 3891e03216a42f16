"""Demo data of member development: candidates at every stage, recorded through the services.

Every step goes through ``step_record``, so the demo files obey the 2014 rules exactly as a
secretary's entries would (ages, intervals, introducers, notice, votes, approvals). Candidates
are spread over the 25 steps; for each, the application date is chosen so that the next step
falls due around the reference date — some are overdue, which feeds the alerts.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db.models import Q
from django.utils import timezone

from hongfan.demo.extensions import DemoContext
from hongfan.development.models import Candidate, Step
from hongfan.development.rules import StepInput, add_months, age_on
from hongfan.development.services import candidate_create, step_record
from hongfan.org.models import Staff
from hongfan.party.models import PartyMember, PartyOrganisation

D = dt.timedelta
# The step each candidate stops before (None: walked to full membership).
TARGETS: list[str | None] = [
    "talk",
    "activist",
    "contacts",
    "prospect",
    "introducers",
    "training",
    "branch_review",
    "admission_vote",
    "admission_approval",
    "oath",
    "confirmation_vote",
    "confirmation_approval",
    None,
]
NOTES = {
    "talk": "谈话了解入党动机，本人态度端正。",
    "activist": "经党员推荐、支委会研究，确定为入党积极分子。",
    "prospect": "培养考察一年以上，支委会研究确定为发展对象。",
    "political_review": "函调及本人档案审查无问题，政审合格。",
    "training": "参加医院党委组织的发展对象集中培训，考核合格。",
    "admission_vote": "支部大会无记名投票表决。",
    "confirmation_vote": "预备期满，支部大会讨论同意按期转正。",
}


def timeline(start: dt.date) -> dict[str, dt.date]:
    """A date for every step that satisfies the 2014 rules, from an application date."""
    t: dict[str, dt.date] = {"application": start, "talk": start + D(12)}
    a = add_months(start, 6) + D(3)
    t |= {"activist": a, "activist_filing": a + D(6), "contacts": a + D(8)}
    p = add_months(a, 12) + D(5)
    t |= {
        "prospect": p,
        "prospect_filing": p + D(6),
        "introducers": p + D(10),
        "political_review": p + D(25),
        "training": p + D(35),
        "branch_review": p + D(60),
        "committee_pre_review": p + D(66),
        "application_form": p + D(70),
        "admission_vote": p + D(80),
        "committee_talk": p + D(86),
        "admission_approval": p + D(100),
        "admission_filing": p + D(106),
        "assignment": p + D(108),
        "oath": p + D(115),
    }
    c = add_months(t["admission_vote"], 12)
    t |= {
        "confirmation_application": c - D(25),
        "confirmation_vote": c + D(2),
        "confirmation_approval": c + D(30),
        "archiving": c + D(40),
    }
    return t


def _input(code: str, day: dt.date, full: list[PartyMember], rng: Any) -> StepInput:
    data = StepInput(date=day)
    if code == "contacts":
        data.contacts = full[:2] if len(full) >= 4 else full[:1]
    elif code == "introducers":
        data.introducers = full[:2]
    elif code == "political_review":
        data.passed = True
    elif code == "training":
        data.training_hours = Decimal(rng.choice([24, 28, 32]))
        data.training_days = 3
    elif code == "branch_review":
        data.notice_start, data.notice_end = day - D(21), day - D(1)
    elif code in ("admission_vote", "confirmation_vote"):
        due = max(len(full), 3)
        present = due - rng.randint(0, max(0, (due - 1) // 4))
        data.members_due, data.members_present = due, present
        data.votes_yes = present - rng.randint(0, 1 if present > due // 2 + 2 else 0)
        data.votes_no = 0
        data.votes_abstain = present - data.votes_yes
    return data


def _branches_with_introducers(
    since: dt.date,
) -> list[tuple[PartyOrganisation, list[PartyMember]]]:
    """Branches with at least 3 full members confirmed before ``since`` (and those members)."""
    out = []
    branches = PartyOrganisation.objects.filter(
        kind=PartyOrganisation.Kind.BRANCH, is_temporary=False
    ).order_by("sort_order", "code")
    for branch in branches:
        full = list(
            PartyMember.objects.filter(
                organisation=branch,
                category=PartyMember.Category.FULL,
                status=PartyMember.Status.NORMAL,
                under_probation=False,
            )
            .filter(Q(confirmed_on__isnull=True) | Q(confirmed_on__lte=since))
            .select_related("staff")
            .order_by("joined_on", "pk")
        )
        if len(full) >= 3:
            out.append((branch, full))
    return out


def seed(ctx: DemoContext) -> dict[str, int]:
    rng = ctx.rng("development")
    today = min(ctx.today, timezone.localdate())
    # The oldest demo application is about 3 years and 4 months old.
    branches = _branches_with_introducers(today - D(5 * 365))
    if not branches:
        return {"development candidates": 0}
    # Every step goes through the services (about 75 ms each): cap the large demo.
    total = min(100, max(len(TARGETS), round(40 * ctx.scale)))
    used: set[int] = set()
    pools: dict[int, list[Staff]] = {}
    for branch, _full in branches:
        pools[branch.pk] = list(
            Staff.objects.filter(
                department__in=branch.departments.all(),
                employment_status=Staff.EmploymentStatus.IN_POST,
                political_status__in=[
                    Staff.PoliticalStatus.MASSES,
                    Staff.PoliticalStatus.LEAGUE,
                ],
                party_member__isnull=True,
            ).order_by("employee_no")
        )
    steps = list(Step.objects.filter(rule_set__code="2014").order_by("order"))
    created = records = 0
    for n in range(total):
        branch, full = branches[n % len(branches)]
        target = TARGETS[n % len(TARGETS)]
        # The application date: the target step falls due between 40 days ago and 60 ahead.
        template = timeline(dt.date(2020, 1, 6))
        if target is None:
            span = (template["archiving"] - template["application"]).days + rng.randint(30, 400)
        else:
            span = (template[target] - template["application"]).days + rng.randint(-60, 40)
        start = today - D(span)
        t = timeline(start)
        candidates = [
            s for s in pools[branch.pk] if s.pk not in used and age_on(s.birth_date, start) >= 18
        ]
        if not candidates:
            continue
        person = rng.choice(candidates[:30])
        used.add(person.pk)
        candidate = candidate_create(staff=person, branch=branch)
        created += 1
        # Introducers and contacts: among the longest-standing full members of the branch.
        helpers = rng.sample(full[:5], min(5, len(full)))
        for step in steps:
            if step.code == target:
                break
            if step.repeatable:
                continue
            if t[step.code] > today:
                break
            step_record(
                candidate=candidate,
                step=step,
                data=_input(step.code, t[step.code], helpers, rng),
                user=ctx.office_user,
                approved_by="医院党委" if step.by_committee else "",
                note=NOTES.get(step.code, ""),
            )
            records += 1
    return {
        "development candidates": created,
        "development step records": records,
        "candidates who became full members": Candidate.objects.filter(
            status=Candidate.Status.COMPLETED
        ).count(),
    }
