"""Patient voice in the browser: a patient answers a ward survey on a phone; the hotline
operator records a complaint and takes it through verification and handling to feedback,
and the patient checks it with the query code and rates the handling."""

from __future__ import annotations

import re
from typing import Any

import pytest

from hongfan.core.testing import PASSWORD, World, build_world
from hongfan.voice import services
from hongfan.voice.models import Answer, Contact, Response, Survey
from tests.browser.conftest import screenshot, sign_in


@pytest.fixture
def world_tx(transactional_db: None) -> World:
    return build_world()


def test_a_patient_completes_a_survey_on_a_phone(
    world_tx: World, live_server: Any, phone: Any
) -> None:
    survey = services.survey_create(title="住院患者满意度调查", kind=Survey.Kind.INPATIENT)
    services.survey_set_status(survey=survey, status=Survey.Status.OPEN)
    poster = services.poster_create(survey=survey, department=world_tx.dept_a1, place="3 病区")
    questions = list(survey.questions.all())

    phone.goto(f"{live_server.url}/voice/p/s/{poster.code}/")
    assert "心内科" in phone.inner_text("main")
    # Submitting with one question unanswered keeps the answers given and asks for it.
    for q in questions[1:]:
        value = 9 if q.scale == "scale10" else 5
        phone.click(f"label[for=q{q.pk}-{value}]")
    phone.click("button[type=submit]")
    phone.wait_for_selector("text=请回答本题")
    assert Response.objects.count() == 0
    assert phone.is_checked(f"#q{questions[1].pk}-5")
    phone.click(f"label[for=q{questions[0].pk}-4]")
    phone.fill("#comment", "<script>alert(1)</script>护士很耐心")
    screenshot(phone, "voice-survey-phone")
    phone.click("button[type=submit]")
    phone.wait_for_selector("[data-testid=thanks]")
    assert "感谢" in phone.inner_text("[data-testid=thanks]")
    response = Response.objects.get()
    assert response.department_id == world_tx.dept_a1.pk
    assert Answer.objects.filter(response=response).count() == len(questions)
    # The page fits the phone: no horizontal scrolling.
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_an_operator_takes_a_complaint_through_to_feedback(
    world_tx: World, live_server: Any, desktop: Any, phone: Any
) -> None:
    # The machine is shared: give slow page loads time rather than fail on them.
    desktop.set_default_timeout(60000)
    phone.set_default_timeout(60000)
    sign_in(desktop, live_server, "president", PASSWORD)
    desktop.goto(f"{live_server.url}/voice/contacts/new/")
    desktop.select_option("#id_kind", "complaint")
    desktop.fill("#id_caller_name", "张女士")
    desktop.fill("#id_phone", "1381234567")  # one digit short
    desktop.fill("#id_content", "急诊候诊两个小时无人解释")
    desktop.check("input[name=causes][value=waiting]")
    desktop.select_option("#id_departments", [str(world_tx.dept_a1.pk)])
    desktop.click("[data-testid=save-contact]")
    desktop.wait_for_selector("text=不是有效的大陆电话号码")
    assert Contact.objects.count() == 0
    # Nothing typed is lost; fix the number, give consent and save.
    assert desktop.input_value("#id_content") == "急诊候诊两个小时无人解释"
    desktop.fill("#id_phone", "13812345678")
    desktop.check("#id_consent")
    desktop.click("[data-testid=save-contact]")
    desktop.wait_for_selector("text=请告知来电人查询码")
    message = desktop.inner_text(".alert-success")
    code = re.search(r"查询码\s*([A-Z0-9]{10})", message).group(1)  # type: ignore[union-attr]
    contact = Contact.objects.get()
    body = desktop.inner_text("main")
    assert "138****5678" in body and "13812345678" not in body

    # Record → verify → handle → feedback on the closed-loop page.
    desktop.click("text=核实、处理和反馈")
    desktop.click("[data-testid=transition-verify]")
    desktop.wait_for_selector("[data-testid=matter-state]:has-text('已核实')")
    desktop.click("[data-testid=transition-handle]")
    desktop.wait_for_selector("[data-testid=matter-state]:has-text('处理中')")
    desktop.fill("#enote-answer", "已电话回复患者：调整急诊分诊流程，向患者致歉")
    desktop.click("[data-testid=transition-answer]")
    desktop.wait_for_selector("[data-testid=matter-state]:has-text('已答复')")
    screenshot(desktop, "voice-complaint-answered")
    contact.refresh_from_db()
    assert contact.verified_at is not None and contact.answered_at is not None

    # The patient checks the progress on the phone and rates the handling.
    phone.goto(f"{live_server.url}/voice/p/query/")
    phone.fill("#id_code", code)
    phone.click("main button[type=submit]")
    phone.wait_for_selector("[data-testid=query-result]")
    assert "已答复" in phone.inner_text("[data-testid=query-result]")
    phone.check("input[name=rating][value='5']")
    phone.click("[data-testid=query-result] button[type=submit]")
    phone.wait_for_selector("text=感谢您的评价")
    assert Contact.objects.get(pk=contact.pk).handling_rating == 5
