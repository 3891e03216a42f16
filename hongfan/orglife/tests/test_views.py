"""Organisational life pages as a user sees them (the interface speaks Chinese)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from hongfan.accounts.roles import Role
from hongfan.audit.models import AuditEntry
from hongfan.core.testing import World, login, make_member, make_staff
from hongfan.orglife import services
from hongfan.orglife.models import Attendance, Meeting, MeetingKind, ReviewResult
from hongfan.party.models import PartyOrganisation

pytestmark = pytest.mark.django_db


def _client(world: World, role: str) -> Client:
    return login(Client(), world.user(role))


def _plan(
    org: PartyOrganisation,
    topic: str,
    day: dt.date | None = None,
    kind: str = MeetingKind.THEME_DAY,
) -> Meeting:
    return services.meeting_plan(
        organisation=org, kind=kind, topic=topic, planned_on=day or timezone.localdate()
    )


def test_the_meeting_list_searches_filters_exports_and_shows_an_empty_state(world: World) -> None:
    _plan(world.branch_a, "重温入党誓词")
    _plan(world.branch_a, "研究本月工作", kind=MeetingKind.COMMITTEE)
    c = _client(world, Role.PARTY_OFFICE)
    url = reverse("orglife:meeting_list")
    body = c.get(url, {"q": "入党誓词"}).content.decode()
    assert "重温入党誓词" in body and "研究本月工作" not in body
    body = c.get(url, {"kind": MeetingKind.COMMITTEE}).content.decode()
    assert "研究本月工作" in body and "重温入党誓词" not in body
    assert "暂无会议" in c.get(url, {"q": "没有这个会"}).content.decode()
    export = c.get(url, {"export": "xlsx"})
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")


def test_a_secretary_lists_only_their_branch_in_few_queries(
    world: World, django_assert_max_num_queries
) -> None:
    for i in range(60):
        _plan(world.branch_a, f"内科会议{i:02d}")
    _plan(world.branch_b, "外科会议")
    c = _client(world, Role.BRANCH_SECRETARY)
    with django_assert_max_num_queries(16):
        body = c.get(reverse("orglife:meeting_list")).content.decode()
    assert "内科会议59" in body and "外科会议" not in body
    assert "内科会议09" not in body  # page 2 (50 a page)
    assert "内科会议09" in c.get(reverse("orglife:meeting_list"), {"page": 2}).content.decode()


def test_a_member_sees_the_meetings_they_were_invited_to(world: World) -> None:
    staff = world.staff["plain_a1"]
    member = make_member(staff, world.branch_a)
    m = _plan(world.branch_a, "主题党日：义诊")
    assert m.attendances.filter(member=member).exists()
    body = _client(world, Role.STAFF).get(reverse("orglife:meeting_list")).content.decode()
    assert "主题党日：义诊" in body and "计划会议" not in body


def test_recording_a_meeting_through_the_form(world: World) -> None:
    meeting = _plan(world.branch_a, "重温入党誓词", dt.date.today())
    sec, mem = world.members["secretary_a"], world.members["member_a"]
    c = _client(world, Role.BRANCH_SECRETARY)
    url = reverse("orglife:meeting_record", kwargs={"pk": meeting.pk})
    response = c.post(
        url,
        {
            "held_on": timezone.localdate().isoformat(),
            "starts_at": "12:10",
            "place": "党员活动室",
            "host": sec.pk,
            "recorder": mem.pk,
            "first_topic_title": "学习党的二十届四中全会公报",
            "first_topic_source": "新华社",
            "agenda": "重温入党誓词\n讨论下月计划",
            "resolutions": "同意",
            "minutes": "会议记录正文",
            f"att_{sec.pk}": "present",
            f"att_{mem.pk}": "absent:duty",
            f"note_{mem.pk}": "外出进修",
        },
    )
    assert response.status_code == 302
    detail = c.get(response["Location"]).content.decode()
    assert "学习党的二十届四中全会公报" in detail and "公差" in detail and "外出进修" in detail
    assert "应到 2 人，实到 1 人，缺席 1 人" in detail
    assert Attendance.objects.get(meeting=meeting, member=mem).absence_reason == "duty"


def test_a_meeting_dated_in_the_future_shows_a_chinese_error_and_saves_nothing(
    world: World,
) -> None:
    meeting = _plan(world.branch_a, "计划中的会议", timezone.localdate() + dt.timedelta(days=3))
    c = _client(world, Role.BRANCH_SECRETARY)
    response = c.post(
        reverse("orglife:meeting_record", kwargs={"pk": meeting.pk}),
        {
            "held_on": (timezone.localdate() + dt.timedelta(days=3)).isoformat(),
            "place": "会议室",
            "first_topic_title": "学习",
            f"att_{world.members['secretary_a'].pk}": "present",
            f"att_{world.members['member_a'].pk}": "present",
        },
    )
    assert response.status_code == 200
    assert "会议尚未召开，不能提前记录" in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.PLANNED


def test_the_office_records_late_with_a_reason_and_it_is_audited(world: World) -> None:
    day = timezone.localdate() - dt.timedelta(days=40)
    meeting = _plan(world.branch_a, "补录的会议", day)
    data = {
        "held_on": day.isoformat(),
        "place": "会议室",
        "first_topic_title": "学习",
        f"att_{world.members['secretary_a'].pk}": "present",
        f"att_{world.members['member_a'].pk}": "present",
    }
    url = reverse("orglife:meeting_record", kwargs={"pk": meeting.pk})
    refused = _client(world, Role.BRANCH_SECRETARY).post(url, {**data, "backfill_reason": "忘了"})
    assert "逾期只能由党委办公室补录" in refused.content.decode()
    ok = _client(world, Role.PARTY_OFFICE).post(url, {**data, "backfill_reason": "纸质记录补录"})
    assert ok.status_code == 302
    assert AuditEntry.objects.filter(
        object_type="orglife.meeting", detail__what="orglife.backfill_override"
    ).exists()


def test_the_qr_page_shows_a_code_and_the_phone_page_signs_in_once(world: World) -> None:
    meeting = _plan(world.branch_a, "扫码签到的会议")
    office = _client(world, Role.BRANCH_SECRETARY)
    page = office.get(reverse("orglife:meeting_qr", kwargs={"pk": meeting.pk})).content.decode()
    assert "<svg" in page and "请用手机扫码签到" in page
    token = services.sign_in_token(meeting)
    url = reverse("orglife:sign_in", kwargs={"token": token})
    phone = _client(world, Role.BRANCH_SECRETARY)
    assert "签到" in phone.get(url).content.decode()
    first = phone.post(url)
    assert "签到成功" in first.content.decode()
    again = phone.post(url)
    assert again.status_code == 409 and "每位党员只能签到一次" in again.content.decode()
    assert Attendance.objects.filter(meeting=meeting, signed_in_at__isnull=False).count() == 1


def test_an_expired_code_is_refused_in_chinese(world: World) -> None:
    meeting = _plan(world.branch_a, "过期的会议", timezone.localdate() - dt.timedelta(days=2))
    url = reverse("orglife:sign_in", kwargs={"token": services.sign_in_token(meeting)})
    response = _client(world, Role.BRANCH_SECRETARY).post(url)
    assert response.status_code == 400 and "签到码已过期" in response.content.decode()
    assert not Attendance.objects.filter(meeting=meeting, signed_in_at__isnull=False).exists()


def test_the_compliance_matrix_costs_the_same_queries_for_80_branches(
    world: World,
    django_assert_num_queries,
    django_assert_max_num_queries,
) -> None:
    c = _client(world, Role.PARTY_OFFICE)
    url = reverse("orglife:compliance_matrix")
    c.get(url)  # warm the session and caches
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        c.get(url, {"year": 2026})
    branches = [
        PartyOrganisation(
            institution=world.hospital,
            code=f"PM{i:02d}",
            name=f"第{i:02d}党支部",
            kind="branch",
            parent=world.committee,
            established_on=dt.date(2010, 1, 1),
        )
        for i in range(80)
    ]
    PartyOrganisation.objects.bulk_create(branches)
    for i, b in enumerate(PartyOrganisation.objects.filter(code__startswith="PM")):
        Meeting.objects.create(
            organisation=b,
            kind=MeetingKind.THEME_DAY,
            topic="t",
            planned_on=dt.date(2026, 1 + i % 12, 5),
            held_on=dt.date(2026, 1 + i % 12, 5),
            status="recorded",
            is_valid=True,
        )
    with django_assert_num_queries(len(small)):
        body = c.get(url, {"year": 2026}).content.decode()
    assert "第79党支部" in body and body.count("/orglife/compliance/") >= 82
    assert body.count('data-status="missed"') >= 80 * 10  # nothing but a theme day: red


def test_the_secretary_sees_only_their_branch_in_the_matrix_and_its_branch_view(
    world: World,
) -> None:
    c = _client(world, Role.BRANCH_SECRETARY)
    body = c.get(reverse("orglife:compliance_matrix")).content.decode()
    assert "内科党支部" in body and "外科党支部" not in body
    branch = c.get(
        reverse("orglife:compliance_branch", kwargs={"pk": world.branch_a.pk}), {"year": 2026}
    )
    assert "支部委员会" in branch.content.decode()
    other = c.get(reverse("orglife:compliance_branch", kwargs={"pk": world.branch_b.pk}))
    assert other.status_code == 404


def test_the_matrix_exports_excel(world: World) -> None:
    response = _client(world, Role.PARTY_OFFICE).get(
        reverse("orglife:compliance_matrix"), {"export": "xlsx"}
    )
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")


def test_a_review_runs_from_self_assessment_to_the_members_record(world: World) -> None:
    extra = [make_member(make_staff(world.dept_a1, f"党员{i}"), world.branch_a) for i in range(4)]
    office = _client(world, Role.BRANCH_SECRETARY)
    response = office.post(
        reverse("orglife:campaign_list"), {"organisation": world.branch_a.pk, "year": 2026}
    )
    detail_url = response["Location"]
    pk = int(detail_url.rstrip("/").split("/")[-1])
    # The secretary is also a member of the branch: self-assessment and vote on the phone pages.
    self_url = reverse("orglife:review_self", kwargs={"pk": pk})
    assert office.post(self_url, {"text": "认真履职"}).status_code == 302
    office.post(detail_url, {"action": "start_mutual"})
    mutual_url = reverse("orglife:review_mutual", kwargs={"pk": pk})
    page = office.get(mutual_url).content.decode()
    assert "赵党员" in page and "李支书" not in page.split("mutual-form")[1]
    office.post(mutual_url, {f"m_{world.members['member_a'].pk}": "工作认真，服务热情"})
    assert ">1<" in office.get(detail_url).content.decode().replace(" ", "")
    office.post(detail_url, {"action": "start_voting"})
    vote_url = reverse("orglife:review_vote", kwargs={"pk": pk})
    candidates = [world.members["member_a"], *extra]
    office.post(vote_url, {f"c_{m.pk}": "qualified" for m in candidates})
    assert "您已为全部党员投票" in office.get(vote_url).content.decode()
    everyone = [world.members["secretary_a"], *candidates]
    too_many = {f"g_{m.pk}": "excellent" for m in everyone[:3]} | {
        f"g_{m.pk}": "qualified" for m in everyone[3:]
    }
    refused = office.post(
        detail_url,
        {"action": "decide", "decided_on": "2026-11-20", "decided_by": "支部党员大会", **too_many},
    )
    assert "优秀等次不得超过" in refused.content.decode()
    assert not ReviewResult.objects.exists()
    ok = {f"g_{m.pk}": "excellent" for m in everyone[:2]} | {
        f"g_{m.pk}": "qualified" for m in everyone[2:]
    }
    office.post(
        detail_url,
        {"action": "decide", "decided_on": "2026-11-20", "decided_by": "支部党员大会", **ok},
    )
    record = office.get(
        reverse("orglife:member_reviews", kwargs={"pk": everyone[0].pk})
    ).content.decode()
    assert "优秀" in record and "2026" in record


def test_the_review_list_filters_exports_and_pins_its_queries(
    world: World,
    django_assert_max_num_queries,
) -> None:
    for i in range(30):
        b = PartyOrganisation.objects.create(
            institution=world.hospital,
            code=f"PR{i:02d}",
            name=f"评议{i:02d}党支部",
            kind="branch",
            parent=world.committee,
            established_on=dt.date(2010, 1, 1),
        )
        services.campaign_open(organisation=b, year=2025 + i % 2)
    c = _client(world, Role.PARTY_OFFICE)
    url = reverse("orglife:campaign_list")
    with django_assert_max_num_queries(16):
        page = c.get(url, {"year": 2026}).content.decode()
    table = page.split('data-testid="campaigns"')[1]
    assert "评议01党支部" in table and "评议00党支部" not in table
    assert "暂无评议" in c.get(url, {"stage": "voting"}).content.decode()
    export = c.get(url, {"export": "xlsx"})
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")


def test_the_office_makes_the_party_lecture_twice_a_year(world: World) -> None:
    from hongfan.orglife.models import FrequencyRule

    rule = FrequencyRule.objects.get(kind=MeetingKind.LECTURE)
    url = reverse("orglife:rule_edit", kwargs={"pk": rule.pk})
    assert _client(world, Role.BRANCH_SECRETARY).get(url).status_code == 403
    c = _client(world, Role.PARTY_OFFICE)
    data = {
        "kind": "lecture",
        "period": "year",
        "minimum": 2,
        "applies_to": "regular",
        "is_active": "on",
    }
    assert c.post(url, data).status_code == 302
    from hongfan.orglife import selectors

    branches = PartyOrganisation.objects.filter(pk=world.branch_a.pk)
    row = selectors.compliance_for_year(branches, 2026).rows[0]
    lectures = [(r.key, r.required) for r in row.requirements if r.kind == MeetingKind.LECTURE]
    assert lectures == [("2026", 2)]
    rule.refresh_from_db()
    assert (rule.period, rule.minimum) == ("year", 2)
    refused = c.post(url, {**data, "minimum": 0})
    assert refused.status_code == 200 and not FrequencyRule.objects.filter(minimum=0).exists()


def test_the_office_switches_reminder_channels_and_the_robot_key_is_never_shown(
    world: World,
) -> None:
    from hongfan.orglife.models import OrglifeSettings

    c = _client(world, Role.PARTY_OFFICE)
    url = reverse("orglife:settings_edit")
    base = {
        "backfill_days": 7,
        "sign_in_hours": 2,
        "reminder_days": 7,
        "reminder_days_long": 45,
        "excellent_numerator": 1,
        "excellent_denominator": 3,
    }
    missing_url = c.post(url, {**base, "reminders_in_app": "on", "reminder_robot": "wecom"})
    assert "群机器人须填写 Webhook 地址" in missing_url.content.decode()
    secret = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=SECRET-KEY"
    assert (
        c.post(url, {**base, "reminder_robot": "wecom", "reminder_robot_url": secret}).status_code
        == 302
    )
    config = OrglifeSettings.current()
    assert config.reminder_robot_url == secret and not config.reminders_in_app
    assert "SECRET-KEY" not in c.get(url).content.decode()
    c.post(
        url, {**base, "reminders_in_app": "on", "reminder_robot": "wecom"}
    )  # empty keeps the key
    assert OrglifeSettings.current().reminder_robot_url == secret


def test_the_secretary_plans_the_year_for_their_branch_only(world: World) -> None:
    c = _client(world, Role.BRANCH_SECRETARY)
    url = reverse("orglife:year_plan")
    year = timezone.localdate().year + 1  # a whole year ahead, whatever today is
    refused = c.post(url, {"organisation": world.branch_b.pk, "year": year, "day_of_month": 15})
    assert refused.status_code == 200 and not Meeting.objects.exists()
    response = c.post(url, {"organisation": world.branch_a.pk, "year": year, "day_of_month": 28})
    assert response.status_code == 302 and "status=planned" in response["Location"]
    assert Meeting.objects.filter(organisation=world.branch_a, status="planned").exists()
    assert not Meeting.objects.filter(organisation=world.branch_b).exists()
