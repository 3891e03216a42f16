"""Benchmark of the public survey submit endpoint (issue 5, "Performance").

Run: ``.venv/bin/python -m benchmarks.bench_survey_submit [--seconds 60] [--bare-seconds 20]
[--workers 4] [--threads 1] [--clients 16] [--client-procs 2] [--no-keepalive]``.

* Server: gunicorn (``--workers`` sync workers, or gthread workers with ``--threads`` > 1)
  on 127.0.0.1 with PostgreSQL, settings ``benchmarks.voice_bench_settings`` (the project's
  settings, DEBUG off, the survey rate limit lifted because every request comes from one
  address, and one extra URL: a bare Django view returning "ok" that runs through the same
  middleware).
* Database: ``VOICE_BENCH_DATABASE_URL`` (default
  ``postgres://hongfan:hongfan@127.0.0.1:5432/hongfan_voice_bench``): dropped, created and
  migrated here. Seeded: one department, an open inpatient survey (8 questions) and its poster.
* Load generator: ``--clients`` threads split over ``--client-procs`` processes (stdlib
  ``http.client``; the sync workers close each connection, so each request opens a new TCP
  connection on loopback; gthread workers keep it open unless ``--no-keepalive``). Every
  submission carries its own signed one-time token, the CSRF cookie and token of a page
  fetched once, and the 8 answers — what a phone posts. A submission is
  *acknowledged* when the server answers 200 with the thank-you page. Closed loop: each
  client sends its next request when the previous one is answered, for ``--seconds``.
* Checks: errors (any other status, or a refused/duplicate page) must be 0 and
  acknowledged submissions must equal the rows stored (no lost writes).
* CPU per request of gunicorn, of the database's PostgreSQL backends and of the load
  generator, a figure that depends much less on the machine's other load than a rate.
* Baseline in the same run: ``GET /bench/bare/`` with the same clients for
  ``--bare-seconds``; the figure reported is survey submits/s ÷ bare requests/s.
"""

from __future__ import annotations

import argparse
import http.client
import multiprocessing as mp
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PORT = 8765
DEFAULT_DB = "postgres://hongfan:hongfan@127.0.0.1:5432/hongfan_voice_bench"
TARGET = 200.0
LOG = Path(tempfile.gettempdir()) / "hongfan-bench-survey-gunicorn.log"
DUPLICATE = "已经提交".encode()  # the page shown for a token used twice


def _recreate_database(url: str) -> None:
    import psycopg

    u = urlparse(url)
    name = u.path.lstrip("/")
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as con:
        con.execute(f'DROP DATABASE IF EXISTS "{name}"')
        con.execute(f'CREATE DATABASE "{name}"')


def _setup(url: str) -> dict[str, Any]:
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "benchmarks.voice_bench_settings"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from hongfan.org.models import Department, Institution
    from hongfan.voice import services
    from hongfan.voice.models import Survey

    inst = Institution.objects.create(code="B01", name="基准医院")
    dept = Department.objects.create(
        institution=inst, code="NK01", name="心内科", category="clinical"
    )
    survey = services.survey_create(title="住院患者满意度调查", kind=Survey.Kind.INPATIENT)
    services.survey_set_status(survey=survey, status=Survey.Status.OPEN)
    poster = services.poster_create(survey=survey, department=dept, place="3 病区")
    return {
        "survey": survey.pk,
        "code": poster.code,
        "questions": list(survey.questions.values_list("pk", flat=True)),
    }


def _start_server(url: str, workers: int, threads: int) -> subprocess.Popen[bytes]:
    env = dict(
        os.environ, DATABASE_URL=url, DJANGO_SETTINGS_MODULE="benchmarks.voice_bench_settings"
    )
    proc = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "hongfan.wsgi:application",
            "--bind",
            f"127.0.0.1:{PORT}",
            "--workers",
            str(workers),
            "--worker-class",
            "gthread" if threads > 1 else "sync",
            "--threads",
            str(threads),
            "--log-level",
            "warning",
            "--backlog",
            "2048",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
        stdout=LOG.open("ab"),
        stderr=subprocess.STDOUT,
    )
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            c = http.client.HTTPConnection("127.0.0.1", PORT, timeout=2)
            c.request("GET", "/bench/bare/")
            if c.getresponse().status == 200:
                return proc
        except OSError:
            time.sleep(0.5)
    proc.kill()
    raise SystemExit("gunicorn did not start")


def _load_avg() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def _csrf(path: str) -> tuple[str, str]:
    c = http.client.HTTPConnection("127.0.0.1", PORT, timeout=10)
    c.request("GET", path)
    r = c.getresponse()
    body = r.read().decode()
    cookie = next(
        v.split(";")[0] for k, v in r.getheaders() if k.lower() == "set-cookie" and "csrftoken" in v
    )
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1)  # type: ignore[union-attr]
    return cookie, token


