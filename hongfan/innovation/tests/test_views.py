"""Innovation pages as a user sees them."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from hongfan.accounts.roles import Role
from hongfan.core.testing import World, login
from hongfan.innovation.models import Project, Stage
from hongfan.innovation.tests.factories import mentor, project

pytestmark = pytest.mark.django_db


@pytest.fixture
def office(client: Client, world: World) -> Client:
    return login(client, world.user(Role.PARTY_OFFICE))


def _many(world: World, n: int) -> None:
    for i in range(n):
        project(
            world,
            title=f"创新项目{i:02d}",
            organisation=world.branch_a if i % 2 else world.branch_b,
            department=world.dept_a1 if i % 2 else world.dept_b1,
            leader=world.staff["member_a"] if i % 2 else world.staff["member_b"],
        )


def test_the_list_shows_projects_with_stage_and_filters(office: Client, world: World) -> None:
    _many(world, 4)
    response = office.get(reverse("innovation:list"), {"branch": world.branch_a.pk})
    text = response.content.decode()
    assert "创新项目01" in text and "创新项目03" in text
    assert "创新项目00" not in text
    assert "项目立项" in text


def test_the_search_finds_a_project_by_leader(office: Client, world: World) -> None:
    _many(world, 4)
    text = office.get(reverse("innovation:list"), {"q": "钱党员"}).content.decode()
    assert "创新项目00" in text and "创新项目01" not in text


def test_an_empty_list_says_so(office: Client, world: World) -> None:
    text = office.get(reverse("innovation:list")).content.decode()
    assert "没有符合条件的创新项目" in text


def test_the_branch_secretary_sees_only_their_branch(client: Client, world: World) -> None:
    _many(world, 4)
    login(client, world.user(Role.BRANCH_SECRETARY))
    text = client.get(reverse("innovation:list")).content.decode()
    assert "创新项目01" in text
    assert "创新项目00" not in text and "创新项目02" not in text


def test_the_list_query_count_does_not_grow_with_rows(
    office: Client, world: World, django_assert_max_num_queries
) -> None:
    _many(world, 30)
    with django_assert_max_num_queries(12):  # measured: 12 for 2 or 30 projects
        response = office.get(reverse("innovation:list"))
    assert response.status_code == 200
    assert response.content.decode().count("创新项目") >= 30


def test_the_export_has_one_row_per_project(office: Client, world: World) -> None:
    _many(world, 3)
    response = office.get(reverse("innovation:list"), {"export": "xlsx"})
    wb = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(wb.active.values)
    assert rows[0][:3] == ("序号", "编号", "项目")
    assert len(rows) == 4


def test_create_registers_a_project_at_initiation(office: Client, world: World) -> None:
    response = office.post(
        reverse("innovation:create"),
        {
            "title": "日间手术流程再造",
            "organisation": world.branch_b.pk,
            "department": world.dept_b1.pk,
            "leader": world.staff["member_b"].pk,
            "mentor": mentor(world).pk,
            "goals": "日间手术占比提高到 20%",
            "started_on": "2026-03-02",
            "planned_end": "2026-12-31",
            "report_every_months": 2,
        },
    )
    p = Project.objects.get(title="日间手术流程再造")
    assert response.status_code == 302
    assert p.stage == Stage.INITIATION and p.reports.count() == 4


def test_advancing_a_stage_shows_on_the_detail_page(office: Client, world: World) -> None:
    p = project(world)
    office.post(reverse("innovation:stage", args=[p.pk]), {"to_stage": "team"})
    text = office.get(reverse("innovation:detail", args=[p.pk])).content.decode()
    assert "项目已进入“团队组建”阶段" in text


def test_moving_back_without_a_reason_shows_a_chinese_error(office: Client, world: World) -> None:
    p = project(world)
    office.post(reverse("innovation:stage", args=[p.pk]), {"to_stage": "team"})
    response = office.post(
        reverse("innovation:stage", args=[p.pk]), {"to_stage": "initiation"}, follow=True
    )
    assert "退回到之前的阶段必须填写原因" in response.content.decode()
    p.refresh_from_db()
    assert p.stage == Stage.TEAM


def test_a_report_is_submitted_with_a_file(office: Client, world: World) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    p = project(world)
    r = p.reports.first()
    office.post(
        reverse("innovation:report", args=[p.pk, r.pk]),
        {
            "text": "完成首季度培训 3 次",
            "files": [SimpleUploadedFile("培训签到.txt", "签到表".encode(), "text/plain")],
        },
    )
    r.refresh_from_db()
    assert r.is_submitted and r.files.get().original_name == "培训签到.txt"


def test_a_report_file_of_a_forbidden_type_is_refused(office: Client, world: World) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    p = project(world)
    r = p.reports.first()
    response = office.post(
        reverse("innovation:report", args=[p.pk, r.pk]),
        {"text": "x", "files": [SimpleUploadedFile("a.exe", b"MZ", "application/octet-stream")]},
    )
    assert "不允许" in response.content.decode()
    r.refresh_from_db()
    assert not r.is_submitted


def test_the_department_head_can_read_but_not_submit_a_report(client: Client, world: World) -> None:
    p = project(world)
    r = p.reports.first()
    login(client, world.user(Role.DEPARTMENT_HEAD))
    assert client.get(reverse("innovation:report", args=[p.pk, r.pk])).status_code == 200
    assert (
        client.post(reverse("innovation:report", args=[p.pk, r.pk]), {"text": "x"}).status_code
        == 403
    )


def test_evaluation_and_acceptance_pages_record_results(office: Client, world: World) -> None:
    from hongfan.innovation import services
    from hongfan.innovation.models import EvaluationItem

    p = project(world)
    services.team_member_add(project=p, staff=world.staff["plain_a1"])
    for stage in Stage.values[1:]:
        p = services.project_move_stage(project=p, to_stage=stage, actor=None)
    data = {"evaluator": world.staff["office"].pk, "evaluated_on": "2026-01-20", "comment": "好"}
    for item in EvaluationItem.objects.all():
        data[f"item_{item.pk}"] = str(item.max_score - 2)
    office.post(reverse("innovation:evaluate", args=[p.pk]), data)
    assert p.evaluations.get().total == 90
    office.post(
        reverse("innovation:accept", args=[p.pk]),
        {"result": "excellent", "accepted_on": dt.date(2026, 1, 21).isoformat(), "note": "优秀"},
    )
    p.refresh_from_db()
    assert p.result == Project.Result.EXCELLENT


def test_the_detail_query_count_does_not_grow_with_reports_and_scores(
    office: Client, world: World, django_assert_max_num_queries
) -> None:
    from hongfan.innovation import services
    from hongfan.innovation.models import EvaluationItem

    p = project(world, report_every_months=1)
    services.team_member_add(project=p, staff=world.staff["plain_a1"])
    for stage in Stage.values[1:5]:
        p = services.project_move_stage(project=p, to_stage=stage, actor=None)
    for key in ("office", "president", "medical"):
        services.evaluation_record(
            project=p,
            evaluator=world.staff[key],
            evaluated_on=dt.date(2026, 1, 20),
            scores={i.pk: i.max_score for i in EvaluationItem.objects.all()},
        )
    with django_assert_max_num_queries(16):
        response = office.get(reverse("innovation:detail", args=[p.pk]))
    text = response.content.decode()
    assert text.count("100.0") == 3 and "2026-12-07" in text  # 3 evaluations, 11 reports


def test_the_last_team_member_cannot_be_removed_after_team_building(
    office: Client, world: World
) -> None:
    from hongfan.innovation import services

    p = project(world)
    m = services.team_member_add(project=p, staff=world.staff["plain_a1"])
    for stage in Stage.values[1:3]:
        p = services.project_move_stage(project=p, to_stage=stage, actor=None)
    response = office.post(reverse("innovation:team_remove", args=[p.pk, m.pk]), follow=True)
    assert "团队组建完成后不能移除最后一名团队成员" in response.content.decode()
    assert p.team.count() == 1


def test_a_score_above_the_maximum_shows_on_the_form(office: Client, world: World) -> None:
    from hongfan.innovation import services
    from hongfan.innovation.models import EvaluationItem

    p = project(world)
    services.team_member_add(project=p, staff=world.staff["plain_a1"])
    for stage in Stage.values[1:5]:
        p = services.project_move_stage(project=p, to_stage=stage, actor=None)
    data = {"evaluator": world.staff["office"].pk, "evaluated_on": "2026-01-20"}
    for item in EvaluationItem.objects.all():
        data[f"item_{item.pk}"] = str(item.max_score + 5)
    response = office.post(reverse("innovation:evaluate", args=[p.pk]), data)
    assert response.status_code == 200
    assert "小于或等于" in response.content.decode()
    assert not p.evaluations.exists()


def test_editing_the_interval_reschedules_the_reports(office: Client, world: World) -> None:
    p = project(world)
    response = office.post(
        reverse("innovation:edit", args=[p.pk]),
        {
            "title": p.title,
            "organisation": world.branch_a.pk,
            "department": world.dept_a1.pk,
            "leader": p.leader_id,
            "mentor": p.mentor_id,
            "goals": p.goals,
            "started_on": "2026-01-05",
            "planned_end": "2026-12-31",
            "report_every_months": 6,
        },
    )
    assert response.status_code == 302
    assert list(p.reports.values_list("due_on", flat=True)) == [dt.date(2026, 7, 6)]


def test_the_list_filters_by_stage_and_year(office: Client, world: World) -> None:
    from hongfan.innovation import services

    old = project(world, title="往年项目", started_on=dt.date(2025, 3, 3))
    project(world, title="今年项目")
    services.project_move_stage(project=old, to_stage=Stage.TEAM, actor=None)
    text = office.get(reverse("innovation:list"), {"year": "2025"}).content.decode()
    assert "往年项目" in text and "今年项目" not in text
    text = office.get(reverse("innovation:list"), {"stage": "initiation"}).content.decode()
    assert "今年项目" in text and "往年项目" not in text
