"""Development pages as a user sees them: the pipeline list, recording a step, the Word file."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.test import Client
from django.urls import reverse
from docx import Document

from hongfan.accounts.roles import Role
from hongfan.core.testing import World, login, make_staff
from hongfan.development.models import StepRecord
from hongfan.development.services import candidate_create
from hongfan.development.tests.factories import new_candidate, record, step, walk

pytestmark = pytest.mark.django_db


def _client(world: World, role: str) -> Client:
    return login(Client(), world.user(role))


def test_the_list_searches_filters_by_stage_and_exports(world: World) -> None:
    applicant = new_candidate(world, "林申请")
    activist = new_candidate(world, "高积极")
    walk(world, activist, until="activist_filing")
    c = _client(world, Role.PARTY_OFFICE)
    url = reverse("development:candidate_list")
    body = c.get(url, {"stage": 2}).content.decode()
    assert "高积极" in body and "林申请" not in body
    body = c.get(url, {"q": "林申"}).content.decode()
    assert "林申请" in body and "高积极" not in body
    assert "没有符合条件的发展档案" in c.get(url, {"q": "不存在的人"}).content.decode()
    export = c.get(url, {"export": "xlsx", "stage": 1})
    assert export["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml"
    )
    assert applicant.pk


def test_a_secretary_lists_only_their_branch_in_few_queries(
    world: World, django_assert_max_num_queries
) -> None:
    for i in range(30):
        new_candidate(world, f"内科申请人{i}")
    candidate_create(staff=make_staff(world.dept_b1, "外科申请人"), branch=world.branch_b)
    c = _client(world, Role.BRANCH_SECRETARY)
    with django_assert_max_num_queries(20):  # constant: 30 candidates
        body = c.get(reverse("development:candidate_list")).content.decode()
    assert "内科申请人29" in body and "外科申请人" not in body


def test_recording_a_step_too_early_shows_the_rule_and_saves_nothing(world: World) -> None:
    candidate = new_candidate(world)
    t = walk(world, candidate, until="activist")
    c = _client(world, Role.BRANCH_SECRETARY)
    too_early = t["application"] + dt.timedelta(days=150)
    response = c.post(
        reverse("development:step_record", args=[candidate.pk]),
        {"step": step(candidate, "activist").pk, "date": f"{too_early:%Y-%m-%d}"},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "须满6个月" in body and "2023-07-10" in body
    assert not StepRecord.objects.filter(candidate=candidate, step__code="activist").exists()


def test_recording_a_valid_step_moves_the_candidate_on(world: World) -> None:
    candidate = new_candidate(world)
    walk(world, candidate, until="talk")
    c = _client(world, Role.BRANCH_SECRETARY)
    day = candidate.records.get().date + dt.timedelta(days=7)
    response = c.post(
        reverse("development:step_record", args=[candidate.pk]),
        {"step": step(candidate, "talk").pk, "date": f"{day:%Y-%m-%d}"},
    )
    assert response.status_code == 302
    assert StepRecord.objects.filter(candidate=candidate, step__code="talk", date=day).exists()


def test_a_secretary_cannot_record_a_step_of_the_party_committee(world: World) -> None:
    candidate = new_candidate(world)
    t = walk(world, candidate, until="activist_filing")
    c = _client(world, Role.BRANCH_SECRETARY)
    c.post(
        reverse("development:step_record", args=[candidate.pk]),
        {
            "step": step(candidate, "activist_filing").pk,
            "date": f"{t['activist'] + dt.timedelta(days=3):%Y-%m-%d}",
        },
    )
    assert not StepRecord.objects.filter(step__code="activist_filing").exists()


def test_the_word_file_lists_every_recorded_step(world: World) -> None:
    candidate = new_candidate(world, "林申请")
    walk(world, candidate, until="activist")
    response = _client(world, Role.PARTY_OFFICE).get(
        reverse("development:candidate_docx", args=[candidate.pk])
    )
    assert response.status_code == 200
    text = "\n".join(p.text for p in Document(io.BytesIO(response.content)).paragraphs)
    tables = " ".join(
        cell.text
        for table in Document(io.BytesIO(response.content)).tables
        for row in table.rows
        for cell in row.cells
    )
    assert "林申请" in text + tables
    assert "递交入党申请书" in text + tables and "党组织派人谈话" in text + tables


def test_an_extension_outside_6_to_12_months_is_explained(world: World) -> None:
    candidate = new_candidate(world)
    walk(world, candidate, until="admission_filing")
    c = _client(world, Role.PARTY_OFFICE)
    url = reverse("development:candidate_extend", args=[candidate.pk])
    response = c.post(
        url, {"decided_on": "2026-01-05", "months": 13, "reason": "考察期表现需进一步考察"}
    )
    assert response.status_code == 302
    body = c.get(response["Location"]).content.decode()
    assert "6" in body and "12" in body
    candidate.refresh_from_db()
    assert candidate.extension_months == 0


def test_the_list_shows_an_overdue_next_step(world: World) -> None:
    candidate = new_candidate(world, "林申请")
    record(world, candidate, "application", dt.date(2026, 1, 5))
    body = (
        _client(world, Role.PARTY_OFFICE)
        .get(reverse("development:candidate_list"))
        .content.decode()
    )
    assert "党组织派人谈话" in body and "2026-02-05" in body and "逾期" in body


def test_the_overdue_filter_keeps_only_files_with_a_late_step(world: World) -> None:
    late = new_candidate(world, "林逾期")
    record(world, late, "application", dt.date(2026, 1, 5))
    on_time = new_candidate(world, "高按期")
    walk(world, on_time, until="activist", start=dt.date(2026, 10, 1))
    body = (
        _client(world, Role.PARTY_OFFICE)
        .get(reverse("development:candidate_list"), {"due": "overdue"})
        .content.decode()
    )
    assert "林逾期" in body and "高按期" not in body
