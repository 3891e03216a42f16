"""Pages of learning as a user sees them: lists, the quiz, coverage, brands."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from hongfan.accounts.roles import Role
from hongfan.core.testing import World, login, make_member, make_staff
from hongfan.learning import services
from hongfan.learning.models import BranchBrand, ContestAttempt, Question, StudyActivity
from hongfan.learning.tests.factories import open_contest

pytestmark = pytest.mark.django_db


def _client(world: World, role: str) -> Client:
    return login(Client(), world.user(role))


def _activities(world: World, org, member_keys, n: int, title: str) -> None:
    for i in range(n):
        services.activity_create(
            organisation=org,
            kind=StudyActivity.Kind.CENTRAL_GROUP,
            title=f"{title}{i + 1}",
            held_on=dt.date(2026, 3, 1) + dt.timedelta(days=i),
            hours=Decimal("2"),
            participant_ids=[world.members[k].pk for k in member_keys],
            today=dt.date(2026, 12, 31),
        )


def test_the_activity_list_searches_filters_and_exports(world: World) -> None:
    _activities(world, world.branch_a, ["member_a"], 2, "理论学习")
    services.activity_create(
        organisation=world.branch_a,
        kind=StudyActivity.Kind.RED_BASE,
        title="西柏坡红色教育",
        held_on=dt.date(2026, 4, 1),
        hours=Decimal("4"),
        participant_ids=[world.members["member_a"].pk],
        today=dt.date(2026, 12, 31),
    )
    c = _client(world, Role.PARTY_OFFICE)
    url = reverse("learning:activity_list")
    body = c.get(url, {"q": "西柏坡"}).content.decode()
    assert "西柏坡红色教育" in body and "理论学习1" not in body
    body = c.get(url, {"kind": "central_group"}).content.decode()
    assert "理论学习2" in body and "西柏坡" not in body
    assert "暂无学习活动" in c.get(url, {"year": "2020"}).content.decode()
    export = c.get(url, {"export": "xlsx", "kind": "red_base"})
    assert export["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml"
    )


def test_a_secretary_lists_only_their_branch_activities_in_few_queries(
    world: World, django_assert_max_num_queries
) -> None:
    _activities(world, world.branch_a, ["member_a", "secretary_a"], 30, "内科学习")
    _activities(world, world.branch_b, ["member_b"], 3, "外科学习")
    c = _client(world, Role.BRANCH_SECRETARY)
    with django_assert_max_num_queries(14):
        response = c.get(reverse("learning:activity_list"))
    body = response.content.decode()
    assert "内科学习30" in body and "外科学习" not in body


def test_recording_an_activity_offers_only_the_secretarys_members(world: World) -> None:
    c = _client(world, Role.BRANCH_SECRETARY)
    body = c.get(reverse("learning:activity_create")).content.decode()
    assert "赵党员" in body and "钱党员" not in body
    response = c.post(
        reverse("learning:activity_create"),
        {
            "organisation": world.branch_a.pk,
            "kind": "micro_lecture",
            "title": "微党课：医者仁心",
            "held_on": "2026-03-02",
            "hours": "1.5",
            "participants": [world.members["member_a"].pk],
        },
    )
    activity = StudyActivity.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("learning:activity_detail", args=[activity.pk])
    refused = c.post(
        reverse("learning:activity_create"),
        {
            "organisation": world.branch_a.pk,
            "kind": "micro_lecture",
            "title": "混入外科党员",
            "held_on": "2026-03-02",
            "hours": "1.5",
            "participants": [world.members["member_b"].pk],
        },
    )
    assert refused.status_code == 200 and StudyActivity.objects.count() == 1


def test_the_hours_report_shows_coverage_in_few_queries(
    world: World, django_assert_max_num_queries
) -> None:
    for i in range(20):
        make_member(make_staff(world.dept_a1, f"内科党员{i}"), world.branch_a)
    year = timezone.localdate().year
    services.activity_create(
        organisation=world.branch_a,
        kind=StudyActivity.Kind.READING_CLASS,
        title="专题读书班",
        held_on=dt.date(year, 1, 2),
        hours=Decimal("8"),
        participant_ids=[world.members["member_a"].pk, world.members["secretary_a"].pk],
        today=timezone.localdate(),
    )
    c = _client(world, Role.BRANCH_SECRETARY)
    with django_assert_max_num_queries(14):
        response = c.get(reverse("learning:hours_report"), {"year": year})
    body = response.content.decode()
    assert "9.1%" in body  # 2 of 22 members of 内科党支部
    assert 'id="coverage-chart"' in body
    assert "钱党员" not in body


def test_a_member_takes_the_quiz_and_sees_the_score(world: World) -> None:
    contest = open_contest()
    questions = list(contest.questions.order_by("id"))
    c = _client(world, Role.BRANCH_SECRETARY)  # secretary_a is a Party member
    url = reverse("learning:contest_take", args=[contest.pk])
    form = c.get(url).content.decode()
    assert questions[0].text in form
    data = {}
    for q in questions:
        data[f"q_{q.pk}"] = q.answer if q.kind == Question.Kind.MULTIPLE else q.answer[0]
    data[f"q_{questions[0].pk}"] = 1  # one wrong answer
    body = c.post(url, data).content.decode()
    assert "20 / 30" in body
    assert "正确答案" in body and "实现共产主义" in body  # the wrong answer is explained
    again = c.post(url, {f"q_{q.pk}": q.answer[0] for q in questions}).content.decode()
    assert "20 / 30" in again
    assert ContestAttempt.objects.get().score == 20


def test_contest_results_of_a_secretary_show_only_their_branch(world: World) -> None:
    contest = open_contest()
    for key in ("member_a", "member_b"):
        services.contest_submit(contest=contest, member=world.members[key], answers={})
    c = _client(world, Role.BRANCH_SECRETARY)
    body = c.get(reverse("learning:contest_results", args=[contest.pk])).content.decode()
    assert "赵党员" in body and "钱党员" not in body


def test_a_secretary_saves_their_branch_brand(world: World) -> None:
    c = _client(world, Role.BRANCH_SECRETARY)
    response = c.post(
        reverse("learning:brand_edit", args=[world.branch_a.pk]),
        {
            "action": "save",
            "name": "心佑先锋",
            "slogan": "党建引领，护心守正",
            "description": "",
            "featured_activities": "胸痛中心党员先锋岗\n义诊进社区",
        },
    )
    assert response.status_code == 302
    body = c.get(reverse("learning:brand_list")).content.decode()
    assert "心佑先锋" in body and "义诊进社区" in body
    assert BranchBrand.objects.get().organisation == world.branch_a


def test_a_secretary_cannot_evaluate_a_brand(world: World) -> None:
    services.brand_save(organisation=world.branch_a, name="心佑先锋")
    c = _client(world, Role.BRANCH_SECRETARY)
    response = c.post(
        reverse("learning:brand_edit", args=[world.branch_a.pk]),
        {"action": "evaluate", "score": "99"},
    )
    assert response.status_code == 403
    assert BranchBrand.objects.get().score is None


def test_the_office_adds_a_question_and_a_bad_answer_is_explained(world: World) -> None:
    c = _client(world, Role.PARTY_OFFICE)
    url = reverse("learning:question_list")
    ok = c.post(
        url,
        {
            "action": "add",
            "kind": "single",
            "text": "党的最高理想是？",
            "options": "实现共产主义\n发展经济",
            "answer": "A",
        },
    )
    assert ok.status_code == 302
    bad = c.post(
        url,
        {"action": "add", "kind": "single", "text": "坏题", "options": "甲\n乙", "answer": "AB"},
    )
    assert "只能有一个正确选项" in bad.content.decode()
    assert Question.objects.count() == 1


def test_the_contest_list_searches_and_exports(world: World) -> None:
    open_contest()
    c = _client(world, Role.PARTY_OFFICE)
    url = reverse("learning:contest_list")
    assert "党章党规知识竞赛" in c.get(url, {"q": "党章"}).content.decode()
    assert "暂无竞赛" in c.get(url, {"q": "不存在"}).content.decode()
    export = c.get(url, {"export": "xlsx"})
    assert export["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml"
    )


def test_contest_results_keep_their_query_count(
    world: World, django_assert_max_num_queries
) -> None:
    contest = open_contest()
    for i in range(20):
        m = make_member(make_staff(world.dept_a1, f"参赛党员{i}"), world.branch_a)
        services.contest_submit(contest=contest, member=m, answers={})
    c = _client(world, Role.PARTY_OFFICE)
    with django_assert_max_num_queries(14):
        body = c.get(reverse("learning:contest_results", args=[contest.pk])).content.decode()
    assert "参赛党员19" in body
