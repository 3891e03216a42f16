"""The audit table is append-only: the database refuses UPDATE and DELETE."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from hongfan.audit import services, triggers
from hongfan.audit.models import AuditEntry


@pytest.fixture
def entry(db: None) -> AuditEntry:
    return services.record(AuditEntry.Action.OTHER, object_type="test", object_repr="x")


def test_the_migration_installed_the_triggers(db: None) -> None:
    assert triggers.installed(connection)


def test_an_update_by_raw_sql_is_refused(entry: AuditEntry) -> None:
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(
            "UPDATE audit_auditentry SET username = %s WHERE id = %s", ["mallory", entry.pk]
        )
    entry.refresh_from_db()
    assert entry.username != "mallory"


def test_a_delete_by_raw_sql_is_refused(entry: AuditEntry) -> None:
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("DELETE FROM audit_auditentry WHERE id = %s", [entry.pk])
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_an_orm_update_and_delete_are_refused(entry: AuditEntry) -> None:
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).update(outcome=AuditEntry.Outcome.FAILURE)
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).delete()
    entry.refresh_from_db()
    assert entry.outcome == AuditEntry.Outcome.SUCCESS


@pytest.mark.skipif(connection.vendor != "postgresql", reason="TRUNCATE exists on PostgreSQL only")
def test_truncate_is_refused_on_postgresql(entry: AuditEntry) -> None:
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("TRUNCATE audit_auditentry")


def test_inserts_stay_allowed(entry: AuditEntry) -> None:
    services.record(AuditEntry.Action.OTHER, object_type="test", object_repr="y")
    assert AuditEntry.objects.count() >= 2


def test_the_migration_is_reversible(entry: AuditEntry) -> None:
    triggers.remove(connection)
    try:
        assert not triggers.installed(connection)
        AuditEntry.objects.filter(pk=entry.pk).update(username="changed")
    finally:
        triggers.install(connection)
    assert triggers.installed(connection)
