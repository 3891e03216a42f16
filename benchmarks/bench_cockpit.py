"""Benchmark: the leadership cockpit and the annual work report (issue 9: with the large demo
on PostgreSQL the cockpit renders with a median server time under 300 ms; the annual report is
generated in under 10 s).

Run: ``.venv/bin/python benchmarks/bench_cockpit.py --database-url
postgres://hongfan:hongfan@127.0.0.1:5432/hongfan_bench [--runs 15]`` (default: a fresh SQLite
file with the small demo, migrated and seeded here).

Signs in as the demo Party committee office and times ``GET /cockpit/?year=<last year>``
(every panel the office sees: membership, orglife compliance, dues, matters, complaints,
outreach, honours) through Django's test client, then generates the annual report of last
year from the default template (Word + PDF; files go to a temporary MEDIA_ROOT). As a
baseline it computes the same headline figures naively — every member, matter and activity
loaded and counted in Python, the compliance counted per branch × rule × month — and prints
the ratio.
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
    parser.add_argument("--size", default="small", choices=["small", "hospital", "large"])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--baseline-runs", type=int, default=1)
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
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    settings.MEDIA_ROOT = tempfile.mkdtemp(prefix="hongfan-bench-media-")
    if args.database_url:
        # An existing benchmark database: bring the cockpit's tables (and those of the apps
        # its panels read) up to date without touching the rest.
        for app in ("outreach", "voice", "integrity", "cockpit"):
            call_command("migrate", app, verbosity=0)
    else:
        call_command("migrate", verbosity=0)

    from hongfan.accounts.models import User
    from hongfan.accounts.roles import Role
    from hongfan.cockpit import services
    from hongfan.cockpit.models import ReportTemplate
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
            modules=("orglife", "dues", "loops", "outreach"),
        )
        print(f"seeded the {args.size} demo in {time.perf_counter() - t0:.1f} s")
    print(
        f"{connection.vendor}: {PartyMember.objects.count()} members, "
        f"{Matter.objects.count()} matters, {Activity.objects.count()} outreach activities"
    )
    office = User.objects.get(username=dict(DEMO_ACCOUNTS)[Role.PARTY_OFFICE])
    client = Client()
    client.force_login(office)
    url = f"/cockpit/?year={year}"
    response = client.get(url)  # warm-up
    assert response.status_code == 200, response.status_code
    executed: list[str] = []

    def count(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        executed.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        client.get(url)
    times = []
    for _ in range(args.runs):
        t0 = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - t0) * 1000)
    median = statistics.median(times)
    print(
        f"cockpit ({year}): median {median:.1f} ms over {args.runs} runs "
        f"(min {min(times):.1f}, max {max(times):.1f}); {len(executed)} queries per request"
    )

    from hongfan.cockpit import registry
    from hongfan.cockpit.registry import FigureContext, Period

    ctx = FigureContext(user=office, period=Period(year), today=today)
    per_panel = []
    for panel in registry.panels_for(office):
        t0 = time.perf_counter()
        for _ in range(3):
            registry.compute(panel, ctx)
        per_panel.append(f"{panel.key} {(time.perf_counter() - t0) * 1000 / 3:.0f}")
    print("per panel (ms): " + ", ".join(per_panel))

    naive_times = []
    for _ in range(args.baseline_runs):
        t0 = time.perf_counter()
        naive_figures(office, year, today)
        naive_times.append((time.perf_counter() - t0) * 1000)
    naive = statistics.median(naive_times)
    print(
        f"naive per-record baseline (figures only, no page): median {naive:.1f} ms; "
        f"ratio naive / cockpit page {naive / median:.1f}×"
    )

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
        f"PDF {report.pdf.size // 1024} KB)"
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
