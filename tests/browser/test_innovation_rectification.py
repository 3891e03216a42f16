"""Innovation and rectification in the browser: advance a project stage (and be refused going
back without a reason); close a rectification task with evidence and the office's verification."""

from __future__ import annotations

from typing import Any

import pytest

from hongfan.accounts.roles import Role
from hongfan.core.testing import PASSWORD, World, build_world
from hongfan.innovation.models import Stage
from hongfan.innovation.tests.factories import project
from hongfan.rectification.tests.factories import task
from tests.browser.conftest import DESKTOP, screenshot, sign_in


@pytest.fixture
def world_tx(transactional_db: None) -> World:
    return build_world()


def test_the_office_advances_a_project_stage(
    world_tx: World, live_server: Any, desktop: Any
) -> None:
    p = project(world_tx)
    sign_in(desktop, live_server, "office", PASSWORD)
    desktop.goto(f"{live_server.url}/innovation/{p.pk}/")
    assert desktop.inner_text("[data-testid=project-stage]") == "项目立项"
    # The next stage is preselected: one click moves the project on.
    desktop.click("[data-testid=stage-form] button[type=submit]")
    desktop.wait_for_selector(".alert-success")
    assert "团队组建" in desktop.inner_text("[data-testid=project-stage]")
    assert "项目立项 → 团队组建" in desktop.inner_text("[data-testid=stage-history]")
    assert desktop.inner_text("[data-testid=stage-timeline] [aria-current=step]").endswith(
        "团队组建"
    )
    screenshot(desktop, "innovation-stage")

    # Going back without a reason is refused with a Chinese message; nothing changes.
    desktop.select_option("#id_to_stage", "initiation")
    desktop.click("[data-testid=stage-form] button[type=submit]")
    desktop.wait_for_selector(".alert-danger")
    assert "退回到之前的阶段必须填写原因" in desktop.inner_text(".alert-danger")
    p.refresh_from_db()
    assert p.stage == Stage.TEAM


def test_a_rectification_task_is_closed_with_evidence(
    world_tx: World, live_server: Any, desktop: Any, browser: Any
) -> None:
    t = task(world_tx)
    # The person responsible finds the task in the ledger and submits it with a file.
    sign_in(desktop, live_server, "plain_a1", PASSWORD)
    desktop.goto(f"{live_server.url}/rectification/ledger/")
    assert "门诊病历书写不规范" in desktop.inner_text("table")
    desktop.click("[data-testid=handle-task]")
    desktop.wait_for_selector("[data-testid=transition-submit]")
    desktop.set_input_files(
        "[data-testid=evidence-file-submit]",
        files=[
            {
                "name": "病历抽查整改报告.txt",
                "mimeType": "text/plain",
                "buffer": "10 月抽查门诊病历 20 份，合格 20 份。".encode(),
            }
        ],
    )
    desktop.click("[data-testid=transition-submit]")
    desktop.wait_for_selector(".alert-success")
    assert "病历抽查整改报告.txt" in desktop.content()
    t.matter.refresh_from_db()
    assert t.matter.state == "submitted"

    # The Party office verifies and closes it from the inspection page.
    context = browser.new_context(locale="zh-CN", **DESKTOP)
    office = context.new_page()
    office.set_default_timeout(15000)
    sign_in(office, live_server, "office", PASSWORD)
    office.goto(f"{live_server.url}/rectification/{t.problem.inspection_id}/")
    office.click("[data-testid=handle-task]")
    office.wait_for_selector("[data-testid=transition-verify]")
    office.click("[data-testid=transition-verify]")
    office.wait_for_selector(".alert-success")
    t.matter.refresh_from_db()
    assert t.matter.state == "closed" and t.matter.closed_at is not None
    office.goto(f"{live_server.url}/rectification/{t.problem.inspection_id}/")
    progress = office.inner_text("[data-testid=progress]")
    assert "已办结 1" in progress and "逾期 0" in progress.replace("\n", " ")
    screenshot(office, "rectification-closed")
    # The office's board shows the closed task and the innovation half.
    office.goto(f"{live_server.url}/rectification/board/")
    assert "100%" in office.inner_text("[data-testid=board-rectification]")
    office.wait_for_selector("[data-testid=board-innovation]")
    screenshot(office, "rectification-board")
    context.close()
    assert world_tx.user(Role.STAFF).pk == t.matter.owner_id
