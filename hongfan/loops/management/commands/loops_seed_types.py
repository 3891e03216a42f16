"""Create or refresh the default matter types (idempotent)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from hongfan.loops.services import matter_type_ensure
from hongfan.loops.workflows import DEFAULT_TYPES


class Command(BaseCommand):
    help = (
        "Create the default closed-loop matter types or reset their workflow definitions to "
        "the defaults. Safe to run any number of times; types other modules added are untouched."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        for code, fields in DEFAULT_TYPES.items():
            matter_type_ensure(code=code, **fields)
        self.stdout.write(f"loops_seed_types: {len(DEFAULT_TYPES)} matter types up to date")
