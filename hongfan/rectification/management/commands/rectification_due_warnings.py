"""Warn owners of rectification tasks due soon (idempotent)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from hongfan.rectification.services import task_due_warnings_send


class Command(BaseCommand):
    help = (
        "Warn the owners of open rectification tasks due within N working days (default 3). "
        "Each task is announced once (per reopening), however often this runs; overdue tasks "
        "are escalated by `manage.py escalate_matters`."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--now", help="reference time, ISO 8601 (default: now)")
        parser.add_argument("--ahead", type=int, default=3, help="working days ahead")

    def handle(self, *args: Any, **options: Any) -> None:
        now = None
        if options["now"]:
            try:
                now = dt.datetime.fromisoformat(options["now"])
            except ValueError as exc:
                raise CommandError("--now must be an ISO 8601 date-time") from exc
            if timezone.is_naive(now):
                now = timezone.make_aware(now)
        if options["ahead"] < 0:
            raise CommandError("--ahead cannot be negative")
        counts = task_due_warnings_send(now=now, ahead=options["ahead"])
        self.stdout.write(
            f"tasks warned: {counts['tasks']}, notifications: {counts['notifications']}"
        )
