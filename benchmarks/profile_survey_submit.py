"""In-process profile of one public survey submission (issue 5, "Performance").

Run after ``benchmarks.bench_survey_submit`` (which creates and seeds the database):
``.venv/bin/python -m benchmarks.profile_survey_submit [-n 300] [--profile]``.

Django's test client (CSRF checks enforced, as a phone's POST) against the benchmark's
PostgreSQL database with the benchmark's settings: prints the queries of one submission, the
mean time of a submission, of the form page (GET) and of the bare view, and with
``--profile`` the top of a cProfile of ``-n`` submissions. No gunicorn, no sockets: this is
the server-side cost of the request that the load benchmark multiplies.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEFAULT_DB = "postgres://hongfan:hongfan@127.0.0.1:5432/hongfan_voice_bench"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("-n", type=int, default=300)
    ap.add_argument("--profile", action="store_true")
    args = ap.parse_args()
    os.environ["DATABASE_URL"] = os.environ.get("VOICE_BENCH_DATABASE_URL", DEFAULT_DB)
    os.environ["DJANGO_SETTINGS_MODULE"] = "benchmarks.voice_bench_settings"
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from hongfan.voice import services
    from hongfan.voice.models import Poster

    poster = Poster.objects.select_related("survey").order_by("pk").first()
    if poster is None:
        raise SystemExit("no poster: run benchmarks.bench_survey_submit first")
    qids = list(poster.survey.questions.values_list("pk", flat=True))
    path = f"/voice/p/s/{poster.code}/"
    client = Client(enforce_csrf_checks=True, HTTP_HOST="127.0.0.1")
    page = client.get(path)
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())
    assert csrf is not None

    def submit() -> None:
        data = {"csrfmiddlewaretoken": csrf.group(1), "token": services.form_token()}
        data.update({f"q{q}": "5" if j < 7 else "9" for j, q in enumerate(qids)})
        r = client.post(path, data, HTTP_REFERER=f"http://127.0.0.1{path}")
        assert r.status_code == 200 and b'data-testid="thanks"' in r.content, r.status_code

    for _ in range(20):  # warm up: templates, translations, URL resolver, connection
        submit()
    with CaptureQueriesContext(connection) as ctx:
        submit()
    print(f"queries of one submission: {len(ctx.captured_queries)}")
    for q in ctx.captured_queries:
        print("  ", q["sql"][:150])

    def timed(label: str, fn) -> None:  # type: ignore[no-untyped-def]
        t0, c0 = time.perf_counter(), time.process_time()
        for _ in range(args.n):
            fn()
        dt = (time.perf_counter() - t0) / args.n
        cpu = (time.process_time() - c0) / args.n
        print(f"{label:<18} wall {1000 * dt:6.2f} ms, CPU of this process {1000 * cpu:6.2f} ms")

    timed("submit (POST)", submit)
    timed("form page (GET)", lambda: client.get(path))
    timed("bare view (GET)", lambda: client.get("/bench/bare/"))
    if args.profile:
        prof = cProfile.Profile()
        prof.enable()
        for _ in range(args.n):
            submit()
        prof.disable()
        st = pstats.Stats(prof)
        st.sort_stats("cumulative").print_stats(45)
        st.sort_stats("tottime").print_stats(25)


if __name__ == "__main__":
    main()
