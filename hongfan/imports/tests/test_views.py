"""The pages: upload → preview → confirm, templates, history, error report, permissions."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from hongfan.accounts.roles import Role
from hongfan.core.testing import World, login
from hongfan.imports import services
from hongfan.imports.models import ImportRun
from hongfan.imports.tests.helpers import STAFF_HEADERS, csv_bytes, staff_row, xlsx
from hongfan.org.models import Staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def office(client: Client, world: World) -> Client:
    login(client, world.user(Role.PARTY_OFFICE))
    return client


def upload(client: Client, data: bytes, name: str = "职工.xlsx", kind: str = "staff"):
    return client.post(
        reverse("imports:upload", kwargs={"kind": kind}),
        {"file": SimpleUploadedFile(name, data)},
        follow=True,
    )


def test_upload_shows_a_preview_and_saves_only_on_confirmation(office: Client) -> None:
    response = upload(office, xlsx(STAFF_HEADERS, [staff_row(1), staff_row(2)]))
    html = response.content.decode()
    assert "尚未保存" in html or "确认导入" in html
    run = ImportRun.objects.get()
    assert run.outcome == ImportRun.Outcome.PENDING and run.created_count == 2
    assert not Staff.objects.filter(employee_no__in=["E00001", "E00002"]).exists()
    response = office.post(reverse("imports:run_apply", kwargs={"pk": run.pk}), follow=True)
    assert "新增 2" in response.content.decode()
    assert Staff.objects.filter(employee_no__in=["E00001", "E00002"]).count() == 2


def test_the_same_file_a_second_time_reports_0_new_0_changed(office: Client) -> None:
    data = xlsx(STAFF_HEADERS, [staff_row(1), staff_row(2)])
    services.import_file(kind="staff", data=data, file_name="a.xlsx")
    upload(office, data)
    run = ImportRun.objects.filter(outcome=ImportRun.Outcome.PENDING).get()
    response = office.post(reverse("imports:run_apply", kwargs={"pk": run.pk}), follow=True)
    html = response.content.decode()
    assert "新增 0" in html and "更新 0" in html
    run.refresh_from_db()
    assert (run.created_count, run.updated_count, run.unchanged_count) == (0, 0, 2)


def test_a_bad_row_is_listed_in_chinese_and_the_report_downloads_as_excel(
    office: Client,
) -> None:
    rows = [staff_row(1), staff_row(2, dept_code="XX99")]
    html = upload(office, xlsx(STAFF_HEADERS, rows)).content.decode()
    assert "科室编码 XX99 不存在。" in html
    assert "确认导入" not in html
    run = ImportRun.objects.get()
    assert run.outcome == ImportRun.Outcome.REJECTED
    response = office.get(reverse("imports:run_detail", kwargs={"pk": run.pk}) + "?export=xlsx")
    assert response.status_code == 200
    ws = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    values = [[c.value for c in row] for row in ws.iter_rows()]
    assert [3, "科室编码", "科室编码 XX99 不存在。"] in values


def test_a_file_that_is_not_a_spreadsheet_is_refused_with_a_clear_message(office: Client) -> None:
    html = upload(office, b"%PDF-1.7 not a sheet", name="staff.xlsx").content.decode()
    assert "不是电子表格" in html


def test_an_oversize_upload_is_refused_before_reading(office: Client, settings) -> None:
    settings.HONGFAN_IMPORT_MAX_BYTES = 2048
    data = csv_bytes(STAFF_HEADERS, [staff_row(i) for i in range(1, 40)])
    html = upload(office, data, name="big.csv").content.decode()
    assert "上限" in html
    assert not ImportRun.objects.exists()


def test_the_template_has_chinese_headers_an_example_row_and_instructions(
    office: Client,
) -> None:
    response = office.get(reverse("imports:template", kwargs={"kind": "staff"}))
    assert response.status_code == 200
    wb = load_workbook(io.BytesIO(response.content))
    first = wb.worksheets[0]
    headers = [c.value for c in first[1]]
    assert headers[:3] == ["机构代码", "工号", "姓名"]
    assert first["B2"].value == "EX0001"
    assert len(wb.worksheets) == 2
    assert any("身份证号" in str(c.value) for row in wb.worksheets[1].iter_rows() for c in row)


def test_the_unchanged_template_imports_as_an_empty_file(office: Client) -> None:
    template = office.get(reverse("imports:template", kwargs={"kind": "departments"})).content
    html = upload(office, template, kind="departments").content.decode()
    assert "没有数据行" in html


def test_history_is_searchable_filterable_and_exports(office: Client, world: World) -> None:
    user = world.user(Role.PARTY_OFFICE)
    for name in ("一月.xlsx", "二月.xlsx"):
        services.import_validate(
            kind="staff",
            data=xlsx(STAFF_HEADERS, [staff_row(1)]),
            file_name=name,
            user=user,
        )
    html = office.get(reverse("imports:run_list"), {"q": "一月"}).content.decode()
    assert "一月.xlsx" in html and "二月.xlsx" not in html
    html = office.get(reverse("imports:run_list"), {"outcome": "applied"}).content.decode()
    assert "一月.xlsx" not in html
    response = office.get(reverse("imports:run_list"), {"export": "xlsx"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")


def test_the_history_page_has_a_fixed_number_of_queries(
    office: Client, world: World, django_assert_max_num_queries
) -> None:
    user = world.user(Role.PARTY_OFFICE)
    for i in range(30):
        services.import_validate(
            kind="staff", data=xlsx(STAFF_HEADERS, [staff_row(i)]), file_name=f"{i}.xlsx", user=user
        )
    with django_assert_max_num_queries(12):
        response = office.get(reverse("imports:run_list"))
    assert response.content.decode().count("29.xlsx") == 1


@pytest.mark.parametrize("role", [Role.BRANCH_SECRETARY, Role.DEPARTMENT_HEAD, Role.STAFF])
def test_only_the_party_office_may_import(client: Client, world: World, role: Role) -> None:
    login(client, world.user(role))
    response = client.post(
        reverse("imports:upload", kwargs={"kind": "party_members"}),
        {"file": SimpleUploadedFile("m.xlsx", xlsx(["工号"], [["T1"]]))},
    )
    assert response.status_code == 403
    assert not ImportRun.objects.exists()


def test_a_filled_in_template_imports_its_rows_and_skips_the_example(office: Client) -> None:
    from openpyxl import load_workbook as load

    template = office.get(reverse("imports:template", kwargs={"kind": "departments"})).content
    wb = load(io.BytesIO(template))
    ws = wb.worksheets[0]
    ws.append(["H01", "ZY01", "中医科", "临床", ""])
    buffer = io.BytesIO()
    wb.save(buffer)
    upload(office, buffer.getvalue(), kind="departments")
    run = ImportRun.objects.get()
    assert run.outcome == ImportRun.Outcome.PENDING, run.errors
    assert run.created_count == 1
    assert any("示例行" in n for n in run.notes)


def test_the_history_has_an_empty_state(office: Client) -> None:
    html = office.get(reverse("imports:run_list")).content.decode()
    assert "暂无导入记录。" in html
