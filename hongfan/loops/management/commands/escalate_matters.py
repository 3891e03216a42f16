"""Escalate overdue matters (idempotent; run from cron or the task worker)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from hongfan.loops.services import escalate_overdue


class Command(BaseCommand):
    help = (
        "Escalate every open matter past its type's thresholds: level 1 notifies the owner and "
        "the head of the owner's department, level 2 the supervising office. Running it twice "
        "escalates and notifies nothing new. --now (ISO date-time) evaluates at another moment."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--now", help="evaluate as of this ISO date-time (default: now)")

    def handle(self, *args: Any, **options: Any) -> None:
        now = timezone.now()
        if options.get("now"):
            try:
                now = dt.datetime.fromisoformat(options["now"])
            except ValueError as exc:
                raise CommandError(f"--now: not an ISO date-time: {options['now']!r}") from exc
            if timezone.is_naive(now):
                now = timezone.make_aware(now)
        counts = escalate_overdue(now=now)
        self.stdout.write(
            "escalate_matters: {checked} overdue checked, {level1} to level 1, "
            "{level2} to level 2, {notifications} notifications".format(**counts)
        )
