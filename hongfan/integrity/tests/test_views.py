"""Integrity pages: flows a user notices, Excel exports, constant query counts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from hongfan.accounts.roles import Role
from hongfan.core.testing import World, login, make_staff
from hongfan.integrity import services
from hongfan.integrity.models import EnvelopeEntry, Signature
from hongfan.integrity.tests import factories as f

pytestmark = pytest.mark.django_db


def _count(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        r = client.get(url)
    assert r.status_code == 200, url
    return len(ctx.captured_queries)


def _constant(client: Client, url: str, add: Callable[[int], None]) -> None:
    """Adding rows does not add queries (no N+1)."""
    add(3)
    few = _count(client, url)
    add(25)
    assert _count(client, url) == few


def test_list_pages_run_a_constant_number_of_queries(world: World) -> None:
    client = login(Client(), world.user(Role.DISCIPLINE))
    office = f.office(world)
    staff = [make_staff(world.dept_b1, f"员工{i}") for i in range(3)]

    def envelopes(n: int) -> None:
        for i in range(n):
            services.envelope_record(
                actor=office,
                staff=staff[i % 3],
                occurred_on=timezone.localdate(),
                kind="gift",
                amount=100 + i,
                patient_name=f"患者{i}",
                handling="returned",
            )

    _constant(client, reverse("integrity:envelopes"), envelopes)

    def reports(n: int) -> None:
        for _ in range(n):
            f.anonymous_report()

    _constant(client, reverse("integrity:reports"), reports)

    counter = iter(range(1000))

    def risks(n: int) -> None:
        for _ in range(n):
            i = next(counter)
            services.risk_point_save(
                actor=office,
                code=f"R{i:03d}",
                area="finance",
                title=f"风险{i}",
                level="low",
                controls="复核",
                department=world.dept_a1,
                next_review_on=timezone.localdate(),
                responsible=[staff[0]],
            )

    _constant(client, reverse("integrity:risks"), risks)

    def talks(n: int) -> None:
        from hongfan.integrity.models import FamilyEvent
        from hongfan.loops import services as loops

        for i in range(n):
            e = FamilyEvent.objects.create(
                staff=staff[i % 3],
                department=world.dept_b1,
                kind="wedding",
                event_on=timezone.localdate() + dt.timedelta(days=9),
                reported_at=timezone.now(),
            )
            e.matter = loops.matter_open(type="formal_talk", title="四必谈", owner=office, source=e)
            e.save()

    _constant(client, reverse("integrity:talks"), talks)

    def sessions(n: int) -> None:
        for i in range(n):
            services.session_save(
                actor=office,
                title=f"警示教育{i}",
                kind="film",
                held_on=timezone.localdate(),
                location="会议室",
                attendees=staff,
            )

    _constant(client, reverse("integrity:education"), sessions)
    _constant(client, reverse("integrity:dashboard"), envelopes)


def test_campaign_detail_pages_and_exports_signatures(world: World) -> None:
    c = f.campaign(world)
    for i in range(30):
        make_staff(world.dept_b1, f"外科{i}")
    client = login(Client(), world.user(Role.DISCIPLINE))
    url = reverse("integrity:campaign_detail", args=[c.pk])
    few = _count(client, url)
    services.signature_sign(
        signature=c.signatures.get(staff=world.staff["plain_a1"]),
        actor=world.user(Role.STAFF),
        typed_name="周群众",
    )
    assert _count(client, url) == few
    r = client.get(url + "?status=signed")
    assert list(r.context["page_obj"].object_list) == [
        Signature.objects.get(signed_at__isnull=False)
    ]
    r = client.get(url + "?export=xlsx")
    assert r["Content-Type"].startswith("application/vnd.openxmlformats")


def test_a_staff_member_signs_on_their_page_and_cannot_sign_for_someone_else(world: World) -> None:
    c = f.campaign(world)
    client = login(Client(), world.user(Role.STAFF))
    mine = c.signatures.get(staff=world.staff["plain_a1"])
    r = client.post(reverse("integrity:sign", args=[mine.pk]), {"typed_name": "周"})
    assert "请输入您本人" in r.content.decode() or r.status_code == 200
    mine.refresh_from_db()
    assert mine.signed_at is None
    client.post(reverse("integrity:sign", args=[mine.pk]), {"typed_name": "周群众"})
    mine.refresh_from_db()
    assert mine.signed_at is not None
    theirs = c.signatures.get(staff=world.staff["head_a1"])
    assert (
        client.post(
            reverse("integrity:sign", args=[theirs.pk]), {"typed_name": "孙主任"}
        ).status_code
        == 404
    )


def test_the_envelope_list_shows_the_patient_masked(world: World) -> None:
    e = f.envelope(world)
    client = login(Client(), world.user(Role.DISCIPLINE))
    html = client.get(reverse("integrity:envelopes")).content.decode()
    assert "张**" in html and "张三丰" not in html
    html = client.get(reverse("integrity:envelope_detail", args=[e.pk])).content.decode()
    assert "张三丰" not in html
    client.post(reverse("integrity:envelope_decide", args=[e.pk]), {"decision": "confirm"})
    e.refresh_from_db()
    assert e.status == EnvelopeEntry.Status.CONFIRMED
    r = client.get(reverse("integrity:envelope_receipt", args=[e.pk]))
    assert r["Content-Disposition"].endswith('.docx"')


def test_the_superior_records_the_talk_and_others_cannot(world: World) -> None:
    e = f.family_event(world)
    head = e.matter.owner
    other_head = (
        world.user(Role.BRANCH_SECRETARY)
        if head != world.user(Role.BRANCH_SECRETARY)
        else world.user(Role.DEPARTMENT_HEAD)
    )
    url = reverse("integrity:talk_detail", args=[e.pk])
    held = timezone.localtime() - dt.timedelta(hours=1)
    data = {"held_at": held.strftime("%Y-%m-%dT%H:%M"), "points": "喜事新办，不收礼金"}
    staff_client = login(Client(), world.user(Role.STAFF))
    assert staff_client.post(url, data).status_code == 404
    login(Client(), other_head).post(url, data)
    e.refresh_from_db()
    assert e.talk_at is None
    login(Client(), head).post(url, data)
    e.refresh_from_db()
    assert e.talk_points == "喜事新办，不收礼金"


def test_a_self_check_after_closing_shows_that_it_is_closed(world: World) -> None:
    c = f.selfcheck_campaign(world)
    c.closes_on = timezone.localdate() - dt.timedelta(days=1)
    c.opens_on = c.closes_on - dt.timedelta(days=5)
    c.save()
    client = login(Client(), world.user(Role.STAFF))
    url = reverse("integrity:selfcheck_fill", args=[c.pk])
    data = {f"q_{q[0]}": "no" for q in c.questions}
    r = client.post(url, data)
    assert "不能再提交" in r.content.decode() or "已结束" in r.content.decode()
    assert not c.checks.exists()


def test_a_custom_key_date_without_a_date_is_refused_on_the_form(world: World) -> None:
    client = login(Client(), world.user(Role.DISCIPLINE))
    data = {"kind": "custom", "name": "院庆", "days_before": 5, "is_active": "on"}
    r = client.post(reverse("integrity:keydate_create"), data)
    assert "自定义节点须填写日期" in r.content.decode()
    r = client.post(reverse("integrity:keydate_create"), {**data, "custom_date": "2026-12-18"})
    assert r.status_code == 302
    from hongfan.integrity.models import KeyDate

    assert KeyDate.objects.get().custom_date == dt.date(2026, 12, 18)
