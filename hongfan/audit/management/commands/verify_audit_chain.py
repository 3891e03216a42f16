"""Verify the audit log's hash chain."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from hongfan.audit.services import check_chain


class Command(BaseCommand):
    help = (
        "Recompute the SHA-256 chain of the audit log in id order. Fails naming the first "
        "row whose hash does not follow from its predecessor (an edited or deleted row), or "
        "when the last row is not the recorded chain head (rows cut off the end)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        report = check_chain()
        if report.broken is not None:
            entry = report.broken
            raise CommandError(
                f"audit chain broken at row id={entry.pk} time={entry.at_text} "
                f"({timezone.localtime(entry.at).isoformat()}) after {report.checked} valid rows"
            )
        if report.tail_mismatch:
            raise CommandError(
                f"audit chain truncated or diverged: last row id={report.last_id}, "
                f"chain head expects id={report.head_id} ({report.checked} valid rows)"
            )
        self.stdout.write(f"verify_audit_chain: {report.checked} rows, chain intact")
