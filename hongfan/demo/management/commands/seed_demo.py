"""``manage.py seed_demo --size small|hospital|large [--seed 2026] [--reset]``."""

from __future__ import annotations

import datetime as dt
import time
import unicodedata
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from hongfan.demo import services
from hongfan.demo.builder import SIZES


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def format_table(headers: list[str], rows: list[list[str]]) -> str:
    widths = [max(_width(r[i]) for r in [headers, *rows]) for i in range(len(headers))]

    def line(cells: list[str]) -> str:
        return " | ".join(c + " " * (w - _width(c)) for c, w in zip(cells, widths, strict=True))

    rule = "-+-".join("-" * w for w in widths)
    return "\n".join([line(headers), rule, *[line(r) for r in rows]])


class Command(BaseCommand):
    help = (
        "Load the demo hospital (红帆县人民医院 and its 医共体) with people, the Party "
        "organisation and one account per role, deterministically from a seed."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--size", choices=list(SIZES), default="hospital")
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Delete the demo data (accounts and demo institutions) first.",
        )
        parser.add_argument(
            "--foundation-only",
            action="store_true",
            help="Load people, the Party organisation and accounts only, no module data.",
        )
        parser.add_argument(
            "--today",
            type=dt.date.fromisoformat,
            default=None,
            help="Reference date (YYYY-MM-DD) for ages and terms; default today.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        size, seed, reset = options["size"], options["seed"], options["reset"]
        if services.demo_exists() and not reset:
            self.stdout.write(
                self.style.WARNING("The demo hospital is already seeded; nothing was changed.")
                + " (use --reset to load it again)"
            )
            self._print_accounts()
            return
        if services.non_demo_data_exists():
            if not reset:
                raise CommandError(
                    "This database holds institutions that are not demo data; refusing to add "
                    "the demo to it. Use --reset to load the demo anyway (only demo rows are "
                    "deleted; the other data is left as it is)."
                )
            self.stdout.write(self.style.WARNING("Non-demo data present: it is left untouched."))
        if reset:
            started = time.perf_counter()
            deleted = services.demo_reset()
            self.stdout.write(
                f"Wiped the demo data: {deleted} rows in {time.perf_counter() - started:.1f} s."
            )
        self._seed_holidays()
        self.stdout.write(f"Seeding the {size} demo hospital (seed {seed}) …")
        result = services.demo_seed(
            size=size,
            seed=seed,
            today=options["today"],
            modules=not options["foundation_only"],
        )
        counts = ", ".join(f"{k} {v}" for k, v in {**result.counts, **result.extra_counts}.items())
        self.stdout.write(self.style.SUCCESS(f"Seeded: {counts}."))
        timings = ", ".join(f"{k} {v:.1f} s" for k, v in result.timings.items())
        self.stdout.write(f"Time: {timings}; {result.audit_entries} audit entries written.")
        self._print_accounts()

    def _seed_holidays(self) -> None:
        try:
            call_command("seed_holidays", stdout=self.stdout, stderr=self.stderr)
        except CommandError as exc:
            self.stdout.write(
                self.style.WARNING(
                    f"Holiday calendar not seeded ({exc}); deadlines fall back "
                    "to Monday–Friday until it is."
                )
            )

    def _print_accounts(self) -> None:
        rows = services.demo_accounts()
        if not rows:
            return
        self.stdout.write("")
        self.stdout.write(
            format_table(
                ["角色", "用户名", "密码", "人员", "范围", "TOTP 密钥"],
                [
                    [r.role_label, r.username, r.password, r.person, r.scope, r.totp_secret or "—"]
                    for r in rows
                ],
            )
        )
        self.stdout.write(
            "\nTOTP: add the secret to an authenticator app (TOTP, SHA-1, 6 digits, 30 s). "
            "Demo accounts only — never use these passwords or keys in production."
        )
