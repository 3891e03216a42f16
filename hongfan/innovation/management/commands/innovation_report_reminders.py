"""Remind project leaders and mentors of due and overdue reports (idempotent)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from hongfan.innovation.services import report_reminders_send


class Command(BaseCommand):
    help = (
        "Send in-app reminders for innovation project reports due within N working days "
        "(default 3) and for overdue reports. Safe to run any number of times: each report "
        "is announced at most once as due soon and once as overdue."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--today", help="reference date YYYY-MM-DD (default: today)")
        parser.add_argument("--ahead", type=int, default=3, help="working days ahead")

    def handle(self, *args: Any, **options: Any) -> None:
        today = None
        if options["today"]:
            try:
                today = dt.date.fromisoformat(options["today"])
            except ValueError as exc:
                raise CommandError("--today must be YYYY-MM-DD") from exc
        if options["ahead"] < 0:
            raise CommandError("--ahead cannot be negative")
        counts = report_reminders_send(today=today, ahead=options["ahead"])
        self.stdout.write(
            f"due soon: {counts['due_soon']}, overdue: {counts['overdue']}, "
            f"notifications: {counts['notifications']}"
        )
