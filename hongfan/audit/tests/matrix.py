"""Only the audit administrator sees the audit log (三权分立; run by core's permission matrix)."""

from __future__ import annotations

from hongfan.accounts.roles import Role
from hongfan.core.matrix import Case

AUDITOR = {Role.AUDIT_ADMIN}

CASES = [
    Case("audit:log", allowed=AUDITOR),
    Case("audit:log", allowed=AUDITOR, query="user=admin&action=create", label="search:audit:log"),
    Case("audit:log", allowed=AUDITOR, query="export=xlsx", label="export:audit:log"),
    Case("audit:verify", allowed=AUDITOR),
    Case("audit:verify", allowed=AUDITOR, method="post", label="post:audit:verify"),
]
