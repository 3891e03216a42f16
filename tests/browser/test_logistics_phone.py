"""A repair order filed on a phone, dispatched, finished with a result and rated."""

from __future__ import annotations

from typing import Any

import pytest

from hongfan.core.testing import PASSWORD, World, build_world
from hongfan.logistics.models import WorkOrder
from hongfan.logistics.tests.factories import team
from tests.browser.conftest import PHONE, screenshot, sign_in


@pytest.fixture
def world_tx(transactional_db: None) -> World:
    world = build_world()
    team(world)  # 维修班: leader repair_leader, worker repair_worker
    return world


def _phone_of(browser: Any, live_server: Any, username: str) -> Any:
    context = browser.new_context(locale="zh-CN", **PHONE)
    page = context.new_page()
    page.set_default_timeout(60000)  # the shared machine can be slow
    sign_in(page, live_server, username, PASSWORD)
    page.wait_for_selector("[data-testid=current-user]", state="attached")
    return page


def test_a_repair_order_filed_on_a_phone_is_closed_with_a_result(
    world_tx: World, live_server: Any, phone: Any, browser: Any
) -> None:
    phone.set_default_timeout(60000)
    sign_in(phone, live_server, "plain_a1", PASSWORD)
    phone.wait_for_selector("[data-testid=current-user]", state="attached")
    phone.goto(f"{live_server.url}/logistics/new/")
    phone.click("label:has-text('维修')")
    phone.fill("#id_title", "病房空调不制冷")
    phone.fill("#id_location", "住院部 5 楼 12 床")
    phone.fill("#id_contact_phone", "13800001234")
    phone.click("[data-testid=submit-order]")
    phone.wait_for_selector("[data-testid=order-state]")
    assert "待派单" in phone.inner_text("[data-testid=order-state]")
    screenshot(phone, "logistics-filed-phone")
    order = WorkOrder.objects.get()
    detail = f"{live_server.url}/logistics/{order.pk}/"

    leader = _phone_of(browser, live_server, "repair_leader")
    leader.goto(detail)
    leader.select_option("#id_assignee", label="李师傅")
    leader.click("[data-testid=do-dispatch]")
    leader.wait_for_selector("text=已派单")

    worker = _phone_of(browser, live_server, "repair_worker")
    worker.goto(detail)
    assert "13800001234" in worker.content()  # the worker may call the requester
    worker.click("[data-testid=do-start]")
    worker.wait_for_selector("[data-testid=do-finish]")
    # An empty result cannot be sent (the field is required; the server refuses it too).
    worker.click("[data-testid=do-finish]")
    assert "处理中" in worker.inner_text("[data-testid=order-state]")
    worker.fill("#id_result", "更换空调滤网并补充冷媒，制冷恢复")
    worker.click("[data-testid=do-finish]")
    worker.wait_for_selector("[data-testid=order-result]")
    assert "已办结" in worker.inner_text("[data-testid=order-state]")

    phone.goto(detail)
    assert "更换空调滤网" in phone.inner_text("[data-testid=order-result]")
    phone.click("label:has-text('★★★★★')")
    phone.click("[data-testid=do-rate]")
    phone.wait_for_selector("[data-testid=order-rating]")
    assert "5/5" in phone.inner_text("[data-testid=order-rating]")
    screenshot(phone, "logistics-closed-phone")
    leader.context.close()
    worker.context.close()
