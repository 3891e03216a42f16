"""The matter pages as a user sees them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from hongfan.accounts.roles import Role
from hongfan.core.testing import World, login
from hongfan.loops import services
from hongfan.loops.models import Matter, MatterType


def _bulk(world: World, n: int) -> None:
    """Many matters across types, owners and departments (the N+1 would show)."""
    now = timezone.now()
    types = list(MatterType.objects.filter(visibility="normal"))
    users = [world.user(r) for r in (Role.STAFF, Role.DEPARTMENT_HEAD, Role.MEDICAL_AFFAIRS)]
    depts = [world.dept_a1, world.dept_a2, world.dept_b1]
    Matter.objects.bulk_create(
        Matter(
            type=types[i % len(types)],
            title=f"督办事项 {i}",
            owner=users[i % 3],
            owner_department=depts[i % 3],
            originator=world.user(Role.PRESIDENT_OFFICE),
            state=types[i % len(types)].initial_state,
            opened_at=now - dt.timedelta(days=20),
            due_at=now + dt.timedelta(days=(i % 7) - 3),
        )
        for i in range(n)
    )


def test_the_board_uses_a_constant_number_of_queries(
    world: World, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    _bulk(world, 120)
    client = login(Client(), world.user(Role.PARTY_OFFICE))
    client.get(reverse("loops:board"))  # warm session / calendar caches
    with django_assert_max_num_queries(14):
        response = client.get(reverse("loops:board"))
    assert response.status_code == 200
    assert response.content.count(b'data-testid="matter-row"') == 50
    _bulk(world, 200)
    with django_assert_max_num_queries(14):
        client.get(reverse("loops:board") + "?overdue=1&page=2")


def test_the_board_filters_by_type_department_and_overdue(world: World) -> None:
    _bulk(world, 30)
    client = login(Client(), world.user(Role.PARTY_OFFICE))
    response = client.get(
        reverse("loops:board"), {"type": "generic", "department": world.dept_a1.pk, "overdue": "1"}
    )
    rows = response.context["page_obj"].object_list
    assert rows and all(
        m.type.code == "generic" and m.owner_department_id == world.dept_a1.pk and m.overdue
        for m in rows
    )


def test_the_board_exports_excel(world: World) -> None:
    _bulk(world, 5)
    client = login(Client(), world.user(Role.PRESIDENT_OFFICE))
    response = client.get(reverse("loops:board"), {"export": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")


def test_medical_affairs_board_shows_only_clinical_warnings(world: World) -> None:
    _bulk(world, 40)
    client = login(Client(), world.user(Role.MEDICAL_AFFAIRS))
    rows = client.get(reverse("loops:board")).context["page_obj"].object_list
    assert rows and {m.type.code for m in rows} == {"clinical_warning"}


def test_the_owner_closes_a_matter_with_evidence_from_the_detail_page(world: World) -> None:
    m = services.matter_open(
        type="resolution",
        title="完成门诊改造",
        originator=world.user(Role.PRESIDENT_OFFICE),
        owner=world.user(Role.STAFF),
    )
    client = login(Client(), world.user(Role.STAFF))
    page = client.get(reverse("loops:detail", args=[m.pk]))
    assert b'data-testid="transition-close"' in page.content
    # Without evidence: refused, the message says why.
    response = client.post(
        reverse("loops:transition", args=[m.pk]),
        {"action": "close", "expected_version": m.version},
        follow=True,
    )
    m.refresh_from_db()
    assert m.state == "open"
    assert "evidence" in response.content.decode().lower() or "佐证" in response.content.decode()
    upload = SimpleUploadedFile("report.pdf", b"%PDF-1.4 done", content_type="application/pdf")
    client.post(
        reverse("loops:transition", args=[m.pk]),
        {"action": "close", "expected_version": m.version, "evidence_file": upload},
    )
    m.refresh_from_db()
    assert m.state == "closed" and m.evidence.count() == 1


def test_a_stale_form_shows_the_reload_message(world: World) -> None:
    m = services.matter_open(
        type="generic", title="事项", owner=world.user(Role.STAFF), owner_department=world.dept_a1
    )
    services.matter_transition(matter=m, action="start", actor=world.user(Role.STAFF))
    client = login(Client(), world.user(Role.STAFF))
    response = client.post(
        reverse("loops:transition", args=[m.pk]),
        {"action": "close", "expected_version": 1},
        follow=True,
    )
    m.refresh_from_db()
    assert m.state == "in_progress"
    assert len(list(response.context["messages"])) == 1


def test_htmx_comment_returns_the_list(world: World) -> None:
    m = services.matter_open(type="generic", title="事项", owner=world.user(Role.STAFF))
    client = login(Client(), world.user(Role.STAFF))
    response = client.post(
        reverse("loops:comment", args=[m.pk]),
        {"body": "<script>alert(1)</script>"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert b"&lt;script&gt;" in response.content and b"<script>alert" not in response.content


def test_the_inbox_tabs(world: World) -> None:
    services.matter_open(
        type="generic",
        title="我负责的",
        owner=world.user(Role.STAFF),
        originator=world.user(Role.PARTY_OFFICE),
        due_at=timezone.now() + dt.timedelta(seconds=1),
    )
    client = login(Client(), world.user(Role.STAFF))
    assert (
        b"\xe6\x88\x91\xe8\xb4\x9f\xe8\xb4\xa3\xe7\x9a\x84"
        in client.get(reverse("loops:inbox")).content
    )
    assert (
        not client.get(reverse("loops:inbox") + "?tab=originated").context["page_obj"].object_list
    )


def test_the_office_opens_a_matter_with_owner_and_deadline(world: World) -> None:
    client = login(Client(), world.user(Role.PARTY_OFFICE))
    generic = MatterType.objects.get(code="generic")
    response = client.post(
        reverse("loops:create"),
        {
            "type": generic.pk,
            "title": "完善党建台账",
            "owner": world.user(Role.STAFF).pk,
            "due_date": (timezone.localdate() + dt.timedelta(days=10)).isoformat(),
        },
    )
    m = Matter.objects.get(title="完善党建台账")
    assert response.status_code == 302
    assert m.owner == world.user(Role.STAFF) and m.owner_department == world.dept_a1
    assert timezone.localtime(m.due_at).time() == dt.time(17, 30)


def test_a_deadline_in_the_past_is_refused_on_the_form(world: World) -> None:
    client = login(Client(), world.user(Role.PARTY_OFFICE))
    generic = MatterType.objects.get(code="generic")
    response = client.post(
        reverse("loops:create"),
        {
            "type": generic.pk,
            "title": "补记",
            "owner": world.user(Role.STAFF).pk,
            "due_date": "2020-01-01",
        },
    )
    assert response.status_code == 200 and not Matter.objects.exists()


@pytest.mark.parametrize("role", [Role.PARTY_OFFICE, Role.MEDICAL_AFFAIRS])
def test_statistics_page_renders_charts_as_json(world: World, role: str) -> None:
    _bulk(world, 10)
    client = login(Client(), world.user(role))
    response = client.get(reverse("loops:stats"))
    assert b'data-chart-src="dept-chart"' in response.content
    assert b'<script id="dept-chart" type="application/json">' in response.content


def test_the_board_lists_open_matters_first_by_deadline_then_closed_ones(world: World) -> None:
    now = timezone.now()
    generic = MatterType.objects.get(code="generic")
    owner = world.user(Role.STAFF)

    def matter(title: str, due_days: int, closed: bool) -> None:
        Matter.objects.create(
            type=generic,
            title=title,
            owner=owner,
            state="closed" if closed else "open",
            opened_at=now - dt.timedelta(days=30),
            due_at=now + dt.timedelta(days=due_days),
            closed_at=now - dt.timedelta(days=1) if closed else None,
        )

    matter("已办结", -5, True)
    matter("下周到期", 7, False)
    matter("已逾期", -2, False)
    client = login(Client(), world.user(Role.PARTY_OFFICE))
    response = client.get(reverse("loops:board"))
    titles = [m.title for m in response.context["page_obj"]]
    assert titles == ["已逾期", "下周到期", "已办结"]
    assert response.context["page_obj"].paginator.count == 3


def test_the_office_opens_a_matter_with_participants_and_working_days(world: World) -> None:
    from hongfan.loops.services import compute_due

    client = login(Client(), world.user(Role.PARTY_OFFICE))
    generic = MatterType.objects.get(code="generic")
    head = world.user(Role.DEPARTMENT_HEAD)
    response = client.post(
        reverse("loops:create"),
        {
            "type": generic.pk,
            "title": "联合开展义诊进社区",
            "owner_department": world.dept_a1.pk,
            "deadline_days": 5,
            "participants": [head.pk],
            "participant_departments": [world.dept_b1.pk],
        },
    )
    assert response.status_code == 302
    m = Matter.objects.get(title="联合开展义诊进社区")
    assert list(m.participants.all()) == [head]
    assert list(m.participant_departments.all()) == [world.dept_b1]
    assert m.due_at == compute_due(generic, m.opened_at, 5)
