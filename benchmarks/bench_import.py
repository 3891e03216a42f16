"""Benchmark: import 10,000 staff rows from an .xlsx file (issue 2: "well under 10 s").

Run: ``.venv/bin/python benchmarks/bench_import.py [--rows 10000] [--baseline 500]``.

Uses a fresh SQLite file database (migrated here), builds a workbook of N staff rows in memory,
times ``hongfan.imports.services.import_file`` (read + validate + bulk write + audit), then
times a second import of the same file (all unchanged). As a baseline it creates a smaller
sample of the same rows one by one with ``Staff.objects.create`` (each save audited by the
signal handlers) and extrapolates to N rows.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--baseline", type=int, default=500)
    args = parser.parse_args()

    tmp = tempfile.mkdtemp(prefix="hongfan-bench-")
    os.environ["DATABASE_URL"] = f"sqlite:///{tmp}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hongfan.test_settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)

    import datetime as dt

    from hongfan.imports import services
    from hongfan.imports.tests.helpers import STAFF_HEADERS, staff_row, xlsx
    from hongfan.org.models import Department, Institution, Staff

    hospital = Institution.objects.create(code="H01", name="基准测试医院")
    depts = [
        Department.objects.create(
            institution=hospital, code=f"D{i:03d}", name=f"科室{i}", category="clinical"
        )
        for i in range(60)
    ]

    t0 = time.perf_counter()
    rows = [staff_row(n, dept_code=depts[n % 60].code) for n in range(args.rows)]
    data = xlsx(STAFF_HEADERS, rows)
    build = time.perf_counter() - t0
    print(f"built a {args.rows}-row workbook ({len(data) / 1024:.0f} KB) in {build:.2f} s")

    t0 = time.perf_counter()
    run = services.import_file(kind="staff", data=data, file_name="bench.xlsx")
    first = time.perf_counter() - t0
    assert run.outcome == "applied", run.errors[:5]
    assert run.created_count == args.rows
    print(
        f"import (create):    {first:6.2f} s  {args.rows / first:8.0f} rows/s  "
        f"created={run.created_count}"
    )

    t0 = time.perf_counter()
    run2 = services.import_file(kind="staff", data=data, file_name="bench.xlsx")
    second = time.perf_counter() - t0
    assert run2.unchanged_count == args.rows, (run2.outcome, run2.errors[:3])
    print(
        f"re-import (no-op):  {second:6.2f} s  {args.rows / second:8.0f} rows/s  "
        f"unchanged={run2.unchanged_count}"
    )

    # Baseline: the same kind of rows, one Model.objects.create per row.
    n = args.baseline
    t0 = time.perf_counter()
    for i in range(n):
        birth = dt.date(1970 + i % 30, 1 + i % 12, 1 + i % 28)
        Staff.objects.create(
            institution=hospital,
            employee_no=f"B{i:05d}",
            name=f"基线{i}",
            gender="M",
            birth_date=birth,
            id_card="",
            phone=f"137{i:08d}",
            department=depts[i % 60],
            post_category="doctor",
            title_level="none",
            education="bachelor",
            hired_on=dt.date(2010, 7, 1),
        )
    sample = time.perf_counter() - t0
    extrapolated = sample / n * args.rows
    print(
        f"baseline one-by-one: {n} rows in {sample:.2f} s → {extrapolated:.1f} s for "
        f"{args.rows} rows ({n / sample:.0f} rows/s)"
    )
    print(f"speed-up of the import over one-by-one creates: {extrapolated / first:.1f}×")
    print(f"target: {args.rows} rows well under 10 s → {'OK' if first < 10 else 'TOO SLOW'}")


if __name__ == "__main__":
    main()
