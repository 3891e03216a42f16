"""Study activities, the question bank, self-scoring contests and branch brands."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from openpyxl import Workbook

from hongfan.core.testing import World
from hongfan.learning import services
from hongfan.learning.models import (
    BranchBrand,
    Contest,
    ContestAttempt,
    Question,
    StudyActivity,
    StudyParticipation,
)
from hongfan.learning.tests.factories import question_set

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 6, 15)


def refused(fn, *, match: str, **kwargs) -> None:
    with pytest.raises(ValidationError) as exc:
        fn(**kwargs)
    text = " ".join(exc.value.messages)
    assert match in text, text


def activity(world: World, **overrides) -> dict:
    data = {
        "organisation": world.branch_a,
        "kind": StudyActivity.Kind.READING_CLASS,
        "title": "学习贯彻党的二十届四中全会精神专题读书班",
        "held_on": TODAY,
        "hours": Decimal("3.5"),
        "participant_ids": [world.members["secretary_a"].pk, world.members["member_a"].pk],
        "today": TODAY,
    }
    data.update(overrides)
    return data


# --- study activities ------------------------------------------------------------------------


def test_every_participant_earns_the_activity_hours(world: World) -> None:
    a = services.activity_create(**activity(world))
    hours = sorted(StudyParticipation.objects.filter(activity=a).values_list("hours", flat=True))
    assert hours == [Decimal("3.5"), Decimal("3.5")]


def test_an_activity_held_today_is_accepted_and_tomorrow_refused(world: World) -> None:
    services.activity_create(**activity(world))
    refused(
        services.activity_create,
        match="举行之前",
        **activity(world, held_on=TODAY + dt.timedelta(days=1)),
    )
    assert StudyActivity.objects.count() == 1


def test_an_activity_before_the_branch_existed_is_refused(world: World) -> None:
    refused(
        services.activity_create, match="尚未成立", **activity(world, held_on=dt.date(2005, 6, 30))
    )


def test_a_participant_from_another_branch_is_refused_and_nothing_saved(world: World) -> None:
    ids = [world.members["secretary_a"].pk, world.members["member_b"].pk]
    refused(
        services.activity_create, match="组织支部的党员", **activity(world, participant_ids=ids)
    )
    assert not StudyActivity.objects.exists()
    assert not StudyParticipation.objects.exists()


def test_an_activity_without_participants_is_refused(world: World) -> None:
    refused(services.activity_create, match="至少列出", **activity(world, participant_ids=[]))


def test_the_party_committee_may_gather_members_of_every_branch(world: World) -> None:
    ids = [world.members["secretary_a"].pk, world.members["member_b"].pk]
    a = services.activity_create(
        **activity(world, organisation=world.committee, participant_ids=ids)
    )
    assert a.participations.count() == 2


# --- question bank ---------------------------------------------------------------------------


def test_a_single_choice_question_with_two_answers_is_refused(world: World) -> None:
    refused(
        services.question_create,
        match="只能有一个正确选项",
        kind=Question.Kind.SINGLE,
        text="党的根本宗旨是？",
        options=["全心全意为人民服务", "发展生产力"],
        answer=[0, 1],
    )


def test_an_answer_outside_the_options_is_refused(world: World) -> None:
    refused(
        services.question_create,
        match="必须在选项之中",
        kind=Question.Kind.MULTIPLE,
        text="三会一课包括？",
        options=["支部党员大会", "支委会"],
        answer=[0, 2],
    )


def test_answers_are_parsed_from_letters_and_true_false_words(world: World) -> None:
    assert services.parse_answer(Question.Kind.MULTIPLE, " acd ") == [0, 2, 3]
    assert services.parse_answer(Question.Kind.TRUE_FALSE, "对") == [0]
    assert services.parse_answer(Question.Kind.TRUE_FALSE, "错") == [1]
    with pytest.raises(ValidationError):
        services.parse_answer(Question.Kind.TRUE_FALSE, "也许")


def _sheet(rows: list[list[object]]) -> io.BytesIO:
    wb = Workbook()
    ws = wb.active
    ws.append(["类型", "题目", "选项A", "选项B", "选项C", "选项D", "答案", "分类"])
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    return out


def test_a_question_sheet_is_imported(world: World) -> None:
    n = services.questions_import_xlsx(
        file=_sheet(
            [
                ["单选", "党的最高理想是？", "实现共产主义", "发展经济", None, None, "A", "党章"],
                [
                    "多选",
                    "民主评议的等次有？",
                    "优秀",
                    "合格",
                    "基本合格",
                    "不合格",
                    "ABCD",
                    "条例",
                ],
                ["判断", "预备期从支部大会通过之日算起。", None, None, None, None, "对", "细则"],
            ]
        )
    )
    assert n == 3
    assert Question.objects.get(kind="multiple").answer == [0, 1, 2, 3]


def test_a_question_sheet_with_one_bad_row_imports_nothing(world: World) -> None:
    with pytest.raises(ValidationError) as exc:
        services.questions_import_xlsx(
            file=_sheet(
                [
                    ["单选", "党的最高理想是？", "实现共产主义", "发展经济", None, None, "A", ""],
                    ["填空", "党的宗旨是____。", None, None, None, None, "为人民服务", ""],
                ]
            )
        )
    assert "第 3 行" in " ".join(exc.value.messages)
    assert not Question.objects.exists()


# --- contests --------------------------------------------------------------------------------


def _contest(opens: dt.date = TODAY, closes: dt.date = TODAY) -> Contest:
    return services.contest_create(
        title="党章党规知识竞赛", opens_on=opens, closes_on=closes, questions=question_set()
    )


def _right(questions: list[Question]) -> dict[int, list[int]]:
    return {q.pk: list(q.answer) for q in questions}


def test_all_answers_right_score_the_maximum(world: World) -> None:
    contest = _contest()
    attempt = services.contest_submit(
        contest=contest,
        member=world.members["member_a"],
        answers=_right(question_set()),
        today=TODAY,
    )
    assert (attempt.score, attempt.max_score, attempt.correct) == (30, 30, 3)


def test_a_multiple_choice_answer_missing_one_option_scores_nothing(world: World) -> None:
    contest = _contest()
    qs = question_set()
    answers = _right(qs)
    multiple = next(q for q in qs if q.kind == Question.Kind.MULTIPLE)
    answers[multiple.pk] = [0]
    attempt = services.contest_submit(
        contest=contest, member=world.members["member_a"], answers=answers, today=TODAY
    )
    assert (attempt.score, attempt.correct) == (20, 2)


def test_a_second_attempt_is_refused(world: World) -> None:
    contest = _contest()
    kwargs = {"contest": contest, "member": world.members["member_a"], "today": TODAY}
    services.contest_submit(answers={}, **kwargs)
    refused(services.contest_submit, match="已参加过", answers=_right(question_set()), **kwargs)
    assert ContestAttempt.objects.get().score == 0


def test_a_contest_is_open_on_its_last_day_and_closed_the_day_after(world: World) -> None:
    contest = _contest(opens=TODAY - dt.timedelta(days=7), closes=TODAY)
    refused(
        services.contest_submit,
        match="未在开放时间",
        contest=contest,
        member=world.members["member_a"],
        answers={},
        today=TODAY + dt.timedelta(days=1),
    )
    services.contest_submit(
        contest=contest, member=world.members["member_a"], answers={}, today=TODAY
    )


def test_a_non_member_cannot_take_part(world: World) -> None:
    refused(
        services.contest_submit,
        match="只有党员",
        contest=_contest(),
        member=None,
        answers={},
        today=TODAY,
    )


def test_a_contest_closing_before_it_opens_is_refused(world: World) -> None:
    with pytest.raises(ValidationError):
        _contest(opens=TODAY, closes=TODAY - dt.timedelta(days=1))


# --- branch brands ---------------------------------------------------------------------------


def test_a_branch_brand_is_saved_once_and_updated(world: World) -> None:
    services.brand_save(organisation=world.branch_a, name="心佑先锋", slogan="党建引领，护心守正")
    brand = services.brand_save(
        organisation=world.branch_a,
        name="心佑先锋",
        slogan="支部建在科室上，党员站在最前沿",
        featured_activities="胸痛中心党员先锋岗\n\n义诊进社区",
    )
    assert BranchBrand.objects.count() == 1
    assert brand.activity_items == ["胸痛中心党员先锋岗", "义诊进社区"]


def test_a_brand_belongs_to_a_branch_not_a_group(world: World) -> None:
    refused(
        services.brand_save, match="只能属于党支部", organisation=world.group_a, name="小组品牌"
    )


def test_a_brand_score_above_100_is_refused(world: World) -> None:
    brand = services.brand_save(organisation=world.branch_a, name="心佑先锋")
    user = world.user("party_office")
    with pytest.raises(ValidationError):
        services.brand_evaluate(brand=brand, score=Decimal("100.5"), user=user)
    services.brand_evaluate(brand=brand, score=Decimal("92"), user=user, on=TODAY)
    brand.refresh_from_db()
    assert brand.score == Decimal("92") and brand.evaluated_on == TODAY
