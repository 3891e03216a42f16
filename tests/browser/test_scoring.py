"""医德考评 in the browser: a staff member self-assesses, later reads the published grade."""

from __future__ import annotations

from typing import Any

import pytest

from hongfan.core.testing import PASSWORD, World, build_world
from hongfan.scoring import services
from hongfan.scoring.models import AssessmentPeriod
from hongfan.scoring.tests.helpers import ethics_period, rate, rate_all
from tests.browser.conftest import screenshot, sign_in


@pytest.fixture
def world_tx(transactional_db: None) -> World:
    return build_world()


def test_a_staff_member_self_assesses_and_later_reads_the_published_grade(
    world_tx: World, live_server: Any, phone: Any
) -> None:
    world = world_tx
    period = ethics_period(world, AssessmentPeriod.Status.SELF)
    mine = period.assessments.get(staff=world.staff["plain_a1"])

    sign_in(phone, live_server, "plain_a1", PASSWORD)
    phone.goto(f"{live_server.url}/assessments/mine/")
    phone.click(f"a[href='/assessments/mine/{mine.pk}/self/']")
    phone.wait_for_selector("[data-testid=score-sheet]")
    items = [i for i in period.scorecard.items.all() if i.kind == "rated"]
    for item in items:
        phone.fill(f"#id_item_{item.pk}", str(item.max_points - 1))
    phone.fill("#id_comment", "全年坚持因病施治，无投诉，积极参加义诊。")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(phone, "scoring-self-assessment-phone")
    phone.click("[data-testid=submit]")
    phone.wait_for_selector("[data-testid=my-assessment]")
    mine.refresh_from_db()
    assert mine.self_submitted_at is not None
    assert mine.scores.filter(stage="self").count() == 8

    # The department and the institution do their part; the office publishes.
    AssessmentPeriod.objects.filter(pk=period.pk).update(status="institution")
    rate_all(period, "85")
    rate(mine, "96")
    services.period_grade(period=period)
    services.period_publish(period=period)

    phone.goto(f"{live_server.url}/assessments/mine/")
    grade = phone.inner_text("[data-testid=my-grade]")
    assert "96" in grade and "优秀" in grade
    assert phone.is_visible("text=书面申诉") or phone.is_visible("text=Appeal in writing")
    screenshot(phone, "scoring-published-grade-phone")
