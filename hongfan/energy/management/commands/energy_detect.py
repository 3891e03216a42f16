"""Detect the energy alarms of a range of days (idempotent)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from hongfan.energy import services


class Command(BaseCommand):
    help = (
        "Detect energy alarms (use above baseline, night-time load, spikes) for the days "
        "--start..--end (default: the last 7 days up to yesterday). Idempotent: one alarm per "
        "meter, kind and day; open alarms get the new figures."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--start", help="first day, YYYY-MM-DD")
        parser.add_argument("--end", help="last day, YYYY-MM-DD")

    def handle(self, *args: Any, **options: Any) -> None:
        yesterday = timezone.localdate() - dt.timedelta(days=1)
        try:
            end = dt.date.fromisoformat(options["end"]) if options["end"] else yesterday
            start = (
                dt.date.fromisoformat(options["start"])
                if options["start"]
                else end - dt.timedelta(days=6)
            )
        except ValueError as exc:
            raise CommandError(f"bad date: {exc}") from exc
        if end < start:
            raise CommandError("--end is before --start")
        result = services.alarms_detect(start=start, end=end)
        self.stdout.write(
            f"{start}..{end}: {result['found']} alarms found, {result['created']} new, "
            f"{result['updated']} updated"
        )