def _client_proc(
    kind: str,
    seconds: float,
    threads: int,
    payloads: list[bytes],
    path: str,
    cookie: str,
    q: Any,
    close: bool = False,
) -> None:
    ok = errors = 0
    lock = threading.Lock()
    it = iter(payloads)
    stop = time.time() + seconds
    latencies: list[float] = []

    def run() -> None:
        nonlocal ok, errors
        conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
        while time.time() < stop:
            if kind == "submit":
                with lock:
                    body = next(it, None)
                if body is None:
                    break
                headers = {
                    "Content-Type": "application/x-www-form-urlencoded",
                    "Cookie": cookie,
                    "Referer": f"http://127.0.0.1:{PORT}{path}",
                }
                method = "POST"
            else:
                body, headers, method = None, {}, "GET"
            if close:  # a new TCP connection for every request, as without keep-alive
                headers["Connection"] = "close"
            t0 = time.perf_counter()
            try:
                conn.request(method, path, body=body, headers=headers)
                r = conn.getresponse()
                data = r.read()
                good = r.status == 200 and (
                    kind != "submit" or (b'data-testid="thanks"' in data and DUPLICATE not in data)
                )
            except (OSError, http.client.HTTPException):
                good = False
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
            dt = time.perf_counter() - t0
            with lock:
                if good:
                    ok += 1
                    latencies.append(dt)
                else:
                    errors += 1

    ts = [threading.Thread(target=run) for _ in range(threads)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    t = os.times()
    q.put((ok, errors, latencies, t.user + t.system))


def _proc_cpu(pid: int) -> float:
    """CPU seconds (user + system) that process ``pid`` has used so far (0 if gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _server_pids(server: subprocess.Popen[bytes], db: str) -> list[int]:
    """The gunicorn master and workers, and the PostgreSQL backends of the benchmark's DB."""
    import psycopg

    pids = [server.pid]
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == server.pid:
                pids.append(int(stat.parent.name))
        except (OSError, ValueError, IndexError):
            continue
    u = urlparse(db)
    with psycopg.connect(db.rsplit("/", 1)[0] + "/postgres") as con:
        rows = con.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
            [u.path.lstrip("/")],
        ).fetchall()
    return pids + [-r[0] for r in rows]  # negative: a PostgreSQL backend


class CpuMeter:
    """CPU seconds used by gunicorn and by PostgreSQL's backends between start and stop.

    A figure per request that depends little on what else runs on the machine (unlike a rate):
    on 2 cores, 200 requests/s leave at most 10 ms of CPU per request for everything.
    Sampled every half second, because a backend ends when Django closes a connection older
    than CONN_MAX_AGE (60 s): an ended process counts with its last sample.
    """

    def __init__(self, server: subprocess.Popen[bytes], db: str) -> None:
        self.server, self.db = server, db

    def _sample(self) -> None:
        for p in _server_pids(self.server, self.db):
            cpu = _proc_cpu(abs(p))
            self.before.setdefault(p, 0.0)  # started after start(): counted from zero
            self.last[p] = max(cpu, self.last.get(p, 0.0))

    def _run(self) -> None:
        while not self.done.wait(0.5):
            self._sample()

    def start(self) -> None:
        self.before = {p: _proc_cpu(abs(p)) for p in _server_pids(self.server, self.db)}
        self.last = dict(self.before)
        self.done = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def stop(self) -> tuple[float, float]:
        self.done.set()
        self.thread.join()
        self._sample()
        used = {p: self.last[p] - self.before.get(p, 0.0) for p in self.last}
        return (
            sum(v for p, v in used.items() if p > 0),
            sum(v for p, v in used.items() if p < 0),
        )


