"""A pharmacist reviews a sampled prescription on the workstation (clinical, issue 8)."""

from __future__ import annotations

from typing import Any

import pytest

from hongfan.core.testing import PASSWORD, World, build_world
from tests.browser.conftest import screenshot, sign_in


@pytest.fixture
def world_tx(transactional_db: None) -> World:
    return build_world()


def test_the_pharmacist_confirms_the_machine_finding_and_saves_the_review(
    world_tx: World, live_server: Any, desktop: Any, settings: Any, tmp_path: Any
) -> None:
    from hongfan.clinical import services
    from hongfan.clinical.models import SampleItem
    from hongfan.clinical.tests.builders import Hospital

    settings.HONGFAN_ANALYTICS_DIR = tmp_path / "analytics"
    h = Hospital()
    rx = h.rx(
        ["C01", "C01"], dept=world_tx.dept_a1.code, doctor=world_tx.staff["head_a1"].employee_no
    )
    h.store()
    services.screening_run(month="2026-01", warnings=False)
    services.sample_draw(month="2026-01")

    sign_in(desktop, live_server, "medical", PASSWORD)
    desktop.wait_for_selector("[data-testid=current-user]")
    desktop.goto(f"{live_server.url}/clinical/samples/")
    desktop.click("text=打开")
    desktop.click(f"[data-testid=item] >> text={rx}")
    desktop.wait_for_selector("[data-testid=finding-R18_07]")
    assert "重复给药" in desktop.inner_text("[data-testid=finding-R18_07]")
    screenshot(desktop, "clinical-workstation")
    desktop.click("[data-testid=finding-R18_07] [data-testid=confirm]")
    desktop.wait_for_selector("[data-testid=finding-R18_07] >> text=已确认")
    desktop.fill("#id_note", "同一药品重复开具")
    desktop.click("[data-testid=complete]")
    desktop.wait_for_load_state()
    item = SampleItem.objects.get(key=rx)
    assert item.verdict == SampleItem.Verdict.IRRATIONAL
    assert "不合理" in desktop.content()
