"""Test-suite speed: the permission matrix's cost per (URL, role) case, before and after.

``.venv/bin/python -m benchmarks.bench_test_suite [--cases 150] [--seed 1]``

A fixed random sample of the matrix's cases (``hongfan.core.matrix``) is checked four times on
an in-memory SQLite test database (``hongfan.test_settings``, migrated once):

- **before**: a fresh ``build_world()`` per case (what the ``world`` fixture did for every test)
  and WhiteNoise listing every static file whenever a test client builds its middleware chain;
- with only the shared world (``conftest.py``: the world built once, each case in a savepoint
  that is rolled back, on a deep copy of the world's objects);
- with only ``WHITENOISE_AUTOREFRESH`` (``hongfan/test_settings.py``);
- **after**: both.

It prints wall and CPU milliseconds per case and the ratios before ÷ after. Every case must
pass in every variant (the same assertions as the test). The CPU time is the benchmark
process's own, so it is less sensitive to other processes on a shared machine than the wall
time.
"""

from __future__ import annotations

import argparse
import copy
import logging
import os
import random
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hongfan.test_settings")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cases", type=int, default=150)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import transaction
    from django.test.utils import override_settings, setup_databases, setup_test_environment

    setup_test_environment(debug=False)
    started = time.perf_counter()
    setup_databases(verbosity=0, interactive=False)
    print(f"test database migrated in {time.perf_counter() - started:.1f} s")
    logging.disable(logging.WARNING)  # 403/404 warnings with tracebacks, in every variant

    from hongfan.core.matrix import all_cases, check_case, role_params
    from hongfan.core.testing import build_world

    params = role_params(all_cases())
    sample = random.Random(args.seed).sample(params, min(args.cases, len(params)))
    print(f"{len(sample)} of {len(params)} (URL, role) cases, seed {args.seed}")

    def run(*, shared: bool, autorefresh: bool) -> tuple[float, float]:
        with override_settings(WHITENOISE_AUTOREFRESH=autorefresh), transaction.atomic():
            wall, cpu = time.perf_counter(), time.process_time()
            template = build_world() if shared else None
            for case, role in sample:
                with transaction.atomic():
                    world = copy.deepcopy(template) if template else build_world()
                    check_case(case, world, role)
                    transaction.set_rollback(True)
            wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
            transaction.set_rollback(True)
        return wall * 1000 / len(sample), cpu * 1000 / len(sample)

    variants = [
        ("before: world per case, static files listed", False, False),
        ("shared world only", True, False),
        ("WhiteNoise autorefresh only", False, True),
        ("after: shared world + autorefresh", True, True),
    ]
    run(shared=True, autorefresh=True)  # warm-up: imports, templates, URL resolvers
    results = {}
    for label, shared, autorefresh in variants:
        results[label] = run(shared=shared, autorefresh=autorefresh)
        wall, cpu = results[label]
        print(f"{label:46s} {wall:7.1f} ms wall  {cpu:7.1f} ms CPU per case")
    (bw, bc), (aw, ac) = results[variants[0][0]], results[variants[-1][0]]
    print(f"before / after: {bw / aw:.1f}x wall, {bc / ac:.1f}x CPU")
    print(
        f"whole matrix ({len(params)} cases) at these rates: "
        f"{bw * len(params) / 60000:.1f} min before, {aw * len(params) / 60000:.1f} min after "
        "(one process)"
    )


if __name__ == "__main__":
    main()
