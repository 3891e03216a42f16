"""Restore an archive written by ``manage.py backup`` into an empty, migrated database."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from hongfan.core.backup import BackupError, restore


class Command(BaseCommand):
    help = (
        "Restore ARCHIVE (from manage.py backup) into this database and MEDIA_ROOT. Refuses an "
        "archive whose files do not match its manifest's checksums, a different "
        "FIELD_ENCRYPTION_KEY or schema version, a database that already holds accounts or "
        "audit entries, and uploaded files that would be overwritten. Needs --yes."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", help="Path of hongfan-….tar.gz")
        parser.add_argument(
            "--yes", action="store_true", help="Confirm: replace the empty database's contents."
        )
        parser.add_argument("--database", default="default")

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["yes"]:
            raise CommandError("Add --yes to restore (the database must be empty and migrated).")
        try:
            result = restore(Path(options["archive"]), using=options["database"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        for warning in result.warnings:
            self.stderr.write(warning)
        self.stdout.write(
            f"restore: {sum(result.tables.values())} rows in {len(result.tables)} tables, "
            f"{result.files} files, {result.audit_rows} audit rows; chain "
            f"{'NOT verified' if result.warnings else 'verified'}"
        )
