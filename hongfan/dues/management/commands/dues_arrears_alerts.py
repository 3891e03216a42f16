"""Warn of Party dues arrears at 3 and 5 months, before the 6-month 自行脱党 line."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from hongfan.dues.services import dues_arrears_notify


class Command(BaseCommand):
    help = (
        "Notify branch secretaries and the Party office of members whose dues are unpaid for "
        "the configured numbers of consecutive months (default 3 and 5; 6 is the line of "
        "Party Constitution Art. 9). Idempotent: each threshold is announced once."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--as-of", help="Reference date (YYYY-MM-DD); default: today.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            as_of = (
                dt.date.fromisoformat(options["as_of"])
                if options["as_of"]
                else timezone.localdate()
            )
        except ValueError as exc:
            raise CommandError(f"--as-of: {exc}") from exc
        sent = dues_arrears_notify(as_of=as_of)
        self.stdout.write(f"dues_arrears_alerts: {sent} notification(s) sent for {as_of:%Y-%m}")
