"""Create the default report templates that are missing (idempotent)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from hongfan.cockpit import services


class Command(BaseCommand):
    help = "Create the default quarterly and annual report templates (if missing)."

    def handle(self, *args: Any, **options: Any) -> None:
        created = services.templates_ensure_defaults()
        self.stdout.write(f"report templates created: {created}")
