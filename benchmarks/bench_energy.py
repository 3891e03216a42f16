"""Benchmark of the energy alarm detection (issue 10, "Performance").

Run: ``.venv/bin/python -m benchmarks.bench_energy [--meters 2000] [--days 365]
[--pandas-meters 200] [--memory-limit 1GB]``.

* Data: ``--meters`` meters × ``--days`` days of 15-minute register readings (2,000 × 365 ×
  96 ≈ 70 million rows) written once by ``hongfan.energy.generator`` as monthly Parquet
  partitions to ``var/bench_energy/m<meters>-d<days>/energy_readings`` and reused by later runs
  (delete the folder to regenerate). About one planted anomaly per meter and month.
* Detection: ``hongfan.energy.detection.detect`` (Ibis on embedded DuckDB, 2 threads, DuckDB
  memory limit ``--memory-limit``) over every day of the period, in a fresh child process:
  the wall time of the call (reading Parquet included) and the child's peak resident memory
  (``ru_maxrss``). Targets: 30 s and 2 GB at 2,000 meters.
* Baseline, same run: the same detection written in pandas (``detect_pandas``), reading the
  same Parquet into a DataFrame, in a child process of its own. A DataFrame of 70 million rows
  with its group-by intermediates does not fit a 2 GB budget, so the pandas baseline runs on
  the first ``--pandas-meters`` meters, and DuckDB is measured again on exactly those meters:
  the ratio is pandas / DuckDB on the same data. Both must find the same alarms.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TARGET_S = 30.0
TARGET_MB = 2048.0
START = dt.date(2025, 1, 1)


def _django(data_dir: Path) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hongfan.settings")
    os.environ["HONGFAN_ANALYTICS_DIR"] = str(data_dir)
    import django

    django.setup()


def _params(n: int):
    import pyarrow as pa

    from hongfan.energy.detection import PARAMS_SCHEMA

    return pa.table(
        {
            "meter_id": list(range(1, n + 1)),
            "margin": [25.0] * n,
            "night_ratio": [60.0] * n,
            "spike_factor": [3.0] * n,
            "spike_min": [1.0] * n,
        },
        schema=PARAMS_SCHEMA,
    )


def _generate(data_dir: Path, meters: int, days: int) -> int:
    _django(data_dir)
    import random

    from hongfan.energy import generator

    rng = random.Random(7)
    end = START + dt.timedelta(days=days - 1)
    plants = [
        generator.Plant(
            m,
            rng.choice(["above_baseline", "night_load", "spike"]),
            START + dt.timedelta(days=rng.randrange(35, days - 1)),
        )
        for m in range(1, meters + 1)
        for _ in range(max(1, days // 30))
    ]
    rows = 0
    chunk = 2000  # meters per pass: one write per month partition (≈ 1 GB while generating)
    for lo in range(1, meters + 1, chunk):
        ids = list(range(lo, min(lo + chunk, meters + 1)))
        rows += generator.generate(
            ids, start=START, end=end, plants=[p for p in plants if p.meter_id in ids], seed=lo
        )
    (data_dir / "READY").write_text(json.dumps({"rows": rows, "plants": len(plants)}))
    return rows


def _child(args: argparse.Namespace) -> None:
    data_dir = Path(args.data)
    _django(data_dir)
    from hongfan.core import analytics
    from hongfan.energy import detection

    start = START
    end = START + dt.timedelta(days=args.days - 1)
    n = args.child_meters
    params = _params(n)
    t0 = time.perf_counter()
    if args.child == "duckdb":
        con = analytics.connect()
        detection.configure(con, memory_limit=args.memory_limit, threads=2)
        out = detection.detect(
            con, start=start, end=end, params=params, only_params=n < args.meters
        ).to_pandas()
    else:
        import pyarrow.dataset as ds

        dataset = ds.dataset(
            analytics.dataset_dir(detection.DATASET), format="parquet", partitioning="hive"
        )
        frame = dataset.to_table(
            columns=["meter_id", "ts", "reading", "usage", "prev_hour"],
            filter=ds.field("meter_id") <= n,
        ).to_pandas()
        out = detection.detect_pandas(frame, start=start, end=end, params=params.to_pandas())
    seconds = time.perf_counter() - t0
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    kinds = out.groupby("kind").size().to_dict() if len(out) else {}
    print(
        json.dumps(
            {
                "seconds": seconds,
                "peak_mb": peak_mb,
                "alarms": len(out),
                "kinds": {k: int(v) for k, v in kinds.items()},
            }
        )
    )


def _run(args: argparse.Namespace, engine: str, meters: int) -> dict:
    cmd = [
        sys.executable,
        "-m",
        "benchmarks.bench_energy",
        "--child",
        engine,
        "--child-meters",
        str(meters),
        "--meters",
        str(args.meters),
        "--days",
        str(args.days),
        "--data",
        args.data,
        "--memory-limit",
        args.memory_limit,
    ]
    done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{engine} child failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--meters", type=int, default=2000)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--pandas-meters", type=int, default=200)
    parser.add_argument("--memory-limit", default="1GB")
    parser.add_argument("--data", default="")
    parser.add_argument("--generate-only", action="store_true")
    parser.add_argument("--child", choices=["duckdb", "pandas"], default=None)
    parser.add_argument("--child-meters", type=int, default=0)
    args = parser.parse_args()
    if not args.data:
        args.data = str(ROOT / "var" / "bench_energy" / f"m{args.meters}-d{args.days}")
    if args.child:
        _child(args)
        return
    data_dir = Path(args.data)
    data_dir.mkdir(parents=True, exist_ok=True)
    if not (data_dir / "READY").exists():
        t0 = time.perf_counter()
        rows = _generate(data_dir, args.meters, args.days)
        print(f"generated {rows:,} readings in {time.perf_counter() - t0:.0f} s → {data_dir}")
    if args.generate_only:
        return
    info = json.loads((data_dir / "READY").read_text())
    size = sum(p.stat().st_size for p in data_dir.rglob("*.parquet")) / 2**20
    print(
        f"data: {info['rows']:,} readings of {args.meters} meters over {args.days} days "
        f"({size:.0f} MB Parquet), {info['plants']:,} planted anomalies"
    )
    full = _run(args, "duckdb", args.meters)
    ok = full["seconds"] < TARGET_S and full["peak_mb"] < TARGET_MB
    print(
        f"DuckDB (Ibis), {args.meters} meters: {full['seconds']:.1f} s, "
        f"peak {full['peak_mb']:.0f} MB, {full['alarms']:,} alarms {full['kinds']} — "
        f"target {TARGET_S:.0f} s / {TARGET_MB:.0f} MB: "
        f"{'met' if ok else 'NOT met'}"
    )
    n = min(args.pandas_meters, args.meters)
    small = _run(args, "duckdb", n)
    pandas = _run(args, "pandas", n)
    print(
        f"same {n} meters — DuckDB: {small['seconds']:.1f} s, peak {small['peak_mb']:.0f} MB, "
        f"{small['alarms']:,} alarms; pandas: {pandas['seconds']:.1f} s, peak "
        f"{pandas['peak_mb']:.0f} MB, {pandas['alarms']:,} alarms"
    )
    print(
        f"ratio pandas / DuckDB on {n} meters: {pandas['seconds'] / small['seconds']:.1f}×; "
        f"pandas extrapolated to {args.meters} meters ≈ "
        f"{pandas['seconds'] * args.meters / n:.0f} s and "
        f"{pandas['peak_mb'] * args.meters / n / 1024:.1f} GB"
    )
    if small["alarms"] != pandas["alarms"]:
        print("WARNING: the two detections found different numbers of alarms")


if __name__ == "__main__":
    main()
