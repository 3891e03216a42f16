"""Publicity in the browser: a correspondent submits a story with a sensitive word; the first,
second and final reviewers pass it (the first resolving the word); the office plans it on a
platform and records the publication."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from hongfan.accounts.roles import Role
from hongfan.core.testing import PASSWORD, World, build_world
from hongfan.publicity.models import Story
from hongfan.publicity.tests.factories import reviewers
from tests.browser.conftest import DESKTOP, screenshot, sign_in


@pytest.fixture
def world_tx(transactional_db: None) -> World:
    from hongfan.publicity import services

    world = build_world()
    services.platforms_ensure_defaults()
    services.sensitive_words_add(text="第一")
    return world


def _as(browser: Any, live_server: Any, username: str) -> Any:
    context = browser.new_context(locale="zh-CN", **DESKTOP)
    page = context.new_page()
    page.set_default_timeout(15000)
    sign_in(page, live_server, username, PASSWORD)
    return page


def test_a_story_goes_from_submission_through_three_reviews_to_published(
    world_tx: World, live_server: Any, desktop: Any, browser: Any
) -> None:
    reviewers(world_tx)
    # The correspondent submits.
    sign_in(desktop, live_server, "plain_a1", PASSWORD)
    desktop.goto(f"{live_server.url}/publicity/stories/new/")
    desktop.fill("#id_title", "心内科党员志愿者走进社区义诊")
    desktop.fill("#id_body", "这是心内科党支部第一次走进东关社区开展义诊，服务群众120人次。")
    desktop.click("button[name=submit]")
    desktop.wait_for_selector(".alert-success")
    assert "稿件已提交初审" in desktop.inner_text(".alert-success")
    story = Story.objects.get()
    assert story.pending_level == 1

    # 初审: the office resolves the sensitive word, then passes the story.
    office = _as(browser, live_server, "office")
    office.goto(f"{live_server.url}/publicity/stories/{story.pk}/")
    assert "第一" in office.inner_text(".border-warning")
    office.click("#review-submit")  # passing with the word unresolved is refused
    office.wait_for_selector(".alert-danger")
    assert "请先处理敏感词" in office.inner_text(".alert-danger")
    office.fill(".border-warning input[name=reason]", "“第一次”为事实表述")
    office.click(".border-warning button[type=submit]")
    office.wait_for_selector(".alert-success")
    office.select_option("#id_decision", "pass")
    office.fill("#id_proofreading", "已校对")
    office.click("#review-submit")
    office.wait_for_selector(".alert-success")
    assert "初审已记录：通过" in office.inner_text(".alert-success")

    # 复审 and 终审 by two other people.
    for username in ("head_a1", "president"):
        page = _as(browser, live_server, username)
        page.goto(f"{live_server.url}/publicity/queue/")
        page.click("text=心内科党员志愿者走进社区义诊")
        page.select_option("#id_decision", "pass")
        page.click("#review-submit")
        page.wait_for_selector(".alert-success")
    story.refresh_from_db()
    assert story.status == Story.Status.APPROVED

    # The office plans it on the WeChat subscription account and records the publication.
    office.goto(f"{live_server.url}/publicity/stories/{story.pk}/")
    office.select_option("#id_platform", label="微信订阅号")
    office.fill("#id_planned_on", dt.date.today().isoformat())
    office.click("button:has-text('排期')")
    office.wait_for_selector(".alert-success")
    office.click("text=登记发布")
    office.fill("#id_link", "https://mp.weixin.qq.com/s/hongfan-demo")
    office.fill("#id_views", "1536")
    office.click("#publication-save")
    office.wait_for_selector(".alert-success, .invalid-feedback, .alert-danger")
    assert office.is_visible(".alert-success"), office.inner_text("main")
    assert "已发布" in office.inner_text("main")
    screenshot(office, "publicity-story-published")
    story.refresh_from_db()
    assert story.status == Story.Status.PUBLISHED
    assert story.publications.get().views == 1536
    assert world_tx.user(Role.STAFF).pk == story.created_by_id
