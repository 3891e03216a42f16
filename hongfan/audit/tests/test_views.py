"""The audit administrator searches, pages, exports and verifies the audit log."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from hongfan.accounts.roles import Role
from hongfan.audit import services, triggers
from hongfan.audit.models import AuditEntry
from hongfan.core.testing import World, login


@pytest.fixture
def auditor(world: World) -> Client:
    return login(Client(), world.user(Role.AUDIT_ADMIN))


def _entries(n: int, **kw: object) -> None:
    for i in range(n):
        services.record(
            kw.get("action", AuditEntry.Action.UPDATE),  # type: ignore[arg-type]
            object_type=str(kw.get("object_type", "org.staff")),
            object_id=str(kw.get("object_id", i)),
            object_repr=f"row {i}",
            username=str(kw.get("username", "zhang")),
            source_ip=str(kw.get("source_ip", "10.1.1.1")),
            outcome=str(kw.get("outcome", AuditEntry.Outcome.SUCCESS)),
        )


def _ids(response) -> list[int]:  # type: ignore[no-untyped-def]
    return [e.pk for e in response.context["page_obj"].object_list]


def test_the_auditor_searches_by_user_action_object_outcome_and_address(
    auditor: Client,
) -> None:
    _entries(3, username="zhangsan", source_ip="10.1.1.1")
    _entries(
        2,
        username="lisi",
        action=AuditEntry.Action.READ,
        object_type="ethics.file",
        object_id="987654321",  # no real row has this id
        outcome=AuditEntry.Outcome.FAILURE,
        source_ip="192.168.7.9",
    )
    url = reverse("audit:log")
    lisi = list(AuditEntry.objects.filter(username="lisi").values_list("pk", flat=True))
    assert sorted(_ids(auditor.get(url, {"user": "lisi"}))) == sorted(lisi)
    assert sorted(_ids(auditor.get(url, {"action": "read", "object_type": "ethics"}))) == sorted(
        lisi
    )
    assert len(_ids(auditor.get(url, {"object_id": "987654321"}))) == 2
    assert sorted(_ids(auditor.get(url, {"outcome": "failure"}))) == sorted(lisi)
    assert sorted(_ids(auditor.get(url, {"source_ip": "192.168."}))) == sorted(lisi)
    html = auditor.get(url, {"user": "nobody-at-all"}).content.decode()
    assert "No audit entry matches" in html or "没有" in html


def test_the_date_range_includes_both_whole_days(auditor: Client) -> None:
    _entries(1, username="today")
    today = timezone.localdate()
    url = reverse("audit:log")
    assert _ids(auditor.get(url, {"user": "today", "date_from": today, "date_to": today}))
    yesterday = today - dt.timedelta(days=1)
    assert not _ids(
        auditor.get(url, {"user": "today", "date_from": yesterday, "date_to": yesterday})
    )


def test_an_inverted_date_range_is_refused_in_chinese(auditor: Client) -> None:
    response = auditor.get(
        reverse("audit:log"), {"date_from": "2026-11-23", "date_to": "2026-11-01"}
    )
    assert "结束日期不能早于开始日期" in response.content.decode()
    assert _ids(response) == []


def test_the_log_pages_newest_first_in_a_fixed_number_of_queries(
    auditor: Client, django_assert_max_num_queries: object
) -> None:
    _entries(120)
    auditor.get(reverse("audit:log"))
    with django_assert_max_num_queries(9):  # type: ignore[operator]
        response = auditor.get(reverse("audit:log"), {"page": 2})
    ids = _ids(response)
    assert len(ids) == 50 and ids == sorted(ids, reverse=True)
    assert response.context["page_obj"].paginator.num_pages >= 3


def test_the_export_holds_the_filtered_rows_and_is_itself_audited(auditor: Client) -> None:
    _entries(3, username="wangwu")
    response = auditor.get(reverse("audit:log"), {"user": "wangwu", "export": "xlsx"})
    rows = list(load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.values)
    assert len(rows) == 4
    assert {r[2] for r in rows[1:]} == {"wangwu"}
    export = AuditEntry.objects.filter(
        action=AuditEntry.Action.EXPORT, object_type="audit.auditentry"
    ).latest("id")
    assert export.detail["query"]["user"] == "wangwu"


def test_the_verification_reports_an_intact_chain(auditor: Client) -> None:
    _entries(5)
    response = auditor.post(reverse("audit:verify"))
    report = response.context["report"]
    assert report.ok
    assert 'data-testid="chain-result"' in response.content.decode()
    assert AuditEntry.objects.filter(object_type="audit.chain").exists()


def test_the_verification_names_the_first_broken_row(auditor: Client) -> None:
    _entries(5)
    victim = AuditEntry.objects.filter(username="zhang").order_by("id")[2]
    triggers.remove(connection)
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE audit_auditentry SET username = %s WHERE id = %s", ["mallory", victim.pk]
            )
    finally:
        triggers.install(connection)
    response = auditor.post(reverse("audit:verify"))
    assert response.context["report"].broken.pk == victim.pk
    assert f"{victim.pk}" in response.content.decode()
    recorded = AuditEntry.objects.filter(object_type="audit.chain").latest("id")
    assert recorded.outcome == AuditEntry.Outcome.FAILURE
    assert recorded.detail["broken_id"] == victim.pk


def test_nobody_but_the_auditor_gets_the_log_entries(world: World) -> None:
    from hongfan.audit.selectors import audit_entries_visible_to

    _entries(2)
    for role in (Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.PARTY_OFFICE):
        assert not audit_entries_visible_to(world.user(role)).exists()
    assert audit_entries_visible_to(world.user(Role.AUDIT_ADMIN)).exists()
