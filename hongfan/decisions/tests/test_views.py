"""The decision-meeting pages as the office and the staff see them."""

from __future__ import annotations

import datetime as dt
import warnings

import pytest
from django.core.paginator import UnorderedObjectListWarning
from django.test import Client
from django.urls import reverse

from hongfan.accounts.roles import Role
from hongfan.core.testing import World, login
from hongfan.decisions import services
from hongfan.decisions.models import AgendaItem, Meeting, MeetingKind, Resolution
from hongfan.decisions.tests.factories import (
    all_yes,
    committee_members,
    item,
    meeting,
    office_members,
)
from hongfan.loops.models import Matter

pytestmark = pytest.mark.django_db

MAJOR = AgendaItem.Category.MAJOR_DECISION


def _many_meetings(world: World, n: int) -> None:
    """``n`` meetings with two items each, one of them 三重一大 (bulk, no attendance)."""
    chair, recorder = world.staff["office"], world.staff["office"]
    meetings = Meeting.objects.bulk_create(
        Meeting(
            institution=world.hospital,
            kind=MeetingKind.PARTY_COMMITTEE if i % 2 else MeetingKind.PRESIDENT_OFFICE,
            number=f"2026-{i + 1:02d}",
            held_on=dt.date(2026, 1, 5) + dt.timedelta(days=3 * i),
            place="行政楼第一会议室" if i % 3 else "门诊楼三楼会议室",
            chair=chair,
            recorder=recorder,
            first_topic_title="学习党的二十届四中全会精神",
        )
        for i in range(n)
    )
    AgendaItem.objects.bulk_create(
        AgendaItem(
            meeting=m,
            meeting_kind=m.kind,
            order=k + 1,
            title=f"关于第{m.number}期{'购置设备' if k else '人员招聘'}的议题",
            category=MAJOR if k and m.kind == MeetingKind.PARTY_COMMITTEE else "ordinary",
        )
        for m in meetings
        for k in range(2)
    )


