"""Load the official holidays and adjusted workdays from the chinese-calendar package."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from hongfan.workdays.services import calendar_seed_from_package


class Command(BaseCommand):
    help = (
        "Load every holiday and adjusted workday (放假调休) that the chinese-calendar package "
        "knows into the working-day calendar. Idempotent; rows entered or changed by an "
        "administrator are never overwritten. Later years are entered in the interface."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        result = calendar_seed_from_package()
        years = f"{result.years[0]}–{result.years[-1]}" if result.years else "-"
        self.stdout.write(
            f"seed_holidays: years {years}: {result.created} created, {result.updated} updated, "
            f"{result.kept} kept (entered by an administrator)"
        )
