"""Outreach in the browser: the office records a free clinic (a bad count is explained, then
fixed); a staff member signs a 请战书 on a phone."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from hongfan.core.testing import PASSWORD, World, build_world
from hongfan.outreach.models import Activity, Pledge
from hongfan.outreach.tests.factories import PNG, call
from tests.browser.conftest import screenshot, sign_in


@pytest.fixture
def world_tx(transactional_db: None, settings: Any, tmp_path: Path) -> World:
    settings.MEDIA_ROOT = tmp_path / "media"
    return build_world()


def test_the_office_records_an_outreach_activity(
    world_tx: World, live_server: Any, desktop: Any
) -> None:
    w = world_tx
    sign_in(desktop, live_server, "office", PASSWORD)
    desktop.goto(f"{live_server.url}/outreach/")
    assert "没有符合条件的志愿服务活动" in desktop.content()
    desktop.click("[data-testid=new-activity]")
    desktop.fill("#id_title", "社区高血压义诊")
    desktop.select_option("#id_kind", "free_clinic")
    desktop.fill("#id_held_on", "2026-11-01")
    desktop.fill("#id_place", "城关镇文化广场")
    desktop.select_option("#id_organisation", str(w.branch_a.pk))
    desktop.select_option("#id_departments", [str(w.dept_a1.pk)])
    desktop.fill("#id_hours", "3")
    desktop.fill("#id_people_served", "130")
    desktop.fill("#id_people_cap", "120")
    desktop.fill("#id_examinations", "260")
    desktop.fill("#id_materials", "300")
    desktop.fill("#id_fees_waived", "5200")
    desktop.select_option(
        "#id_participants", [str(w.staff["member_a"].pk), str(w.staff["head_a1"].pk)]
    )
    desktop.set_input_files(
        "#id_photos", files=[{"name": "义诊现场.png", "mimeType": "image/png", "buffer": PNG}]
    )
    desktop.click("[data-testid=save]")
    # More people than the 120 slots: refused with the figures named, nothing saved.
    desktop.wait_for_selector(".invalid-feedback")
    assert "服务人数 130 超过了设定上限 120" in desktop.content()
    assert not Activity.objects.exists()
    screenshot(desktop, "outreach-activity-error")

    desktop.fill("#id_people_served", "118")
    desktop.set_input_files(
        "#id_photos", files=[{"name": "义诊现场.png", "mimeType": "image/png", "buffer": PNG}]
    )
    desktop.click("[data-testid=save]")
    desktop.wait_for_selector(".alert-success")
    assert desktop.inner_text("[data-testid=activity-title]") == "社区高血压义诊"
    assert "118 / 120" in desktop.inner_text("[data-testid=detail-people]")
    assert desktop.inner_text("[data-testid=staff-hours]") == "6.0"
    assert "党员" in desktop.inner_text("[data-testid=participants]")
    assert desktop.locator("img.img-fluid").count() == 1
    screenshot(desktop, "outreach-activity")

    desktop.goto(f"{live_server.url}/outreach/totals/?start=2026-01-01&end=2026-12-31")
    assert "累计服务群众 118 人次" in desktop.inner_text("[data-testid=served-sentence]")


def test_a_staff_member_signs_a_pledge_on_a_phone(
    world_tx: World, live_server: Any, phone: Any
) -> None:
    c = call(world_tx)
    sign_in(phone, live_server, "plain_a1", PASSWORD)
    phone.goto(f"{live_server.url}/outreach/mobilisation/")
    phone.click("[data-testid=call-row]")
    phone.click("[data-testid=sign-link]")
    assert "不畏艰险" in phone.inner_text("[data-testid=pledge-text]")
    phone.fill("#id_typed_name", "周群")
    phone.check("#id_confirm")
    phone.click("[data-testid=sign]")
    phone.wait_for_selector(".invalid-feedback")
    assert "签名须与档案中的姓名一致" in phone.content()
    assert not Pledge.objects.exists()

    phone.fill("#id_typed_name", "周群众")
    phone.fill("#id_statement", "随时听候调遣")
    phone.check("#id_confirm")
    phone.click("[data-testid=sign]")
    phone.wait_for_selector("[data-testid=own-pledge]")
    assert "周群众" in phone.inner_text("[data-testid=own-pledge]")
    # Nothing overflows the phone's width.
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390
    screenshot(phone, "outreach-pledge-phone")
    p = Pledge.objects.get()
    assert p.call == c and p.typed_name == "周群众" and p.statement == "随时听候调遣"
