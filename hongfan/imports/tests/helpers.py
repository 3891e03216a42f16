"""Helpers for import tests: build .xlsx / .csv files in memory."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Sequence
from typing import Any

from openpyxl import Workbook

from hongfan.core.testing import make_id_card

STAFF_HEADERS = [
    "工号",
    "姓名",
    "性别",
    "出生日期",
    "身份证号",
    "手机号",
    "科室编码",
    "岗位类别",
    "职称级别",
    "学历",
    "是否科室主任",
    "政治面貌",
    "在职状态",
    "入职日期",
    "离职日期",
]


def xlsx(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(list(headers))
    for row in rows:
        ws.append(list(row))
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def csv_bytes(
    headers: Sequence[str], rows: Sequence[Sequence[Any]], encoding: str = "utf-8-sig"
) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(headers)
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    return out.getvalue().encode(encoding)


def staff_row(n: int, dept_code: str = "NK01", **overrides: Any) -> list[Any]:
    birth = dt.date(1970 + n % 30, 1 + n % 12, 1 + n % 28)
    male_seq = (n * 2 + 1) % 1000  # odd sequence → male
    values = {
        "工号": f"E{n:05d}",
        "姓名": f"职工{n}",
        "性别": "男",
        "出生日期": birth,
        "身份证号": make_id_card(birth, male_seq, region="130425"),
        "手机号": f"139{n:08d}",
        "科室编码": dept_code,
        "岗位类别": ["医师", "护士", "技师", "药师", "管理", "工勤"][n % 6],
        "职称级别": ["正高", "副高", "中级", "初级", "无"][n % 5],
        "学历": ["博士", "硕士", "本科", "大专", "其他"][n % 5],
        "是否科室主任": "否",
        "政治面貌": "群众",
        "在职状态": "在职",
        "入职日期": dt.date(2010, 7, 1),
        "离职日期": None,
    }
    values.update(overrides)
    return [values[h] for h in STAFF_HEADERS]
