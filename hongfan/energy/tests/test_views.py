"""Energy pages as facilities and a department head see them."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from hongfan.accounts.roles import Role
from hongfan.core.testing import World, login
from hongfan.energy.models import Alarm, Meter
from hongfan.energy.tests.factories import csv_bytes, meter
from hongfan.logistics.models import WorkOrder
from hongfan.logistics.tests.factories import team

pytestmark = pytest.mark.django_db


def _alarms(world: World, n: int) -> list[Alarm]:
    out = []
    for i in range(n):
        m = meter(
            world, code=f"M{i:03d}", name=f"表{i:03d}", building="门诊楼" if i % 2 else "住院部"
        )
        out.append(
            Alarm.objects.create(
                meter=m,
                kind="spike",
                day=dt.date(2026, 4, 1) + dt.timedelta(days=i % 5),
                value=3.0,
                reference=0.5,
                limit=1.5,
                detail=f"尖峰{i}",
            )
        )
    return out


def test_the_import_page_lists_every_bad_row(client: Client, world: World) -> None:
    meter(world, code="M001")
    login(client, world.user(Role.PRESIDENT_OFFICE))
    data = csv_bytes(
        [
            ("M001", "2026-07-01 00:15", "10"),
            ("M001", "2026-07-01 00:30", "9"),
            ("M404", "2026-07-01 00:30", "9"),
        ]
    )
    response = client.post(reverse("energy:import"), {"file": SimpleUploadedFile("r.csv", data)})
    page = response.content.decode()
    assert response.status_code == 200 and 'data-testid="import-errors"' in page
    assert "<td>3</td>" in page and "<td>4</td>" in page and "M404" in page


def test_a_good_import_redirects_with_a_summary(client: Client, world: World) -> None:
    meter(world, code="M001")
    login(client, world.user(Role.PRESIDENT_OFFICE))
    data = csv_bytes([("M001", "2026-07-01 00:15", "10"), ("M001", "2026-07-01 00:30", "11")])
    response = client.post(
        reverse("energy:import"), {"file": SimpleUploadedFile("r.csv", data)}, follow=True
    )
    assert "r.csv" in response.content.decode()


def test_the_alarm_list_keeps_its_query_count_and_exports(
    client: Client, world: World, django_assert_max_num_queries
) -> None:
    _alarms(world, 30)
    login(client, world.user(Role.PRESIDENT_OFFICE))
    with django_assert_max_num_queries(12):
        response = client.get(reverse("energy:alarms"))
    assert response.content.decode().count("尖峰") == 30
    filtered = client.get(reverse("energy:alarms"), {"building": "门诊楼"}).content.decode()
    assert filtered.count("尖峰") == 15
    xlsx = client.get(reverse("energy:alarms"), {"export": "xlsx"})
    assert (
        len(list(load_workbook(io.BytesIO(b"".join(xlsx.streaming_content))).active.values)) == 31
    )


def test_the_meter_list_and_dashboard_keep_their_query_counts(
    client: Client, world: World, django_assert_max_num_queries
) -> None:
    _alarms(world, 30)
    login(client, world.user(Role.PRESIDENT_OFFICE))
    with django_assert_max_num_queries(12):
        assert client.get(reverse("energy:meters")).status_code == 200
    with django_assert_max_num_queries(14):
        response = client.get(
            reverse("energy:dashboard"), {"start": "2026-04-01", "end": "2026-04-30"}
        )
    assert 'data-testid="open-alarms">30<' in response.content.decode()
    # The default period (the last 30 days) has none of them.
    assert (
        'data-testid="open-alarms">0<' in client.get(reverse("energy:dashboard")).content.decode()
    )


def test_a_head_sees_only_the_meters_of_their_department(client: Client, world: World) -> None:
    mine = meter(world, code="M001", department=world.dept_a1)
    other = meter(world, code="M002", department=world.dept_b1)
    building = meter(world, code="M003", scope=Meter.Scope.BUILDING, department=None)
    login(client, world.user(Role.DEPARTMENT_HEAD))
    page = client.get(reverse("energy:meters")).content.decode()
    assert mine.code in page and other.code not in page and building.code not in page
    assert client.get(reverse("energy:meter", args=[other.pk])).status_code == 404


def test_an_alarm_opens_one_repair_work_order(client: Client, world: World) -> None:
    team(world)
    alarm = _alarms(world, 1)[0]
    login(client, world.user(Role.PRESIDENT_OFFICE))
    url = reverse("energy:alarm_act", args=[alarm.pk])
    client.post(url, {"action": "work_order", "note": "请核查"})
    client.post(url, {"action": "work_order"})
    alarm.refresh_from_db()
    order = WorkOrder.objects.get()
    assert alarm.work_order == order and alarm.status == Alarm.Status.IN_HAND
    assert order.category == "repair" and "M000" in order.source_label
    page = client.get(reverse("energy:alarm", args=[alarm.pk])).content.decode()
    assert order.number in page


def test_closing_an_alarm_needs_a_note(client: Client, world: World) -> None:
    alarm = _alarms(world, 1)[0]
    login(client, world.user(Role.PRESIDENT_OFFICE))
    url = reverse("energy:alarm_act", args=[alarm.pk])
    client.post(url, {"action": "close", "note": " "})
    alarm.refresh_from_db()
    assert alarm.status == Alarm.Status.OPEN
    client.post(url, {"action": "close", "note": "节假日检修"})
    alarm.refresh_from_db()
    assert alarm.status == Alarm.Status.CLOSED
