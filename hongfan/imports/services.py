"""Running imports: validate a file (preview), apply it all or nothing, record the run."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hongfan.audit import services as audit
from hongfan.audit.models import AuditEntry
from hongfan.imports import registry
from hongfan.imports.framework import Counts, FileRejected, Importer, RowError, read_sheets
from hongfan.imports.models import ImportRun

# A validated file waits this long for confirmation.
PENDING_LIFETIME = dt.timedelta(hours=24)


class _DryRun(Exception):
    pass


def _run_importer(importer: Importer, data: bytes, *, write: bool) -> Counts | None:
    """Validate ``data``; when valid, plan (and when ``write``, apply). None when invalid."""
    sheets = read_sheets(data)
    rows = importer.validate(sheets)
    if importer.errors:
        return None
    if write:
        return importer.apply(rows)
    return importer.plan(rows)


def _finish(run: ImportRun, importer: Importer, counts: Counts | None, outcome: str) -> None:
    run.finished_at = timezone.now()
    run.errors = [e.as_dict() for e in sorted(importer.errors, key=_error_order)]
    run.notes = [str(n) for n in importer.notes]
    if counts is not None:
        run.created_count, run.updated_count = counts.created, counts.updated
        run.unchanged_count = counts.unchanged
        run.row_count = counts.total
    run.outcome = outcome


def _error_order(e: RowError) -> tuple[int, str]:
    return (e.row or 0, e.column)


def _new_run(kind: str, data: bytes, file_name: str, user: Any) -> ImportRun:
    return ImportRun(
        kind=kind,
        file_name=(file_name or "")[:255],
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
        user=user if getattr(user, "pk", None) else None,
        started_at=timezone.now(),
        outcome=ImportRun.Outcome.PENDING,
    )


def _note_previous(run: ImportRun, importer: Importer) -> None:
    previous = (
        ImportRun.objects.filter(
            kind=run.kind, sha256=run.sha256, outcome=ImportRun.Outcome.APPLIED
        )
        .order_by("-finished_at")
        .first()
    )
    if previous is not None and previous.finished_at:
        importer.notes.append(
            _("The same file was imported on %(when)s.")
            % {"when": timezone.localtime(previous.finished_at).strftime("%Y-%m-%d %H:%M")}
        )


def _audit(run: ImportRun, action_outcome: str) -> None:
    audit.record(
        AuditEntry.Action.IMPORT,
        run,
        outcome=action_outcome,
        detail={
            "kind": run.kind,
            "file": run.file_name,
            "sha256": run.sha256,
            "outcome": run.outcome,
            "created": run.created_count,
            "updated": run.updated_count,
            "unchanged": run.unchanged_count,
            "errors": run.error_count,
        },
    )


def import_validate(*, kind: str, data: bytes, file_name: str, user: Any) -> ImportRun:
    """Check a file without saving anything; keep it (encrypted) until confirmed.

    The run is PENDING with the would-be counts when the file is valid, REJECTED with every
    error otherwise.
    """
    importer = registry.get(kind)(user=user)
    run = _new_run(kind, data, file_name, user)
    try:
        counts = _run_importer(importer, data, write=False)
    except FileRejected as exc:
        importer.errors.append(RowError(None, "", exc.message))
        counts = None
    _note_previous(run, importer)
    if counts is None:
        _finish(run, importer, None, ImportRun.Outcome.REJECTED)
    else:
        _finish(run, importer, counts, ImportRun.Outcome.PENDING)
        run.finished_at = None
        run.pending_payload = base64.b64encode(data).decode()
    run.save()
    if run.outcome == ImportRun.Outcome.REJECTED:
        _audit(run, AuditEntry.Outcome.FAILURE)
    return run


def import_apply(*, run: ImportRun, user: Any) -> ImportRun:
    """Apply a PENDING run: validate again against the current data, then write all or nothing."""
    if run.outcome != ImportRun.Outcome.PENDING or not run.pending_payload:
        raise ValidationError(_("This import is no longer waiting for confirmation."))
    if timezone.now() - run.started_at > PENDING_LIFETIME:
        run.outcome = ImportRun.Outcome.CANCELLED
        run.pending_payload = ""
        run.finished_at = timezone.now()
        run.save()
        raise ValidationError(_("The upload has expired; upload the file again."))
    data = base64.b64decode(run.pending_payload)
    return _execute(run, data, user)


def import_file(*, kind: str, data: bytes, file_name: str, user: Any = None) -> ImportRun:
    """Validate and apply in one step (commands, benchmarks, tests)."""
    run = _new_run(kind, data, file_name, user)
    return _execute(run, data, user)


def _execute(run: ImportRun, data: bytes, user: Any) -> ImportRun:
    importer = registry.get(run.kind)(user=user)
    run.started_at = run.started_at or timezone.now()
    counts: Counts | None = None
    outcome = ImportRun.Outcome.APPLIED
    try:
        with transaction.atomic():
            counts = _run_importer(importer, data, write=True)
            if counts is None:
                outcome = ImportRun.Outcome.REJECTED
                raise _DryRun
    except _DryRun:
        pass
    except FileRejected as exc:
        importer.errors.append(RowError(None, "", exc.message))
        outcome = ImportRun.Outcome.REJECTED
    except (ValidationError, IntegrityError) as exc:
        message = "; ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
        importer.errors.append(
            RowError(None, "", _("The database refused the import: %(e)s") % {"e": message})
        )
        outcome = ImportRun.Outcome.FAILED
        counts = None
    if outcome != ImportRun.Outcome.APPLIED:
        counts = None
    _note_previous(run, importer)
    _finish(run, importer, counts, outcome)
    run.pending_payload = ""
    run.save()
    _audit(
        run,
        AuditEntry.Outcome.SUCCESS
        if outcome == ImportRun.Outcome.APPLIED
        else AuditEntry.Outcome.FAILURE,
    )
    return run


@transaction.atomic
def import_cancel(*, run: ImportRun, user: Any) -> ImportRun:
    if run.outcome != ImportRun.Outcome.PENDING:
        raise ValidationError(_("This import is no longer waiting for confirmation."))
    run.outcome = ImportRun.Outcome.CANCELLED
    run.pending_payload = ""
    run.finished_at = timezone.now()
    run.save()
    return run
