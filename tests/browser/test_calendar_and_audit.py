"""The working-day calendar shows the National Day holiday; the audit admin searches the log."""

from __future__ import annotations

from typing import Any

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from hongfan.accounts.roles import Role
from hongfan.audit import services as audit
from hongfan.audit.models import AuditEntry
from hongfan.core.testing import PASSWORD, World, build_world
from hongfan.workdays.services import calendar_seed_from_package, clear_cache
from tests.browser.conftest import screenshot, sign_in


@pytest.fixture
def world_tx(transactional_db: None) -> World:
    world = build_world()
    calendar_seed_from_package()
    clear_cache()
    return world


def test_the_calendar_year_page_shows_the_national_day_holiday(
    world_tx: World, live_server: Any, desktop: Any
) -> None:
    sign_in(desktop, live_server, "office", PASSWORD)
    desktop.wait_for_selector("[data-testid=current-user]")
    desktop.goto(f"{live_server.url}/calendar/?year=2026")
    first = desktop.locator('td[data-date="2026-10-01"]')
    assert "hf-holiday" in (first.get_attribute("class") or "")
    assert "国庆节" in (first.get_attribute("title") or "")
    assert "hf-workday" in (
        desktop.locator('td[data-date="2026-10-10"]').get_attribute("class") or ""
    )
    assert "2026-10-01" in desktop.inner_text("[data-testid=entries]")  # 10-01 – 10-07
    assert desktop.locator("[data-testid=coverage-warning]").count() == 0
    screenshot(desktop, "calendar-2026")
    desktop.click("text=2027")
    desktop.wait_for_selector("[data-testid=coverage-warning]")
    assert "2027" in desktop.inner_text("[data-testid=coverage-warning]")


def test_the_calculator_counts_over_the_holiday(
    world_tx: World, live_server: Any, phone: Any
) -> None:
    sign_in(phone, live_server, "office", PASSWORD)
    phone.wait_for_url(lambda url: "/accounts/login/" not in url)
    phone.goto(f"{live_server.url}/calendar/calculator/")
    phone.fill("#id_start", "2026-09-30")
    phone.fill("#id_days", "5")
    phone.click("[data-testid=calculator] button[type=submit]")
    assert "2026-10-13" in phone.inner_text("[data-testid=result]")


def test_the_audit_admin_searches_the_log(world_tx: World, live_server: Any, desktop: Any) -> None:
    user = world_tx.user(Role.AUDIT_ADMIN)
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    for i in range(3):
        audit.record(
            AuditEntry.Action.READ,
            object_type="org.staff",
            object_id=str(100 + i),
            object_repr=f"身份证号 {i}",
            username="office",
            source_ip="203.0.113.7",
        )
    audit.record(AuditEntry.Action.UPDATE, object_type="org.department", username="someone")

    sign_in(desktop, live_server, user.username, PASSWORD)
    desktop.wait_for_selector("#id_token")
    desktop.fill("#id_token", f"{totp(device.bin_key):06d}")
    desktop.click("form:has(#id_token) button[type=submit]")
    desktop.wait_for_url(lambda url: "/accounts/" not in url)
    desktop.goto(f"{live_server.url}/audit/")
    desktop.fill("#id_user", "office")
    desktop.select_option("#id_action", "read")
    desktop.fill("#id_source_ip", "203.0.113")
    desktop.click("form[role=search] button[type=submit]")
    desktop.wait_for_selector("[data-testid=audit-table]")
    rows = desktop.locator("[data-testid=audit-table] tbody tr")
    assert rows.count() == 3
    text = desktop.inner_text("[data-testid=audit-table]")
    assert "203.0.113.7" in text and "someone" not in text
    screenshot(desktop, "audit-search")
    desktop.goto(f"{live_server.url}/audit/verify/")
    desktop.click("[data-testid=verify-form] button[type=submit]")
    assert "完整" in desktop.inner_text("[data-testid=chain-result]")
