"""Importing a problem list from Excel: idempotent, all or nothing, errors by row."""

from __future__ import annotations

import io
from typing import Any

import pytest
from openpyxl import Workbook

from hongfan.accounts.roles import Role
from hongfan.core.testing import World
from hongfan.imports.models import ImportRun
from hongfan.imports.services import import_file
from hongfan.rectification.models import Problem, Task
from hongfan.rectification.tests.factories import inspection

pytestmark = pytest.mark.django_db
HEADER = ["序号", "检查名称", "问题", "责任部门", "责任人工号", "整改措施", "完成时限"]


def _xlsx(rows: list[list[Any]]) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(HEADER)
    for r in rows:
        ws.append(r)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _rows(world: World, title: str) -> list[list[Any]]:
    no = world.staff["plain_a1"].employee_no
    return [
        [1, title, "三会一课记录不完整", "心内科", no, "规范记录模板，每月抽查", "2027-03-31"],
        [2, title, "医德医风档案缺失", "消化内科", "", "", ""],
    ]


def test_a_problem_list_is_imported_once(world: World) -> None:
    insp = inspection(world)
    office = world.user(Role.PARTY_OFFICE)
    data = _xlsx(_rows(world, insp.title))
    run = import_file(
        kind="rectification_problems", data=data, file_name="问题清单.xlsx", user=office
    )
    assert run.outcome == ImportRun.Outcome.APPLIED, run.errors
    assert run.created_count == 2
    assert list(insp.problems.values_list("number", "department__name")) == [
        (1, "心内科"),
        (2, "消化内科"),
    ]
    task = Task.objects.get()
    assert task.matter.owner == world.user(Role.STAFF) and task.problem.number == 1
    again = import_file(
        kind="rectification_problems", data=data, file_name="问题清单.xlsx", user=office
    )
    assert (again.created_count, again.updated_count, again.unchanged_count) == (0, 0, 2)
    assert Task.objects.count() == 1


def test_one_bad_row_imports_nothing_and_is_reported_by_row(world: World) -> None:
    insp = inspection(world)
    rows = _rows(world, insp.title)
    rows[1][3] = "不存在的科室"
    rows.append([3, insp.title, "问题", "", "", "整改", ""])
    run = import_file(
        kind="rectification_problems",
        data=_xlsx(rows),
        file_name="问题清单.xlsx",
        user=world.user(Role.PARTY_OFFICE),
    )
    assert run.outcome == ImportRun.Outcome.REJECTED
    assert {e["row"] for e in run.errors} == {3, 4}
    assert not Problem.objects.exists() and not Task.objects.exists()


def test_an_unknown_inspection_is_refused(world: World) -> None:
    run = import_file(
        kind="rectification_problems",
        data=_xlsx([[1, "没有登记的检查", "问题", "", "", "", ""]]),
        file_name="问题清单.xlsx",
        user=world.user(Role.PARTY_OFFICE),
    )
    assert run.outcome == ImportRun.Outcome.REJECTED
    assert "请先登记该检查" in run.errors[0]["message"]
