"""The publicity pages: scoping, the review on screen, exports and query counts."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from hongfan.accounts.roles import Role
from hongfan.core.testing import login
from hongfan.publicity import services
from hongfan.publicity.models import CulturalActivity, Story
from hongfan.publicity.tests import factories as f

pytestmark = pytest.mark.django_db


def test_a_correspondent_sees_their_own_drafts_and_nobody_elses(world, client):
    f.draft(world, title="我的草稿")
    services.story_create(actor=world.user(Role.BRANCH_SECRETARY), title="支书的草稿", body="正文")
    login(client, world.user(Role.STAFF))
    page = client.get(reverse("publicity:story_list")).content.decode()
    assert "我的草稿" in page and "支书的草稿" not in page


def test_reviewers_see_their_queue_and_not_other_levels(world, client):
    first, second, _final = f.reviewers(world)
    f.submitted(world, title="待初审稿件")
    login(client, second)
    page = client.get(reverse("publicity:queue")).content.decode()
    assert "待初审稿件" not in page
    login(client, first)
    page = client.get(reverse("publicity:queue")).content.decode()
    assert "待初审稿件" in page


def test_a_reviewer_takes_a_story_through_the_first_review_on_screen(world, client):
    first, _s, _f = f.reviewers(world)
    story = f.submitted(world, body="该院第一次开展此项服务。")
    login(client, first)
    url = reverse("publicity:story_detail", args=[story.pk])
    page = client.get(url).content.decode()
    assert "第一" in page and 'id="review-submit"' in page
    # Passing with the word unresolved shows the reason and changes nothing.
    response = client.post(reverse("publicity:story_review", args=[story.pk]), {"decision": "pass"})
    assert response.status_code == 302
    story.refresh_from_db()
    assert story.pending_level == 1
    page = client.get(url).content.decode()
    assert "第一" in page
    match = story.word_matches.get()
    client.post(
        reverse("publicity:match_resolve", args=[story.pk, match.pk]),
        {"resolution": "accepted", "reason": "事实表述"},
    )
    client.post(reverse("publicity:story_review", args=[story.pk]), {"decision": "pass"})
    story.refresh_from_db()
    assert story.pending_level == 2


def test_script_in_a_story_is_shown_as_text(world, client):
    story = f.draft(
        world, title="<script>alert(1)</script>标题", body="<img src=x onerror=alert(1)>"
    )
    login(client, world.user(Role.STAFF))
    page = client.get(reverse("publicity:story_detail", args=[story.pk])).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<img src=x" not in page


def test_submitting_a_story_through_the_form_sends_it_to_the_first_review(world, client):
    f.reviewers(world)
    login(client, world.user(Role.STAFF))
    response = client.post(
        reverse("publicity:story_create"),
        {"title": "新稿件", "body": "正文", "video_links": "", "submit": "1"},
    )
    story = Story.objects.get(title="新稿件")
    assert response.status_code == 302
    assert "稿件已提交初审" in client.get(response.url).content.decode()
    assert (story.status, story.pending_level) == (Story.Status.IN_REVIEW, 1)


def test_a_bad_video_link_is_refused_with_a_clear_message_and_nothing_is_saved(world, client):
    login(client, world.user(Role.STAFF))
    response = client.post(
        reverse("publicity:story_create"),
        {"title": "新稿件", "body": "正文", "video_links": "javascript:alert(1)"},
    )
    assert response.status_code == 200
    assert not Story.objects.exists()
    assert "javascript:alert(1)" in response.content.decode()  # named in the message


def test_the_story_list_exports_to_excel(world, client):
    f.published(world, title="导出测试稿件")
    login(client, world.user(Role.PARTY_OFFICE))
    response = client.get(reverse("publicity:story_list") + "?export=xlsx")
    wb = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(wb.active.values)
    assert rows[1][1] == "导出测试稿件"


@pytest.mark.parametrize("count", [3, 12])
def test_the_story_list_and_queue_take_a_constant_number_of_queries(
    world, client, django_assert_max_num_queries, count
):
    f.reviewers(world)
    for i in range(count):
        f.submitted(world, title=f"稿件{i}")
    login(client, world.user(Role.PARTY_OFFICE))
    with django_assert_max_num_queries(14):
        assert client.get(reverse("publicity:story_list")).status_code == 200
    with django_assert_max_num_queries(14):
        assert client.get(reverse("publicity:queue")).status_code == 200


@pytest.mark.parametrize("count", [2, 10])
def test_the_statistics_calendar_and_activities_take_a_constant_number_of_queries(
    world, client, django_assert_max_num_queries, count
):
    for i in range(count):
        f.published(world, title=f"稿件{i}")
        services.activity_save(
            actor=world.user(Role.PARTY_OFFICE),
            kind=CulturalActivity.Kind.SPORTS,
            title=f"活动{i}",
            held_on=dt.date.today(),
            participants=[world.staff["plain_a1"], world.staff["member_b"]],
            organiser_text="院工会",
        )
    login(client, world.user(Role.PARTY_OFFICE))
    with django_assert_max_num_queries(24):
        assert client.get(reverse("publicity:stats")).status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(reverse("publicity:calendar")).status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(reverse("publicity:activity_list")).status_code == 200
    with django_assert_max_num_queries(14):
        assert client.get(reverse("publicity:correspondent_list")).status_code == 200


def test_an_activity_is_recorded_from_employee_numbers_with_results(world, client):
    secretary_no = world.staff["secretary_a"].employee_no
    member_no = world.staff["member_a"].employee_no
    login(client, world.user(Role.BRANCH_SECRETARY))
    response = client.post(
        reverse("publicity:activity_create"),
        {
            "kind": "knowledge_contest",
            "title": "支部党史知识竞赛",
            "held_on": "2026-10-01",
            "organiser_organisation": world.branch_a.pk,
            "participants": f"{secretary_no}，{member_no}",
            "awards": f"{member_no} 一等奖",
            "counts_as_study": "on",
            "study_hours": "2",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    activity = CulturalActivity.objects.get()
    assert activity.participations.count() == 2 and activity.study_activity is not None
    # A secretary cannot organise in another branch's name.
    response = client.post(
        reverse("publicity:activity_create"),
        {
            "kind": "sports",
            "title": "外科运动会",
            "held_on": "2026-10-01",
            "organiser_organisation": world.branch_b.pk,
            "participants": world.staff["member_b"].employee_no,
        },
    )
    assert response.status_code == 200 and CulturalActivity.objects.count() == 1


def test_unknown_employee_numbers_are_named(world, client):
    login(client, world.user(Role.PARTY_OFFICE))
    response = client.post(
        reverse("publicity:activity_create"),
        {
            "kind": "sports",
            "title": "运动会",
            "held_on": "2026-10-01",
            "organiser_text": "院工会",
            "participants": "NOPE01 NOPE02",
        },
    )
    assert "NOPE01" in response.content.decode() and not CulturalActivity.objects.exists()
