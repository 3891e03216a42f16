"""Writing to the audit log.

Each entry's hash is SHA-256 over the previous entry's hash and the entry's own canonical
content, so editing or deleting any row breaks the chain from that row on
(``manage.py verify_audit_chain`` names the first broken row). Appends lock the single
``AuditChainHead`` row, so concurrent writers extend the chain one after another.
"""

from __future__ import annotations

import contextvars
import hashlib
import json
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from hongfan.audit.models import AuditChainHead, AuditEntry

GENESIS = "0" * 64


@dataclass(frozen=True)
class AuditContext:
    user_id: int | None = None
    username: str = ""
    source_ip: str = ""


_context: contextvars.ContextVar[AuditContext] = contextvars.ContextVar(
    "hongfan_audit_context",
    default=AuditContext(username="system"),  # noqa: B039 (frozen dataclass, immutable)
)


def current_context() -> AuditContext:
    return _context.get()


@contextmanager
def audit_context(
    *, user: Any = None, username: str | None = None, source_ip: str = ""
) -> Iterator[AuditContext]:
    """Attribute the writes made inside the block to ``user`` / ``username``."""
    ctx = AuditContext(
        user_id=getattr(user, "pk", None),
        username=username if username is not None else getattr(user, "username", "system"),
        source_ip=source_ip,
    )
    token = _context.set(ctx)
    try:
        yield ctx
    finally:
        _context.reset(token)


def _canonical(entry: AuditEntry) -> str:
    return json.dumps(
        {
            "at": entry.at_text,
            "user": entry.user_id,
            "username": entry.username,
            "action": entry.action,
            "object_type": entry.object_type,
            "object_id": entry.object_id,
            "object_repr": entry.object_repr,
            "outcome": entry.outcome,
            "source_ip": entry.source_ip,
            "detail": entry.detail,
        },
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
        default=str,
    )


def compute_hash(prev_hash: str, entry: AuditEntry) -> str:
    return hashlib.sha256((prev_hash + _canonical(entry)).encode()).hexdigest()


def _label(model: type[models.Model] | models.Model) -> str:
    meta = model._meta
    return f"{meta.app_label}.{meta.model_name}"


def _json_safe(value: Any) -> Any:
    return json.loads(json.dumps(value, default=str, ensure_ascii=False))


def _build(
    *,
    action: str,
    object_type: str = "",
    object_id: Any = "",
    object_repr: str = "",
    outcome: str = AuditEntry.Outcome.SUCCESS,
    detail: dict[str, Any] | None = None,
    user: Any = None,
    username: str | None = None,
    source_ip: str | None = None,
) -> AuditEntry:
    ctx = current_context()
    now = timezone.localtime()
    return AuditEntry(
        at=now,
        at_text=now.isoformat(),
        user_id=getattr(user, "pk", None) if user is not None else ctx.user_id,
        username=(
            username
            if username is not None
            else (getattr(user, "username", "") if user is not None else ctx.username)
        ),
        action=action,
        object_type=object_type,
        object_id=str(object_id) if object_id not in (None, "") else "",
        object_repr=(object_repr or "")[:200],
        outcome=outcome,
        source_ip=source_ip if source_ip is not None else ctx.source_ip,
        detail=_json_safe(detail or {}),
    )


def _append(entries: list[AuditEntry]) -> list[AuditEntry]:
    if not entries:
        return entries
    # savepoint=False: inside a caller's transaction an append costs three statements (lock
    # and read the head, insert, move the head) and fails together with the caller's write.
    with transaction.atomic(savepoint=False):
        head = AuditChainHead.objects.select_for_update().filter(pk=1).first()
        if head is None:
            head, _ = AuditChainHead.objects.get_or_create(
                pk=1, defaults={"last_hash": GENESIS, "last_id": 0}
            )
            head = AuditChainHead.objects.select_for_update().get(pk=1)
        prev = head.last_hash
        for entry in entries:
            entry.prev_hash = prev
            entry.hash = compute_hash(prev, entry)
            prev = entry.hash
        created = AuditEntry.objects.bulk_create(entries, batch_size=500)
        AuditChainHead.objects.filter(pk=1).update(
            last_hash=prev, last_id=created[-1].pk if created[-1].pk else head.last_id
        )
    return created


