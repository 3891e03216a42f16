"""Remind secretaries of development steps that are due soon or overdue."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from hongfan.development.selectors import DUE_SOON_DAYS
from hongfan.development.services import development_alerts_notify


class Command(BaseCommand):
    help = (
        "Notify branch secretaries (and the Party office for the steps it records) of "
        f"development steps due within {DUE_SOON_DAYS} days or overdue: the talk after an "
        "application, the half-yearly assessments, approvals within 3 months, the oath, the "
        "end of the probation. Idempotent: each step is announced once as due and once as "
        "overdue however often the command runs."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--today", help="Reference date (YYYY-MM-DD); default: today.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            today = (
                dt.date.fromisoformat(options["today"])
                if options["today"]
                else timezone.localdate()
            )
        except ValueError as exc:
            raise CommandError(f"--today: {exc}") from exc
        sent = development_alerts_notify(today=today)
        self.stdout.write(f"development_alerts: {sent} notification(s) sent for {today}")
