"""Run every benchmark (``make bench``), each in its own process (each picks its database).

``python -m benchmarks.run_all [--size large|hospital|small] [--only foundation,import]``

Every ``benchmarks/bench_*.py`` runs in turn; those that take ``--size`` get the size. With
``DATABASE_URL`` set (PostgreSQL), bench_foundation uses that database; bench_import always
uses a fresh SQLite file. The exit status is non-zero when a benchmark fails.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size", default="large", choices=["small", "hospital", "large"])
    parser.add_argument("--only", default="", help="comma-separated names, e.g. foundation")
    args = parser.parse_args()
    only = {n.strip() for n in args.only.split(",") if n.strip()}
    status = 0
    for path in sorted(HERE.glob("bench_*.py")):
        name = path.stem.removeprefix("bench_")
        if only and name not in only:
            continue
        extra = ["--size", args.size] if '"--size"' in path.read_text(encoding="utf-8") else []
        print(f"=== {path.stem} {' '.join(extra)}", flush=True)
        status |= subprocess.call([sys.executable, "-m", f"benchmarks.{path.stem}", *extra])
        print(flush=True)
    return status


if __name__ == "__main__":
    sys.exit(main())
