"""Organisational life in the browser: QR sign-in on a phone, recording a meeting, the matrix."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from hongfan.accounts.roles import Role
from hongfan.core.testing import PASSWORD, World, build_world, make_user
from hongfan.orglife import services
from hongfan.orglife.models import Attendance, Meeting, MeetingKind
from tests.browser.conftest import screenshot, sign_in


@pytest.fixture
def world_tx(transactional_db: None) -> World:
    services.default_rules_ensure()  # a transactional test flushes the migration's rules
    return build_world()


def _meeting(world: World, topic: str, kind: str = MeetingKind.THEME_DAY) -> Meeting:
    meeting = services.meeting_plan(
        organisation=world.branch_a, kind=kind, topic=topic, planned_on=timezone.localdate()
    )
    meeting.starts_at = (
        (timezone.localtime() - dt.timedelta(minutes=5)).time().replace(microsecond=0)
    )
    meeting.save()
    return meeting


def test_a_member_signs_in_by_qr_code_on_a_phone(
    world_tx: World, live_server: Any, desktop: Any, phone: Any
) -> None:
    world = world_tx
    make_user("zhao", world.staff["member_a"], (Role.STAFF, {}))
    meeting = _meeting(world, "主题党日：重温入党誓词")

    sign_in(desktop, live_server, "secretary_a", PASSWORD)
    desktop.goto(f"{live_server.url}/orglife/meetings/{meeting.pk}/qr/")
    desktop.wait_for_selector("[data-testid=qr] svg")
    link = desktop.get_attribute("[data-testid=sign-in-link]", "href")
    screenshot(desktop, "orglife-qr")

    # The phone opens the scanned address, signs in to the platform and lands back on it.
    phone.goto(link)
    phone.fill("#id_username", "zhao")
    phone.fill("#id_password", PASSWORD)
    phone.click("button[type=submit]")
    phone.wait_for_selector("[data-testid=sign-in-button]")
    assert "主题党日：重温入党誓词" in phone.inner_text("[data-testid=sign-in]")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    phone.click("[data-testid=sign-in-button]")
    phone.wait_for_selector("[data-testid=sign-in-ok]")
    assert "签到成功" in phone.inner_text("[data-testid=sign-in-ok]")
    screenshot(phone, "orglife-sign-in-phone")
    att = Attendance.objects.get(meeting=meeting, member=world.members["member_a"])
    assert att.status == Attendance.Status.PRESENT and att.signed_in_at is not None

    # Scanning again shows that the member is already signed in, with no button to press.
    phone.goto(link)
    phone.wait_for_selector("[data-testid=sign-in-already]")
    assert phone.locator("[data-testid=sign-in-button]").count() == 0

    # The meeting page shows the sign-in.
    desktop.goto(f"{live_server.url}/orglife/meetings/{meeting.pk}/")
    assert "赵党员" in desktop.inner_text("[data-testid=attendance]")


def test_a_tampered_code_is_refused_on_the_phone(
    world_tx: World, live_server: Any, phone: Any
) -> None:
    meeting = _meeting(world_tx, "支部党员大会")
    token = services.sign_in_token(meeting)
    sign_in(phone, live_server, "secretary_a", PASSWORD)
    phone.goto(f"{live_server.url}/orglife/s/{token[:-3]}xyz/")
    assert "签到码无效" in phone.inner_text("[data-testid=sign-in-error]")


def test_the_secretary_records_a_meeting(world_tx: World, live_server: Any, desktop: Any) -> None:
    world = world_tx
    meeting = _meeting(world, "研究本月党建与业务融合重点工作", kind=MeetingKind.GENERAL_ASSEMBLY)
    member = world.members["member_a"]
    sign_in(desktop, live_server, "secretary_a", PASSWORD)
    desktop.goto(f"{live_server.url}/orglife/meetings/{meeting.pk}/")
    desktop.click("text=记录会议")
    desktop.wait_for_selector("[data-testid=record-form]")
    desktop.fill("#id_place", "党员活动室")
    desktop.select_option("#id_host", str(world.members["secretary_a"].pk))
    desktop.select_option("#id_recorder", str(member.pk))
    desktop.fill("#id_first_topic_title", "学习党的二十届四中全会公报")
    desktop.fill("#id_agenda", "通报上月工作\n研究部署下阶段任务")
    desktop.fill("#id_resolutions", "一致同意上述安排")
    desktop.fill("#id_minutes", "会议应到2人，实到1人。")
    desktop.select_option(f"[name=att_{member.pk}]", "absent:sick")
    desktop.fill(f"[name=note_{member.pk}]", "住院治疗")
    screenshot(desktop, "orglife-record-form")
    with desktop.expect_navigation():
        desktop.click("text=保存记录")
    if desktop.locator("[data-testid=record-form]").count():
        raise AssertionError(desktop.inner_text("main"))
    desktop.wait_for_selector("[data-testid=meeting-facts]")
    facts = desktop.inner_text("[data-testid=meeting-facts]")
    assert "学习党的二十届四中全会公报" in facts and "有效" in facts
    assert "病假" in desktop.inner_text("[data-testid=attendance]")
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.RECORDED and meeting.place == "党员活动室"


def test_the_office_reads_the_compliance_matrix(
    world_tx: World, live_server: Any, desktop: Any
) -> None:
    world = world_tx
    year = timezone.localdate().year
    for kind in (MeetingKind.COMMITTEE, MeetingKind.GROUP, MeetingKind.THEME_DAY):
        Meeting.objects.create(
            organisation=world.branch_a,
            kind=kind,
            topic="t",
            planned_on=dt.date(year, 1, 10),
            held_on=dt.date(year, 1, 10),
            status="recorded",
            is_valid=True,
        )
    sign_in(desktop, live_server, "office", PASSWORD)
    desktop.goto(f"{live_server.url}/orglife/compliance/?year={year}")
    desktop.wait_for_selector("[data-testid=compliance-matrix]")
    rows = desktop.locator("[data-testid=compliance-matrix] tbody tr")
    assert rows.count() == 2
    branch_a = rows.filter(has_text="内科党支部")
    branch_b = rows.filter(has_text="外科党支部")
    if timezone.localdate() > dt.date(year, 1, 31):
        assert branch_a.locator("td").nth(0).get_attribute("data-status") == "met"
        assert branch_b.locator("td").nth(0).get_attribute("data-status") == "missed"
        assert "hf-cell-red" in branch_b.locator("td").nth(0).get_attribute("class")
    screenshot(desktop, "orglife-compliance")
    branch_a.locator("a").click()
    desktop.wait_for_selector("[data-testid=branch-compliance]")
    assert "支部委员会" in desktop.inner_text("[data-testid=branch-compliance]")


def test_the_record_form_fits_a_phone(world_tx: World, live_server: Any, phone: Any) -> None:
    meeting = _meeting(world_tx, "党小组学习", kind=MeetingKind.THEME_DAY)
    sign_in(phone, live_server, "secretary_a", PASSWORD)
    phone.goto(f"{live_server.url}/orglife/meetings/{meeting.pk}/record/")
    phone.wait_for_selector("[data-testid=record-form]")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(phone, "orglife-record-phone")
