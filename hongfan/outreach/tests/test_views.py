"""Outreach pages as a user sees them: lists, totals, forms with bad input, exports."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import Any

from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from hongfan.accounts.roles import Role
from hongfan.core.testing import World, login
from hongfan.outreach import selectors, services
from hongfan.outreach.models import Activity, Deployment, Honour
from hongfan.outreach.tests.factories import activity, call, honour, png


def _many(world: World, n: int) -> None:
    for i in range(n):
        activity(
            world,
            title=f"义诊{i}",
            held_on=dt.date(2026, 1, 1) + dt.timedelta(days=i * 3),
            organisation=world.branch_a if i % 2 else world.branch_b,
            departments=[world.dept_a1] if i % 2 else [world.dept_b1],
            participants=[world.staff["member_a"], world.staff["plain_b1"]],
            people_served=10 + i,
            people_cap=None,
        )


def test_the_activity_list_pages_with_a_fixed_number_of_queries(
    world: World, django_assert_max_num_queries: Any
) -> None:
    _many(world, 55)
    client = login(Client(), world.user(Role.PARTY_OFFICE))
    url = reverse("outreach:activity_list")
    client.get(url)
    with django_assert_max_num_queries(14):
        response = client.get(url)
    assert response.content.count(b'data-testid="activity-row"') == 50
    assert response.context["sums"]["people_served"] == sum(10 + i for i in range(55))


def test_a_secretary_sees_only_their_branchs_activities(world: World) -> None:
    _many(world, 6)
    client = login(Client(), world.user(Role.BRANCH_SECRETARY))
    response = client.get(reverse("outreach:activity_list"))
    assert response.context["page_obj"].paginator.count == 3
    other = Activity.objects.filter(organisation=world.branch_b).first()
    assert client.get(reverse("outreach:activity_detail", args=[other.pk])).status_code == 404
    assert client.get(reverse("outreach:activity_edit", args=[other.pk])).status_code == 404


def test_a_participant_sees_the_activity_they_took_part_in(world: World) -> None:
    a = activity(world, participants=[world.staff["plain_a1"]])
    client = login(Client(), world.user(Role.STAFF))
    assert client.get(reverse("outreach:activity_detail", args=[a.pk])).status_code == 200
    assert client.get(reverse("outreach:activity_list")).context["page_obj"].paginator.count == 1


def _form(world: World, **extra: Any) -> dict[str, Any]:
    data = {
        "title": "健康夜市",
        "kind": Activity.Kind.NIGHT_MARKET,
        "held_on": "2026-10-20",
        "place": "步行街",
        "organisation": world.branch_a.pk,
        "departments": [world.dept_a1.pk],
        "hours": "2.5",
        "people_served": "90",
        "people_cap": "",
        "examinations": "120",
        "materials": "300",
        "fees_waived": "0",
        "partners": "",
        "summary": "",
        "participants": [world.staff["member_a"].pk, world.staff["head_a1"].pk],
    }
    data.update(extra)
    return data


def test_recording_an_activity_through_the_form(world: World) -> None:
    client = login(Client(), world.user(Role.BRANCH_SECRETARY))
    data = _form(world)
    data["photos"] = png()
    response = client.post(reverse("outreach:activity_create"), data)
    assert response.status_code == 302
    a = Activity.objects.get()
    assert a.participants.count() == 2 and a.photos.count() == 1
    page = client.get(reverse("outreach:activity_detail", args=[a.pk])).content.decode()
    assert "赵党员" in page and "5.0" in page  # 2 people × 2.5 hours


def test_bad_counts_on_the_form_are_explained_and_nothing_is_saved(world: World) -> None:
    client = login(Client(), world.user(Role.PARTY_OFFICE))
    url = reverse("outreach:activity_create")
    response = client.post(url, _form(world, materials="-3"))
    assert response.status_code == 200
    assert response.context["form"].errors["materials"]
    response = client.post(url, _form(world, people_served="61", people_cap="60"))
    assert "60" in response.context["form"].errors["people_served"][0]
    assert not Activity.objects.exists()


def test_totals_add_up_by_type_branch_and_department(world: World) -> None:
    _many(world, 6)
    activity(world, kind=Activity.Kind.HEALTH_TALK, title="讲座", people_served=40)
    start, end = dt.date(2026, 1, 1), dt.date(2026, 12, 31)
    t = selectors.outreach_totals(start, end)
    assert t["activities"] == 7
    assert t["people_served"] == sum(10 + i for i in range(6)) + 40
    assert t["staff_times"] == 14 and t["member_times"] == 7
    assert t["hours"] == Decimal("42")
    assert t["by_type"]["health_talk"]["people_served"] == 40
    a_only = selectors.outreach_totals(start, end, organisation_ids=[world.branch_a.pk])
    assert a_only["activities"] == 4
    by_branch = {r["name"]: r for r in selectors.outreach_totals_by(start, end, by="organisation")}
    assert by_branch["内科党支部"]["activities"] == 4
    assert by_branch["外科党支部"]["people_served"] == 10 + 12 + 14
    by_dept = {r["name"]: r for r in selectors.outreach_totals_by(start, end, by="department")}
    assert by_dept["普外科"]["activities"] == 3
    # Both ends of the period count (activities on 1 and 4 January).
    assert selectors.outreach_totals(start, dt.date(2026, 1, 3))["activities"] == 1
    assert selectors.outreach_totals(start, dt.date(2026, 1, 4))["activities"] == 2
    assert selectors.outreach_totals(dt.date(2026, 1, 2), dt.date(2026, 1, 3))["activities"] == 0


def test_the_totals_page_says_how_many_people_were_served(world: World) -> None:
    _many(world, 4)
    client = login(Client(), world.user(Role.PARTY_OFFICE))
    response = client.get(reverse("outreach:totals"), {"start": "2026-01-01", "end": "2026-12-31"})
    assert "累计服务群众 46 人次" in response.content.decode()
    head = login(Client(), world.user(Role.DEPARTMENT_HEAD))
    response = head.get(reverse("outreach:totals"), {"start": "2026-01-01", "end": "2026-12-31"})
    assert response.context["overall"]["activities"] == 2  # only 心内科's
    xlsx = client.get(reverse("outreach:totals"), {"export": "xlsx"})
    assert xlsx.status_code == 200


def test_the_activity_export_has_one_row_per_activity(world: World) -> None:
    _many(world, 3)
    client = login(Client(), world.user(Role.PARTY_OFFICE))
    response = client.get(reverse("outreach:activity_list"), {"export": "xlsx"})
    wb = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(wb.active.iter_rows(values_only=True))
    assert len(rows) == 4
    assert rows[1][7] == 2  # staff taking part


def test_honours_list_counts_levels_and_hides_revoked(world: World) -> None:
    h = honour(world)
    honour(
        world,
        title="先进基层党组织",
        holder=Honour.Holder.BRANCH,
        staff=None,
        organisation=world.branch_a,
        level=Honour.Level.COUNTY,
    )
    services.honour_revoke(honour=h, actor=None, on=dt.date(2026, 11, 1), reason="撤销")
    client = login(Client(), world.user(Role.STAFF))
    response = client.get(reverse("outreach:honour_list"))
    assert response.content.count(b'data-testid="honour-row"') == 1
    response = client.get(reverse("outreach:honour_list"), {"revoked": "1"})
    assert response.content.count(b'data-testid="honour-row"') == 2
    assert selectors.honours_in(dt.date(2026, 1, 1), dt.date(2026, 12, 31)).count() == 1
    assert (
        selectors.honours_in(
            dt.date(2026, 1, 1), dt.date(2026, 12, 31), organisation_ids=[world.branch_b.pk]
        ).count()
        == 0
    )


def test_the_pledge_page_signs_and_shows_the_signature(world: World) -> None:
    c = call(world)
    client = login(Client(), world.user(Role.STAFF))
    url = reverse("outreach:call_sign", args=[c.pk])
    response = client.post(url, {"typed_name": "周群", "confirm": "on"})
    assert response.status_code == 200 and response.context["form"].errors["typed_name"]
    response = client.post(url, {"typed_name": "周群众", "confirm": "on"}, follow=True)
    assert b'data-testid="own-pledge"' in response.content
    assert b"sign-link" not in response.content


def test_a_deployment_ending_before_it_starts_is_refused_on_the_page(world: World) -> None:
    c = call(world)
    client = login(Client(), world.user(Role.PARTY_OFFICE))
    response = client.post(
        reverse("outreach:deployment_create", args=[c.pk]),
        {
            "staff": world.staff["plain_a1"].pk,
            "place": "西河乡",
            "role": "医师",
            "starts_on": "2026-11-10",
            "ends_on": "2026-11-09",
        },
        follow=True,
    )
    assert "不能早于" in response.content.decode() or "cannot end" in response.content.decode()
    assert not Deployment.objects.exists()


def test_deployment_totals_count_days_inside_the_period(world: World) -> None:
    c = call(world)
    for key, start, end in (
        ("plain_a1", dt.date(2026, 11, 5), dt.date(2026, 11, 14)),
        ("member_a", dt.date(2026, 11, 10), None),
    ):
        services.deployment_create(
            call=c,
            actor=None,
            staff=world.staff[key],
            place="西河乡",
            role="队员",
            starts_on=start,
            ends_on=end,
        )
    t = selectors.deployment_totals(
        dt.date(2026, 11, 1), dt.date(2026, 11, 12), today=dt.date(2026, 11, 20)
    )
    assert t["people_deployed"] == 2 and t["members_deployed"] == 1
    assert t["person_days"] == 8 + 3  # 5–12 and 10–12
    assert t["calls"] == 1
    only_b = selectors.deployment_totals(
        dt.date(2026, 11, 1), dt.date(2026, 11, 30), organisation_ids=[world.branch_b.pk]
    )
    assert only_b["deployments"] == 0


def test_the_call_page_pins_its_queries(world: World, django_assert_max_num_queries: Any) -> None:
    c = call(world)
    for key in ("plain_a1", "member_a", "head_a1", "plain_b1", "member_b", "secretary_b"):
        services.deployment_create(
            call=c,
            actor=None,
            staff=world.staff[key],
            place="西河乡",
            role="队员",
            starts_on=dt.date(2026, 11, 10),
        )
    client = login(Client(), world.user(Role.PARTY_OFFICE))
    url = reverse("outreach:call_detail", args=[c.pk])
    client.get(url)
    with django_assert_max_num_queries(30):
        response = client.get(url)
    assert response.content.count(b"\xe8\xa5\xbf\xe6\xb2\xb3\xe4\xb9\xa1") >= 6  # 西河乡


def test_the_roster_books_a_person_once_per_half_day_and_links_to_recording(
    world: World,
) -> None:
    from hongfan.outreach.models import DutyShift

    client = login(Client(), world.user(Role.BRANCH_SECRETARY))
    url = reverse("outreach:shift_add")
    data = {
        "desk": "门诊大厅红帆驿站",
        "on": "2026-11-16",
        "slot": "am",
        "staff": world.staff["member_a"].pk,
        "organisation": world.branch_a.pk,
    }
    client.post(url, data)
    client.post(url, {**data, "desk": "住院部红帆驿站"})  # same person, same half day
    client.post(url, {**data, "slot": "pm", "staff": world.staff["head_a1"].pk})
    assert DutyShift.objects.count() == 2
    # Another branch's roster is not the secretary's to plan.
    client.post(url, {**data, "organisation": world.branch_b.pk, "slot": "pm"})
    assert DutyShift.objects.count() == 2
    page = client.get(reverse("outreach:desk_roster"), {"week": "2026-11-18"})
    html = page.content.decode()
    assert html.count('data-testid="shift"') == 2
    a, b = world.staff["member_a"].pk, world.staff["head_a1"].pk
    link = f"participants={a}&participants={b}"
    assert link in html
    form = client.get(
        reverse("outreach:activity_create"),
        {
            "kind": "service_desk",
            "held_on": "2026-11-16",
            "participants": [world.staff["member_a"].pk, world.staff["head_a1"].pk],
        },
    ).context["form"]
    assert form.initial["kind"] == "service_desk"
    assert len(form.initial["participants"]) == 2


def test_a_wrong_photo_can_be_removed_by_the_branch(world: World) -> None:
    a = activity(world, photos=[png()])
    photo = a.photos.get()
    other = login(Client(), world.user(Role.PRESIDENT_OFFICE))
    url = reverse("outreach:activity_photo_delete", args=[a.pk, photo.pk])
    assert other.post(url).status_code == 403
    client = login(Client(), world.user(Role.BRANCH_SECRETARY))
    assert client.post(url).status_code == 302
    assert not a.photos.exists()
