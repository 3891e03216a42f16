"""Accounts and role assignments."""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hongfan.accounts.roles import (
    ADMIN_ROLES,
    ROLE_CAPABILITIES,
    SECOND_FACTOR_ROLES,
    Role,
)

if TYPE_CHECKING:
    from hongfan.accounts.scope import Scope


class User(AbstractUser):
    """A person who signs in. Linked to a staff record for everyone but pure IT accounts."""

    staff = models.OneToOneField(
        "org.Staff",
        verbose_name=_("staff record"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="user",
    )
    password_changed_at = models.DateTimeField(_("password changed at"), default=timezone.now)
    must_change_password = models.BooleanField(_("must change password"), default=False)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    @cached_property
    def role_set(self) -> frozenset[str]:
        if not self.is_active or not self.pk:
            return frozenset()
        return frozenset(self.role_assignments.values_list("role", flat=True))

    @cached_property
    def capabilities(self) -> frozenset[str]:
        caps: set[str] = set()
        for role in self.role_set:
            caps |= ROLE_CAPABILITIES.get(role, frozenset())
        return frozenset(caps)

    def has_capability(self, capability: str) -> bool:
        return capability in self.capabilities

    def has_role(self, role: str) -> bool:
        return role in self.role_set

    @property
    def is_admin_role(self) -> bool:
        return bool(self.role_set & ADMIN_ROLES)

    @property
    def requires_second_factor(self) -> bool:
        return bool(self.role_set & SECOND_FACTOR_ROLES)

    @cached_property
    def scope(self) -> Scope:
        from hongfan.accounts.scope import compute_scope

        return compute_scope(self)

    @property
    def display_name(self) -> str:
        if self.staff_id and self.staff is not None:
            return self.staff.name
        return self.get_full_name() or self.username


class RoleAssignment(models.Model):
    """One role held by one user, with its data scope where the role is scoped."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="role_assignments", verbose_name=_("user")
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    organisation = models.ForeignKey(
        "party.PartyOrganisation",
        verbose_name=_("Party organisation"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="role_assignments",
    )
    department = models.ForeignKey(
        "org.Department",
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="role_assignments",
    )
    granted_at = models.DateTimeField(_("granted at"), default=timezone.now)
    granted_by = models.ForeignKey(
        User,
        verbose_name=_("granted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role"],
                condition=Q(organisation__isnull=True, department__isnull=True),
                name="accounts_role_unique_unscoped",
                violation_error_message=_("This user already holds this role."),
            ),
            models.UniqueConstraint(
                fields=["user", "role", "organisation"],
                condition=Q(organisation__isnull=False),
                name="accounts_role_unique_org",
                violation_error_message=_(
                    "This user already holds this role for this organisation."
                ),
            ),
            models.UniqueConstraint(
                fields=["user", "role", "department"],
                condition=Q(department__isnull=False),
                name="accounts_role_unique_department",
                violation_error_message=_("This user already holds this role for this department."),
            ),
            models.CheckConstraint(
                condition=~Q(role=Role.BRANCH_SECRETARY) | Q(organisation__isnull=False),
                name="accounts_role_branch_needs_org",
                violation_error_message=_("A branch secretary role needs a Party organisation."),
            ),
            models.CheckConstraint(
                condition=~Q(role=Role.DEPARTMENT_HEAD) | Q(department__isnull=False),
                name="accounts_role_head_needs_department",
                violation_error_message=_("A department head role needs a department."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()}"
