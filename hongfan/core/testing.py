"""Shared test fixtures: a small hospital with one user per role and known access.

``World`` follows the Healthchecks habit ("Alice owns, Bob is on her team, Charlie must see
nothing"): the branch secretary of 内科党支部 (branch_a) must never see 外科党支部 (branch_b),
the head of 心内科 (dept_a1) must never see 普外科 (dept_b1), and a plain staff member sees only
their own records. Every app's permission-matrix test uses it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.db import DEFAULT_DB_ALIAS, transaction
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from hongfan.accounts.models import User
from hongfan.accounts.roles import SECOND_FACTOR_ROLES, Role
from hongfan.accounts.services import assign_role
from hongfan.org.models import Department, Institution, Staff
from hongfan.party.models import CommitteeMember, PartyMember, PartyOrganisation

PASSWORD = "Hongfan#2026pw"  # noqa: S105 (test fixture password)

# A valid GB 11643-1999 ID-card number factory: region 110101, birth date, sequence, check digit.
_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
_CHECK = "10X98765432"


def make_id_card(birth: dt.date, seq: int, region: str = "110101") -> str:
    body = f"{region}{birth:%Y%m%d}{seq % 1000:03d}"
    total = sum(int(c) * w for c, w in zip(body, _WEIGHTS, strict=True))
    return body + _CHECK[total % 11]


@dataclass
class World:
    hospital: Institution
    centre_hospital: Institution
    dept_a1: Department
    dept_a2: Department
    dept_b1: Department
    committee: PartyOrganisation
    branch_a: PartyOrganisation
    branch_b: PartyOrganisation
    group_a: PartyOrganisation
    users: dict[str, User] = field(default_factory=dict)
    staff: dict[str, Staff] = field(default_factory=dict)
    members: dict[str, PartyMember] = field(default_factory=dict)

    def user(self, role: str) -> User:
        return self.users[role]


_seq = [0]


def make_staff(
    department: Department,
    name: str,
    *,
    employee_no: str | None = None,
    birth: dt.date = dt.date(1985, 5, 17),
    **extra: Any,
) -> Staff:
    _seq[0] += 1
    n = _seq[0]
    defaults: dict[str, Any] = {
        "institution": department.institution,
        "employee_no": employee_no or f"T{n:05d}",
        "name": name,
        "gender": Staff.Gender.FEMALE if n % 2 else Staff.Gender.MALE,
        "birth_date": birth,
        "id_card": make_id_card(birth, n),
        "phone": f"138{n:08d}",
        "department": department,
        "post_category": Staff.PostCategory.DOCTOR,
        "title_level": Staff.TitleLevel.INTERMEDIATE,
        "education": Staff.Education.BACHELOR,
        "hired_on": dt.date(2010, 7, 1),
    }
    defaults.update(extra)
    return Staff.objects.create(**defaults)


def make_member(
    staff: Staff,
    organisation: PartyOrganisation,
    *,
    category: str = PartyMember.Category.FULL,
    joined_on: dt.date = dt.date(2012, 7, 1),
    **extra: Any,
) -> PartyMember:
    confirmed = joined_on.replace(year=joined_on.year + 1) if category == "full" else None
    staff.political_status = (
        Staff.PoliticalStatus.MEMBER if category == "full" else Staff.PoliticalStatus.PROBATIONARY
    )
    staff.save(update_fields=["political_status", "id_card_digest"])
    return PartyMember.objects.create(
        staff=staff,
        organisation=organisation,
        category=category,
        joined_on=joined_on,
        confirmed_on=extra.pop("confirmed_on", confirmed),
        **extra,
    )


def make_user(username: str, staff: Staff | None, *roles: tuple[str, dict[str, Any]]) -> User:
    user = User.objects.create_user(username=username, password=PASSWORD, staff=staff)
    for role, scope in roles:
        assign_role(user=user, role=role, **scope)
    return user


def build_world() -> World:
    """Create the standard test hospital. Call from ``setUpTestData`` or a fixture."""
    hospital = Institution.objects.create(code="H01", name="测试县人民医院", short_name="县医院")
    centre = Institution.objects.create(
        code="H02", name="测试镇卫生院", kind=Institution.Kind.HEALTH_CENTRE, leading=hospital
    )
    dept_a1 = Department.objects.create(
        institution=hospital, code="NK01", name="心内科", category=Department.Category.CLINICAL
    )
    dept_a2 = Department.objects.create(
        institution=hospital, code="NK02", name="消化内科", category=Department.Category.CLINICAL
    )
    dept_b1 = Department.objects.create(
        institution=hospital, code="WK01", name="普外科", category=Department.Category.CLINICAL
    )
    committee = PartyOrganisation.objects.create(
        institution=hospital,
        code="P00",
        name="测试县人民医院党委",
        kind=PartyOrganisation.Kind.COMMITTEE,
        established_on=dt.date(2000, 7, 1),
    )
    branch_a = PartyOrganisation.objects.create(
        institution=hospital,
        code="P01",
        name="内科党支部",
        kind=PartyOrganisation.Kind.BRANCH,
        parent=committee,
        established_on=dt.date(2005, 7, 1),
        term_started_on=dt.date(2024, 7, 1),
    )
    branch_a.departments.set([dept_a1, dept_a2])
    branch_b = PartyOrganisation.objects.create(
        institution=hospital,
        code="P02",
        name="外科党支部",
        kind=PartyOrganisation.Kind.BRANCH,
        parent=committee,
        established_on=dt.date(2005, 7, 1),
        term_started_on=dt.date(2024, 7, 1),
    )
    branch_b.departments.set([dept_b1])
    group_a = PartyOrganisation.objects.create(
        institution=hospital,
        code="P01G1",
        name="内科第一党小组",
        kind=PartyOrganisation.Kind.GROUP,
        parent=branch_a,
        established_on=dt.date(2010, 7, 1),
    )
    world = World(
        hospital, centre, dept_a1, dept_a2, dept_b1, committee, branch_a, branch_b, group_a
    )

    s = world.staff
    s["secretary_a"] = make_staff(
        dept_a1,
        "李支书",
        is_department_head=True,
        title_level=Staff.TitleLevel.SENIOR,
        education=Staff.Education.DOCTORATE,
    )
    s["secretary_b"] = make_staff(dept_b1, "王支书")
    s["member_a"] = make_staff(dept_a2, "赵党员", post_category=Staff.PostCategory.NURSE)
    s["member_b"] = make_staff(dept_b1, "钱党员")
    s["head_a1"] = make_staff(dept_a1, "孙主任", is_department_head=True)
    s["plain_a1"] = make_staff(dept_a1, "周群众")
    s["plain_b1"] = make_staff(dept_b1, "吴群众")
    s["office"] = make_staff(dept_a2, "郑党办", post_category=Staff.PostCategory.MANAGEMENT)
    s["discipline"] = make_staff(dept_a2, "冯纪检", post_category=Staff.PostCategory.MANAGEMENT)
    s["medical"] = make_staff(dept_a2, "陈医务", post_category=Staff.PostCategory.MANAGEMENT)
    s["president"] = make_staff(dept_a2, "褚院办", post_category=Staff.PostCategory.MANAGEMENT)

    m = world.members
    m["secretary_a"] = make_member(s["secretary_a"], branch_a)
    m["secretary_b"] = make_member(s["secretary_b"], branch_b)
    m["member_a"] = make_member(s["member_a"], branch_a, group=group_a)
    m["member_b"] = make_member(s["member_b"], branch_b)
    for key, org in (("secretary_a", branch_a), ("secretary_b", branch_b)):
        CommitteeMember.objects.create(
            organisation=org,
            member=m[key],
            position=CommitteeMember.Position.SECRETARY,
            term_start=dt.date(2024, 7, 1),
            term_end=dt.date(2027, 6, 30),
        )

    u = world.users
    u[Role.SYSTEM_ADMIN] = make_user("sysadmin", None, (Role.SYSTEM_ADMIN, {}))
    u[Role.SECURITY_ADMIN] = make_user("secadmin", None, (Role.SECURITY_ADMIN, {}))
    u[Role.AUDIT_ADMIN] = make_user("auditadmin", None, (Role.AUDIT_ADMIN, {}))
    u[Role.PARTY_OFFICE] = make_user(
        "office", s["office"], (Role.PARTY_OFFICE, {}), (Role.STAFF, {})
    )
    u[Role.BRANCH_SECRETARY] = make_user(
        "secretary_a",
        s["secretary_a"],
        (Role.BRANCH_SECRETARY, {"organisation_id": branch_a.pk}),
        (Role.STAFF, {}),
    )
    u[Role.DISCIPLINE] = make_user(
        "discipline", s["discipline"], (Role.DISCIPLINE, {}), (Role.STAFF, {})
    )
    u[Role.MEDICAL_AFFAIRS] = make_user(
        "medical", s["medical"], (Role.MEDICAL_AFFAIRS, {}), (Role.STAFF, {})
    )
    u[Role.PRESIDENT_OFFICE] = make_user(
        "president", s["president"], (Role.PRESIDENT_OFFICE, {}), (Role.STAFF, {})
    )
    u[Role.DEPARTMENT_HEAD] = make_user(
        "head_a1",
        s["head_a1"],
        (Role.DEPARTMENT_HEAD, {"department_id": dept_a1.pk}),
        (Role.STAFF, {}),
    )
    u[Role.STAFF] = make_user("plain_a1", s["plain_a1"], (Role.STAFF, {}))
    return world


ALL_ROLES: tuple[str, ...] = tuple(Role.values)


def login(client: Client, user: User) -> Client:
    """Sign ``user`` in, passing the second factor where the role requires it."""
    client.force_login(user)
    if user.role_set & SECOND_FACTOR_ROLES:
        device, _ = TOTPDevice.objects.get_or_create(
            user=user, name="test", defaults={"confirmed": True}
        )
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


@contextmanager
def shared_rows(django_db_blocker: Any) -> Iterator[None]:
    """An outer transaction for rows that several tests read (a module- or class-scoped fixture).

    Write the shared rows inside it (under ``django_db_blocker.unblock()``); each test's own
    transaction then nests in it as a savepoint and is rolled back as usual, and the shared rows
    are rolled back at the end: nothing is committed, so nothing (not even the append-only audit
    log) outlives the module.
    """
    with django_db_blocker.unblock():
        atomic = transaction.atomic(using=DEFAULT_DB_ALIAS)
        atomic._from_testcase = True  # code under test may still open durable atomic blocks
        atomic.__enter__()
    try:
        yield
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True, using=DEFAULT_DB_ALIAS)
            atomic.__exit__(None, None, None)
