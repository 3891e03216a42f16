"""Write synthetic HIS exports (Chinese headers) with planted violations and their labels."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from hongfan.clinical import generator


class Command(BaseCommand):
    help = (
        "Write synthetic HIS exports (prescriptions, drug dictionary, diagnoses, consumables, "
        "discharges, claims) to a directory, with labels.json listing every planted violation. "
        "--store writes them straight into the analytic store instead."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--prescriptions", type=int, default=10_000)
        parser.add_argument("--months", default="2026-01", help="comma-separated YYYY-MM")
        parser.add_argument("--format", choices=["csv", "xlsx", "parquet"], default="csv")
        parser.add_argument("--out", default="var/his_exports")
        parser.add_argument("--seed", type=int, default=7)
        parser.add_argument("--store", action="store_true")

    def handle(self, *args: Any, **opts: Any) -> None:
        months = [m.strip() for m in opts["months"].split(",") if m.strip()]
        if not months or not all(re.match(r"^\d{4}-(0[1-9]|1[0-2])$", m) for m in months):
            raise CommandError("--months must be YYYY-MM, comma-separated")
        if opts["prescriptions"] < 1:
            raise CommandError("--prescriptions must be positive")
        data = generator.generate(
            prescriptions=opts["prescriptions"], months=months, seed=opts["seed"]
        )
        if opts["store"]:
            counts = generator.store(data)
            self.stdout.write(
                f"stored {counts} in the analytic store; {data.labels.num_rows} planted violations"
            )
            return
        out = Path(opts["out"])
        files = generator.export(data, out, opts["format"])
        labels = [
            {"rx_no": r, "rule": c}
            for r, c in zip(
                data.labels["rx_no"].to_pylist(), data.labels["rule_code"].to_pylist(), strict=True
            )
        ]
        (out / "labels.json").write_text(
            json.dumps(labels, ensure_ascii=False, indent=0), encoding="utf-8"
        )
        self.stdout.write(
            f"wrote {len(files)} files to {out}; {len(labels)} planted violations in labels.json"
        )
