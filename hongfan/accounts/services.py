"""Writes on accounts: passwords, roles, second-factor devices."""

from __future__ import annotations

import base64
from typing import TYPE_CHECKING

from axes.models import AccessAttempt
from axes.utils import reset as axes_reset
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from hongfan.accounts.models import RoleAssignment, User
from hongfan.accounts.roles import ADMIN_ROLES, Role
from hongfan.audit import services as audit
from hongfan.audit.models import AuditEntry

if TYPE_CHECKING:
    from hongfan.org.models import Staff


@transaction.atomic
def user_change_password(*, user: User, new_password: str) -> User:
    user.set_password(new_password)
    user.password_changed_at = timezone.now()
    user.must_change_password = False
    user.save(update_fields=["password", "password_changed_at", "must_change_password"])
    audit.record(AuditEntry.Action.UPDATE, user, detail={"password_changed": True}, user=user)
    return user


@transaction.atomic
def user_create(
    *,
    username: str,
    password: str,
    staff: Staff | None = None,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    created_by: User | None = None,
) -> User:
    """Create an account; the initial password must be changed at the first sign-in.

    An account linked to a staff record gets the basic staff role (own records only); every
    other role is granted by the security administrator (three-way separation of duties).
    """
    if staff is not None and User.objects.filter(staff=staff).exists():
        raise ValidationError(
            {"staff": _("This staff member already has an account.")}, code="staff_taken"
        )
    user = User(
        username=username,
        staff=staff,
        first_name=first_name,
        last_name=last_name,
        email=email,
        must_change_password=True,
    )
    validate_password(password, user)
    user.set_password(password)
    user.full_clean()
    user.save()
    audit.record(
        AuditEntry.Action.CREATE,
        user,
        detail={"staff": staff.pk if staff else None},
        user=created_by,
    )
    if staff is not None:
        assign_role(user=user, role=Role.STAFF, granted_by=created_by)
    return user


@transaction.atomic
def user_set_active(*, user: User, active: bool, changed_by: User) -> User:
    """Disable or enable an account. Nobody disables their own account."""
    if user.pk == changed_by.pk:
        raise ValidationError(_("You cannot disable or enable your own account."), code="self")
    user.is_active = active
    user.save(update_fields=["is_active"])
    audit.record(AuditEntry.Action.UPDATE, user, detail={"is_active": active}, user=changed_by)
    return user


@transaction.atomic
def user_reset_password(*, user: User, new_password: str, reset_by: User) -> User:
    """Set a temporary password that the user must change at the next sign-in."""
    validate_password(new_password, user)
    user.set_password(new_password)
    user.password_changed_at = timezone.now()
    user.must_change_password = True
    user.save(update_fields=["password", "password_changed_at", "must_change_password"])
    audit.record(AuditEntry.Action.UPDATE, user, detail={"password_reset": True}, user=reset_by)
    return user


def _forget_roles(user: User) -> None:
    for attr in ("role_set", "capabilities", "scope"):
        user.__dict__.pop(attr, None)


@transaction.atomic
def revoke_role(*, assignment: RoleAssignment, revoked_by: User | None = None) -> None:
    """Take a role away from a user."""
    user = assignment.user
    detail = {
        "revoked": assignment.role,
        "organisation": assignment.organisation_id,
        "department": assignment.department_id,
    }
    assignment.delete()
    audit.record(AuditEntry.Action.PERMISSION, user, detail=detail, user=revoked_by)
    _forget_roles(user)


@transaction.atomic
def assign_role(
    *,
    user: User,
    role: str,
    organisation_id: int | None = None,
    department_id: int | None = None,
    granted_by: User | None = None,
) -> RoleAssignment:
    """Give ``user`` a role. Refuse a second one of the three administrator roles."""
    if role not in Role.values:
        raise ValidationError(_("Unknown role."))
    if organisation_id and role != Role.BRANCH_SECRETARY:
        raise ValidationError(
            {"organisation": _("Only the branch secretary role is scoped to an organisation.")}
        )
    if department_id and role != Role.DEPARTMENT_HEAD:
        raise ValidationError(
            {"department": _("Only the department head role is scoped to a department.")}
        )
    # Lock the user's row so two concurrent grants cannot both pass the check.
    User.objects.select_for_update().filter(pk=user.pk).first()
    held = set(user.role_assignments.values_list("role", flat=True))
    if role in ADMIN_ROLES and (held & ADMIN_ROLES) - {role}:
        raise ValidationError(
            _(
                "Separation of duties: an account may hold only one of the system, security "
                "and audit administrator roles."
            ),
            code="separation_of_duties",
        )
    assignment = RoleAssignment(
        user=user,
        role=role,
        organisation_id=organisation_id,
        department_id=department_id,
        granted_by=granted_by,
    )
    assignment.full_clean()
    assignment.save()
    audit.record(
        AuditEntry.Action.PERMISSION,
        user,
        detail={"granted": role, "organisation": organisation_id, "department": department_id},
        user=granted_by,
    )
    _forget_roles(user)
    return assignment


@transaction.atomic
def lockout_clear(*, attempt: AccessAttempt, cleared_by: User) -> int:
    """Lift a sign-in lockout (the username and address of one attempt record)."""
    count = axes_reset(ip=attempt.ip_address or None, username=attempt.username or None)
    audit.record(
        AuditEntry.Action.OTHER,
        object_type="axes.accessattempt",
        object_id=attempt.pk,
        object_repr=attempt.username or "",
        detail={"unlocked": True, "ip": attempt.ip_address, "records": count},
        user=cleared_by,
    )
    return count


def totp_device_pending(*, user: User) -> TOTPDevice:
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="default", confirmed=False)
    return device


def totp_secret_b32(device: TOTPDevice) -> str:
    return base64.b32encode(device.bin_key).decode()


@transaction.atomic
def totp_confirm(*, device: TOTPDevice, token: str) -> bool:
    if not device.verify_token(token):
        return False
    TOTPDevice.objects.filter(user=device.user, confirmed=True).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return True


def totp_verify(*, user: User, token: str) -> TOTPDevice | None:
    """Return the device that accepts ``token``; a reused code is refused (django-otp)."""
    for device in TOTPDevice.objects.filter(user=user, confirmed=True):
        if device.verify_token(token):
            return device
    return None