def record(
    action: str,
    obj: models.Model | None = None,
    *,
    object_type: str = "",
    object_id: Any = "",
    object_repr: str = "",
    outcome: str = AuditEntry.Outcome.SUCCESS,
    detail: dict[str, Any] | None = None,
    user: Any = None,
    username: str | None = None,
    source_ip: str | None = None,
) -> AuditEntry:
    """Append one entry. ``obj`` fills the object columns when given."""
    if obj is not None:
        object_type = object_type or _label(obj)
        object_id = object_id or obj.pk
        object_repr = object_repr or str(obj)
    entry = _build(
        action=action,
        object_type=object_type,
        object_id=object_id,
        object_repr=object_repr,
        outcome=outcome,
        detail=detail,
        user=user,
        username=username,
        source_ip=source_ip,
    )
    return _append([entry])[0]


def record_read(obj: models.Model, *, user: Any, source_ip: str = "", what: str = "") -> None:
    """Record a read of a sensitive record (ethics file, case, patient data, ID number)."""
    record(
        AuditEntry.Action.READ,
        obj,
        user=user,
        source_ip=source_ip or None,
        detail={"what": what} if what else None,
    )


_bulk_summary: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "hongfan_audit_bulk_summary", default=False
)
BULK_SUMMARY_CHUNK = 1000


@contextmanager
def bulk_summary() -> Iterator[None]:
    """Inside the block, a bulk write is recorded as one entry per ``BULK_SUMMARY_CHUNK``
    rows naming every row's id (``detail["ids"]``), instead of one entry per row.

    For system jobs that write tens of thousands of rows in one statement (the escalation of
    every overdue matter after an outage): each row is still named in the log, in the same
    hash chain, at a fraction of the cost. Searching the log by object id does not find these
    entries; search by object type and time instead."""
    token = _bulk_summary.set(True)
    try:
        yield
    finally:
        _bulk_summary.reset(token)


def record_bulk(
    model: type[models.Model],
    action: str,
    pks: Iterable[Any],
    *,
    changes: dict[str, Any] | None = None,
) -> None:
    """Append one entry per affected row of a bulk write (per chunk inside
    :func:`bulk_summary`)."""
    label = _label(model)
    safe_changes = None
    if changes:
        safe_changes = {
            k: (v if isinstance(v, str | int | float | bool | None | list) else str(v))
            for k, v in changes.items()
        }
    if _bulk_summary.get():
        ids = [str(pk) for pk in pks]
        _append(
            [
                _build(
                    action=action,
                    object_type=label,
                    object_repr=f"{len(chunk)} rows, ids {chunk[0]}–{chunk[-1]}",
                    detail={
                        "bulk": True,
                        "ids": chunk,
                        **({"changes": safe_changes} if safe_changes else {}),
                    },
                )
                for start in range(0, len(ids), BULK_SUMMARY_CHUNK)
                if (chunk := ids[start : start + BULK_SUMMARY_CHUNK])
            ]
        )
        return
    entries = [
        _build(
            action=action,
            object_type=label,
            object_id=pk,
            detail={"bulk": True, **({"changes": safe_changes} if safe_changes else {})},
        )
        for pk in pks
    ]
    _append(entries)


def verify_chain(batch_size: int = 5000) -> AuditEntry | None:
    """Return the first entry whose hash does not follow from its predecessor, or None."""
    return check_chain(batch_size=batch_size).broken


@dataclass(frozen=True)
class ChainReport:
    """What ``check_chain`` found: the first broken row and whether the tail is missing."""

    checked: int
    broken: AuditEntry | None = None
    # The chain head names a row that is gone (rows cut off the end) or not the last row.
    tail_mismatch: bool = False
    head_id: int = 0
    last_id: int = 0

    @property
    def ok(self) -> bool:
        return self.broken is None and not self.tail_mismatch


def check_chain(batch_size: int = 5000) -> ChainReport:
    """Recompute every hash in id order and compare the last row with ``AuditChainHead``.

    Editing a row breaks its own hash; deleting a row in the middle breaks the next row's
    ``prev_hash``; deleting rows at the end leaves a valid chain that no longer reaches the
    head, which only the head comparison reveals.
    """
    prev = GENESIS
    last_id = 0
    checked = 0
    while True:
        batch = list(AuditEntry.objects.filter(id__gt=last_id).order_by("id")[:batch_size])
        if not batch:
            break
        for entry in batch:
            if entry.prev_hash != prev or compute_hash(prev, entry) != entry.hash:
                return ChainReport(checked=checked, broken=entry, last_id=last_id)
            prev = entry.hash
            last_id = entry.id
            checked += 1
    head = AuditChainHead.objects.filter(pk=1).first()
    head_id = head.last_id if head else 0
    head_hash = head.last_hash if head else GENESIS
    return ChainReport(
        checked=checked,
        tail_mismatch=(head_hash != prev or head_id != last_id),
        head_id=head_id,
        last_id=last_id,
    )
