"""Dues pages as a user sees them: the ledger, entering a payment, arrears, summaries."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from hongfan.accounts.roles import Role
from hongfan.core.testing import World, login, make_member, make_staff
from hongfan.dues.models import DuesPayment
from hongfan.dues.services import dues_assess, dues_pay, month_from_index, month_index

pytestmark = pytest.mark.django_db


def _client(world: World, role: str) -> Client:
    return login(Client(), world.user(role))


def _months_back(n: int) -> list[dt.date]:
    """The first days of the last ``n`` months, oldest first, ending with this month."""
    ref = month_index(timezone.localdate())
    return [month_from_index(i) for i in range(ref - n + 1, ref + 1)]


def test_a_secretary_sees_only_their_branch_ledger_in_few_queries(
    world: World, django_assert_max_num_queries
) -> None:
    for i in range(25):
        m = make_member(make_staff(world.dept_a1, f"内科党员{i}"), world.branch_a)
        dues_assess(member=m, month=dt.date(2026, 3, 1), base=Decimal(6000))
    dues_assess(member=world.members["member_b"], month=dt.date(2026, 3, 1), base=Decimal(4000))
    c = _client(world, Role.BRANCH_SECRETARY)
    with django_assert_max_num_queries(14):
        body = c.get(reverse("dues:ledger")).content.decode()
    assert "内科党员24" in body and "钱党员" not in body


def test_the_ledger_filters_unpaid_and_exports(world: World) -> None:
    a, b = world.members["member_a"], world.members["secretary_a"]
    dues_assess(member=a, month=dt.date(2026, 3, 1), base=Decimal(4000))
    dues_assess(member=b, month=dt.date(2026, 3, 1), base=Decimal(4000))
    dues_pay(member=b, first_month=dt.date(2026, 3, 1), amount=40, paid_on=dt.date(2026, 3, 9))
    c = _client(world, Role.PARTY_OFFICE)
    body = c.get(reverse("dues:ledger"), {"status": "unpaid"}).content.decode()
    assert "赵党员" in body and "李支书" not in body
    export = c.get(reverse("dues:ledger"), {"export": "xlsx"})
    assert export["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml"
    )


def test_a_plain_member_sees_only_their_own_dues(world: World) -> None:
    from hongfan.core.testing import make_user

    dues_assess(member=world.members["member_a"], month=dt.date(2026, 3, 1), base=Decimal(4000))
    dues_assess(member=world.members["secretary_a"], month=dt.date(2026, 3, 1), base=Decimal(4000))
    user = make_user("zhao", world.staff["member_a"], (Role.STAFF, {}))
    body = login(Client(), user).get(reverse("dues:ledger")).content.decode()
    assert "赵党员" in body and "李支书" not in body


def test_a_payment_for_a_settled_month_is_refused_on_the_form(world: World) -> None:
    member = world.members["member_a"]
    dues_assess(member=member, month=dt.date(2026, 3, 1), base=Decimal(4000))
    dues_pay(member=member, first_month=dt.date(2026, 3, 1), amount=40, paid_on=dt.date(2026, 3, 9))
    c = _client(world, Role.BRANCH_SECRETARY)
    response = c.post(
        reverse("dues:payment_create"),
        {
            "member": member.pk,
            "first_month": "2026-03-01",
            "last_month": "2026-03-01",
            "amount": "40",
            "paid_on": "2026-03-20",
            "method": "cash",
        },
    )
    assert response.status_code == 200
    assert "已缴清" in response.content.decode()
    assert DuesPayment.objects.count() == 1


def test_the_arrears_page_lists_members_at_3_and_5_months(world: World) -> None:
    months = _months_back(5)
    for key, unpaid in (("member_a", 3), ("secretary_a", 5), ("member_b", 5)):
        member = world.members[key]
        for i, m in enumerate(months):
            dues_assess(member=member, month=m, base=Decimal(4000))
            if i < len(months) - unpaid:
                dues_pay(member=member, first_month=m, amount=40, paid_on=m + dt.timedelta(days=5))
    c = _client(world, Role.BRANCH_SECRETARY)
    body = c.get(reverse("dues:arrears")).content.decode()
    assert "赵党员" in body and "李支书" in body and "钱党员" not in body
    office = _client(world, Role.PARTY_OFFICE)
    assert "钱党员" in office.get(reverse("dues:arrears")).content.decode()
    body = office.get(reverse("dues:arrears"), {"branch": world.branch_b.pk}).content.decode()
    assert "钱党员" in body and "赵党员" not in body
    body = office.get(reverse("dues:arrears"), {"q": "赵党"}).content.decode()
    assert "赵党员" in body and "李支书" not in body


def test_the_summary_gives_each_branch_and_the_hospital(
    world: World, django_assert_max_num_queries
) -> None:
    for key in ("member_a", "secretary_a", "member_b"):
        dues_assess(member=world.members[key], month=dt.date(2026, 3, 1), base=Decimal(4000))
    dues_pay(
        member=world.members["member_a"],
        first_month=dt.date(2026, 3, 1),
        amount=40,
        paid_on=dt.date(2026, 3, 9),
    )
    c = _client(world, Role.PARTY_OFFICE)
    with django_assert_max_num_queries(14):
        body = c.get(reverse("dues:summary"), {"year": 2026}).content.decode()
    assert "内科党支部" in body and "外科党支部" in body
    assert "50.00" in body  # 内科: 40 of 80 paid
    assert "33.33" in body  # hospital: 40 of 120
    assert 'id="dues-month-chart"' in body
    mine = _client(world, Role.BRANCH_SECRETARY).get(reverse("dues:summary"), {"year": 2026})
    assert "外科党支部" not in mine.content.decode()


def test_the_arrears_page_keeps_its_query_count_with_many_members(
    world: World, django_assert_max_num_queries
) -> None:
    months = _months_back(4)
    for i in range(20):
        member = make_member(make_staff(world.dept_a1, f"欠缴党员{i}"), world.branch_a)
        for m in months:
            dues_assess(member=member, month=m, base=Decimal(4000))
    c = _client(world, Role.BRANCH_SECRETARY)
    with django_assert_max_num_queries(15):  # the same with 2 or 20 members
        body = c.get(reverse("dues:arrears")).content.decode()
    assert "欠缴党员19" in body


def test_the_office_imports_a_payroll_csv_and_then_the_payments(world: World) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from hongfan.dues.models import DuesAssessment

    no = world.staff["member_a"].employee_no
    payroll = (
        "工号,姓名,月份,岗位工资,薪级工资,绩效工资,个人所得税\n"
        f"{no},赵党员,2026-03,3000,1500,2000,100\n"
    )
    c = _client(world, Role.PARTY_OFFICE)
    response = c.post(
        reverse("dues:payroll_import"),
        {"file": SimpleUploadedFile("工资.csv", payroll.encode("utf-8-sig"))},
    )
    assert response.status_code == 302
    a = DuesAssessment.objects.get()
    assert (a.base, a.amount_due) == (Decimal("6400.00"), Decimal("96.00"))
    payments = f"工号,月份,金额,缴纳日期\n{no},2026-03,96,2026-03-18\n"
    response = c.post(
        reverse("dues:payment_import"),
        {"file": SimpleUploadedFile("党费.csv", payments.encode("gb18030"))},
    )
    assert response.status_code == 302
    a.refresh_from_db()
    assert a.is_settled
