"""Benchmark: the organisational-life compliance matrix (issue 3: 80 branches × 12 months,
median server time under 200 ms on PostgreSQL with the large demo, queries independent of
the number of branches).

Run: ``.venv/bin/python benchmarks/bench_orglife.py [--size large] [--runs 15]``
(``--database-url postgres://…`` for PostgreSQL; default: a fresh SQLite file, migrated here).

Seeds the demo hospital of ``--size`` (its orglife extension writes a year of meetings for
every branch), signs in as the demo Party committee office and times ``GET /orglife/compliance/``
through Django's test client (routing, middleware, the three compliance queries, template),
``--runs`` times after one warm-up. As a baseline it times ``compliance_naive`` — one COUNT
per branch × rule × month, what a straightforward implementation does — and prints the ratio.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", default="large", choices=["small", "hospital", "large"])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--baseline-runs", type=int, default=3)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--today", default="2026-11-23")
    args = parser.parse_args()

    if args.database_url:
        os.environ["DATABASE_URL"] = args.database_url
    else:
        tmp = tempfile.mkdtemp(prefix="hongfan-bench-")
        os.environ["DATABASE_URL"] = f"sqlite:///{tmp}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hongfan.test_settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    call_command("migrate", verbosity=0)

    from hongfan.accounts.models import User
    from hongfan.accounts.roles import Role
    from hongfan.demo.builder import DEMO_PREFIX
    from hongfan.demo.services import DEMO_ACCOUNTS, demo_exists, demo_seed
    from hongfan.orglife.models import Attendance, Meeting
    from hongfan.orglife.selectors import compliance_naive
    from hongfan.party.models import PartyOrganisation

    today = dt.date.fromisoformat(args.today)
    if not demo_exists():
        t0 = time.perf_counter()
        result = demo_seed(size=args.size, seed=2026, today=today, modules=("orglife",))
        print(
            f"seeded the {args.size} demo in {time.perf_counter() - t0:.1f} s "
            f"(orglife part {result.timings.get('orglife', 0):.1f} s)"
        )
    branches = PartyOrganisation.objects.filter(
        kind=PartyOrganisation.Kind.BRANCH, institution__code__startswith=DEMO_PREFIX
    )
    print(
        f"{connection.vendor}: {branches.count()} branches, {Meeting.objects.count()} meetings, "
        f"{Attendance.objects.count()} attendances"
    )

    username = dict(DEMO_ACCOUNTS)[Role.PARTY_OFFICE]
    client = Client()
    client.force_login(User.objects.get(username=username))
    url = f"/orglife/compliance/?year={today.year}"
    response = client.get(url)  # warm-up: session, translations, template cache
    assert response.status_code == 200, response.status_code
    executed: list[str] = []

    def count(execute, sql, params, many, context):
        executed.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        client.get(url)
    queries = executed
    times = []
    for _ in range(args.runs):
        t0 = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - t0) * 1000)
    median = statistics.median(times)
    print(
        f"compliance matrix: median {median:.1f} ms over {args.runs} runs "
        f"(min {min(times):.1f}, max {max(times):.1f}); {len(queries)} queries per request"
    )

    one = PartyOrganisation.objects.filter(pk=branches.order_by("pk").first().pk)
    with CaptureQueriesContext(connection) as few:
        from hongfan.orglife.selectors import compliance_for_year

        compliance_for_year(one, today.year, today=today)
    with CaptureQueriesContext(connection) as many:
        compliance_for_year(branches, today.year, today=today)
    print(f"selector queries: 1 branch {len(few)}, {branches.count()} branches {len(many)}")

    naive = []
    for _ in range(args.baseline_runs):
        executed.clear()
        t0 = time.perf_counter()
        with connection.execute_wrapper(count):
            compliance_naive(branches, today.year)
        naive.append((time.perf_counter() - t0) * 1000)
    naive_queries = list(executed)
    naive_median = statistics.median(naive)
    fast = []
    for _ in range(args.baseline_runs):
        t0 = time.perf_counter()
        compliance_for_year(branches, today.year, today=today)
        fast.append((time.perf_counter() - t0) * 1000)
    fast_median = statistics.median(fast)
    print(
        f"naive per-branch baseline (counts only, no page): median {naive_median:.1f} ms, "
        f"{len(naive_queries)} queries; grouped selector: median {fast_median:.1f} ms; "
        f"ratio naive/grouped {naive_median / fast_median:.1f}×; "
        f"naive counts alone / whole matrix page {naive_median / median:.1f}×"
    )


if __name__ == "__main__":
    main()
