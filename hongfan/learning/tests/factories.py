from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from hongfan.core.testing import World
from hongfan.learning import services
from hongfan.learning.models import Contest, Question, StudyActivity


def activity_for(world: World) -> StudyActivity:
    existing = StudyActivity.objects.filter(organisation=world.branch_a).first()
    return existing or services.activity_create(
        organisation=world.branch_a,
        kind=StudyActivity.Kind.MICRO_LECTURE,
        title="微党课：医者初心",
        held_on=dt.date(2026, 3, 5),
        hours=Decimal("2"),
        participant_ids=[world.members["member_a"].pk],
        today=dt.date(2026, 3, 6),
    )


def question_set() -> list[Question]:
    if Question.objects.exists():
        return list(Question.objects.order_by("id"))
    return [
        services.question_create(
            kind="single", text="党的最高理想是？", options=["实现共产主义", "发展经济"], answer=[0]
        ),
        services.question_create(
            kind="multiple",
            text="三会一课包括？",
            options=["支部党员大会", "支委会", "运动会"],
            answer=[0, 1],
        ),
        services.question_create(
            kind="true_false", text="党小组会每月召开一次。", options=[], answer=[0]
        ),
    ]


def open_contest() -> Contest:
    existing = Contest.objects.first()
    if existing:
        return existing
    today = timezone.localdate()
    return services.contest_create(
        title="党章党规知识竞赛",
        opens_on=today - dt.timedelta(days=1),
        closes_on=today + dt.timedelta(days=7),
        questions=question_set(),
    )
