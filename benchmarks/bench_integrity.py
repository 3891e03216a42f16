"""Benchmark of the anonymous-report receipt look-up (issue 6, docs/apps/integrity.md).

Run: ``.venv/bin/python -m benchmarks.bench_integrity [--reports 2000] [--scan 20]``.

A receipt code is 4 public "bucket" digits + 16 secret digits stored as an Argon2 hash.
Look-up checks only the hashes in the code's bucket; the baseline, measured in the same run,
checks every report's hash until one matches (a hash scan). No database: the cost is the
Argon2 verifications, so both are timed on real hashes in memory. The scan is timed on
``--scan`` hashes and reported per report; the worst bucket of ``--reports`` random codes is
counted and its look-up timed.
"""

from __future__ import annotations

import argparse
import os
import secrets
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hongfan.settings")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reports", type=int, default=2000)
    parser.add_argument("--scan", type=int, default=20)
    args = parser.parse_args()
    import django

    django.setup()
    from django.contrib.auth.hashers import check_password, make_password

    def digits(n: int) -> str:
        return "".join(secrets.choice("0123456789") for _ in range(n))

    secrets_ = [digits(16) for _ in range(args.scan)]
    hashes = [make_password(s, hasher="argon2") for s in secrets_]
    # Baseline: scan every hash for the last report's code (the worst case of a scan).
    t = time.perf_counter()
    for h in hashes:
        check_password(secrets_[-1], h)
    per_check = (time.perf_counter() - t) / len(hashes)
    scan_s = per_check * args.reports
    # Buckets of ``--reports`` random codes: the look-up checks the worst bucket's hashes.
    buckets = Counter(digits(4) for _ in range(args.reports))
    worst = max(buckets.values())
    runs = []
    for _ in range(5):
        t = time.perf_counter()
        for h in hashes[:worst]:
            check_password(secrets_[worst - 1], h)
        runs.append(time.perf_counter() - t)
    lookup_s = statistics.median(runs)
    print(f"Argon2 verification: {per_check * 1000:.1f} ms")
    print(f"reports: {args.reports}, worst bucket: {worst} candidate(s)")
    print(f"bucket look-up (worst bucket): {lookup_s * 1000:.1f} ms")
    print(f"baseline hash scan over all reports: {scan_s:.1f} s (extrapolated from {args.scan})")
    print(f"ratio scan / bucket: {scan_s / lookup_s:.0f}x")


if __name__ == "__main__":
    main()
