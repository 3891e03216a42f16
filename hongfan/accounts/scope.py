"""The data scope of a user: what rows scoped selectors may return.

Every ``*_visible_to(user)`` selector in every app starts from ``user.scope``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from hongfan.accounts.roles import HOSPITAL_WIDE_ROLES, Role

if TYPE_CHECKING:
    from hongfan.accounts.models import User


@dataclass(frozen=True)
class Scope:
    hospital_wide: bool = False
    # Party organisations a branch secretary holds, with all their descendants (党小组).
    organisation_ids: frozenset[int] = field(default_factory=frozenset)
    # Departments a department head holds, plus departments bound to a secretary's branch.
    department_ids: frozenset[int] = field(default_factory=frozenset)
    staff_id: int | None = None

    @property
    def is_empty(self) -> bool:
        return (
            not self.hospital_wide
            and not self.organisation_ids
            and not self.department_ids
            and self.staff_id is None
        )


def compute_scope(user: User) -> Scope:
    """Return the user's scope; two queries at most for scoped roles."""
    if not user.is_authenticated or not user.is_active:
        return Scope()
    roles = user.role_set
    if roles & HOSPITAL_WIDE_ROLES:
        return Scope(hospital_wide=True, staff_id=user.staff_id)
    org_ids: set[int] = set()
    dept_ids: set[int] = set()
    assignments = list(
        user.role_assignments.filter(
            role__in=[Role.BRANCH_SECRETARY, Role.DEPARTMENT_HEAD]
        ).values_list("role", "organisation_id", "department_id")
    )
    roots = [o for r, o, _ in assignments if r == Role.BRANCH_SECRETARY and o]
    dept_ids |= {d for r, _, d in assignments if r == Role.DEPARTMENT_HEAD and d}
    if roots:
        from hongfan.party.selectors import bound_department_ids, organisation_descendant_ids

        org_ids = organisation_descendant_ids(roots)
        dept_ids |= bound_department_ids(org_ids)
    return Scope(
        organisation_ids=frozenset(org_ids),
        department_ids=frozenset(dept_ids),
        staff_id=user.staff_id,
    )
