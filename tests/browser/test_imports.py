"""The office imports staff from Excel: a bad row is shown in Chinese and nothing is saved;
after correcting the file the import goes through."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from hongfan.core.testing import PASSWORD, World, build_world
from hongfan.imports.tests.helpers import STAFF_HEADERS, staff_row, xlsx
from hongfan.org.models import Staff
from tests.browser.conftest import screenshot, sign_in


@pytest.fixture
def world_tx(transactional_db: None) -> World:
    return build_world()


def test_office_uploads_staff_sees_the_bad_row_then_imports_the_fixed_file(
    world_tx: World, live_server: Any, desktop: Any, tmp_path: Path
) -> None:
    bad = tmp_path / "职工.xlsx"
    bad.write_bytes(xlsx(STAFF_HEADERS, [staff_row(1), staff_row(2, dept_code="XX99")]))
    good = tmp_path / "职工（改）.xlsx"
    good.write_bytes(xlsx(STAFF_HEADERS, [staff_row(1), staff_row(2)]))

    sign_in(desktop, live_server, "office", PASSWORD)
    desktop.wait_for_selector("[data-testid=current-user]")
    desktop.goto(f"{live_server.url}/imports/")
    desktop.click("[data-testid=importer-staff] >> text=上传")
    desktop.set_input_files("input[type=file]", str(bad))
    desktop.click("button[type=submit] >> text=校验文件")

    errors = desktop.wait_for_selector("[data-testid=errors]")
    text = errors.inner_text()
    assert "3" in text and "科室编码" in text and "科室编码 XX99 不存在。" in text
    assert desktop.locator("[data-testid=confirm]").count() == 0
    screenshot(desktop, "imports-bad-row")
    assert not Staff.objects.filter(employee_no__in=["E00001", "E00002"]).exists()

    desktop.click("text=上传其他文件")
    desktop.set_input_files("input[type=file]", str(good))
    desktop.click("button[type=submit] >> text=校验文件")
    assert desktop.inner_text("[data-testid=created]") == "2"
    assert not Staff.objects.filter(employee_no__in=["E00001", "E00002"]).exists()
    desktop.click("[data-testid=confirm]")
    desktop.wait_for_selector(".alert-success")
    assert "新增 2" in desktop.inner_text("main")
    screenshot(desktop, "imports-applied")
    assert Staff.objects.filter(employee_no__in=["E00001", "E00002"]).count() == 2
