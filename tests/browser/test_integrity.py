"""Integrity on a phone: the festival self-check, and an anonymous report read back later."""

from __future__ import annotations

import re
from typing import Any

import pytest

from hongfan.core.testing import PASSWORD, World, build_world
from hongfan.integrity import services
from hongfan.integrity.models import Report, SelfCheck
from hongfan.integrity.tests import factories as f
from tests.browser.conftest import screenshot, sign_in


@pytest.fixture
def world_tx(transactional_db: None) -> World:
    return build_world()


def test_a_staff_member_fills_the_festival_self_check_on_a_phone(
    world_tx: World, live_server: Any, phone: Any
) -> None:
    campaign = f.selfcheck_campaign(world_tx)
    sign_in(phone, live_server, "plain_a1", PASSWORD)
    phone.goto(f"{live_server.url}/integrity/selfchecks/{campaign.pk}/fill/")
    questions = [q[0] for q in campaign.questions]
    for code in questions:
        phone.check(f"input[name=q_{code}][value={'yes' if code == 'gifts' else 'no'}]")
    phone.click("[data-testid=selfcheck-submit]")
    # A "yes" without a declaration is refused with a clear message; the answers stay.
    assert "请说明" in phone.content()
    assert phone.is_checked("input[name=q_gifts][value=yes]")
    phone.fill("textarea[name=declaration]", "患者家属送来一篮水果，已当场婉拒。")
    phone.click("[data-testid=selfcheck-submit]")
    phone.wait_for_selector("[data-testid=selfcheck-done]")
    screenshot(phone, "integrity-selfcheck-phone")
    check = SelfCheck.objects.get()
    assert check.answers["gifts"] is True and check.matter is not None


def test_an_anonymous_reporter_files_a_report_and_reads_the_reply_with_the_code(
    world_tx: World, live_server: Any, phone: Any
) -> None:
    phone.goto(f"{live_server.url}/integrity/report/anonymous/")
    phone.select_option("select[name=category]", "8")
    phone.fill("input[name=subject]", "普外科某医生")
    phone.fill("textarea[name=body]", "术前收受患者家属红包两千元，时间为上周三上午。")
    phone.click("button[type=submit]")
    code = phone.inner_text("[data-testid=receipt-code]")
    assert re.fullmatch(r"(\d{4} ){4}\d{4}", code.strip())
    screenshot(phone, "integrity-anonymous-receipt")
    assert phone.context.cookies() == []  # the visit left no cookie

    report = Report.objects.get()
    services.report_reply(
        report=report, actor=f.office(world_tx), body="您反映的问题已受理，正在调查核实。"
    )

    phone.goto(f"{live_server.url}/integrity/report/anonymous/follow/")
    phone.fill("input[name=code]", "1234")
    phone.click("button[type=submit]")
    assert "20" in phone.content()  # wrong length, told clearly
    phone.fill("input[name=code]", code)
    phone.click("button[type=submit]")
    phone.wait_for_selector("[data-testid=message-office]")
    assert "正在调查核实" in phone.inner_text("[data-testid=message-office]")
    phone.fill("textarea[name=body]", "补充：当时还有一名护士在场，可以作证。")
    phone.click("form.mt-3 button[type=submit]")
    phone.wait_for_selector("[data-testid=message-reporter]")
    screenshot(phone, "integrity-anonymous-follow")
    assert report.messages.filter(direction="reporter").count() == 1
    assert phone.context.cookies() == []
