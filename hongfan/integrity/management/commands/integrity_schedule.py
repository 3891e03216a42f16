"""Draft (and where configured send) festival reminder letters; remind of risk reviews."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from hongfan.integrity.services import reminders_schedule, risk_review_reminders_send


class Command(BaseCommand):
    help = (
        "Draft the reminder letter of every active key date whose drafting day (N days before) "
        "has come, send those marked 'send automatically', and remind responsible people of "
        "risk reviews due within 14 days. Idempotent: run it daily (or as the django-tasks "
        "task hongfan.integrity.tasks.integrity_schedule_task)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--today", help="Run as of this date (YYYY-MM-DD).")

    def handle(self, *args: Any, **options: Any) -> None:
        today = None
        if options.get("today"):
            try:
                today = dt.date.fromisoformat(options["today"])
            except ValueError as exc:
                raise CommandError(f"--today must be YYYY-MM-DD, not {options['today']!r}") from exc
        letters = reminders_schedule(today)
        risks = risk_review_reminders_send(today)
        self.stdout.write(
            f"{letters['drafted']} letters drafted, {letters['sent']} sent; "
            f"{risks['points']} risk reviews due, {risks['notifications']} reminders sent"
        )
