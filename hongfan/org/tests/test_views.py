"""Staff pages: masking on screen and in Excel, audited reveal, search, filters, scope, queries."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from hongfan.accounts.roles import Role
from hongfan.audit.models import AuditEntry
from hongfan.core.masking import mask_id_card, mask_phone
from hongfan.core.testing import World, login, make_id_card, make_member, make_staff
from hongfan.org.models import Staff

pytestmark = pytest.mark.django_db

LIST = reverse("org:staff_list")


def _client(world: World, role: str) -> Client:
    return login(Client(), world.user(role))


def _rows(response) -> list[Staff]:  # type: ignore[no-untyped-def]
    return list(response.context["page_obj"].object_list)


def _xlsx(response) -> list[list[object]]:  # type: ignore[no-untyped-def]
    data = b"".join(response.streaming_content)
    sheet = load_workbook(io.BytesIO(data), read_only=True).active
    return [list(r) for r in sheet.iter_rows(values_only=True)]


# --- Masking --------------------------------------------------------------------------------


def test_the_list_page_shows_masked_phones_and_no_id_numbers(world: World) -> None:
    response = _client(world, Role.PARTY_OFFICE).get(LIST)
    html = response.content.decode()
    for staff in world.staff.values():
        assert staff.phone not in html
        assert staff.id_card not in html
        assert staff.id_card[6:14] not in html  # not even the birth date part
    plain = world.staff["plain_a1"]
    assert mask_phone(plain.phone) in html


def test_the_excel_export_masks_the_id_number_and_phone(world: World) -> None:
    response = _client(world, Role.PARTY_OFFICE).get(LIST, {"export": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = _xlsx(response)
    body = rows[1:]
    no_col, id_col, phone_col = 1, 5, 6  # employee number, ID-card number, phone
    by_no = {r[no_col]: r for r in body}
    assert len(body) == Staff.objects.count()
    for staff in world.staff.values():
        row = by_no[staff.employee_no]
        assert row[id_col] == mask_id_card(staff.id_card)
        assert row[phone_col] == mask_phone(staff.phone)
        flat = " ".join(str(c) for c in row)
        assert staff.id_card not in flat and staff.phone not in flat
    entry = AuditEntry.objects.filter(
        action=AuditEntry.Action.EXPORT, object_type="org.staff"
    ).get()
    assert entry.detail["masked"] is True


def test_the_detail_page_is_masked_until_revealed(world: World) -> None:
    staff = world.staff["plain_b1"]
    html = _client(world, Role.PARTY_OFFICE).get(reverse("org:staff_detail", args=[staff.pk]))
    html = html.content.decode()
    assert staff.id_card not in html and staff.phone not in html
    assert mask_id_card(staff.id_card) in html
    assert 'data-testid="reveal"' in html


# --- Reveal ---------------------------------------------------------------------------------


def test_revealing_shows_the_full_numbers_and_is_audited(world: World) -> None:
    staff = world.staff["plain_b1"]
    user = world.user(Role.PARTY_OFFICE)
    response = login(Client(), user).post(reverse("org:staff_reveal", args=[staff.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert staff.id_card in html and staff.phone in html
    entry = AuditEntry.objects.get(action=AuditEntry.Action.READ, object_id=str(staff.pk))
    assert entry.user_id == user.pk
    assert entry.object_type == "org.staff"
    assert entry.detail == {"what": "id_card,phone"}


@pytest.mark.parametrize(
    "role", [Role.BRANCH_SECRETARY, Role.DEPARTMENT_HEAD, Role.PRESIDENT_OFFICE, Role.STAFF]
)
def test_revealing_needs_the_capability(world: World, role: str) -> None:
    staff = world.staff["plain_a1"]
    response = _client(world, role).post(reverse("org:staff_reveal", args=[staff.pk]))
    assert response.status_code == 403
    assert staff.id_card not in response.content.decode()
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.READ).exists()


def test_revealing_is_a_post_not_a_link(world: World) -> None:
    staff = world.staff["plain_a1"]
    response = _client(world, Role.PARTY_OFFICE).get(reverse("org:staff_reveal", args=[staff.pk]))
    assert response.status_code == 405
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.READ).exists()


# --- Search, filters, pagination ------------------------------------------------------------


def test_an_exact_id_card_number_finds_the_staff_member(world: World) -> None:
    target = world.staff["member_b"]
    response = _client(world, Role.PARTY_OFFICE).get(LIST, {"q": target.id_card})
    assert [s.pk for s in _rows(response)] == [target.pk]


def test_search_by_name_and_employee_number(world: World) -> None:
    client = _client(world, Role.PARTY_OFFICE)
    assert [s.name for s in _rows(client.get(LIST, {"q": "支书"}))] == ["李支书", "王支书"]
    no = world.staff["plain_b1"].employee_no
    assert [s.name for s in _rows(client.get(LIST, {"q": no}))] == ["吴群众"]


def test_filters_narrow_the_list(world: World) -> None:
    client = _client(world, Role.PARTY_OFFICE)
    by_dept = _rows(client.get(LIST, {"department": world.dept_b1.pk}))
    assert {s.name for s in by_dept} == {"王支书", "钱党员", "吴群众"}
    nurses = _rows(client.get(LIST, {"post_category": Staff.PostCategory.NURSE}))
    assert [s.name for s in nurses] == ["赵党员"]
    senior = _rows(client.get(LIST, {"title_level": Staff.TitleLevel.SENIOR}))
    assert [s.name for s in senior] == ["李支书"]
    heads = _rows(client.get(LIST, {"head": "1", "department": world.dept_a1.pk}))
    assert {s.name for s in heads} == {"李支书", "孙主任"}
    members = _rows(client.get(LIST, {"political_status": Staff.PoliticalStatus.MEMBER}))
    assert {s.name for s in members} == {"李支书", "王支书", "赵党员", "钱党员"}


def test_the_list_has_50_a_page(world: World) -> None:
    for i in range(52):
        make_staff(world.dept_a2, f"批量{i:02d}")
    client = _client(world, Role.PARTY_OFFICE)
    total = Staff.objects.count()
    first = client.get(LIST)
    assert len(_rows(first)) == 50
    assert first.context["page_obj"].paginator.count == total
    second = client.get(LIST, {"page": 2})
    assert len(_rows(second)) == total - 50
    assert not {s.pk for s in _rows(first)} & {s.pk for s in _rows(second)}


def test_an_empty_result_shows_the_empty_state(world: World) -> None:
    response = _client(world, Role.PARTY_OFFICE).get(LIST, {"q": "没有这个人"})
    assert response.status_code == 200
    assert _rows(response) == []
    assert 'data-testid="staff-table"' not in response.content.decode()


# --- Scope ----------------------------------------------------------------------------------


def test_a_department_head_sees_only_their_department(world: World) -> None:
    client = _client(world, Role.DEPARTMENT_HEAD)
    names = {s.name for s in _rows(client.get(LIST))}
    assert names == {"李支书", "孙主任", "周群众"}
    # Searching for someone elsewhere finds nothing, even by exact ID number.
    other = world.staff["plain_b1"]
    assert _rows(client.get(LIST, {"q": other.id_card})) == []
    assert client.get(reverse("org:staff_detail", args=[other.pk])).status_code == 404
    export = _xlsx(client.get(LIST, {"export": "xlsx"}))
    assert {r[2] for r in export[1:]} == names


def test_a_branch_secretary_sees_bound_departments_and_branch_members_only(
    world: World,
) -> None:
    client = _client(world, Role.BRANCH_SECRETARY)
    names = {s.name for s in _rows(client.get(LIST))}
    assert {"李支书", "赵党员", "周群众", "郑党办"} <= names
    assert not names & {"王支书", "钱党员", "吴群众"}
    other = world.staff["member_b"]
    assert client.get(reverse("org:staff_detail", args=[other.pk])).status_code == 404


def test_plain_staff_see_only_themselves(world: World) -> None:
    client = _client(world, Role.STAFF)
    me = world.staff["plain_a1"]
    assert client.get(LIST).status_code == 403
    own = client.get(reverse("org:staff_detail", args=[me.pk]))
    assert own.status_code == 200
    assert mask_id_card(me.id_card) in own.content.decode()
    for other in ("head_a1", "plain_b1", "secretary_a"):
        pk = world.staff[other].pk
        assert client.get(reverse("org:staff_detail", args=[pk])).status_code == 404


# --- Forms ----------------------------------------------------------------------------------


def test_the_create_form_refuses_a_bad_id_number_and_saves_nothing(world: World) -> None:
    birth = dt.date(1992, 1, 9)
    good = make_id_card(birth, 44)
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")
    data = {
        "institution": world.hospital.pk,
        "employee_no": "F0001",
        "name": "表单新人",
        "gender": "F",
        "birth_date": birth.isoformat(),
        "id_card_input": bad,
        "phone_input": "13700001111",
        "department": world.dept_a1.pk,
        "post_category": "nurse",
        "title_level": "none",
        "education": "bachelor",
        "political_status": "masses",
        "employment_status": "in_post",
        "hired_on": "2016-07-01",
    }
    client = _client(world, Role.PARTY_OFFICE)
    response = client.post(reverse("org:staff_create"), data)
    assert response.status_code == 200
    assert "id_card_input" in response.context["form"].errors
    assert not Staff.objects.filter(employee_no="F0001").exists()
    response = client.post(reverse("org:staff_create"), {**data, "id_card_input": good})
    assert response.status_code == 302
    assert Staff.objects.get(employee_no="F0001").id_card == good


def test_editing_without_a_new_number_keeps_the_old_one(world: World) -> None:
    staff = world.staff["plain_a1"]
    old_id, old_phone = staff.id_card, staff.phone
    client = _client(world, Role.PARTY_OFFICE)
    form = client.get(reverse("org:staff_edit", args=[staff.pk])).context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update(
        {
            "birth_date": staff.birth_date.isoformat(),
            "hired_on": staff.hired_on.isoformat(),
            "name": "周群众二",
            "id_card_input": "",
            "phone_input": "",
            "institution": staff.institution_id,
            "department": staff.department_id,
        }
    )
    data.pop("left_on", None)
    data.pop("is_department_head", None)
    response = client.post(reverse("org:staff_edit", args=[staff.pk]), data)
    assert response.status_code == 302, response.context["form"].errors
    staff.refresh_from_db()
    assert (staff.name, staff.id_card, staff.phone) == ("周群众二", old_id, old_phone)


# --- Query counts ---------------------------------------------------------------------------


def _add_staff(world: World, n: int, start: int) -> None:
    departments = [world.dept_a1, world.dept_a2, world.dept_b1]
    for i in range(start, start + n):
        dept = departments[i % 3]
        staff = make_staff(dept, f"张{i:03d}", post_category=Staff.PostCategory.NURSE)
        if i % 2:
            make_member(staff, world.branch_b if dept == world.dept_b1 else world.branch_a)


def _count_queries(client: Client, url: str, params: dict[str, object]) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_the_staff_list_runs_a_fixed_number_of_queries(
    world: World, django_assert_max_num_queries
) -> None:
    _add_staff(world, 35, 0)
    client = _client(world, Role.PARTY_OFFICE)
    params = {"q": "张", "post_category": "nurse"}
    with django_assert_max_num_queries(12):
        response = client.get(LIST, params)
    assert len(_rows(response)) == 35
    before = _count_queries(client, LIST, params)
    _add_staff(world, 35, 35)
    after = _count_queries(client, LIST, params)
    assert after == before
    assert len(_rows(client.get(LIST, params))) == 50


def test_the_staff_list_of_a_secretary_runs_a_fixed_number_of_queries(
    world: World, django_assert_max_num_queries
) -> None:
    _add_staff(world, 30, 0)
    client = _client(world, Role.BRANCH_SECRETARY)
    params = {"q": "张", "department": world.dept_a1.pk}
    with django_assert_max_num_queries(16):
        client.get(LIST, params)
    before = _count_queries(client, LIST, params)
    _add_staff(world, 30, 30)
    assert _count_queries(client, LIST, params) == before
