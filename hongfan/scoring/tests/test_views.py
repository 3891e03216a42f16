"""The pages: scoping, query counts, the printable file, the score sheets."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from hongfan.accounts.roles import Role
from hongfan.core.testing import login, make_staff
from hongfan.scoring import services
from hongfan.scoring.models import Assessment, AssessmentPeriod, ItemScore, LedgerEvent
from hongfan.scoring.tests.factories import published_ethics_period
from hongfan.scoring.tests.helpers import ethics_period

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 4, 8)


def _client(world, role) -> Client:
    return login(Client(), world.user(role))


def test_a_department_head_lists_only_their_department_files(world):
    services.record_event(
        code="voice.praise", subject=world.staff["plain_b1"], occurred_on=DAY, key="x"
    )
    body = _client(world, Role.DEPARTMENT_HEAD).get(reverse("scoring:file_list")).content.decode()
    assert "周群众" in body and "孙主任" in body
    assert "吴群众" not in body and "赵党员" not in body


def test_staff_see_only_their_own_events_in_the_ledger(world):
    for key in ("plain_a1", "plain_b1"):
        services.record_event(
            code="voice.praise",
            subject=world.staff[key],
            occurred_on=DAY,
            key="x",
            summary=f"表扬{key}",
        )
    body = _client(world, Role.STAFF).get(reverse("scoring:event_list")).content.decode()
    assert "表扬plain_a1" in body and "表扬plain_b1" not in body


def test_the_ethics_file_shows_sources_and_totals_per_year(world):
    plain = world.staff["plain_a1"]
    services.record_event(
        code="voice.praise",
        subject=plain,
        occurred_on=dt.date(2025, 6, 1),
        key="a",
        source_url="/voice/12/",
    )
    services.record_event(code="voice.complaint_verified", subject=plain, occurred_on=DAY, key="b")
    services.record_event(code="integrity.violation", subject=plain, occurred_on=DAY, key="c")
    r = _client(world, Role.STAFF).get(reverse("scoring:file_detail", args=[plain.pk]))
    body = r.content.decode()
    assert 'href="/voice/12/"' in body
    totals = [(t.year, t.net, t.pending) for t in r.context["totals"]]
    assert totals == [(2026, -3, 1), (2025, 2, 0)]


def test_the_ethics_file_prints_as_word_and_pdf(world):
    plain = world.staff["plain_a1"]
    services.record_event(
        code="voice.praise", subject=plain, occurred_on=DAY, key="a", summary="患者送锦旗"
    )
    client = _client(world, Role.PARTY_OFFICE)
    docx = client.get(reverse("scoring:file_docx", args=[plain.pk]))
    assert docx.status_code == 200 and docx.content[:2] == b"PK"
    import io

    from docx import Document

    text = "\n".join(
        c.text for t in Document(io.BytesIO(docx.content)).tables for r in t.rows for c in r.cells
    )
    assert "患者送锦旗" in text
    pdf = client.get(reverse("scoring:file_pdf", args=[plain.pk]))
    assert pdf.status_code == 200 and pdf.content[:5] == b"%PDF-"
    assert len(pdf.content) > 5000  # the CJK font is embedded


def test_a_staff_member_self_assesses_through_the_page(world):
    period = ethics_period(world, AssessmentPeriod.Status.SELF)
    a = period.assessments.get(staff=world.staff["plain_a1"])
    items = [i for i in period.scorecard.items.all() if i.kind == "rated"]
    data = {f"item_{i.pk}": str(i.max_points) for i in items}
    client = _client(world, Role.STAFF)
    bad = client.post(
        reverse("scoring:self_assess", args=[a.pk]),
        {**data, f"item_{items[0].pk}": "16", "comment": "自评"},
    )
    assert bad.status_code == 200
    assert "15" in bad.content.decode()
    assert not ItemScore.objects.filter(assessment=a).exists()
    ok = client.post(
        reverse("scoring:self_assess", args=[a.pk]), {**data, "comment": "全年无投诉。"}
    )
    assert ok.status_code == 302
    a.refresh_from_db()
    assert a.self_submitted_at and ItemScore.objects.filter(assessment=a, stage="self").count() == 8


def test_a_grade_is_hidden_from_the_staff_member_until_published(world):
    period = published_ethics_period(world)
    client = _client(world, Role.STAFF)
    assert "良好" in client.get(reverse("scoring:my_assessments")).content.decode()
    AssessmentPeriod.objects.filter(pk=period.pk).update(status="institution")
    assert "良好" not in client.get(reverse("scoring:my_assessments")).content.decode()


def test_the_hr_file_marks_a_poor_grade_as_failing_the_periodic_review(world):
    period = published_ethics_period(world)
    poor = period.scorecard.bands.get(code="poor")
    Assessment.objects.filter(period=period, staff=world.staff["plain_a1"]).update(grade=poor)
    r = _client(world, Role.PARTY_OFFICE).get(reverse("scoring:period_hr_export", args=[period.pk]))
    import io

    from openpyxl import load_workbook

    ws = load_workbook(io.BytesIO(b"".join(r.streaming_content))).active
    rows = {row[1]: row for row in ws.iter_rows(min_row=2, values_only=True)}
    assert rows["周群众"][4] == "较差"
    assert rows["周群众"][9] in ("failed", "不合格")
    assert rows["吴群众"][9] in ("passed", "合格")


def test_list_pages_keep_their_query_counts(world, django_assert_max_num_queries):
    period = published_ethics_period(world)
    for n in range(40):
        s = make_staff(world.dept_a1, f"医生{n}")
        services.record_event(code="voice.praise", subject=s, occurred_on=DAY, key="q")
        Assessment.objects.create(period=period, staff=s, department=world.dept_a1)
    client = _client(world, Role.PARTY_OFFICE)
    for name, args in (
        ("scoring:event_list", []),
        ("scoring:file_list", []),
        ("scoring:period_detail", [period.pk]),
        ("scoring:period_list", []),
        ("scoring:home", []),
    ):
        with django_assert_max_num_queries(25):
            assert client.get(reverse(name, args=args)).status_code == 200
    assert LedgerEvent.objects.count() == 40


def test_a_branch_secretary_sees_only_their_branch_rating(world):
    from hongfan.scoring.tests.factories import branch_rating_period

    period = branch_rating_period(world)
    r = _client(world, Role.BRANCH_SECRETARY).get(
        reverse("scoring:period_detail", args=[period.pk])
    )
    names = [str(a.subject) for a in r.context["page_obj"]]
    assert names == ["内科党支部"]


def test_a_department_head_assesses_their_department_only(world):
    period = ethics_period(world, AssessmentPeriod.Status.DEPARTMENT)
    mine = period.assessments.get(staff=world.staff["plain_a1"])
    other = period.assessments.get(staff=world.staff["plain_b1"])
    items = [i for i in period.scorecard.items.all() if i.source == "manual"]
    data = {f"item_{i.pk}": str(i.max_points) for i in items if i.kind == "rated"}
    client = _client(world, Role.DEPARTMENT_HEAD)
    url = reverse("scoring:department_review", args=[mine.pk])
    r = client.post(url, {**data, "comment": "服务态度好，团结协作。"})
    assert r.status_code == 302
    mine.refresh_from_db()
    assert mine.department_submitted_at and mine.department_comment == "服务态度好，团结协作。"
    r = client.post(
        reverse("scoring:department_review", args=[other.pk]), {**data, "comment": "越权"}
    )
    assert r.status_code == 404
    assert not other.scores.exists()