def _load(
    kind: str,
    seconds: float,
    clients: int,
    payloads: list[bytes],
    path: str,
    cookie: str,
    procs_n: int = 2,
    close: bool = False,
) -> dict[str, Any]:
    q: Any = mp.Queue()
    share = len(payloads) // procs_n
    procs = [
        mp.Process(
            target=_client_proc,
            args=(
                kind,
                seconds,
                clients // procs_n,
                payloads[i * share : (i + 1) * share],
                path,
                cookie,
                q,
                close,
            ),
        )
        for i in range(procs_n)
    ]
    t0 = time.time()
    for p in procs:
        p.start()
    results = [q.get() for _ in procs]
    for p in procs:
        p.join()
    elapsed = time.time() - t0
    ok = sum(r[0] for r in results)
    errors = sum(r[1] for r in results)
    lat = sorted(x for r in results for x in r[2])
    return {
        "client_cpu": sum(r[3] for r in results),
        "ok": ok,
        "errors": errors,
        "seconds": elapsed,
        "rate": ok / elapsed,
        "p50_ms": 1000 * lat[len(lat) // 2] if lat else float("nan"),
        "p95_ms": 1000 * lat[int(len(lat) * 0.95)] if lat else float("nan"),
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--bare-seconds", type=float, default=20)
    ap.add_argument("--workers", type=int, default=4)
    ap.add_argument("--threads", type=int, default=1, help="> 1: gthread workers")
    ap.add_argument("--clients", type=int, default=16)
    ap.add_argument("--client-procs", type=int, default=2)
    ap.add_argument(
        "--no-keepalive",
        action="store_true",
        help="close the connection after each request (gthread workers keep it open otherwise)",
    )
    args = ap.parse_args()
    if args.clients % args.client_procs:
        raise SystemExit("--clients must be a multiple of --client-procs")
    url = os.environ.get("VOICE_BENCH_DATABASE_URL", DEFAULT_DB)
    print(f"database {url.rsplit('@', 1)[-1]}; creating and migrating …", flush=True)
    _recreate_database(url)
    seed = _setup(url)
    from hongfan.voice import services
    from hongfan.voice.models import Response

    server = _start_server(url, args.workers, args.threads)
    try:
        path = f"/voice/p/s/{seed['code']}/"
        cookie, csrf = _csrf(path)
        n = int(args.seconds * 600)  # more tokens than the server can take
        payloads = []
        for i in range(n):
            fields = {"csrfmiddlewaretoken": csrf, "token": services.form_token(), "comment": ""}
            fields.update(
                {f"q{q}": str(4 + (i % 2) if j < 7 else 9) for j, q in enumerate(seed["questions"])}
            )
            payloads.append(urlencode(fields).encode())
        kind = f"gthread workers × {args.threads} threads" if args.threads > 1 else "sync workers"
        print(
            f"gunicorn {args.workers} {kind}, {args.clients} clients in "
            f"{args.client_procs} processes"
            f"{', no keep-alive' if args.no_keepalive else ''}; "
            f"submitting for {args.seconds:.0f} s "
            f"(load average before: {_load_avg()}) …",
            flush=True,
        )
        meter = CpuMeter(server, url)
        meter.start()
        submit = _load(
            "submit",
            args.seconds,
            args.clients,
            payloads,
            path,
            cookie,
            args.client_procs,
            args.no_keepalive,
        )
        submit["server_cpu"], submit["db_cpu"] = meter.stop()
        stored = Response.objects.filter(survey_id=seed["survey"]).count()
        load_after_submit = _load_avg()
        print(f"bare view for {args.bare_seconds:.0f} s …", flush=True)
        meter.start()
        bare = _load(
            "bare",
            args.bare_seconds,
            args.clients,
            [],
            "/bench/bare/",
            cookie,
            args.client_procs,
            args.no_keepalive,
        )
        bare["server_cpu"], bare["db_cpu"] = meter.stop()
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    ratio = submit["rate"] / bare["rate"] if bare["rate"] else float("nan")
    print()
    print(
        f"survey submit : {submit['rate']:.1f} /s over {submit['seconds']:.1f} s "
        f"({submit['ok']} acknowledged, {submit['errors']} errors, "
        f"p50 {submit['p50_ms']:.1f} ms, p95 {submit['p95_ms']:.1f} ms); target ≥ {TARGET:.0f} /s"
    )
    print(f"rows stored   : {stored} (acknowledged {submit['ok']}; lost {submit['ok'] - stored})")
    print(
        f"bare view     : {bare['rate']:.1f} /s "
        f"({bare['errors']} errors, p50 {bare['p50_ms']:.1f} ms)"
    )
    print(f"ratio         : {ratio:.2f} of the bare view")
    for label, r in (("submit", submit), ("bare view", bare)):
        n = (r["ok"] + r["errors"]) or 1
        print(
            f"CPU per request, {label:<9}: gunicorn {1000 * r['server_cpu'] / n:.2f} ms, "
            f"PostgreSQL {1000 * r['db_cpu'] / n:.2f} ms, "
            f"load generator {1000 * r['client_cpu'] / n:.2f} ms"
        )
    print(f"load average  : {load_after_submit} after the submissions, {_load_avg()} at the end")
    met = submit["rate"] >= TARGET and submit["errors"] == 0 and stored == submit["ok"]
    print("RESULT:", "target met" if met else "target NOT met", f"(server log: {LOG})")


if __name__ == "__main__":
    main()
