"""Default matter types, as data. Seeded by ``manage.py loops_seed_types`` (idempotent).

Labels are English message ids marked with ``gettext_noop`` so that makemessages collects them;
``MatterType`` translates them on display. Other modules define their own types the same way
(see docs/apps/loops.md) and call ``services.matter_type_ensure``.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_noop as N

OWNER, ORIGINATOR, SUPERVISOR, SUPERIOR = "owner", "originator", "supervisor", "superior"


def state(code: str, label: str, *, terminal: bool = False) -> dict[str, Any]:
    return {"code": code, "label": label, "terminal": terminal}


def step(
    action: str,
    label: str,
    sources: list[str],
    target: str,
    actors: list[str],
    *,
    evidence: bool = False,
    note: bool = False,
) -> dict[str, Any]:
    return {
        "action": action,
        "label": label,
        "from": sources,
        "to": target,
        "actors": actors,
        "evidence": evidence,
        "note": note,
    }


def simple_workflow(*, close_needs_evidence: bool) -> dict[str, Any]:
    """Open → in progress → closed, with cancel and reopen."""
    return {
        "initial": "open",
        "states": [
            state("open", N("To do")),
            state("in_progress", N("In progress")),
            state("closed", N("Closed"), terminal=True),
            state("cancelled", N("Cancelled"), terminal=True),
        ],
        "transitions": [
            step("start", N("Start"), ["open"], "in_progress", [OWNER, SUPERIOR]),
            step(
                "close",
                N("Close"),
                ["open", "in_progress"],
                "closed",
                [OWNER, SUPERVISOR],
                evidence=close_needs_evidence,
            ),
            step(
                "cancel",
                N("Cancel"),
                ["open", "in_progress"],
                "cancelled",
                [SUPERVISOR],
                note=True,
            ),
            step(
                "reopen",
                N("Reopen"),
                ["closed"],
                "in_progress",
                [ORIGINATOR, SUPERVISOR],
                note=True,
            ),
        ],
    }


RECTIFICATION_WORKFLOW: dict[str, Any] = {
    "initial": "open",
    "states": [
        state("open", N("To do")),
        state("in_progress", N("Rectifying")),
        state("submitted", N("Awaiting verification")),
        state("closed", N("Verified and closed"), terminal=True),
    ],
    "transitions": [
        step("start", N("Start rectifying"), ["open"], "in_progress", [OWNER, SUPERIOR]),
        step(
            "submit",
            N("Submit for verification"),
            ["open", "in_progress"],
            "submitted",
            [OWNER],
            evidence=True,
        ),
        step("verify", N("Verify and close"), ["submitted"], "closed", [SUPERVISOR]),
        step("reject", N("Send back"), ["submitted"], "in_progress", [SUPERVISOR], note=True),
        step("reopen", N("Reopen"), ["closed"], "in_progress", [SUPERVISOR], note=True),
    ],
}

COMPLAINT_WORKFLOW: dict[str, Any] = {
    "initial": "recorded",
    "states": [
        state("recorded", N("Recorded")),
        state("verified", N("Verified")),
        state("handling", N("Being handled")),
        state("answered", N("Answered"), terminal=True),
        state("rejected", N("Not substantiated"), terminal=True),
    ],
    "transitions": [
        step("verify", N("Verify"), ["recorded"], "verified", [OWNER, SUPERVISOR]),
        step(
            "reject",
            N("Not substantiated"),
            ["recorded", "verified"],
            "rejected",
            [OWNER, SUPERVISOR],
            note=True,
        ),
        step("handle", N("Handle"), ["verified"], "handling", [OWNER, SUPERIOR, SUPERVISOR]),
        step(
            "answer",
            N("Give feedback"),
            ["handling"],
            "answered",
            [OWNER, SUPERVISOR],
            evidence=True,
        ),
        step(
            "reopen",
            N("Reopen"),
            ["answered", "rejected"],
            "handling",
            [ORIGINATOR, SUPERVISOR],
            note=True,
        ),
    ],
}

INTEGRITY_WORKFLOW: dict[str, Any] = {
    "initial": "received",
    "states": [
        state("received", N("Received")),
        state("investigating", N("Under investigation")),
        state("concluded", N("Concluded"), terminal=True),
        state("dismissed", N("Dismissed"), terminal=True),
    ],
    "transitions": [
        step("investigate", N("Investigate"), ["received"], "investigating", [SUPERVISOR]),
        step(
            "conclude",
            N("Conclude"),
            ["investigating"],
            "concluded",
            [SUPERVISOR],
            evidence=True,
        ),
        step(
            "dismiss",
            N("Dismiss"),
            ["received", "investigating"],
            "dismissed",
            [SUPERVISOR],
            note=True,
        ),
        step(
            "reopen",
            N("Reopen"),
            ["concluded", "dismissed"],
            "investigating",
            [SUPERVISOR],
            note=True,
        ),
    ],
}

TALK_WORKFLOW: dict[str, Any] = {
    "initial": "scheduled",
    "states": [
        state("scheduled", N("Talk to be held")),
        state("held", N("Talk held")),
        state("closed", N("Closed"), terminal=True),
    ],
    "transitions": [
        step("hold", N("Record the talk"), ["scheduled"], "held", [OWNER], evidence=True),
        step("close", N("Close"), ["held"], "closed", [OWNER, SUPERVISOR], evidence=True),
        step("reopen", N("Reopen"), ["closed"], "held", [SUPERVISOR], note=True),
    ],
}

WISH_WORKFLOW: dict[str, Any] = {
    "initial": "collected",
    "states": [
        state("collected", N("Collected")),
        state("matched", N("Matched")),
        state("fulfilled", N("Fulfilled"), terminal=True),
        state("declined", N("Cannot be fulfilled"), terminal=True),
    ],
    "transitions": [
        step("match", N("Match a person"), ["collected"], "matched", [SUPERVISOR, OWNER]),
        step(
            "fulfil", N("Fulfilled"), ["matched"], "fulfilled", [OWNER, SUPERVISOR], evidence=True
        ),
        step(
            "decline",
            N("Cannot be fulfilled"),
            ["collected", "matched"],
            "declined",
            [SUPERVISOR],
            note=True,
        ),
        step("reopen", N("Reopen"), ["fulfilled", "declined"], "matched", [SUPERVISOR], note=True),
    ],
}

WORK_ORDER_WORKFLOW: dict[str, Any] = {
    "initial": "submitted",
    "states": [
        state("submitted", N("Submitted")),
        state("dispatched", N("Dispatched")),
        state("in_progress", N("In progress")),
        state("done", N("Done"), terminal=True),
    ],
    "transitions": [
        step("dispatch", N("Dispatch"), ["submitted"], "dispatched", [SUPERVISOR, OWNER]),
        step("start", N("Start"), ["dispatched"], "in_progress", [OWNER]),
        step(
            "finish",
            N("Finish with result"),
            ["dispatched", "in_progress"],
            "done",
            [OWNER, SUPERVISOR],
            evidence=True,
        ),
        step("reopen", N("Reopen"), ["done"], "in_progress", [ORIGINATOR, SUPERVISOR], note=True),
    ],
}

# code → MatterType field values.
DEFAULT_TYPES: dict[str, dict[str, Any]] = {
    "generic": {
        "name": N("Supervised matter"),
        "workflow": simple_workflow(close_needs_evidence=False),
        "deadline_amount": 10,
    },
    "resolution": {
        "name": N("Resolution"),
        "workflow": simple_workflow(close_needs_evidence=True),
        "deadline_amount": 20,
    },
    "rectification_task": {
        "name": N("Rectification task"),
        "workflow": RECTIFICATION_WORKFLOW,
        "deadline_amount": 30,
        "supervisor_capability": "rectification.manage",
    },
    "complaint": {
        "name": N("Complaint"),
        "workflow": COMPLAINT_WORKFLOW,
        "deadline_amount": 5,
        "escalation_level2_after": 2,
    },
    "integrity_report": {
        "name": N("Integrity report"),
        "workflow": INTEGRITY_WORKFLOW,
        "deadline_amount": 30,
        "visibility": "restricted",
        "restricted_capability": "loops.integrity",
        "supervisor_capability": "loops.integrity",
    },
    "clinical_warning": {
        "name": N("Clinical warning and formal talk"),
        "workflow": TALK_WORKFLOW,
        "deadline_amount": 10,
        "supervisor_capability": "loops.supervise_clinical",
    },
    "formal_talk": {
        "name": N("Formal talk"),
        "workflow": TALK_WORKFLOW,
        "deadline_amount": 5,
        "supervisor_capability": "loops.integrity",
    },
    "wish": {
        "name": N("Wish"),
        "workflow": WISH_WORKFLOW,
        "deadline_amount": 20,
    },
    "work_order": {
        "name": N("Work order"),
        "workflow": WORK_ORDER_WORKFLOW,
        "deadline_unit": "hours",
        "deadline_amount": 24,
        "escalation_level1_after": 0,
        "escalation_level2_after": 8,
    },
}
