"""The service-desk pages as a user sees them."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from hongfan.accounts.roles import Role
from hongfan.core.testing import World, login
from hongfan.logistics import services
from hongfan.logistics.models import Category, ServiceTeam, WorkOrder
from hongfan.logistics.tests.factories import leader, order, team, worker

pytestmark = pytest.mark.django_db


def test_staff_file_an_order_from_the_phone_form_and_see_it_on_my_orders(
    client: Client, world: World
) -> None:
    team(world)
    login(client, world.user(Role.STAFF))
    response = client.post(
        reverse("logistics:create"),
        {
            "category": Category.REPAIR,
            "title": "病房空调不制冷",
            "location": "住院部 5 楼 12 床",
            "urgency": "normal",
            "description": "",
            "contact_phone": "13800001234",
        },
    )
    o = WorkOrder.objects.get()
    assert response.status_code == 302 and response.url == reverse("logistics:detail", args=[o.pk])
    page = client.get(reverse("logistics:mine")).content.decode()
    assert "病房空调不制冷" in page and o.number in page


def test_a_form_without_place_keeps_the_input_and_saves_nothing(
    client: Client, world: World
) -> None:
    team(world)
    login(client, world.user(Role.STAFF))
    response = client.post(
        reverse("logistics:create"),
        {
            "category": Category.REPAIR,
            "title": "病房空调不制冷",
            "location": "",
            "urgency": "normal",
        },
    )
    assert response.status_code == 200
    assert "病房空调不制冷" in response.content.decode()
    assert not WorkOrder.objects.exists()


def test_the_phone_number_is_masked_for_the_head_and_shown_to_the_worker(
    client: Client, world: World
) -> None:
    o = order(world, contact_phone="13800001234")
    login(client, world.user(Role.DEPARTMENT_HEAD))
    page = client.get(reverse("logistics:detail", args=[o.pk])).content.decode()
    assert "138****1234" in page and "13800001234" not in page
    services.work_order_dispatch(order=o, actor=leader(world), assignee=worker(world))
    login(client, worker(world))
    assert "13800001234" in client.get(reverse("logistics:detail", args=[o.pk])).content.decode()


def test_the_worker_closes_without_result_gets_an_error_then_with_result(
    client: Client, world: World
) -> None:
    o = order(world)
    services.work_order_dispatch(order=o, actor=leader(world), assignee=worker(world))
    login(client, worker(world))
    url = reverse("logistics:act", args=[o.pk])
    client.post(url, {"action": "finish", "result": " "})
    assert WorkOrder.objects.get(pk=o.pk).finished_at is None
    client.post(url, {"action": "finish", "result": "更换空调滤网，制冷恢复"})
    page = client.get(reverse("logistics:detail", args=[o.pk])).content.decode()
    assert "更换空调滤网，制冷恢复" in page


def test_the_list_keeps_its_query_count_and_exports(
    client: Client, world: World, django_assert_max_num_queries
) -> None:
    for i in range(30):
        order(world, title=f"报修{i:02d}")
    login(client, world.user(Role.PRESIDENT_OFFICE))
    with django_assert_max_num_queries(20):
        response = client.get(reverse("logistics:list"))
    assert response.content.decode().count("报修") >= 30
    assert "报修07" in client.get(reverse("logistics:list"), {"q": "报修07"}).content.decode()
    xlsx = client.get(reverse("logistics:list"), {"export": "xlsx"})
    rows = list(load_workbook(io.BytesIO(b"".join(xlsx.streaming_content))).active.values)
    assert len(rows) == 31


def test_statistics_page_keeps_its_query_count(
    client: Client, world: World, django_assert_max_num_queries
) -> None:
    for i in range(20):
        o = order(world, title=f"报修{i:02d}")
        services.work_order_dispatch(order=o, actor=leader(world), assignee=worker(world))
        services.work_order_finish(order=o, actor=worker(world), result="完成")
    login(client, world.user(Role.PRESIDENT_OFFICE))
    with django_assert_max_num_queries(15):
        response = client.get(reverse("logistics:stats"))
    assert 'data-testid="stat-total">20<' in response.content.decode()
    assert "100.0%" in response.content.decode()


def test_the_desk_creates_a_team(client: Client, world: World) -> None:
    login(client, world.user(Role.PRESIDENT_OFFICE))
    response = client.post(
        reverse("logistics:team_create"),
        {
            "name": "信息科运维组",
            "category": Category.IT,
            "leader": worker(world).pk,
            "members": [leader(world).pk],
            "phone": "8080",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    t = ServiceTeam.objects.get(name="信息科运维组")
    assert list(t.members.all()) == [leader(world)]
