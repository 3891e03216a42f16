"""The catalogue of event codes that source modules emit into the scoring ledger.

Each code has defaults; the first event with a code creates its ``EventRule`` row from these
defaults, after which an administrator may change the points (the row wins over this file).
A source module that needs a new code adds it here (one line, additive) and documents it in
docs/apps/scoring.md. Codes are ``<source>.<what>``.

``points`` is per unit: an event recorded with ``quantity=3`` (e.g. three volunteer hours)
scores ``3 × points`` unless the caller gives ``points`` explicitly.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

STAFF = "staff"
DEPARTMENT = "department"
BRANCH = "branch"


@dataclass(frozen=True)
class CodeDefault:
    name: str  # English msgid; translated on screen
    category: str
    subject_kind: str
    points: Decimal
    is_veto: bool = False
    # The article of 《医疗机构工作人员廉洁从业九项准则》 a violation falls under (1–9), if any.
    nine_rules_article: int | None = None
    # Events of this code start "pending" (need a confirmation) instead of "confirmed".
    needs_confirmation: bool = False


def _d(value: str) -> Decimal:
    return Decimal(value)


CODES: dict[str, CodeDefault] = {
    # Patient voice (issue 5)
    "voice.praise": CodeDefault("Praise from a patient", "voice", STAFF, _d("2")),
    "voice.praise.department": CodeDefault(
        "Praise for the department", "voice", DEPARTMENT, _d("1")
    ),
    "voice.complaint_verified": CodeDefault("Verified complaint", "voice", STAFF, _d("-3")),
    "voice.complaint_verified.department": CodeDefault(
        "Verified complaint against the department", "voice", DEPARTMENT, _d("-2")
    ),
    "voice.wish_fulfilled": CodeDefault("Patient wish fulfilled", "voice", STAFF, _d("1")),
    # Integrity (issue 6)
    "integrity.envelope_returned": CodeDefault(
        "Envelope or gift refused or handed in", "integrity", STAFF, _d("2")
    ),
    "integrity.violation": CodeDefault(
        "Integrity violation", "integrity", STAFF, _d("-10"), needs_confirmation=True
    ),
    "integrity.veto": CodeDefault(
        "Veto: accepting envelopes, kickbacks, falsified records, insurance fraud",
        "integrity",
        STAFF,
        _d("-30"),
        is_veto=True,
        nine_rules_article=8,
        needs_confirmation=True,
    ),
    "integrity.department_violation": CodeDefault(
        "Integrity violation in the department", "integrity", DEPARTMENT, _d("-3")
    ),
    # Organisational life (issue 3 data, consumed by branch ratings)
    "orglife.month_compliant": CodeDefault(
        "Organisational life complete for the month", "orglife", BRANCH, _d("1")
    ),
    # Outreach, honours (issue 9)
    "outreach.volunteer_hours": CodeDefault(
        "Volunteer service (per hour)", "outreach", STAFF, _d("0.5")
    ),
    "outreach.honour.national": CodeDefault("National honour", "outreach", STAFF, _d("10")),
    "outreach.honour.provincial": CodeDefault("Provincial honour", "outreach", STAFF, _d("6")),
    "outreach.honour.city": CodeDefault("City honour", "outreach", STAFF, _d("4")),
    "outreach.honour.county": CodeDefault("County honour", "outreach", STAFF, _d("2")),
    "outreach.honour.hospital": CodeDefault("Hospital honour", "outreach", STAFF, _d("1")),
    "outreach.emergency_deployment": CodeDefault(
        "Emergency deployment", "outreach", STAFF, _d("3")
    ),
    # Clinical analytics (issue 8)
    "clinical.prescription_finding": CodeDefault(
        "Irrational prescription confirmed by a pharmacist", "clinical", STAFF, _d("-1")
    ),
    "clinical.formal_talk": CodeDefault(
        "Formal talk (约谈) on prescribing or consumables", "clinical", STAFF, _d("-3")
    ),
    "clinical.department_indicator_breach": CodeDefault(
        "Prescribing indicator above target", "clinical", DEPARTMENT, _d("-1")
    ),
    # Manual entries by the office (hongfan.scoring ledger page; points given per entry)
    "manual.addition": CodeDefault("Manual addition", "manual", STAFF, _d("1")),
    "manual.deduction": CodeDefault("Manual deduction", "manual", STAFF, _d("-1")),
    # Publicity (issue 11)
    "publicity.piece_published": CodeDefault(
        "Story published on a hospital platform", "publicity", STAFF, _d("0.5")
    ),
}
