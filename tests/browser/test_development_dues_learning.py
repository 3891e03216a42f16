"""Learning and development in the browser: a quiz on a phone, a step that breaks a rule."""

from __future__ import annotations

import datetime as dt
import importlib
from typing import Any

import pytest
from django.apps import apps
from django.utils import timezone

from hongfan.accounts.roles import Role
from hongfan.core.testing import PASSWORD, World, build_world, make_staff, make_user
from hongfan.development.models import StepRecord
from hongfan.development.rules import StepInput
from hongfan.development.services import candidate_create, step_record
from hongfan.learning import services as learning
from hongfan.learning.models import ContestAttempt
from tests.browser.conftest import screenshot, sign_in


@pytest.fixture
def world_tx(transactional_db: None) -> World:
    # A transactional test flushes the rows of data migrations: put the 2014 rule set back.
    importlib.import_module("hongfan.development.migrations.0002_rule_set_2014").seed(apps, None)
    return build_world()


def test_a_member_takes_a_quiz_on_a_phone_and_sees_the_score(
    world_tx: World, live_server: Any, phone: Any
) -> None:
    world = world_tx
    make_user("zhao", world.staff["member_a"], (Role.STAFF, {}))
    today = timezone.localdate()
    questions = [
        learning.question_create(
            kind="single",
            text="预备党员的预备期为多长时间？",
            options=["半年", "一年", "两年"],
            answer=[1],
        ),
        learning.question_create(
            kind="multiple",
            text="“三会一课”中的“三会”指的是？",
            options=["支部党员大会", "支部委员会", "党小组会", "职工代表大会"],
            answer=[0, 1, 2],
        ),
        learning.question_create(
            kind="true_false", text="入党介绍人可以由预备党员担任。", options=[], answer=[1]
        ),
    ]
    contest = learning.contest_create(
        title="发展党员工作细则知识测试",
        opens_on=today,
        closes_on=today + dt.timedelta(days=7),
        questions=questions,
    )

    sign_in(phone, live_server, "zhao", PASSWORD)
    phone.goto(f"{live_server.url}/learning/contests/")
    phone.click(f"a[href$='/learning/contests/{contest.pk}/']")
    phone.wait_for_selector("text=预备党员的预备期为多长时间？")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    phone.check("label:has-text('一年')")
    for option in ("支部党员大会", "支部委员会"):  # misses 党小组会: that question scores 0
        phone.check(f"label:has-text('{option}')")
    phone.check("label:text-is('错')")
    screenshot(phone, "learning-quiz-phone")
    phone.click("[data-testid=quiz-submit]")
    phone.wait_for_selector("[data-testid=quiz-score]")
    score = phone.inner_text("[data-testid=quiz-score]")
    assert "20" in score and "30" in score
    review = phone.inner_text("[data-testid=quiz-review]")
    assert "正确答案" in review and "党小组会" in review
    screenshot(phone, "learning-quiz-score-phone")
    attempt = ContestAttempt.objects.get(member=world.members["member_a"])
    assert (attempt.score, attempt.correct) == (20, 2)


def test_recording_a_late_talk_shows_the_one_month_rule(
    world_tx: World, live_server: Any, desktop: Any
) -> None:
    world = world_tx
    person = make_staff(world.dept_a1, "林申请", birth=dt.date(1998, 3, 2))
    candidate = candidate_create(staff=person, branch=world.branch_a)
    applied = timezone.localdate() - dt.timedelta(days=80)
    step_record(
        candidate=candidate,
        step=candidate.rule_set.steps.get(code="application"),
        data=StepInput(date=applied),
    )
    talk = candidate.rule_set.steps.get(code="talk")

    sign_in(desktop, live_server, "secretary_a", PASSWORD)
    desktop.goto(f"{live_server.url}/development/{candidate.pk}/")
    form = desktop.locator("[data-testid=step-form]")
    form.locator("#id_step").select_option(str(talk.pk))
    form.locator("#id_date").fill(f"{timezone.localdate() - dt.timedelta(days=5):%Y-%m-%d}")
    form.locator("button[type=submit]").click()
    desktop.wait_for_selector(".alert-danger, .invalid-feedback")
    errors = desktop.locator(".alert-danger, .invalid-feedback").all_inner_texts()
    text = " ".join(errors)
    assert "1个月" in text and f"{applied:%Y-%m-%d}" in text, text
    screenshot(desktop, "development-rule-violation")
    assert not StepRecord.objects.filter(candidate=candidate, step=talk).exists()
