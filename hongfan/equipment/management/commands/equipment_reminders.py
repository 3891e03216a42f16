"""Remind of preventive maintenance and quality checks due (idempotent)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from hongfan.equipment.services import reminders_send


class Command(BaseCommand):
    help = (
        "Notify medical engineering and the department heads of preventive maintenance and "
        "quality checks of devices in service that are due within --days days (default 14) or "
        "overdue. Safe to run any number of times: each due date of each device is announced "
        "to each person once."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--today", help="reference date YYYY-MM-DD (default: today)")
        parser.add_argument("--days", type=int, default=14, help="days ahead (default 14)")

    def handle(self, *args: Any, **options: Any) -> None:
        on = timezone.localdate()
        if options["today"]:
            try:
                on = dt.date.fromisoformat(options["today"])
            except ValueError as exc:
                raise CommandError("--today must be YYYY-MM-DD") from exc
        if options["days"] < 0:
            raise CommandError("--days cannot be negative")
        due, created = reminders_send(on=on, within_days=options["days"])
        self.stdout.write(f"due or overdue: {due}, notifications: {created}")
