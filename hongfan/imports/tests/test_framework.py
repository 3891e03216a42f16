"""Reading files: formats, encodings, rejection of non-spreadsheets and oversize files."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest
from django.core.exceptions import ValidationError

from hongfan.imports import framework
from hongfan.imports.framework import FileRejected, parse_date, read_sheets
from hongfan.imports.tests.helpers import csv_bytes, xlsx


def test_an_xlsx_file_is_read_with_row_numbers_from_the_top() -> None:
    data = xlsx(["工号", "姓名"], [["E1", "张三"]])
    sheet = read_sheets(data)[0]
    assert sheet.rows[0][:2] == ["工号", "姓名"]
    assert sheet.rows[1][:2] == ["E1", "张三"]


def test_openpyxl_reads_the_workbook_when_calamine_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(data: bytes) -> None:
        raise RuntimeError("calamine")

    monkeypatch.setattr(framework, "_read_xlsx_calamine", broken)
    sheet = read_sheets(xlsx(["工号"], [["E1"]]))[0]
    assert sheet.rows[1][0] == "E1"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030", "utf-16"])
def test_csv_is_decoded_in_utf8_with_or_without_bom_gb18030_and_utf16(encoding: str) -> None:
    data = csv_bytes(["工号", "姓名"], [["E1", "欧阳娜娜"]], encoding=encoding)
    sheet = read_sheets(data)[0]
    assert sheet.rows[1] == ["E1", "欧阳娜娜"]


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        (b"%PDF-1.7 lorem ipsum", "不是电子表格"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 20, "不是电子表格"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 50, ".xls"),
        (b"abc\x00\x01\x02def" * 10, "不是电子表格"),
        (b"", "空的"),
    ],
)
def test_a_file_that_is_not_a_spreadsheet_is_refused(data: bytes, fragment: str) -> None:
    with pytest.raises(FileRejected) as exc:
        read_sheets(data)
    assert fragment in exc.value.message


def test_a_zip_that_is_not_a_workbook_is_refused_despite_the_xlsx_name() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", "<w:document/>")
    with pytest.raises(FileRejected, match="不是 Excel 工作簿"):
        read_sheets(buffer.getvalue())


def test_a_file_over_the_limit_is_refused(settings: object) -> None:
    settings.HONGFAN_IMPORT_MAX_BYTES = 2048  # type: ignore[attr-defined]
    with pytest.raises(FileRejected, match="超过上限"):
        read_sheets(b"a,b\n" + b"1,2\n" * 1000)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (dt.date(2024, 7, 1), dt.date(2024, 7, 1)),
        (dt.datetime(2024, 7, 1, 0, 0), dt.date(2024, 7, 1)),
        ("2024-07-01", dt.date(2024, 7, 1)),
        ("2024/7/1", dt.date(2024, 7, 1)),
        ("2024.7.1", dt.date(2024, 7, 1)),
        ("2024年7月1日", dt.date(2024, 7, 1)),
        ("20240701", dt.date(2024, 7, 1)),
        (45474.0, dt.date(2024, 7, 1)),  # an Excel serial number
    ],
)
def test_dates_are_read_in_the_usual_chinese_spellings(value: object, expected: dt.date) -> None:
    assert parse_date(value) == expected


def test_a_bad_date_gives_a_reason() -> None:
    with pytest.raises(ValidationError):
        parse_date("2024-02-30")
