"""Writes to institutions, departments and staff. Every write validates before it saves."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from hongfan.core.crypto import blind_index
from hongfan.org.models import Department, DisciplineCentre, Institution, Staff
from hongfan.org.validators import validate_id_card, validate_phone

DEPARTMENT_FIELDS = ("institution", "code", "name", "category", "centre", "is_active")
STAFF_FIELDS = (
    "institution",
    "employee_no",
    "name",
    "gender",
    "birth_date",
    "id_card",
    "phone",
    "department",
    "post_category",
    "title_level",
    "education",
    "is_department_head",
    "political_status",
    "employment_status",
    "hired_on",
    "left_on",
)


def _apply(obj: Any, fields: tuple[str, ...], values: dict[str, Any]) -> None:
    unknown = set(values) - set(fields)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    for name, value in values.items():
        setattr(obj, name, value)


# --- Institutions and centres ---------------------------------------------------------------


@transaction.atomic
def institution_create(
    *,
    code: str,
    name: str,
    kind: str = Institution.Kind.HOSPITAL,
    short_name: str = "",
    leading: Institution | None = None,
) -> Institution:
    institution = Institution(
        code=code, name=name, kind=kind, short_name=short_name, leading=leading
    )
    if leading is not None and leading.leading_id is not None:
        raise ValidationError(
            {"leading": _("The leading institution must itself be a leading hospital.")}
        )
    institution.full_clean()
    institution.save()
    return institution


@transaction.atomic
def centre_create(*, institution: Institution, name: str) -> DisciplineCentre:
    centre = DisciplineCentre(institution=institution, name=name)
    centre.full_clean()
    centre.save()
    return centre


# --- Departments ----------------------------------------------------------------------------


def _check_department(department: Department) -> None:
    if department.centre_id and department.centre.institution_id != department.institution_id:
        raise ValidationError(
            {"centre": _("The discipline centre belongs to another institution.")}
        )


@transaction.atomic
def department_create(
    *,
    institution: Institution,
    code: str,
    name: str,
    category: str,
    centre: DisciplineCentre | None = None,
    is_active: bool = True,
) -> Department:
    department = Department(
        institution=institution,
        code=code.strip(),
        name=name.strip(),
        category=category,
        centre=centre,
        is_active=is_active,
    )
    _check_department(department)
    department.full_clean()
    department.save()
    return department


@transaction.atomic
def department_update(*, department: Department, **changes: Any) -> Department:
    moving = "institution" in changes and changes["institution"] != department.institution
    if moving and department.staff.exists():
        raise ValidationError(
            {"institution": _("A department with staff cannot move to another institution.")}
        )
    _apply(department, DEPARTMENT_FIELDS, changes)
    _check_department(department)
    department.full_clean()
    department.save()
    return department


# --- Staff ----------------------------------------------------------------------------------


def _check_staff(staff: Staff) -> None:
    """Field rules beyond the model: ID card, phone, department, employee number, dates."""
    errors: dict[str, list[ValidationError]] = {}
    if staff.id_card:
        try:
            staff.id_card = validate_id_card(staff.id_card, staff.birth_date)
        except ValidationError as exc:
            errors.setdefault("id_card", []).extend(exc.error_list)  # keeps the codes
        else:
            digest = blind_index(staff.id_card, purpose="id_card")
            clash = Staff.objects.filter(id_card_digest=digest).exclude(pk=staff.pk)
            if clash.exists():
                errors.setdefault("id_card", []).append(
                    ValidationError(
                        _("A staff member with this ID-card number exists."),
                        code="id_card_duplicate",
                    )
                )
    if staff.phone:
        try:
            staff.phone = validate_phone(staff.phone)
        except ValidationError as exc:
            errors.setdefault("phone", []).extend(exc.error_list)
    if staff.employee_no:
        staff.employee_no = staff.employee_no.strip()
        clash = Staff.objects.filter(
            institution_id=staff.institution_id, employee_no=staff.employee_no
        ).exclude(pk=staff.pk)
        if clash.exists():
            errors.setdefault("employee_no", []).append(
                ValidationError(
                    _("Employee number %(no)s is already used by another staff member.")
                    % {"no": staff.employee_no},
                    code="employee_no_duplicate",
                )
            )
    if (
        staff.department_id
        and staff.institution_id
        and staff.department.institution_id != staff.institution_id
    ):
        errors.setdefault("department", []).append(
            ValidationError(
                _("The department belongs to another institution."), code="department_institution"
            )
        )
    if staff.birth_date and staff.hired_on and staff.hired_on < staff.birth_date:
        errors.setdefault("hired_on", []).append(
            ValidationError(_("The hiring date precedes the birth date."), code="hired_before_born")
        )
    if staff.employment_status == Staff.EmploymentStatus.LEFT and staff.left_on is None:
        errors.setdefault("left_on", []).append(
            ValidationError(_("Enter the date the staff member left."), code="left_on_missing")
        )
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def staff_create(
    *,
    institution: Institution,
    employee_no: str,
    name: str,
    gender: str,
    birth_date: dt.date,
    department: Department,
    post_category: str,
    education: str,
    hired_on: dt.date,
    id_card: str = "",
    phone: str = "",
    title_level: str = Staff.TitleLevel.NONE,
    is_department_head: bool = False,
    political_status: str = Staff.PoliticalStatus.MASSES,
    employment_status: str = Staff.EmploymentStatus.IN_POST,
    left_on: dt.date | None = None,
) -> Staff:
    """Create a staff member. Party members are recorded with ``party.services.member_create``,
    which sets the political status; here it may only be a non-member status or the status
    an importer copies from the source."""
    staff = Staff(
        institution=institution,
        employee_no=employee_no,
        name=name.strip(),
        gender=gender,
        birth_date=birth_date,
        id_card=id_card,
        phone=phone,
        department=department,
        post_category=post_category,
        title_level=title_level,
        education=education,
        is_department_head=is_department_head,
        political_status=political_status,
        employment_status=employment_status,
        hired_on=hired_on,
        left_on=left_on,
    )
    _check_staff(staff)
    staff.full_clean(exclude=["id_card_digest"])
    staff.save()
    return staff


@transaction.atomic
def staff_update(*, staff: Staff, **changes: Any) -> Staff:
    """Change a staff member's fields (only those named in ``STAFF_FIELDS``)."""
    _apply(staff, STAFF_FIELDS, changes)
    member = getattr(staff, "party_member", None) if staff.pk else None
    if member is not None and member.status == member.Status.NORMAL:
        # The political status of a member follows the member record, not the form.
        staff.political_status = (
            Staff.PoliticalStatus.MEMBER if member.is_full else Staff.PoliticalStatus.PROBATIONARY
        )
    _check_staff(staff)
    staff.full_clean(exclude=["id_card_digest"])
    staff.save()
    return staff


@transaction.atomic
def staff_leave(*, staff: Staff, on: dt.date, retired: bool = False) -> Staff:
    """Record that a staff member left (or retired) on ``on``."""
    if on < staff.hired_on:
        raise ValidationError({"left_on": _("The leaving date cannot precede the hiring date.")})
    staff.left_on = on
    staff.employment_status = (
        Staff.EmploymentStatus.RETIRED if retired else Staff.EmploymentStatus.LEFT
    )
    staff.full_clean(exclude=["id_card_digest"])
    staff.save()
    return staff
