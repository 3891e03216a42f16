"""The discharge list import: every bad row reported, all or nothing, idempotent."""

from __future__ import annotations

import pytest

from hongfan.accounts.roles import Role
from hongfan.core.testing import World
from hongfan.imports.models import ImportRun
from hongfan.imports.services import import_file
from hongfan.voice.models import Discharge

pytestmark = pytest.mark.django_db

HEADER = "住院号,科室,姓名,联系电话,出生日期,入院日期,出院日期,院内死亡,拒绝随访\n"
GOOD = (
    "ZY001,心内科,张三,13812345678,1960-05-01,2026-08-01,2026-08-10,否,否\n"
    "ZY002,WK01,李四,,1990-01-01,2026/8/3,2026年8月12日,否,是\n"
)


def _import(w: World, text: str) -> ImportRun:
    return import_file(
        kind="voice_discharges",
        data=text.encode("utf-8"),
        file_name="出院名单.csv",
        user=w.user(Role.PARTY_OFFICE),
    )


def test_a_good_list_imports_and_a_second_import_changes_nothing(world: World) -> None:
    run = _import(world, HEADER + GOOD)
    assert run.outcome == ImportRun.Outcome.APPLIED, run.errors
    assert run.created_count == 2
    d = Discharge.objects.get(inpatient_no="ZY002")
    assert d.department == world.dept_b1 and d.opted_out and d.phone == ""
    again = _import(world, HEADER + GOOD)
    assert again.created_count == 0 and again.updated_count == 0 and again.unchanged_count == 2
    assert Discharge.objects.count() == 2


def test_a_list_with_bad_rows_imports_nothing_and_names_every_row(world: World) -> None:
    bad = (
        "ZY003,不存在科,王五,13812345678,1960-05-01,,2026-08-10,否,否\n"
        "ZY004,心内科,赵六,13812345678,1960-05-01,2026-08-20,2026-08-10,否,否\n"
        "ZY005,心内科,钱七,13812345678,1960-05-01,,2099-08-10,否,否\n"
        "ZY006,心内科,孙八,1381234,1960-05-01,,2026-08-10,否,否\n"
        "ZY007,心内科,周九,13812345678,2027-05-01,,2026-08-10,否,否\n"
    )
    run = _import(world, HEADER + GOOD + bad)
    assert run.outcome == ImportRun.Outcome.REJECTED
    rows = sorted({e["row"] for e in run.errors})
    assert rows == [4, 5, 6, 7, 8]
    text = " ".join(e["message"] for e in run.errors)
    assert "不存在科" in text and "晚于" in text and "电话" in text
    assert Discharge.objects.count() == 0
