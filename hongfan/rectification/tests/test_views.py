"""Rectification pages as the office and the people responsible see them."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from hongfan.accounts.roles import Role
from hongfan.core.testing import World, login
from hongfan.loops import services as loops
from hongfan.rectification.models import Inspection, Task
from hongfan.rectification.tests.factories import inspection, task

pytestmark = pytest.mark.django_db


@pytest.fixture
def office(client: Client, world: World) -> Client:
    return login(client, world.user(Role.PARTY_OFFICE))


def _list_of(world: World, n: int) -> Inspection:
    insp = inspection(world)
    for i in range(n):
        task(world, insp, description=f"巡察问题{i:02d}")
    return insp


def _late(world: World, insp: Inspection, text: str) -> Task:
    """A task opened a month ago whose deadline passed two days ago."""
    return task(
        world,
        insp,
        description=text,
        opened_at=timezone.now() - dt.timedelta(days=30),
        deadline=timezone.localdate() - dt.timedelta(days=2),
    )


def test_the_office_records_an_inspection_and_a_problem(office: Client, world: World) -> None:
    response = office.post(
        reverse("rectification:create"),
        {
            "title": "质控季度检查",
            "source_kind": "quality",
            "inspecting_body": "医务科",
            "conducted_on": "2026-10-12",
        },
    )
    insp = Inspection.objects.get(title="质控季度检查")
    assert response.status_code == 302
    response = office.post(
        reverse("rectification:problem_add", args=[insp.pk]),
        {"description": "危急值报告登记不全", "department": world.dept_a1.pk},
    )
    problem = insp.problems.get()
    assert response.url == reverse("rectification:task_add", args=[problem.pk])


def test_assigning_a_task_opens_a_matter(office: Client, world: World) -> None:
    insp = inspection(world)
    from hongfan.rectification import services

    problem = services.problem_add(inspection=insp, description="危急值报告登记不全")
    response = office.post(
        reverse("rectification:task_add", args=[problem.pk]),
        {
            "owner": world.user(Role.STAFF).pk,
            "measures": "每日核对危急值登记本",
            "deadline": "2027-03-31",
        },
    )
    assert response.status_code == 302
    t = Task.objects.get()
    assert t.matter.owner_department == world.dept_a1  # the owner's department by default


def test_a_past_deadline_shows_a_chinese_error(office: Client, world: World) -> None:
    insp = inspection(world)
    from hongfan.rectification import services

    problem = services.problem_add(inspection=insp, description="问题")
    response = office.post(
        reverse("rectification:task_add", args=[problem.pk]),
        {"owner": world.user(Role.STAFF).pk, "measures": "整改", "deadline": "2020-01-01"},
    )
    assert "截止时间不能早于" in response.content.decode()
    assert not Task.objects.exists()


def test_the_detail_shows_the_responsibility_list(office: Client, world: World) -> None:
    insp = _list_of(world, 2)
    text = office.get(reverse("rectification:detail", args=[insp.pk])).content.decode()
    assert "巡察问题00" in text and "周群众" in text and "心内科" in text


def test_the_owner_sees_only_problems_with_their_tasks(client: Client, world: World) -> None:
    insp = inspection(world)
    task(world, insp, description="本人的问题")
    task(world, insp, description="别人的问题", owner=world.user(Role.PRESIDENT_OFFICE))
    login(client, world.user(Role.STAFF))
    text = client.get(reverse("rectification:detail", args=[insp.pk])).content.decode()
    assert "本人的问题" in text and "别人的问题" not in text


def test_the_ledger_filters_overdue_tasks(office: Client, world: World) -> None:
    insp = inspection(world)
    _late(world, insp, "巡察问题00")
    task(world, insp, description="巡察问题01")
    text = office.get(reverse("rectification:ledger"), {"overdue": "1"}).content.decode()
    assert "巡察问题00" in text and "巡察问题01" not in text


def test_an_empty_ledger_says_so(office: Client) -> None:
    text = office.get(reverse("rectification:ledger")).content.decode()
    assert "没有符合条件的整改任务" in text


def test_the_ledger_export_has_the_columns_an_office_expects(office: Client, world: World) -> None:
    insp = _list_of(world, 3)
    t = insp.problems.first().tasks.get()
    loops.matter_transition(
        matter=t.matter, action="submit", actor=world.user(Role.STAFF), evidence_note="已整改"
    )
    response = office.get(reverse("rectification:ledger"), {"export": "xlsx"})
    rows = list(load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.values)
    assert rows[0][:10] == (
        "序号",
        "问题来源",
        "问题编号",
        "问题",
        "责任部门",
        "责任人",
        "整改措施",
        "完成时限",
        "进展情况",
        "状态",
    )
    assert len(rows) == 4
    first = rows[1]
    assert first[3] == "巡察问题00" and first[4] == "心内科" and first[5] == "周群众"
    assert first[8] == "已整改" and first[9] == "待核验"


def test_the_ledger_query_count_does_not_grow_with_rows(
    office: Client, world: World, django_assert_max_num_queries
) -> None:
    _list_of(world, 25)
    with django_assert_max_num_queries(12):  # measured: 12 for 2 or 25 tasks
        response = office.get(reverse("rectification:ledger"))
    assert response.content.decode().count("巡察问题") >= 25


def test_the_inspection_list_query_count_is_constant(
    office: Client, world: World, django_assert_max_num_queries
) -> None:
    for k in range(12):
        inspection(world, title=f"督导检查{k:02d}", source_kind="duzhi")
    with django_assert_max_num_queries(10):  # measured: 10 for any number of inspections
        response = office.get(reverse("rectification:list"), {"kind": "duzhi"})
    assert response.content.decode().count("督导检查") >= 12


def test_the_board_shows_both_rectification_and_innovation(
    office: Client, world: World, django_assert_max_num_queries
) -> None:
    from hongfan.innovation.tests.factories import project

    insp = inspection(world)
    _late(world, insp, "巡察问题00")
    for i in range(1, 20):
        task(world, insp, description=f"巡察问题{i:02d}")
    for k in range(10):
        project(world, title=f"创新项目{k}", started_on=dt.date(2025, 1, 6))
    with django_assert_max_num_queries(15):  # measured: 15 for any number of rows
        response = office.get(reverse("rectification:board"))
    text = response.content.decode()
    assert 'data-testid="board-rectification"' in text and 'data-testid="board-innovation"' in text
    assert "巡察问题00" in text  # the overdue task is listed
    assert "创新项目0" in text  # its overdue reports are listed


def test_the_presidents_office_sees_only_the_innovation_half(client: Client, world: World) -> None:
    _list_of(world, 1)
    login(client, world.user(Role.PRESIDENT_OFFICE))
    text = client.get(reverse("rectification:board")).content.decode()
    assert 'data-testid="board-innovation"' in text
    assert 'data-testid="board-rectification"' not in text
