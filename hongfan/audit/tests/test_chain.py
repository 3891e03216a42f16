"""The hash chain and ``manage.py verify_audit_chain``."""

from __future__ import annotations

from collections.abc import Iterator
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from hongfan.audit import services, triggers
from hongfan.audit.models import AuditEntry


@pytest.fixture
def entries(db: None) -> list[AuditEntry]:
    return [
        services.record(AuditEntry.Action.OTHER, object_type="test", object_id=i) for i in range(6)
    ]


@pytest.fixture
def no_triggers(db: None) -> Iterator[None]:
    """Play the attacker with database rights: drop the triggers for the test."""
    triggers.remove(connection)
    try:
        yield
    finally:
        triggers.install(connection)


def _verify() -> str:
    out = StringIO()
    call_command("verify_audit_chain", stdout=out)
    return out.getvalue()


def test_an_untouched_chain_verifies(entries: list[AuditEntry]) -> None:
    assert "chain intact" in _verify()


def test_an_empty_log_verifies(db: None) -> None:
    assert "0 rows" in _verify()


def test_an_edited_row_is_named_with_its_id_and_time(
    entries: list[AuditEntry], no_triggers: None
) -> None:
    target = entries[3]
    AuditEntry.objects.filter(pk=target.pk).update(username="mallory")
    with pytest.raises(CommandError) as exc:
        _verify()
    assert f"id={target.pk}" in str(exc.value)
    assert target.at_text in str(exc.value)


def test_an_edited_detail_is_detected(entries: list[AuditEntry], no_triggers: None) -> None:
    AuditEntry.objects.filter(pk=entries[1].pk).update(detail={"forged": True})
    with pytest.raises(CommandError, match=f"id={entries[1].pk} "):
        _verify()


def test_a_row_deleted_in_the_middle_breaks_the_next_row(
    entries: list[AuditEntry], no_triggers: None
) -> None:
    AuditEntry.objects.filter(pk=entries[2].pk).delete()
    with pytest.raises(CommandError, match=f"id={entries[3].pk} "):
        _verify()


def test_rows_cut_off_the_end_are_detected(entries: list[AuditEntry], no_triggers: None) -> None:
    AuditEntry.objects.filter(pk__in=[entries[4].pk, entries[5].pk]).delete()
    assert services.verify_chain() is None  # the remaining rows still chain ...
    with pytest.raises(CommandError, match="truncated"):  # ... but not to the head
        _verify()


def test_a_recomputed_forgery_still_fails_at_the_tail(
    entries: list[AuditEntry], no_triggers: None
) -> None:
    """Rewriting the last row and its hash is caught because the head keeps the old hash."""
    last = entries[-1]
    last.username = "mallory"
    new_hash = services.compute_hash(last.prev_hash, last)
    AuditEntry.objects.filter(pk=last.pk).update(username="mallory", hash=new_hash)
    with pytest.raises(CommandError, match="truncated or diverged"):
        _verify()
