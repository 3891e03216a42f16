"""Every write to an AuditedModel leaves an entry, attributed to the request's user and IP."""

from __future__ import annotations

import threading

import pytest
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory

from hongfan.accounts.models import User
from hongfan.audit import services
from hongfan.audit.middleware import AuditContextMiddleware, client_ip
from hongfan.audit.models import AuditEntry
from hongfan.org.models import Institution


def _entries(action: str, **filters: object) -> list[AuditEntry]:
    return list(
        AuditEntry.objects.filter(object_type="org.institution", action=action, **filters).order_by(
            "id"
        )
    )


@pytest.fixture
def institutions(db: None) -> list[Institution]:
    return [Institution.objects.create(code=f"B{i}", name=f"机构{i}") for i in range(5)]


def test_a_save_records_create_then_update(db: None) -> None:
    inst = Institution.objects.create(code="S1", name="卫生院")
    inst.name = "镇卫生院"
    inst.save()
    assert [
        e.action
        for e in AuditEntry.objects.filter(object_id=str(inst.pk))
        .filter(object_type="org.institution")
        .order_by("id")
    ] == ["create", "update"]


def test_a_delete_is_recorded(institutions: list[Institution]) -> None:
    pk = institutions[0].pk
    institutions[0].delete()
    assert _entries("delete", object_id=str(pk))


def test_queryset_update_leaves_one_entry_per_row(institutions: list[Institution]) -> None:
    Institution.objects.filter(code__startswith="B").update(short_name="简称")
    rows = _entries("update")
    assert sorted(e.object_id for e in rows) == sorted(str(i.pk) for i in institutions)  # once
    assert all(e.detail["bulk"] and e.detail["changes"] == {"short_name": "简称"} for e in rows)


def test_queryset_delete_leaves_one_entry_per_row(institutions: list[Institution]) -> None:
    Institution.objects.filter(code__in=["B1", "B2", "B3"]).delete()
    deleted = sorted(e.object_id for e in _entries("delete"))
    assert deleted == sorted(str(i.pk) for i in institutions[1:4])  # once each


def test_bulk_create_leaves_one_entry_per_row(db: None) -> None:
    created = Institution.objects.bulk_create(
        [Institution(code=f"C{i}", name=f"批量{i}") for i in range(4)]
    )
    assert sorted(e.object_id for e in _entries("create")) == sorted(str(i.pk) for i in created)


def test_bulk_update_leaves_one_entry_per_row(institutions: list[Institution]) -> None:
    for inst in institutions:
        inst.short_name = inst.code
    Institution.objects.bulk_update(institutions, ["short_name"])
    rows = _entries("update")
    assert len(rows) == len(institutions)
    assert rows[0].detail["changes"] == {"fields": ["short_name"]}


def test_a_write_inside_a_request_carries_the_user_and_address(db: None) -> None:
    user = User.objects.create_user(username="writer", password="x")
    request = RequestFactory().post("/org/", REMOTE_ADDR="10.1.2.3")
    request.user = user

    def view(req: HttpRequest) -> HttpResponse:
        Institution.objects.create(code="R1", name="请求内创建")
        return HttpResponse("ok")

    AuditContextMiddleware(view)(request)
    entry = _entries("create")[-1]
    assert (entry.user_id, entry.username, entry.source_ip) == (user.pk, "writer", "10.1.2.3")
    assert entry.at_text.endswith("+08:00")
    assert entry.outcome == AuditEntry.Outcome.SUCCESS


def test_anonymous_report_pages_store_no_address(db: None) -> None:
    request = RequestFactory().post("/report/anonymous/new/", REMOTE_ADDR="10.9.9.9")
    assert client_ip(request) == ""


def test_the_proxy_header_wins_when_configured(settings) -> None:
    settings.HONGFAN_CLIENT_IP_HEADER = "HTTP_X_REAL_IP"
    request = RequestFactory().get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_REAL_IP="10.0.0.7")
    assert client_ip(request) == "10.0.0.7"


def test_a_record_costs_at_most_three_queries(
    db: None, django_assert_max_num_queries: object
) -> None:
    services.record(AuditEntry.Action.OTHER, object_type="warm-up")  # creates the chain head
    with django_assert_max_num_queries(3):  # type: ignore[operator]
        services.record(AuditEntry.Action.OTHER, object_type="test")


def test_a_bulk_write_of_many_rows_costs_a_constant_number_of_queries(
    institutions: list[Institution], django_assert_max_num_queries: object
) -> None:
    with django_assert_max_num_queries(5):  # type: ignore[operator]
        Institution.objects.filter(code__startswith="B").update(is_active=False)


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite serialises writers per database file, so there is no race to test",
)
@pytest.mark.django_db(transaction=True)
def test_two_threads_appending_keep_the_chain_valid() -> None:
    from django.db import connections

    errors: list[BaseException] = []
    barrier = threading.Barrier(2)

    def worker(n: int) -> None:
        try:
            barrier.wait()
            for i in range(25):
                services.record(AuditEntry.Action.OTHER, object_type="thread", object_id=f"{n}-{i}")
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert AuditEntry.objects.filter(object_type="thread").count() == 50
    assert services.check_chain().ok


def test_inside_bulk_summary_a_bulk_write_is_one_entry_per_chunk_naming_every_row(
    institutions: list[Institution], monkeypatch: pytest.MonkeyPatch
) -> None:
    from hongfan.audit import services

    monkeypatch.setattr(services, "BULK_SUMMARY_CHUNK", 2)
    before = AuditEntry.objects.count()
    with services.bulk_summary():
        Institution.objects.filter(code__startswith="B").update(short_name="简称")
    entries = list(AuditEntry.objects.filter(pk__gt=0).order_by("pk"))[before:]
    assert len(entries) == 3  # 5 rows in chunks of 2
    named = [i for e in entries for i in e.detail["ids"]]
    assert sorted(named) == sorted(str(i.pk) for i in institutions)
    assert all(e.action == "update" and e.object_type == "org.institution" for e in entries)
    assert services.verify_chain() is None
    # outside the block: one entry per row again
    Institution.objects.filter(code__startswith="B").update(short_name="又改")
    assert AuditEntry.objects.count() == before + 3 + 5
