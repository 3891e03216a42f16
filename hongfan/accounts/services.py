"""Writes on accounts: passwords, roles, second-factor devices."""

from __future__ import annotations

import base64

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from hongfan.accounts.models import RoleAssignment, User
from hongfan.accounts.roles import ADMIN_ROLES, Role
from hongfan.audit import services as audit
from hongfan.audit.models import AuditEntry


@transaction.atomic
def user_change_password(*, user: User, new_password: str) -> User:
    user.set_password(new_password)
    user.password_changed_at = timezone.now()
    user.must_change_password = False
    user.save(update_fields=["password", "password_changed_at", "must_change_password"])
    return user


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
    )
    user.__dict__.pop("role_set", None)
    user.__dict__.pop("capabilities", None)
    user.__dict__.pop("scope", None)
    return assignment


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
