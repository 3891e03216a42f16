"""Staff writes: ID-card and employee-number rules, encryption at rest, the blind index."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from hongfan.core.testing import World, make_id_card, make_staff
from hongfan.org import selectors, services
from hongfan.org.models import Department, Staff

pytestmark = pytest.mark.django_db

BIRTH = dt.date(1990, 3, 12)


def _values(world: World, **extra: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "institution": world.hospital,
        "employee_no": "N0001",
        "name": "新职工",
        "gender": Staff.Gender.FEMALE,
        "birth_date": BIRTH,
        "department": world.dept_a1,
        "post_category": Staff.PostCategory.NURSE,
        "education": Staff.Education.BACHELOR,
        "hired_on": dt.date(2015, 8, 1),
        "id_card": make_id_card(BIRTH, 321),
        "phone": "13912345678",
    }
    values.update(extra)
    return values


def _codes(exc: ValidationError, field: str) -> set[str | None]:
    return {e.code for e in exc.error_dict[field]}


def _wrong_check_digit(number: str) -> str:
    last = "0" if number[-1] != "0" else "1"
    return number[:-1] + last


# --- ID-card numbers ------------------------------------------------------------------------


def test_a_valid_id_card_number_is_saved_upper_cased(world: World) -> None:
    number = make_id_card(BIRTH, 321)
    staff = services.staff_create(**_values(world, id_card=f"  {number.lower()} "))
    staff.refresh_from_db()
    assert staff.id_card == number.upper()


def test_a_wrong_check_digit_is_refused_and_nothing_is_saved(world: World) -> None:
    before = Staff.objects.count()
    bad = _wrong_check_digit(make_id_card(BIRTH, 321))
    with pytest.raises(ValidationError) as exc:
        services.staff_create(**_values(world, id_card=bad))
    assert _codes(exc.value, "id_card") == {"id_card_check"}
    assert Staff.objects.count() == before
    assert not Staff.objects.filter(employee_no="N0001").exists()


def test_an_impossible_birth_date_in_the_number_is_refused(world: World) -> None:
    # 1990-02-30 does not exist; the check digit is right for the 17 digits given.
    body = "110101" + "19900230" + "123"
    from hongfan.org.validators import id_card_check_char

    with pytest.raises(ValidationError) as exc:
        services.staff_create(**_values(world, id_card=body + id_card_check_char(body)))
    assert _codes(exc.value, "id_card") == {"id_card_birth"}
    assert not Staff.objects.filter(employee_no="N0001").exists()


def test_a_birth_date_in_the_future_is_refused(world: World) -> None:
    future = dt.date.today() + dt.timedelta(days=2)
    with pytest.raises(ValidationError) as exc:
        services.staff_create(
            **_values(world, birth_date=future, id_card=make_id_card(future, 5), hired_on=future)
        )
    assert _codes(exc.value, "id_card") == {"id_card_birth"}


def test_a_number_whose_birth_date_differs_from_the_record_is_refused(world: World) -> None:
    with pytest.raises(ValidationError) as exc:
        services.staff_create(**_values(world, id_card=make_id_card(dt.date(1991, 3, 12), 7)))
    assert _codes(exc.value, "id_card") == {"id_card_birth_mismatch"}


def test_an_update_with_an_invalid_number_is_refused_and_the_old_one_kept(world: World) -> None:
    staff = world.staff["plain_a1"]
    old = staff.id_card
    with pytest.raises(ValidationError) as exc:
        services.staff_update(staff=staff, id_card=_wrong_check_digit(old), name="改名")
    assert _codes(exc.value, "id_card") == {"id_card_check"}
    staff = Staff.objects.get(pk=staff.pk)
    assert staff.id_card == old
    assert staff.name == "周群众"


def test_an_update_with_an_impossible_birth_date_is_refused(world: World) -> None:
    staff = world.staff["plain_a1"]
    old = staff.id_card
    body = "110101" + "19851317" + "001"  # month 13
    from hongfan.org.validators import id_card_check_char

    with pytest.raises(ValidationError) as exc:
        services.staff_update(staff=staff, id_card=body + id_card_check_char(body))
    assert "id_card" in exc.value.error_dict
    assert Staff.objects.get(pk=staff.pk).id_card == old


def test_the_same_id_card_number_twice_is_refused(world: World) -> None:
    taken = world.staff["plain_a1"].id_card
    with pytest.raises(ValidationError) as exc:
        services.staff_create(
            **_values(world, birth_date=dt.date(1985, 5, 17), id_card=taken.lower())
        )
    assert _codes(exc.value, "id_card") == {"id_card_duplicate"}
    assert not Staff.objects.filter(employee_no="N0001").exists()


# --- Employee numbers and departments -------------------------------------------------------


def test_a_duplicate_employee_number_is_refused(world: World) -> None:
    taken = world.staff["plain_a1"].employee_no
    before = Staff.objects.count()
    with pytest.raises(ValidationError) as exc:
        services.staff_create(**_values(world, employee_no=f" {taken} "))
    assert _codes(exc.value, "employee_no") == {"employee_no_duplicate"}
    assert Staff.objects.count() == before


def test_an_update_to_a_taken_employee_number_is_refused(world: World) -> None:
    staff = world.staff["plain_a1"]
    with pytest.raises(ValidationError) as exc:
        services.staff_update(staff=staff, employee_no=world.staff["plain_b1"].employee_no)
    assert _codes(exc.value, "employee_no") == {"employee_no_duplicate"}
    assert Staff.objects.get(pk=staff.pk).employee_no != world.staff["plain_b1"].employee_no


def test_the_same_employee_number_in_another_institution_is_accepted(world: World) -> None:
    centre_dept = Department.objects.create(
        institution=world.centre_hospital, code="ZX01", name="全科", category="clinical"
    )
    staff = services.staff_create(
        **_values(
            world,
            institution=world.centre_hospital,
            department=centre_dept,
            employee_no=world.staff["plain_a1"].employee_no,
        )
    )
    assert staff.pk is not None


def test_a_department_of_another_institution_is_refused(world: World) -> None:
    with pytest.raises(ValidationError) as exc:
        services.staff_create(**_values(world, institution=world.centre_hospital))
    assert _codes(exc.value, "department") == {"department_institution"}
    assert not Staff.objects.filter(employee_no="N0001").exists()


def test_moving_a_staff_member_to_a_department_of_another_institution_is_refused(
    world: World,
) -> None:
    centre_dept = Department.objects.create(
        institution=world.centre_hospital, code="ZX01", name="全科", category="clinical"
    )
    staff = world.staff["plain_a1"]
    with pytest.raises(ValidationError) as exc:
        services.staff_update(staff=staff, department=centre_dept)
    assert "department" in exc.value.error_dict
    assert Staff.objects.get(pk=staff.pk).department_id == world.dept_a1.pk


def test_a_bad_phone_number_is_refused(world: World) -> None:
    with pytest.raises(ValidationError) as exc:
        services.staff_create(**_values(world, phone="12345"))
    assert _codes(exc.value, "phone") == {"phone_format"}


# --- Encryption at rest and the blind index -------------------------------------------------


def _raw(staff: Staff) -> tuple[str, str, str | None]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id_card, phone, id_card_digest FROM org_staff WHERE id = %s", [staff.pk]
        )
        return cursor.fetchone()


def test_the_id_card_number_and_phone_are_encrypted_at_rest(world: World) -> None:
    number = make_id_card(BIRTH, 321)
    staff = services.staff_create(**_values(world))
    raw_id, raw_phone, digest = _raw(staff)
    assert number not in raw_id and number[6:14] not in raw_id
    assert "13912345678" not in raw_phone
    assert digest and number not in digest
    # Two encryptions of the same value differ (random nonce).
    services.staff_update(staff=staff, phone="13912345678")
    assert _raw(staff)[1] != raw_phone
    fresh = Staff.objects.get(pk=staff.pk)
    assert (fresh.id_card, fresh.phone) == (number, "13912345678")


def test_an_updated_number_updates_the_blind_index(world: World) -> None:
    staff = world.staff["plain_a1"]
    old = staff.id_card
    new = make_id_card(staff.birth_date, 998)
    services.staff_update(staff=staff, id_card=new)
    user = world.user("party_office")
    assert [s.pk for s in selectors.staff_list(user, q=new)] == [staff.pk]
    assert not selectors.staff_list(user, q=old).exists()


def test_an_exact_id_card_number_finds_the_staff_member(world: World) -> None:
    target = world.staff["member_b"]
    user = world.user("party_office")
    found = selectors.staff_list(user, q=target.id_card.lower())
    assert [s.pk for s in found] == [target.pk]
    # A part of the number finds nothing: the column cannot be searched in the clear.
    assert not selectors.staff_list(user, q=target.id_card[:10]).exists()


def test_an_id_card_search_stays_within_the_users_scope(world: World) -> None:
    head = world.user("department_head")  # 心内科 only
    assert not selectors.staff_list(head, q=world.staff["plain_b1"].id_card).exists()
    mine = world.staff["plain_a1"]
    assert [s.pk for s in selectors.staff_list(head, q=mine.id_card)] == [mine.pk]


def test_leaving_before_being_hired_is_refused(world: World) -> None:
    staff = make_staff(world.dept_a1, "新人", hired_on=dt.date(2020, 1, 1))
    with pytest.raises(ValidationError):
        services.staff_leave(staff=staff, on=dt.date(2019, 12, 31))
    services.staff_leave(staff=staff, on=dt.date(2020, 1, 1), retired=True)
    staff.refresh_from_db()
    assert staff.employment_status == Staff.EmploymentStatus.RETIRED


# --- Departments ----------------------------------------------------------------------------


def test_a_centre_of_another_institution_is_refused(world: World) -> None:
    centre = services.centre_create(institution=world.centre_hospital, name="全科中心")
    with pytest.raises(ValidationError) as exc:
        services.department_create(
            institution=world.hospital,
            code="NK09",
            name="老年科",
            category=Department.Category.CLINICAL,
            centre=centre,
        )
    assert "centre" in exc.value.error_dict
    assert not Department.objects.filter(code="NK09").exists()


def test_a_department_with_staff_cannot_move_to_another_institution(world: World) -> None:
    with pytest.raises(ValidationError) as exc:
        services.department_update(department=world.dept_b1, institution=world.centre_hospital)
    assert "institution" in exc.value.error_dict
    world.dept_b1.refresh_from_db()
    assert world.dept_b1.institution == world.hospital
