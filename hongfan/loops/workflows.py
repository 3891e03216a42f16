"""Default matter types, as data. Seeded by ``manage.py loops_seed_types`` (idempotent).

Labels are English message ids marked with ``gettext_noop`` so that makemessages collects them;
``MatterType`` translates them on display. Other modules define their own types the same way
(see docs/apps/loops.md) and call ``services.matter_type_ensure``.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_noop

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
            state("open", gettext_noop("To do")),
            state("in_progress", gettext_noop("In progress")),
            state("closed", gettext_noop("Closed"), terminal=True),
            state("cancelled", gettext_noop("Cancelled"), terminal=True),
        ],
        "transitions": [
            step("start", gettext_noop("Start"), ["open"], "in_progress", [OWNER, SUPERIOR]),
            step(
                "close",
                gettext_noop("Close"),
                ["open", "in_progress"],
                "closed",
                [OWNER, SUPERVISOR],
                evidence=close_needs_evidence,
            ),
            step(
                "cancel",
                gettext_noop("Cancel"),
                ["open", "in_progress"],
                "cancelled",
                [SUPERVISOR],
                note=True,
            ),
            step(
                "reopen",
                gettext_noop("Reopen"),
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
        state("open", gettext_noop("To do")),
        state("in_progress", gettext_noop("Rectifying")),
        state("submitted", gettext_noop("Awaiting verification")),
        state("closed", gettext_noop("Verified and closed"), terminal=True),
    ],
    "transitions": [
        step("start", gettext_noop("Start rectifying"), ["open"], "in_progress", [OWNER, SUPERIOR]),
        step(
            "submit",
            gettext_noop("Submit for verification"),
            ["open", "in_progress"],
            "submitted",
            [OWNER],
            evidence=True,
        ),
        step("verify", gettext_noop("Verify and close"), ["submitted"], "closed", [SUPERVISOR]),
        step(
            "reject",
            gettext_noop("Send back"),
            ["submitted"],
            "in_progress",
            [SUPERVISOR],
            note=True,
        ),
        step("reopen", gettext_noop("Reopen"), ["closed"], "in_progress", [SUPERVISOR], note=True),
    ],
}

COMPLAINT_WORKFLOW: dict[str, Any] = {
    "initial": "recorded",
    "states": [
        state("recorded", gettext_noop("Recorded")),
        state("verified", gettext_noop("Verified")),
        state("handling", gettext_noop("Being handled")),
        state("answered", gettext_noop("Answered"), terminal=True),
        state("rejected", gettext_noop("Not substantiated"), terminal=True),
    ],
    "transitions": [
        step("verify", gettext_noop("Verify"), ["recorded"], "verified", [OWNER, SUPERVISOR]),
        step(
            "reject",
            gettext_noop("Not substantiated"),
            ["recorded", "verified"],
            "rejected",
            [OWNER, SUPERVISOR],
            note=True,
        ),
        step(
            "handle",
            gettext_noop("Handle"),
            ["verified"],
            "handling",
            [OWNER, SUPERIOR, SUPERVISOR],
        ),
        step(
            "answer",
            gettext_noop("Give feedback"),
            ["handling"],
            "answered",
            [OWNER, SUPERVISOR],
            evidence=True,
        ),
        step(
            "reopen",
            gettext_noop("Reopen"),
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
        state("received", gettext_noop("Received")),
        state("investigating", gettext_noop("Under investigation")),
        state("concluded", gettext_noop("Concluded"), terminal=True),
        state("dismissed", gettext_noop("Dismissed"), terminal=True),
    ],
    "transitions": [
        step(
            "investigate", gettext_noop("Investigate"), ["received"], "investigating", [SUPERVISOR]
        ),
        step(
            "conclude",
            gettext_noop("Conclude"),
            ["investigating"],
            "concluded",
            [SUPERVISOR],
            evidence=True,
        ),
        step(
            "dismiss",
            gettext_noop("Dismiss"),
            ["received", "investigating"],
            "dismissed",
            [SUPERVISOR],
            note=True,
        ),
        step(
            "reopen",
            gettext_noop("Reopen"),
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
        state("scheduled", gettext_noop("Talk to be held")),
        state("held", gettext_noop("Talk held")),
        state("closed", gettext_noop("Closed"), terminal=True),
    ],
    "transitions": [
        step(
            "hold", gettext_noop("Record the talk"), ["scheduled"], "held", [OWNER], evidence=True
        ),
        step(
            "close", gettext_noop("Close"), ["held"], "closed", [OWNER, SUPERVISOR], evidence=True
        ),
        step("reopen", gettext_noop("Reopen"), ["closed"], "held", [SUPERVISOR], note=True),
    ],
}

WISH_WORKFLOW: dict[str, Any] = {
    "initial": "collected",
    "states": [
        state("collected", gettext_noop("Collected")),
        state("matched", gettext_noop("Matched")),
        state("fulfilled", gettext_noop("Fulfilled"), terminal=True),
        state("declined", gettext_noop("Cannot be fulfilled"), terminal=True),
    ],
    "transitions": [
        step(
            "match", gettext_noop("Match a person"), ["collected"], "matched", [SUPERVISOR, OWNER]
        ),
        step(
            "fulfil",
            gettext_noop("Fulfilled"),
            ["matched"],
            "fulfilled",
            [OWNER, SUPERVISOR],
            evidence=True,
        ),
        step(
            "decline",
            gettext_noop("Cannot be fulfilled"),
            ["collected", "matched"],
            "declined",
            [SUPERVISOR],
            note=True,
        ),
        step(
            "reopen",
            gettext_noop("Reopen"),
            ["fulfilled", "declined"],
            "matched",
            [SUPERVISOR],
            note=True,
        ),
    ],
}

WORK_ORDER_WORKFLOW: dict[str, Any] = {
    "initial": "submitted",
    "states": [
        state("submitted", gettext_noop("Submitted")),
        state("dispatched", gettext_noop("Dispatched")),
        state("in_progress", gettext_noop("In progress")),
        state("done", gettext_noop("Done"), terminal=True),
    ],
    "transitions": [
        step(
            "dispatch", gettext_noop("Dispatch"), ["submitted"], "dispatched", [SUPERVISOR, OWNER]
        ),
        step("start", gettext_noop("Start"), ["dispatched"], "in_progress", [OWNER]),
        step(
            "finish",
            gettext_noop("Finish with result"),
            ["dispatched", "in_progress"],
            "done",
            [OWNER, SUPERVISOR],
            evidence=True,
        ),
        step(
            "reopen",
            gettext_noop("Reopen"),
            ["done"],
            "in_progress",
            [ORIGINATOR, SUPERVISOR],
            note=True,
        ),
    ],
}

# code → MatterType field values.
DEFAULT_TYPES: dict[str, dict[str, Any]] = {
    "generic": {
        "name": gettext_noop("Supervised matter"),
        "workflow": simple_workflow(close_needs_evidence=False),
        "deadline_amount": 10,
    },
    "resolution": {
        "name": gettext_noop("Resolution"),
        "workflow": simple_workflow(close_needs_evidence=True),
        "deadline_amount": 20,
    },
    "rectification_task": {
        "name": gettext_noop("Rectification task"),
        "workflow": RECTIFICATION_WORKFLOW,
        "deadline_amount": 30,
        "supervisor_capability": "rectification.manage",
    },
    "complaint": {
        "name": gettext_noop("Complaint"),
        "workflow": COMPLAINT_WORKFLOW,
        "deadline_amount": 5,
        "escalation_level2_after": 2,
    },
    "integrity_report": {
        "name": gettext_noop("Integrity report"),
        "workflow": INTEGRITY_WORKFLOW,
        "deadline_amount": 30,
        "visibility": "restricted",
        "restricted_capability": "loops.integrity",
        "supervisor_capability": "loops.integrity",
    },
    "clinical_warning": {
        "name": gettext_noop("Clinical warning and formal talk"),
        "workflow": TALK_WORKFLOW,
        "deadline_amount": 10,
        "supervisor_capability": "loops.supervise_clinical",
    },
    "formal_talk": {
        "name": gettext_noop("Formal talk"),
        "workflow": TALK_WORKFLOW,
        "deadline_amount": 5,
        "supervisor_capability": "loops.integrity",
    },
    "wish": {
        "name": gettext_noop("Wish"),
        "workflow": WISH_WORKFLOW,
        "deadline_amount": 20,
    },
    "work_order": {
        "name": gettext_noop("Work order"),
        "workflow": WORK_ORDER_WORKFLOW,
        "deadline_unit": "hours",
        "deadline_amount": 24,
        "escalation_level1_after": 0,
        "escalation_level2_after": 8,
    },
}