def test_the_meeting_list_pages_in_date_order_with_a_constant_number_of_queries(
    world: World, client: Client, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    _many_meetings(world, 60)
    login(client, world.user(Role.PRESIDENT_OFFICE))
    url = reverse("decisions:meeting_list")
    with warnings.catch_warnings():
        warnings.simplefilter("error", UnorderedObjectListWarning)
        with django_assert_max_num_queries(12):
            first = client.get(url)
        second = client.get(url, {"page": 2})
    assert first.status_code == 200
    dates = [m.held_on for m in first.context["page_obj"]]
    assert len(dates) == 50 and dates == sorted(dates, reverse=True)
    assert len(second.context["page_obj"]) == 10
    assert first.context["page_obj"][0].item_count == 2


def test_the_meeting_list_filters_and_exports(world: World, client: Client) -> None:
    _many_meetings(world, 8)
    login(client, world.user(Role.PRESIDENT_OFFICE))
    url = reverse("decisions:meeting_list")
    committee = client.get(url, {"kind": MeetingKind.PARTY_COMMITTEE, "major": "on"})
    assert {m.kind for m in committee.context["page_obj"]} == {MeetingKind.PARTY_COMMITTEE}
    assert len(committee.context["page_obj"]) == 4
    found = client.get(url, {"q": "2026-03"})
    assert [m.number for m in found.context["page_obj"]] == ["2026-03"]
    export = client.get(url, {"export": "xlsx"})
    assert export.status_code == 200
    assert "spreadsheetml" in export["Content-Type"]


def test_an_empty_meeting_list_says_how_to_start(world: World, client: Client) -> None:
    login(client, world.user(Role.PRESIDENT_OFFICE))
    html = client.get(reverse("decisions:meeting_list")).content.decode()
    assert "没有符合条件的会议" in html


def test_the_office_meeting_cannot_pass_a_major_item_from_the_form(
    world: World, client: Client
) -> None:
    members = office_members(world, 3)
    m = meeting(world, members, kind=MeetingKind.PRESIDENT_OFFICE, present=3)
    it = item(m, title="关于新建住院综合楼的议题", category=MAJOR)
    login(client, world.user(Role.PRESIDENT_OFFICE))
    data = {f"vote_{s.pk}": "yes" for s in members}
    data.update({"owner_department": world.dept_a1.pk, "deadline_days": 20})
    response = client.post(reverse("decisions:item_decide", args=[it.pk]), data)
    assert response.status_code == 200
    assert "三重一大议题不能仅由院长办公会最终决定" in response.content.decode()
    it.refresh_from_db()
    assert it.decision == AgendaItem.Decision.PENDING
    assert not Matter.objects.exists()


def test_a_vote_without_quorum_is_refused_on_the_form(world: World, client: Client) -> None:
    members = committee_members(world, 6)
    m = meeting(world, members, present=3)  # 3 of 6 < 2/3 for a 三重一大 item
    it = item(m, title="关于调整中层干部的议题", category=AgendaItem.Category.CADRE_APPOINTMENT)
    login(client, world.user(Role.PRESIDENT_OFFICE))
    data = {f"vote_{s.pk}": "yes" for s in members[:3]}
    data.update({"owner_department": world.dept_a1.pk, "deadline_days": 20})
    response = client.post(reverse("decisions:item_decide", args=[it.pk]), data)
    assert "未达到法定人数" in response.content.decode()
    it.refresh_from_db()
    assert it.decision == AgendaItem.Decision.PENDING
    assert not it.votes.exists()


def test_passing_an_item_on_the_form_opens_a_supervised_matter(
    world: World, client: Client
) -> None:
    members = committee_members(world, 3)
    m = meeting(world, members, present=3)
    it = item(m, title="关于开展“一科一品”服务品牌建设的议题")
    owner = world.user(Role.DEPARTMENT_HEAD)
    login(client, world.user(Role.PRESIDENT_OFFICE))
    data = {f"vote_{s.pk}": "yes" for s in members}
    data.update(
        {
            "owner": owner.pk,
            "owner_department": world.dept_a1.pk,
            "deadline_days": 15,
            "resolution_text": "心内科牵头，6月底前完成方案。",
        }
    )
    response = client.post(reverse("decisions:item_decide", args=[it.pk]), data)
    assert response.status_code == 302
    resolution = Resolution.objects.get(item=it)
    matter = Matter.objects.get(pk=resolution.matter_id)
    assert (matter.owner, matter.type.code) == (owner, "resolution")
    page = client.get(reverse("decisions:resolution_detail", args=[resolution.pk]))
    assert reverse("loops:detail", args=[matter.pk]) in page.content.decode()
    # …and the matter's page links back to its source, the resolution.
    matter_page = client.get(reverse("loops:detail", args=[matter.pk])).content.decode()
    assert reverse("decisions:resolution_detail", args=[resolution.pk]) in matter_page
    assert resolution.number in matter_page


def _published_resolutions(world: World, n: int) -> list[Resolution]:
    members = committee_members(world, 3)
    m = meeting(world, members, present=3)
    out = []
    for i in range(n):
        it = services.agenda_item_decide(
            item=item(m, title=f"关于第{i + 1}项院务工作的议题"),
            votes=all_yes(members, 3),
            owner_department=world.dept_a1 if i % 2 else world.dept_b1,
            actor=world.user(Role.PRESIDENT_OFFICE),
        )
        out.append(it.resolution)
    return out


def test_the_disclosure_page_shows_staff_only_published_resolutions(
    world: World, client: Client, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    resolutions = _published_resolutions(world, 8)
    for r in resolutions[:6]:
        services.resolution_publish(resolution=r)
    login(client, world.user(Role.STAFF))
    with django_assert_max_num_queries(10):
        response = client.get(reverse("decisions:disclosure"))
    shown = {r.number for r in response.context["page_obj"]}
    assert shown == {r.number for r in resolutions[:6]}
    html = response.content.decode()
    assert resolutions[6].number not in html and "办理中" not in html  # state labels in Chinese
    assert "待办" in html
    # A plain member of staff opens only a published resolution.
    assert client.get(reverse("decisions:resolution_list")).status_code == 403


def test_the_resolution_list_uses_a_constant_number_of_queries(
    world: World, client: Client, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    _published_resolutions(world, 12)
    login(client, world.user(Role.PRESIDENT_OFFICE))
    with django_assert_max_num_queries(12):
        response = client.get(reverse("decisions:resolution_list"))
    assert len(response.context["page_obj"]) == 12
    assert client.get(reverse("decisions:resolution_list"), {"export": "xlsx"}).status_code == 200


def test_the_compliance_report_shows_an_item_awaiting_the_committee(
    world: World, client: Client
) -> None:
    members = office_members(world, 3)
    m = meeting(world, members, kind=MeetingKind.PRESIDENT_OFFICE, present=3)
    it = item(m, title="关于采购直线加速器的议题", category=AgendaItem.Category.MAJOR_PROJECT)
    services.agenda_item_refer(item=it)
    login(client, world.user(Role.DISCIPLINE))
    html = client.get(reverse("decisions:compliance"), {"year": 2026}).content.decode()
    assert "关于采购直线加速器的议题" in html
    assert "待党委会决定" in html
