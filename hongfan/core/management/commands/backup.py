"""Back up the database and the uploaded files into one verifiable archive."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from hongfan.core.backup import backup


class Command(BaseCommand):
    help = (
        "Write hongfan-YYYYmmdd-HHMMSS.tar.gz (plus a .sha256 file) into --output: every table "
        "as JSON (encrypted fields stay encrypted; sessions are left out), every file under "
        "MEDIA_ROOT, and a manifest with row counts and SHA-256 checksums. Works on SQLite and "
        "PostgreSQL; restore with manage.py restore into an empty, migrated database."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--output",
            default=None,
            help="Directory for the archive (default: HONGFAN_BACKUP_DIR or ./var/backups).",
        )
        parser.add_argument("--database", default="default")

    def handle(self, *args: Any, **options: Any) -> None:
        output = options["output"] or getattr(settings, "HONGFAN_BACKUP_DIR", None)
        if not output:
            output = Path(settings.BASE_DIR) / "var" / "backups"
        result = backup(Path(output), using=options["database"])
        self.stdout.write(
            f"backup: {result.path} ({sum(result.tables.values())} rows in "
            f"{len(result.tables)} tables, {result.files} files) sha256={result.sha256}"
        )
