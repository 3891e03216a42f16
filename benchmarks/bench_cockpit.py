"""Benchmark: the leadership cockpit and the annual work report (issue 9: with the large demo
on PostgreSQL the cockpit renders with a median server time under 300 ms; the annual report is
generated in under 10 s).

Run on the large demo (every module's demo data; see docs/performance.md, section "Leadership
cockpit")::

    .venv/bin/python benchmarks/bench_cockpit.py \
        --database-url postgres://hongfan:hongfan@127.0.0.1:5432/hongfan_cockpit_bench

Without ``--database-url`` a fresh SQLite file is migrated and seeded here with the small demo
(the cockpit's modules only).

Signs in as each demo role of ``--roles`` (default: the Party committee office — membership,
orglife, dues, matters, complaints, outreach, honours, satisfaction — and the president's
office, which also sees the clinical indicators) and times ``GET /cockpit/?year=<last year>``
through Django's test client: **cold** (the panel cache cleared before every request: every
figure computed) and **warm** (the per-panel cache of ``HONGFAN_COCKPIT_CACHE_SECONDS``
filled). Prints the queries per request, the time of each panel, the load average, then
generates the annual report of last year from the default template (Word + PDF; files go to
a temporary MEDIA_ROOT). As a baseline it computes the same headline figures naively — every
member, matter and activity loaded and counted in Python, the compliance counted per branch ×
rule × month — and prints the ratio.
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

DEFAULT_ROLES = "party_office,president_office"


def _load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f}, {five:.2f}, {fifteen:.2f}"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--size", default="small", choices=["small", "hospital", "large"])
    parser.add_argument("--runs", type=int, default=15, help="timed requests per role and state")
    parser.add_argument("--baseline-runs", type=int, default=1)
    parser.add_argument(
        "--database-url",
        default="",
        help="an existing database with the demo, e.g. "
        "postgres://hongfan:hongfan@127.0.0.1:5432/hongfan_cockpit_bench",
    )
    parser.add_argument("--today", default="2026-11-23")
    parser.add_argument(
        "--roles", default=DEFAULT_ROLES, help=f"demo roles to time (default {DEFAULT_ROLES})"
    )
    parser.add_argument("--no-report", action="store_true", help="skip the annual report")
    args = parser.parse_args()

    if args.database_url:
        os.environ["DATABASE_URL"] = args.database_url
    else:
        tmp = tempfile.mkdtemp(prefix="hongfan-bench-")
        os.environ["DATABASE_URL"] = f"sqlite:///{tmp}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hongfan.test_settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.cache import cache
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    settings.MEDIA_ROOT = tempfile.mkdtemp(prefix="hongfan-bench-media-")
    call_command("migrate", verbosity=0)  # an existing database: only what is missing

    from hongfan.accounts.models import User
    from hongfan.cockpit import registry, services
    from hongfan.cockpit.models import ReportTemplate
    from hongfan.cockpit.registry import FigureContext, Period
    from hongfan.demo.services import DEMO_ACCOUNTS, demo_exists, demo_seed
    from hongfan.loops.models import Matter
    from hongfan.outreach.models import Activity
    from hongfan.party.models import PartyMember

    today = dt.date.fromisoformat(args.today)
    year = today.year - 1
    if not demo_exists():
        t0 = time.perf_counter()
        demo_seed(
            size=args.size,
            seed=2026,
            today=today,
            modules=("orglife", "dues", "loops", "outreach", "voice", "integrity", "clinical"),
        )
        print(f"seeded the {args.size} demo in {time.perf_counter() - t0:.1f} s")
    print(
        f"{connection.vendor}: {PartyMember.objects.count()} members, "
        f"{Matter.objects.count()} matters, {Activity.objects.count()} outreach activities; "
        f"panel cache {getattr(settings, 'HONGFAN_COCKPIT_CACHE_SECONDS', 60)} s; {_load()}"
    )
    url = f"/cockpit/?year={year}"
    accounts = dict(DEMO_ACCOUNTS)
    office = User.objects.get(username=accounts["party_office"])
    executed: list[str] = []

    def count(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        executed.append(sql)
        return execute(sql, params, many, context)

    for role in args.roles.split(","):
        user = User.objects.get(username=accounts[role])
        client = Client()
        client.force_login(user)
        response = client.get(url)  # warm-up (connections, templates)
        assert response.status_code == 200, response.status_code
        cache.clear()
        executed.clear()
        with connection.execute_wrapper(count):
            client.get(url)
        cold_queries = len(executed)
        executed.clear()
        with connection.execute_wrapper(count):
            client.get(url)
        warm_queries = len(executed)
        for state in ("cold", "warm"):
            times = []
            for _ in range(args.runs):
                if state == "cold":
                    cache.clear()
                t0 = time.perf_counter()
                client.get(url)
                times.append((time.perf_counter() - t0) * 1000)
            median = statistics.median(times)
            print(
                f"cockpit {role} ({year}), {state}: median {median:.1f} ms over {args.runs} "
                f"runs (min {min(times):.1f}, max {max(times):.1f}); "
                f"{cold_queries if state == 'cold' else warm_queries} queries per request; "
                f"{_load()}"
            )
            if role == "party_office" and state == "cold":
                office_median = median

        ctx = FigureContext(user=user, period=Period(year), today=today)
        per_panel = []
        for panel in registry.panels_for(user):
            executed.clear()
            t0 = time.perf_counter()
            with connection.execute_wrapper(count):
                for _ in range(3):
                    registry.compute(panel, ctx)
            per_panel.append(
                f"{panel.key} {(time.perf_counter() - t0) * 1000 / 3:.0f} ({len(executed) // 3} q)"
            )
        print(f"per panel, {role} (ms, queries): " + ", ".join(per_panel))

    naive_times = []
    for _ in range(args.baseline_runs):
        t0 = time.perf_counter()
        naive_figures(office, year, today)
        naive_times.append((time.perf_counter() - t0) * 1000)
    naive = statistics.median(naive_times)
    if "party_office" in args.roles.split(","):
        print(
            f"naive per-record baseline (figures only, no page): median {naive:.1f} ms; "
            f"ratio naive / cold cockpit page of the office {naive / office_median:.1f}×"
        )
    if args.no_report:
        return
    services.templates_ensure_defaults()
    template = ReportTemplate.objects.filter(kind="annual", is_active=True).order_by("pk").first()
    t0 = time.perf_counter()
    report = services.report_generate(
        template=template, year=year, quarter=None, actor=office, today=today
    )
    seconds = time.perf_counter() - t0
    print(
        f"annual report {year}: generated in {seconds:.2f} s "
        f"({len(report.figures)} figures; Word {report.docx.size // 1024} KB, "
        f"PDF {report.pdf.size // 1024} KB); {_load()}"
    )
    report.docx.delete(save=False)
    report.pdf.delete(save=False)


def naive_figures(user: object, year: int, today: dt.date) -> dict[str, int]:
    """The headline figures the way a first version would compute them: per record."""
    from django.utils import timezone

    from hongfan.loops import selectors as loops
    from hongfan.orglife.selectors import branches_managed_by, compliance_naive
    from hongfan.outreach.models import Activity
    from hongfan.party import selectors as party

    on = min(dt.date(year, 12, 31), today)
    out: dict[str, int] = {}
    members = list(party.member_visible_to(user).filter(party.member_in_post_q(on)))
    out["members"] = len(members)
    out["professional"] = sum(
        1 for m in members if m.staff.post_category in m.staff.PROFESSIONAL_CATEGORIES
    )
    start = timezone.make_aware(dt.datetime(year, 1, 1))
    end = timezone.make_aware(dt.datetime(year + 1, 1, 1))
    matters = list(
        loops.board(user, filters={}, for_counts=True).filter(
            opened_at__gte=start, opened_at__lt=end
        )
    )
    out["matters"] = len(matters)
    out["on_time"] = sum(1 for m in matters if m.closed_at and m.closed_at <= m.due_at)
    out["complaints"] = sum(1 for m in matters if m.type.code == "complaint")
    counts = compliance_naive(branches_managed_by(user), year)
    out["meetings"] = sum(counts.values())
    served = staff_times = 0
    for a in Activity.objects.filter(held_on__year=year):
        served += a.people_served
        staff_times += a.participants.count()
    out["served"], out["staff_times"] = served, staff_times
    return out


if __name__ == "__main__":
    main()
