"""Send budget execution-rate warnings (idempotent)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from hongfan.budget.services import warnings_send


class Command(BaseCommand):
    help = (
        "Check every approved budget line of the year against the time elapsed and notify the "
        "executing department's heads and the budget office of lines overspent (>100%), nearly "
        "used up (>= HONGFAN_BUDGET_NEAR_PERCENT, default 90%) or behind schedule (more than "
        "HONGFAN_BUDGET_SLOW_GAP, default 20 points, below the time elapsed, from the second "
        "quarter). Safe to run any number of times: a warning reaches each person once per "
        "line, kind and month."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--today", help="reference date YYYY-MM-DD (default: today)")

    def handle(self, *args: Any, **options: Any) -> None:
        on = timezone.localdate()
        if options["today"]:
            try:
                on = dt.date.fromisoformat(options["today"])
            except ValueError as exc:
                raise CommandError("--today must be YYYY-MM-DD") from exc
        warnings, created = warnings_send(on=on)
        kinds = {k: sum(1 for w in warnings if w.kind == k) for k in ("over", "near", "slow")}
        self.stdout.write(
            f"overspent: {kinds['over']}, nearly used up: {kinds['near']}, "
            f"behind schedule: {kinds['slow']}, notifications: {created}"
        )
