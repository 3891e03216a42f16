"""Remind branch secretaries of meetings still missing before a period ends."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from hongfan.orglife.services import reminders_send


class Command(BaseCommand):
    help = (
        "Notify each branch secretary, N days (OrglifeSettings.reminder_days) before a period "
        "ends, of every required meeting not yet held; warn the Party committee office near the "
        "year end when the committee secretary has given no Party lecture. Safe to run any number "
        "of times: each reminder reaches each person once."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--today", help="Pretend today is this date (YYYY-MM-DD).")

    def handle(self, *args: Any, **options: Any) -> None:
        today = None
        if options["today"]:
            try:
                today = dt.date.fromisoformat(options["today"])
            except ValueError as exc:
                raise CommandError("--today must be YYYY-MM-DD") from exc
        sent = reminders_send(today=today)
        self.stdout.write(f"orglife reminders: {sent} notification(s) sent")
