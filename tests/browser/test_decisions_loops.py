"""The president's office records a vote; the resolution becomes a matter; its owner closes it
with a file as evidence, and the office sees it closed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from hongfan.accounts.roles import Role
from hongfan.core.testing import PASSWORD, World, build_world
from hongfan.decisions.models import AgendaItem, Resolution
from hongfan.decisions.tests.factories import committee_members, item, meeting
from hongfan.loops.models import Evidence, Matter
from tests.browser.conftest import screenshot, sign_in


@pytest.fixture
def world_tx(transactional_db: None) -> World:
    return build_world()


def test_a_resolution_matter_is_created_from_a_meeting_and_closed_with_evidence(
    world_tx: World, live_server: Any, desktop: Any, browser: Any, tmp_path: Path
) -> None:
    members = committee_members(world_tx, 3)
    m = meeting(world_tx, members, present=3)
    agenda = item(m, title="关于开展“一科一品”服务品牌建设的议题")
    head = world_tx.user(Role.DEPARTMENT_HEAD)

    # The president's office records the vote and names the owner and the deadline.
    sign_in(desktop, live_server, "president", PASSWORD)
    desktop.goto(f"{live_server.url}/decisions/meetings/{m.pk}/")
    desktop.click(f"[data-testid=item-{agenda.pk}] [data-testid=decide]")
    desktop.select_option("#id_owner", str(head.pk))
    desktop.select_option("#id_owner_department", str(world_tx.dept_a1.pk))
    desktop.fill("#id_deadline_days", "15")
    desktop.fill("#id_resolution_text", "心内科牵头制定服务品牌建设方案，报院办备案。")
    desktop.click("[data-testid=save-vote]")
    desktop.wait_for_selector(f"[data-testid=item-{agenda.pk}] [data-testid=resolution-link]")
    assert "通过" in desktop.inner_text(f"[data-testid=item-{agenda.pk}] [data-testid=decision]")
    row = f"[data-testid=item-{agenda.pk}]"
    assert "待办" in desktop.inner_text(f"{row} [data-testid=matter-state]")
    screenshot(desktop, "decisions-resolution-created")
    resolution = Resolution.objects.get(item=agenda)
    matter = Matter.objects.get(pk=resolution.matter_id)
    assert matter.owner == head

    # The owner finds it in "my matters" and closes it, uploading the report as evidence.
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    owner_page = context.new_page()
    owner_page.set_default_timeout(15000)
    try:
        sign_in(owner_page, live_server, "head_a1", PASSWORD)
        owner_page.goto(f"{live_server.url}/matters/")
        owner_page.click(f"a[href='/matters/{matter.pk}/']")
        # Closing without evidence is refused with a Chinese message, nothing changes.
        owner_page.click("[data-testid=transition-close]")
        owner_page.wait_for_selector("text=此步骤需要佐证材料")
        assert Matter.objects.get(pk=matter.pk).closed_at is None
        report = tmp_path / "服务品牌建设方案.pdf"
        report.write_bytes("%PDF-1.4\n% 心内科服务品牌建设方案\n".encode())
        owner_page.set_input_files("[data-testid=evidence-file-close]", str(report))
        owner_page.click("[data-testid=transition-close]")
        owner_page.wait_for_selector("[data-testid=matter-state]:has-text('已办结')")
        assert "服务品牌建设方案.pdf" in owner_page.inner_text("[data-testid=timeline]")
        screenshot(owner_page, "loops-resolution-closed-with-evidence")
    finally:
        context.close()

    matter.refresh_from_db()
    assert matter.closed_at is not None and matter.state == "closed"
    assert Evidence.objects.get(matter=matter).original_name == "服务品牌建设方案.pdf"
    # The office sees the closed matter on the meeting page.
    desktop.goto(f"{live_server.url}/decisions/meetings/{m.pk}/")
    assert "已办结" in desktop.inner_text(f"{row} [data-testid=matter-state]")
    assert AgendaItem.objects.get(pk=agenda.pk).decision == "passed"
