"""Budget and equipment in the browser: a department head prepares a budget line that the
central department reviews and the committee approves; medical engineering keeps a device's
file (a maintenance dated before the purchase is refused, a valid one appears in the file)."""

from __future__ import annotations

from typing import Any

import pytest

from hongfan.budget.models import BudgetLine
from hongfan.budget.tests.factories import central
from hongfan.core.testing import PASSWORD, World, build_world
from hongfan.equipment.models import Maintenance
from hongfan.equipment.tests.factories import device
from tests.browser.conftest import DESKTOP, screenshot, sign_in


@pytest.fixture
def world_tx(transactional_db: None) -> World:
    return build_world()


def test_a_budget_line_is_prepared_reviewed_and_approved(
    world_tx: World, live_server: Any, desktop: Any, browser: Any
) -> None:
    sb = central(world_tx)
    sign_in(desktop, live_server, "head_a1", PASSWORD)
    desktop.goto(f"{live_server.url}/budget/")
    assert "没有符合条件的预算项目" in desktop.content()
    desktop.click("[data-testid=new-line]")
    desktop.fill("#id_year", "2026")
    desktop.fill("#id_code", "KS-NK01-PX")
    desktop.fill("#id_name", "科室学术交流及进修费")
    desktop.select_option("#id_level", "executing")
    desktop.select_option("#id_category", "key")
    desktop.select_option("#id_department", str(world_tx.dept_a1.pk))
    desktop.select_option("#id_central_department", str(sb.pk))
    desktop.fill("#id_amount", "60000")
    desktop.fill("#id_justification", "进修 2 人，参加学术会议 6 人次")
    desktop.click("[data-testid=line-form] button[type=submit]")
    desktop.wait_for_selector(".alert-success")
    assert desktop.inner_text("[data-testid=line-status]") == "编制中"
    desktop.click("[data-testid=submit-line]")
    desktop.wait_for_selector(".alert-success")
    assert desktop.inner_text("[data-testid=line-status]") == "待归口审核"
    # The head of the executing department cannot review it.
    assert desktop.locator("[data-testid=review-line]").count() == 0
    line_url = desktop.url

    context = browser.new_context(locale="zh-CN", **DESKTOP)
    page = context.new_page()
    page.set_default_timeout(15000)
    sign_in(page, live_server, "president", PASSWORD)
    page.goto(line_url)
    page.click("[data-testid=review-line]")
    page.wait_for_selector(".alert-success")
    assert page.inner_text("[data-testid=line-status]") == "待委员会审批"
    page.click("[data-testid=approve-line]")
    page.wait_for_selector(".alert-success")
    assert page.inner_text("[data-testid=line-status]") == "已批复"
    assert "60,000.00" in page.inner_text("[data-testid=line-available]")
    screenshot(page, "budget-line-approved")
    context.close()
    line = BudgetLine.objects.get()
    assert line.status == BudgetLine.Status.APPROVED
    assert line.reviewed_by.username == "president" and line.prepared_by.username == "head_a1"


def test_a_device_file_refuses_maintenance_before_purchase(
    world_tx: World, live_server: Any, desktop: Any
) -> None:
    d = device(world_tx)
    sign_in(desktop, live_server, "medical", PASSWORD)
    desktop.goto(f"{live_server.url}/equipment/")
    desktop.click(f"text={d.name}")
    assert "1,200,000.00" in desktop.inner_text("[data-testid=device-file]")
    assert desktop.inner_text("[data-testid=next-pm]").startswith("2025-09-10")
    desktop.click("[data-testid=add-maintenance]")
    desktop.select_option("#id_kind", "preventive")
    desktop.fill("#id_done_on", "2025-03-09")
    desktop.fill("#id_engineer", "设备物资科 王工")
    desktop.fill("#id_work_done", "清洁、校准、电气安全检查")
    desktop.fill("#id_cost", "800")
    desktop.click("[data-testid=record-form] button[type=submit]")
    desktop.wait_for_selector(".invalid-feedback, .alert-danger, .errorlist")
    assert "早于设备购置日期" in desktop.content()
    assert not Maintenance.objects.exists()
    # Nothing typed is lost: correct the date and save.
    assert desktop.input_value("#id_engineer") == "设备物资科 王工"
    desktop.fill("#id_done_on", "2025-09-12")
    desktop.click("[data-testid=record-form] button[type=submit]")
    desktop.wait_for_selector(".alert-success")
    assert "清洁、校准、电气安全检查" in desktop.inner_text("[data-testid=maintenance]")
    assert desktop.inner_text("[data-testid=next-pm]").startswith("2026-03-12")
    assert "800.00" in desktop.inner_text("[data-testid=cost-benefit]")
    screenshot(desktop, "equipment-device-file")
