"""Run every benchmark (``make bench``), each in its own process (each picks its database).

``python -m benchmarks.run_all [args for bench_foundation]``, e.g. ``--size hospital``. With
``DATABASE_URL`` set (PostgreSQL), bench_foundation uses that database; bench_import always
uses a fresh SQLite file.
"""

from __future__ import annotations

import subprocess
import sys


def main() -> int:
    status = 0
    for module, args in (
        ("benchmarks.bench_foundation", sys.argv[1:]),
        ("benchmarks.bench_import", []),
    ):
        print(f"=== {module} {' '.join(args)}", flush=True)
        status |= subprocess.call([sys.executable, "-m", module, *args])
        print(flush=True)
    return status


if __name__ == "__main__":
    sys.exit(main())
