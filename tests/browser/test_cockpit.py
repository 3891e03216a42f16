"""The leadership cockpit in a browser: leadership sees the hospital, a secretary their branch."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse

from hongfan.cockpit.tests.factories import at, matter
from hongfan.core.testing import PASSWORD, World, build_world
from tests.browser.conftest import screenshot, sign_in


@pytest.fixture
def world_tx(transactional_db: None, settings: Any, tmp_path: Any) -> World:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    w = build_world()
    due = at(dt.date(2025, 6, 9), 17, 30)
    matter(w, "complaint", opened=at(dt.date(2025, 6, 2)), due=due, closed=due, rating=5)
    matter(w, "complaint", opened=at(dt.date(2025, 7, 2)), due=due.replace(month=7))
    from hongfan.clinical.models import IndicatorValue

    for month, num in (("2025-11", 30.0), ("2025-12", 60.0)):  # 45 % > 30 %: misses
        IndicatorValue.objects.create(
            month=month,
            dept_code=w.dept_a1.code,
            department=w.dept_a1,
            doctor_no="T00001",
            indicator="pct_antibiotic",
            num=num,
            den=100.0,
        )
    return w


def test_leadership_sees_the_hospital_drills_down_and_generates_the_annual_report(
    world_tx: World, live_server: Any, desktop: Any
) -> None:
    desktop.set_default_timeout(60000)  # the machine is shared: allow for a slow server
    desktop.set_default_navigation_timeout(60000)
    sign_in(desktop, live_server, "office", PASSWORD)
    desktop.wait_for_selector("[data-testid=current-user]")
    desktop.goto(f"{live_server.url}/cockpit/?year=2025")
    for panel in ("membership", "orglife", "matters", "complaints", "outreach", "honours"):
        assert desktop.locator(f"[data-panel={panel}]").count() == 1, panel
    members = desktop.locator("[data-figure='membership.members_in_post'] [data-value]")
    assert members.inner_text() == "4"
    assert desktop.locator("[data-figure='complaints.received'] [data-value]").inner_text() == "2"
    # ECharts drew the complaints chart (a canvas inside the chart element).
    desktop.wait_for_selector("[data-testid=chart-complaints] canvas")
    # No clinical capability: no clinical indicators for the Party office.
    assert desktop.locator("[data-panel=clinical_indicators]").count() == 0
    screenshot(desktop, "cockpit-office")
    # Every figure drills down to its records: the board filtered to complaints.
    href = desktop.get_attribute("[data-figure='complaints.received']", "href")
    assert href == reverse("loops:board") + "?type=complaint"
    desktop.goto(f"{live_server.url}{href}", timeout=60000)
    assert desktop.locator("table tbody tr").count() == 2
    # One click from the cockpit to the annual report.
    desktop.goto(f"{live_server.url}/cockpit/templates/new/?kind=annual")
    desktop.fill("#id_name", "年度党建工作报告")
    desktop.click("main button[type=submit]")
    desktop.wait_for_url("**/cockpit/templates/")
    desktop.goto(f"{live_server.url}/cockpit/?year=2025")
    desktop.click("text=生成工作报告")
    desktop.select_option("#id_year", "2025")
    desktop.click("main button[type=submit]")
    desktop.wait_for_selector("[data-testid=report-text]")
    text = desktop.inner_text("[data-testid=report-text]")
    assert "在岗党员 4 名" in text
    assert "受理患者投诉 2 件" in text
    with desktop.expect_download() as download:
        desktop.click("text=下载 Word")
    assert download.value.suggested_filename.endswith(".docx")
    screenshot(desktop, "cockpit-report")


def test_a_branch_secretary_sees_only_their_branch(
    world_tx: World, live_server: Any, phone: Any
) -> None:
    phone.set_default_timeout(60000)
    phone.set_default_navigation_timeout(60000)
    sign_in(phone, live_server, "secretary_a", PASSWORD)
    phone.wait_for_selector("[data-testid=current-user]", state="attached")
    phone.goto(f"{live_server.url}/cockpit/?year=2025")
    assert phone.locator("[data-testid=scope-note]").count() == 1
    assert (
        phone.locator("[data-figure='membership.members_in_post'] [data-value]").inner_text() == "2"
    )
    assert phone.locator("[data-figure='membership.branches'] [data-value]").inner_text() == "1"
    assert phone.locator("[data-panel=complaints]").count() == 0
    assert phone.locator("[data-panel=matters]").count() == 0
    assert phone.locator("select[name=institution]").count() == 0
    assert "外科党支部" not in phone.content()
    screenshot(phone, "cockpit-secretary")


def test_medical_affairs_sees_the_clinical_indicators_and_opens_the_dashboard(
    world_tx: World, live_server: Any, desktop: Any
) -> None:
    desktop.set_default_timeout(60000)
    desktop.set_default_navigation_timeout(60000)
    sign_in(desktop, live_server, "medical", PASSWORD)
    desktop.wait_for_selector("[data-testid=current-user]")
    desktop.goto(f"{live_server.url}/cockpit/?year=2025")
    row = desktop.locator("[data-row='clinical_indicators.pct_antibiotic']")
    assert row.locator("[data-value]").inner_text() == "45.00%"
    assert "≤ 30.00%" in row.inner_text() and "未达标" in row.inner_text()
    desktop.wait_for_selector("[data-testid=chart-clinical_indicators] canvas")
    screenshot(desktop, "cockpit-clinical")
    # A quarter without imported data shows the empty state.
    desktop.goto(f"{live_server.url}/cockpit/?year=2025&quarter=1")
    assert desktop.locator("[data-empty=clinical_indicators]").count() == 1
    # The figure opens the clinical dashboard on the period's latest month, that indicator.
    desktop.goto(f"{live_server.url}/cockpit/?year=2025")
    desktop.click("[data-figure='clinical_indicators.pct_antibiotic']")
    desktop.wait_for_url("**/clinical/?month=2025-12&indicator=pct_antibiotic")
    assert "2025-12" in desktop.content()
