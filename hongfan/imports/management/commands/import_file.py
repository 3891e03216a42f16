"""``manage.py import_file <kind> <file>``: run an import from the command line (all or nothing)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from hongfan.imports import registry, services
from hongfan.imports.models import ImportRun


class Command(BaseCommand):
    help = "Import an .xlsx or .csv file of one kind; nothing is saved when any row is bad."

    def add_arguments(self, parser: Any) -> None:
        kinds = ", ".join(cls.kind for cls in registry.all_importers())
        parser.add_argument("kind", help=f"one of: {kinds}")
        parser.add_argument("path", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        kind, path = options["kind"], options["path"]
        if kind not in {cls.kind for cls in registry.all_importers()}:
            raise CommandError(f"Unknown kind {kind!r}.")
        run = services.import_file(kind=kind, data=path.read_bytes(), file_name=path.name)
        for note in run.notes:
            self.stdout.write(str(note))
        if run.outcome != ImportRun.Outcome.APPLIED:
            for e in run.errors:
                self.stderr.write(f"{e['row'] or '-'}\t{e['column'] or '-'}\t{e['message']}")
            raise CommandError(f"Nothing imported: {run.error_count} problem(s) (run #{run.pk}).")
        self.stdout.write(
            f"run #{run.pk}: {run.created_count} created, {run.updated_count} updated, "
            f"{run.unchanged_count} unchanged"
        )
