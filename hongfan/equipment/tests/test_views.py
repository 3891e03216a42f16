"""Equipment pages as a user sees them."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from hongfan.accounts.roles import Role
from hongfan.core.testing import World, login
from hongfan.equipment import services
from hongfan.equipment.models import Device, Maintenance
from hongfan.equipment.tests.factories import device

pytestmark = pytest.mark.django_db


@pytest.fixture
def engineering(client: Client, world: World) -> Client:
    return login(client, world.user(Role.MEDICAL_AFFAIRS))


def _many(world: World, n: int) -> list[Device]:
    out = []
    for i in range(n):
        d = device(
            world,
            asset_no=f"SB2025{i:04d}",
            name=f"监护仪{i:02d}",
            department=world.dept_a1 if i % 2 else world.dept_b1,
        )
        services.maintenance_record(
            device=d,
            kind="preventive",
            done_on=dt.date(2025, 9, 1),
            engineer="王工",
            work_done="保养",
        )
        out.append(d)
    return out


def test_the_register_lists_devices_with_their_schedule_in_few_queries(
    engineering: Client, world: World, django_assert_max_num_queries: object
) -> None:
    _many(world, 12)
    with django_assert_max_num_queries(12):  # type: ignore[operator]
        response = engineering.get(reverse("equipment:list"))
    text = response.content.decode()
    assert "监护仪11" in text and "2026-03-01" in text  # next PM six months after the last


def test_the_head_sees_only_their_departments_devices(client: Client, world: World) -> None:
    devices = _many(world, 4)
    login(client, world.user(Role.DEPARTMENT_HEAD))
    text = client.get(reverse("equipment:list")).content.decode()
    assert "监护仪01" in text and "监护仪00" not in text
    assert client.get(reverse("equipment:detail", args=[devices[0].pk])).status_code == 404


def test_an_empty_register_says_so(engineering: Client) -> None:
    assert "没有符合条件的设备" in engineering.get(reverse("equipment:list")).content.decode()


def test_the_register_exports_to_excel(engineering: Client, world: World) -> None:
    _many(world, 3)
    response = engineering.get(reverse("equipment:list"), {"export": "xlsx"})
    rows = list(load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.values)
    assert rows[0][0] == "资产编号" and len(rows) == 4


def test_maintenance_before_purchase_is_refused_on_the_form(
    engineering: Client, world: World
) -> None:
    d = device(world)
    response = engineering.post(
        reverse("equipment:maintenance_add", args=[d.pk]),
        {
            "kind": "preventive",
            "done_on": "2025-03-09",
            "engineer": "王工",
            "work_done": "保养",
            "cost": "0",
            "downtime_hours": "0",
        },
    )
    assert response.status_code == 200
    assert "早于设备购置日期" in response.content.decode()
    assert not Maintenance.objects.exists()


def test_the_device_file_shows_its_life_and_cost_benefit(engineering: Client, world: World) -> None:
    d = device(world)
    services.revenue_record(device=d, month=dt.date(2026, 1, 1), amount=Decimal("150000"))
    text = engineering.get(
        reverse("equipment:detail", args=[d.pk]), {"year": 2026}
    ).content.decode()
    assert "10,000.00" in text  # monthly depreciation
    assert "150,000.00" in text and "按使用年限平均法" in text


def test_the_schedule_and_benefit_pages(
    engineering: Client, world: World, django_assert_max_num_queries: object
) -> None:
    _many(world, 12)
    with django_assert_max_num_queries(12):  # type: ignore[operator]
        text = engineering.get(reverse("equipment:schedule"), {"days": "30"}).content.decode()
    assert "监护仪00" in text and "监护仪11" in text
    with django_assert_max_num_queries(12):  # type: ignore[operator]
        text = engineering.get(reverse("equipment:benefit"), {"year": 2026}).content.decode()
    assert "监护仪11" in text
    response = engineering.get(reverse("equipment:benefit"), {"year": 2026, "export": "xlsx"})
    rows = list(load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.values)
    assert rows[0][0] == "资产编号" and len(rows) == 13
