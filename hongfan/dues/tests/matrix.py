"""Who may use which page of Party dues (run by core's permission-matrix test)."""

from __future__ import annotations

from hongfan.accounts.roles import Role
from hongfan.core.matrix import Case

MANAGERS = {Role.PARTY_OFFICE, Role.BRANCH_SECRETARY}
# Everyone with a staff record sees the ledger (their own rows at least).
WITH_OWN = MANAGERS | {
    Role.DISCIPLINE,
    Role.MEDICAL_AFFAIRS,
    Role.PRESIDENT_OFFICE,
    Role.DEPARTMENT_HEAD,
    Role.STAFF,
}

CASES = [
    Case("dues:ledger", allowed=WITH_OWN),
    Case("dues:ledger", allowed=WITH_OWN, query="export=xlsx", label="export:dues:ledger"),
    Case("dues:payment_create", allowed=MANAGERS),
    Case("dues:payroll_import", allowed={Role.PARTY_OFFICE}),
    Case("dues:payment_import", allowed={Role.PARTY_OFFICE}),
    Case("dues:arrears", allowed=MANAGERS),
    Case("dues:summary", allowed=MANAGERS),
    Case(
        "dues:summary", allowed=MANAGERS, query="year=2026&export=xlsx", label="export:dues:summary"
    ),
]
