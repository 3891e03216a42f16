"""A user signs in through the real login form and sees the role-aware menu."""

from __future__ import annotations

from typing import Any

import pytest

from hongfan.core.testing import PASSWORD, World, build_world
from tests.browser.conftest import screenshot, sign_in


@pytest.fixture
def world_tx(transactional_db: None) -> World:
    return build_world()


def test_party_office_signs_in_and_sees_its_menu(
    world_tx: World, live_server: Any, desktop: Any
) -> None:
    sign_in(desktop, live_server, "office", PASSWORD)
    desktop.wait_for_selector("[data-testid=current-user]")
    assert "郑党办" in desktop.inner_text("[data-testid=current-user]")
    screenshot(desktop, "login-office")


def test_a_wrong_password_shows_a_chinese_error(
    world_tx: World, live_server: Any, phone: Any
) -> None:
    sign_in(phone, live_server, "office", "wrong-password")
    assert "用户名或密码错误" in phone.content()
