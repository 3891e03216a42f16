"""Departments and staff imports: all or nothing, idempotent, every bad row reported."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation

from hongfan.audit.models import AuditEntry
from hongfan.core.testing import World, make_id_card
from hongfan.imports import services
from hongfan.imports.models import ImportRun
from hongfan.imports.tests.helpers import STAFF_HEADERS, csv_bytes, staff_row, xlsx
from hongfan.org.models import Department, DisciplineCentre, Staff

pytestmark = pytest.mark.django_db


def run_staff(rows: list[list[object]], **kwargs: object) -> ImportRun:
    return services.import_file(kind="staff", data=xlsx(STAFF_HEADERS, rows), file_name="s.xlsx")


def zh(msgid: str) -> str:
    """The Chinese text of a message (whichever catalogue translates it)."""
    with translation.override("zh-hans"):
        text = translation.gettext(msgid)
    assert text != msgid, f"untranslated: {msgid}"
    return text


def messages(run: ImportRun) -> list[tuple[int | None, str, str]]:
    return [(e["row"], e["column"], e["message"]) for e in run.errors]


def test_a_valid_staff_file_creates_every_row_with_typed_values(world: World) -> None:
    run = run_staff([staff_row(1), staff_row(2, dept_code="WK01")])
    assert run.outcome == ImportRun.Outcome.APPLIED, run.errors
    assert (run.created_count, run.updated_count, run.unchanged_count) == (2, 0, 0)
    staff = Staff.objects.get(employee_no="E00001")
    assert staff.department == world.dept_a1
    assert staff.post_category == Staff.PostCategory.NURSE
    assert staff.title_level == Staff.TitleLevel.ASSOCIATE_SENIOR
    assert staff.education == Staff.Education.MASTER
    assert staff.phone == "13900000001"
    assert staff.id_card_digest  # the blind index is filled by the bulk path too
    assert AuditEntry.objects.filter(object_type="org.staff", object_id=str(staff.pk)).exists()
    assert AuditEntry.objects.filter(
        action=AuditEntry.Action.IMPORT, object_id=str(run.pk)
    ).exists()


def test_a_file_with_one_bad_row_imports_nothing_and_names_the_row(world: World) -> None:
    rows = [staff_row(1), staff_row(2), staff_row(3, 岗位类别="院长"), staff_row(4)]
    before = Staff.objects.count()
    run = run_staff(rows)
    assert run.outcome == ImportRun.Outcome.REJECTED
    assert Staff.objects.count() == before
    assert messages(run) == [
        (4, "岗位类别", "“院长”不是以下之一：医师、护士、技师、药师、管理、工勤。")
    ]


def test_the_same_file_twice_changes_nothing_the_second_time(world: World) -> None:
    rows = [staff_row(i) for i in range(1, 6)]
    first = run_staff(rows)
    assert first.created_count == 5
    audit_rows = AuditEntry.objects.filter(object_type="org.staff").count()
    second = run_staff(rows)
    assert second.outcome == ImportRun.Outcome.APPLIED
    assert (second.created_count, second.updated_count, second.unchanged_count) == (0, 0, 5)
    assert AuditEntry.objects.filter(object_type="org.staff").count() == audit_rows
    assert any("同一文件" in n or "same file" in n for n in second.notes)


def test_a_changed_phone_is_applied_as_an_update(world: World) -> None:
    run_staff([staff_row(1), staff_row(2)])
    run = run_staff([staff_row(1, 手机号="13712345678"), staff_row(2)])
    assert (run.created_count, run.updated_count, run.unchanged_count) == (0, 1, 1)
    assert Staff.objects.get(employee_no="E00001").phone == "13712345678"


def test_an_unknown_department_is_reported(world: World) -> None:
    run = run_staff([staff_row(1, dept_code="XX99")])
    assert run.outcome == ImportRun.Outcome.REJECTED
    assert messages(run) == [(2, "科室编码", "科室编码 XX99 不存在。")]


def test_an_id_card_number_with_a_wrong_check_digit_is_reported(world: World) -> None:
    good = make_id_card(dt.date(1980, 3, 4), 11)
    bad = good[:-1] + ("1" if good[-1] != "1" else "2")
    run = run_staff([staff_row(1, 身份证号=bad, 出生日期=dt.date(1980, 3, 4), 性别=None)])
    assert run.outcome == ImportRun.Outcome.REJECTED
    assert messages(run) == [(2, "身份证号", zh("The check digit of the ID-card number is wrong."))]
    assert "校验" in run.errors[0]["message"]


def test_an_id_card_number_must_match_the_birth_date_and_gender(world: World) -> None:
    card = make_id_card(dt.date(1980, 3, 4), 12)  # even sequence → female
    run = run_staff([staff_row(1, 身份证号=card, 出生日期=dt.date(1981, 3, 4), 性别="女")])
    # Both dates are named, so that the user sees which one to correct.
    reason = run.errors[0]["message"]
    assert messages(run) == [(2, "身份证号", reason)]
    assert reason.startswith("身份证号中的出生日期（1980-03-04）与填写的出生日期（1981-03-04）")
    run = run_staff([staff_row(1, 身份证号=card, 出生日期=None, 性别="男")])
    assert messages(run) == [(2, "性别", "性别与身份证号不符。")]


def test_birth_date_and_gender_are_taken_from_the_id_card_when_blank(world: World) -> None:
    card = make_id_card(dt.date(1980, 3, 4), 12)
    run = run_staff([staff_row(1, 身份证号=card, 出生日期=None, 性别=None)])
    assert run.outcome == ImportRun.Outcome.APPLIED, run.errors
    staff = Staff.objects.get(employee_no="E00001")
    assert (staff.birth_date, staff.gender) == (dt.date(1980, 3, 4), Staff.Gender.FEMALE)


def test_an_id_card_number_of_another_stored_person_is_refused(world: World) -> None:
    taken = world.staff["plain_a1"].id_card
    run = run_staff([staff_row(1, 身份证号=taken, 出生日期=None, 性别=None)])
    assert run.outcome == ImportRun.Outcome.REJECTED
    assert "已登记在工号" in run.errors[0]["message"]


def test_a_duplicate_employee_number_in_the_file_names_both_rows(world: World) -> None:
    rows = [staff_row(1), staff_row(2), staff_row(3, 工号="E00001")]
    run = run_staff(rows)
    assert run.outcome == ImportRun.Outcome.REJECTED
    assert messages(run) == [(4, "工号", "E00001 已在本文件第 2 行出现。")]
    assert not Staff.objects.filter(employee_no__startswith="E").exists()


def test_every_bad_row_is_reported_not_just_the_first(world: World) -> None:
    rows = [
        staff_row(1, 手机号="1234"),
        staff_row(2),
        staff_row(3, 入职日期="明年"),
        staff_row(4, 学历=None),
    ]
    run = run_staff(rows)
    assert [e["row"] for e in run.errors] == [2, 4, 5]
    assert {e["column"] for e in run.errors} == {"手机号", "入职日期", "学历"}


def test_an_id_card_number_stored_as_a_number_is_refused(world: World) -> None:
    run = run_staff([staff_row(1, 身份证号=130425198001010011.0)])
    assert "文本格式" in run.errors[0]["message"]


def test_a_csv_in_gb18030_imports(world: World) -> None:
    data = csv_bytes(STAFF_HEADERS, [staff_row(1), staff_row(2)], encoding="gb18030")
    run = services.import_file(kind="staff", data=data, file_name="职工.csv")
    assert run.outcome == ImportRun.Outcome.APPLIED, run.errors
    assert Staff.objects.get(employee_no="E00002").name == "职工2"


def test_a_non_spreadsheet_is_rejected_and_recorded(world: World) -> None:
    run = services.import_file(kind="staff", data=b"%PDF-1.4 fake", file_name="staff.xlsx")
    assert run.outcome == ImportRun.Outcome.REJECTED
    assert "不是电子表格" in run.errors[0]["message"]
    assert AuditEntry.objects.filter(
        action=AuditEntry.Action.IMPORT, outcome=AuditEntry.Outcome.FAILURE
    ).exists()


def test_an_oversize_file_is_rejected(world: World, settings: object) -> None:
    settings.HONGFAN_IMPORT_MAX_BYTES = 4096  # type: ignore[attr-defined]
    data = csv_bytes(STAFF_HEADERS, [staff_row(i) for i in range(1, 60)])
    run = services.import_file(kind="staff", data=data, file_name="big.csv")
    assert run.outcome == ImportRun.Outcome.REJECTED
    assert "上限" in run.errors[0]["message"]
    assert not Staff.objects.filter(employee_no__startswith="E").exists()


def test_a_missing_required_column_is_reported(world: World) -> None:
    data = xlsx(["工号", "姓名"], [["E1", "张三"]])
    run = services.import_file(kind="staff", data=data, file_name="s.xlsx")
    assert run.outcome == ImportRun.Outcome.REJECTED
    assert "缺少必填列" in run.errors[0]["message"]


def test_validate_then_apply_is_the_preview_and_confirm_flow(world: World) -> None:
    data = xlsx(STAFF_HEADERS, [staff_row(1)])
    run = services.import_validate(kind="staff", data=data, file_name="s.xlsx", user=None)
    assert run.outcome == ImportRun.Outcome.PENDING and run.created_count == 1
    assert not Staff.objects.filter(employee_no="E00001").exists()
    run = services.import_apply(run=run, user=None)
    assert run.outcome == ImportRun.Outcome.APPLIED
    assert run.pending_payload == ""
    assert Staff.objects.filter(employee_no="E00001").exists()


def test_departments_import_creates_centres_and_is_idempotent(world: World) -> None:
    headers = ["机构代码", "科室编码", "科室名称", "科室类别", "学科中心"]
    rows = [
        ["H01", "NK01", "心内科", "临床", "心血管中心"],
        ["H01", "XK01", "心外科", "临床", "心血管中心"],
        ["H02", "GW01", "公卫科", "行政", ""],
    ]
    run = services.import_file(kind="departments", data=xlsx(headers, rows), file_name="d.xlsx")
    assert run.outcome == ImportRun.Outcome.APPLIED, run.errors
    assert (run.created_count, run.updated_count, run.unchanged_count) == (2, 1, 0)
    centre = DisciplineCentre.objects.get(name="心血管中心")
    assert set(centre.departments.values_list("code", flat=True)) == {"NK01", "XK01"}
    again = services.import_file(kind="departments", data=xlsx(headers, rows), file_name="d.xlsx")
    assert (again.created_count, again.updated_count, again.unchanged_count) == (0, 0, 3)
    assert Department.objects.get(institution=world.centre_hospital, code="GW01").category == (
        Department.Category.ADMINISTRATIVE
    )


def test_a_department_name_already_used_by_another_code_is_refused(world: World) -> None:
    headers = ["机构代码", "科室编码", "科室名称", "科室类别"]
    run = services.import_file(
        kind="departments", data=xlsx(headers, [["H01", "NK09", "心内科", "临床"]]), file_name="d"
    )
    assert run.outcome == ImportRun.Outcome.REJECTED
    assert "NK01" in run.errors[0]["message"]


def test_the_command_imports_a_file_and_fails_loudly_on_a_bad_row(
    world: World, tmp_path: object
) -> None:
    from pathlib import Path

    from django.core.management import CommandError, call_command

    good = Path(str(tmp_path)) / "staff.csv"
    good.write_bytes(csv_bytes(STAFF_HEADERS, [staff_row(1)], encoding="gb18030"))
    call_command("import_file", "staff", str(good))
    assert Staff.objects.filter(employee_no="E00001").exists()
    bad = Path(str(tmp_path)) / "bad.csv"
    bad.write_bytes(csv_bytes(STAFF_HEADERS, [staff_row(2, dept_code="XX99")]))
    with pytest.raises(CommandError, match="Nothing imported"):
        call_command("import_file", "staff", str(bad))
    assert not Staff.objects.filter(employee_no="E00002").exists()
