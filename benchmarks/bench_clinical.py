"""Benchmark of clinical integrity analytics (issue 8, "Performance").

Run: ``.venv/bin/python -m benchmarks.bench_clinical [--scale 1.0] [--data var/bench_clinical]
[--no-postgres]``. ``--scale 1`` is a synthetic year of a large hospital: 3 million
prescriptions (about 8 million lines: the generator writes 1–5 drugs a prescription, 2.66 on
average; ``--scale 1.5`` gives the issue's 12 million lines). The data is generated once into
``--data`` and reused.

Measured, each stage in a fresh process (peak memory = that process's maximum RSS):

* import: the year's prescription CSV (Chinese headers, every line) through the platform's
  importer (``hongfan.clinical.importing``: validation of every row, merge by natural key,
  Parquet by month) into an empty store;
* full screening: every rule and every indicator (``rules.evaluate``) over the year on DuckDB;
* the 8 core indicators per doctor × department (drugs per prescription, % with antibiotic,
  % with injection, % essential, % > 5 drugs, % over-long supply, % duplicate drugs, %
  antibiotic without an infection diagnosis) by the platform (``rules.core_by_doctor``, Ibis on
  DuckDB) and by three hand-written baselines in the same run — Polars, pandas, and SQL in
  PostgreSQL (``CLINICAL_BENCH_PG``, default the local ``hongfan`` cluster; loading is not
  timed) — and every baseline's result is checked equal to the platform's.
"""

# Hand-written baselines keep their SQL and dataframe chains on one line each, as written by
# hand; the SQL is built from constants only.
# ruff: noqa: E501
from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import resource
import shutil
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CORE = [
    "rx",
    "drugs_per_rx",
    "pct_antibiotic",
    "pct_injection",
    "pct_essential",
    "pct_over5",
    "pct_long_supply",
    "pct_duplicate",
    "pct_abx_no_infection",
]


def _django(store: Path) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hongfan.settings")
    os.environ["HONGFAN_ANALYTICS_DIR"] = str(store)
    import django

    django.setup()
    from django.conf import settings

    settings.HONGFAN_ANALYTICS_DIR = store


def _doctors(n_depts: int, per_dept: int) -> dict[str, list[str]]:
    return {f"K{d:03d}": [f"K{d:03d}{i:03d}" for i in range(per_dept)] for d in range(n_depts)}


def generate(data: Path) -> dict[str, Any]:
    """Write the store (``data/store``) and the prescription CSV (``data/csv``); the scale is
    in the directory's name (``scale-<s>``)."""
    scale = float(data.name.split("-", 1)[1])
    _django(data / "store")
    import pyarrow.csv as pacsv

    from hongfan.clinical import generator

    months = [f"2025-{m:02d}" for m in range(1, 13)]
    t = time.monotonic()
    g = generator.generate(
        prescriptions=int(3_000_000 * scale), months=months, doctors=_doctors(60, 20), seed=8
    )
    generator.store(g)
    lines = g.tables["prescriptions"]
    csv_dir = data / "csv"
    csv_dir.mkdir(parents=True, exist_ok=True)
    one = generator.Generated(tables={"prescriptions": lines}, labels=g.labels)
    generator.export(one, csv_dir, "csv")
    del pacsv
    labels = {"rx": len(set(lines["rx_no"].to_pylist())), "lines": lines.num_rows}
    labels["generate_s"] = round(time.monotonic() - t, 1)
    (data / "meta.json").write_text(json.dumps(labels))
    return labels


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _in_process(fn_name: str, data: str, q: Any) -> None:
    try:
        q.put(globals()[fn_name](Path(data)))
    except Exception as exc:  # report, do not hang the parent
        q.put({"error": repr(exc)})


def run_isolated(fn_name: str, data: Path) -> dict[str, Any]:
    ctx = mp.get_context("spawn")
    q = ctx.Queue()
    p = ctx.Process(target=_in_process, args=(fn_name, str(data), q))
    p.start()
    out = q.get()
    p.join()
    return out


def stage_import(data: Path) -> dict[str, Any]:
    store = data / "import_store"
    shutil.rmtree(store, ignore_errors=True)
    _django(store)
    from hongfan.clinical import generator, importing
    from hongfan.core import analytics

    analytics.write_partition("drugs", "snapshot", "current", generator.drug_table())
    base = _peak_mb()
    t = time.monotonic()
    out = importing.import_file(
        data / "csv" / "prescriptions.csv", dataset="prescriptions", period="2025"
    )
    secs = time.monotonic() - t
    assert out.ok, out.errors[:3]
    shutil.rmtree(store, ignore_errors=True)
    return {
        "import_s": round(secs, 2),
        "rows": out.rows,
        "peak_mb": round(_peak_mb(), 0),
        "base_mb": round(base),
    }


def stage_screening(data: Path) -> dict[str, Any]:
    _django(data / "store")
    import ibis  # noqa: F401  (imported before timing)

    from hongfan.clinical import engine, rules

    t = time.monotonic()
    _con, tables = engine.tables()
    found, ind = rules.evaluate(tables)
    secs = time.monotonic() - t
    return {
        "screening_s": round(secs, 2),
        "findings": len(found),
        "indicator_rows": len(ind),
        "peak_mb": round(_peak_mb()),
    }


def stage_platform(data: Path) -> dict[str, Any]:
    _django(data / "store")
    import ibis  # noqa: F401

    from hongfan.clinical import engine, rules

    t = time.monotonic()
    _con, tables = engine.tables()
    df = rules.core_by_doctor(tables).to_pandas()
    secs = time.monotonic() - t
    df.to_parquet(data / "core_platform.parquet")
    return {"platform_s": round(secs, 2), "groups": len(df), "peak_mb": round(_peak_mb())}


# -- hand-written baselines -----------------------------------------------------------------------

INFECTION = (
    "A",
    "B",
    "J0",
    "J1",
    "J20",
    "J21",
    "J22",
    "J85",
    "J86",
    "K35",
    "K65",
    "K81.0",
    "L0",
    "N10",
    "N30",
    "N39.0",
    "H66",
)
SAME_ACTION = (
    "质子泵抑制剂",
    "非甾体抗炎药",
    "头孢菌素类",
    "钙通道阻滞剂",
    "他汀类",
    "血管紧张素Ⅱ受体拮抗剂",
    "β受体阻滞剂",
)


def stage_polars(data: Path) -> dict[str, Any]:
    import polars as pl

    store = data / "store"
    t = time.monotonic()
    lines = pl.scan_parquet(str(store / "prescriptions" / "*" / "part.parquet"))
    drugs = pl.scan_parquet(str(store / "drugs" / "*" / "part.parquet"))
    diag = pl.scan_parquet(str(store / "diagnoses" / "*" / "part.parquet"))
    le = lines.join(
        drugs.select(
            "drug_code",
            "drug_class",
            "is_antibiotic",
            "is_injection",
            "is_essential",
            "controlled_class",
        ),
        on="drug_code",
    )
    le = le.with_columns(
        ctrl=pl.col("controlled_class").fill_null("") != "",
        same=pl.col("drug_class").is_in(list(SAME_ACTION)),
    )
    rx = le.group_by("rx_no", "visit_no", "visit_type", "dept_code", "doctor_no").agg(
        n_lines=pl.len(),
        n_drugs=pl.col("drug_code").n_unique(),
        abx=pl.col("is_antibiotic").any(),
        inj=pl.col("is_injection").any(),
        n_ess=pl.col("is_essential").cast(pl.Int64).sum(),
        max_days=pl.col("days").filter(~pl.col("ctrl")).max(),
        reason=pl.col("long_supply_reason").fill_null("").max(),
    )
    sa = (
        le.filter(pl.col("same"))
        .group_by("rx_no", "drug_class")
        .agg(k=pl.col("drug_code").n_unique())
        .filter(pl.col("k") > 1)
        .group_by("rx_no")
        .agg(n_same=pl.len())
    )
    inf = pl.lit(False)
    for p in INFECTION:
        inf = inf | pl.col("icd_code").str.starts_with(p)
    dv = diag.group_by("visit_no").agg(n_diag=pl.len(), has_inf=inf.any())
    f = (
        rx.join(sa, on="rx_no", how="left")
        .join(dv, on="visit_no", how="left")
        .with_columns(
            n_same=pl.col("n_same").fill_null(0),
            n_diag=pl.col("n_diag").fill_null(0),
            has_inf=pl.col("has_inf").fill_null(False),
            max_days=pl.col("max_days").fill_null(0),
        )
    )
    opem = pl.col("visit_type").is_in(["outpatient", "emergency"])
    f = f.with_columns(
        op_em=opem.cast(pl.Int64),
        over5=(opem & (pl.col("n_drugs") > 5)).cast(pl.Int64),
        long=(
            (pl.col("reason") == "")
            & (
                ((pl.col("visit_type") == "outpatient") & (pl.col("max_days") > 7))
                | ((pl.col("visit_type") == "emergency") & (pl.col("max_days") > 3))
            )
        ).cast(pl.Int64),
        dup=((pl.col("n_lines") > pl.col("n_drugs")) | (pl.col("n_same") > 0)).cast(pl.Float64),
        abx_noinf=(pl.col("abx") & (pl.col("n_diag") > 0) & ~pl.col("has_inf")).cast(pl.Float64),
    )
    out = (
        f.group_by("doctor_no", "dept_code")
        .agg(
            rx=pl.len(),
            drugs_per_rx=pl.col("n_drugs").mean(),
            pct_antibiotic=pl.col("abx").cast(pl.Float64).mean() * 100,
            pct_injection=pl.col("inj").cast(pl.Float64).mean() * 100,
            pct_essential=pl.col("n_ess").sum() * 100 / pl.col("n_lines").sum(),
            pct_over5=pl.col("over5").sum() * 100 / pl.col("op_em").sum(),
            pct_long_supply=pl.col("long").sum() * 100 / pl.col("op_em").sum(),
            pct_duplicate=pl.col("dup").mean() * 100,
            pct_abx_no_infection=pl.col("abx_noinf").mean() * 100,
        )
        .collect()
    )
    secs = time.monotonic() - t
    out.write_parquet(data / "core_polars.parquet")
    return {"polars_s": round(secs, 2), "groups": out.height, "peak_mb": round(_peak_mb())}


def stage_pandas(data: Path) -> dict[str, Any]:
    import numpy as np
    import pandas as pd

    store = data / "store"
    t = time.monotonic()
    cols = [
        "rx_no",
        "visit_no",
        "visit_type",
        "dept_code",
        "doctor_no",
        "drug_code",
        "days",
        "long_supply_reason",
    ]
    lines = pd.read_parquet(store / "prescriptions", columns=cols)
    drugs = pd.read_parquet(
        store / "drugs",
        columns=[
            "drug_code",
            "drug_class",
            "is_antibiotic",
            "is_injection",
            "is_essential",
            "controlled_class",
        ],
    )
    diag = pd.read_parquet(store / "diagnoses", columns=["visit_no", "icd_code"])
    le = lines.merge(drugs, on="drug_code")
    le["nc_days"] = le["days"].where(le["controlled_class"].fillna("") == "")
    le["reason"] = le["long_supply_reason"].fillna("")
    keys = ["rx_no", "visit_no", "visit_type", "dept_code", "doctor_no"]
    rx = (
        le.groupby(keys, sort=False, observed=True)
        .agg(
            n_lines=("drug_code", "size"),
            n_drugs=("drug_code", "nunique"),
            abx=("is_antibiotic", "any"),
            inj=("is_injection", "any"),
            n_ess=("is_essential", "sum"),
            max_days=("nc_days", "max"),
            reason=("reason", "max"),
        )
        .reset_index()
    )
    sa = le[le["drug_class"].isin(SAME_ACTION)].groupby(["rx_no", "drug_class"]).drug_code.nunique()
    sa = sa[sa > 1].groupby(level=0).size().rename("n_same")
    diag["inf"] = diag["icd_code"].str.startswith(INFECTION)
    dv = diag.groupby("visit_no").agg(n_diag=("icd_code", "size"), has_inf=("inf", "any"))
    f = rx.merge(sa, left_on="rx_no", right_index=True, how="left").merge(
        dv, left_on="visit_no", right_index=True, how="left"
    )
    f["n_same"] = f["n_same"].fillna(0)
    f["n_diag"] = f["n_diag"].fillna(0)
    f["has_inf"] = f["has_inf"].fillna(False).astype(bool)
    f["max_days"] = f["max_days"].fillna(0)
    opem = f["visit_type"].isin(["outpatient", "emergency"])
    f["op_em"] = opem.astype(int)
    f["over5"] = (opem & (f["n_drugs"] > 5)).astype(int)
    f["long"] = (
        (f["reason"] == "")
        & (
            ((f["visit_type"] == "outpatient") & (f["max_days"] > 7))
            | ((f["visit_type"] == "emergency") & (f["max_days"] > 3))
        )
    ).astype(int)
    f["dup"] = ((f["n_lines"] > f["n_drugs"]) | (f["n_same"] > 0)).astype(float)
    f["abx_noinf"] = (f["abx"] & (f["n_diag"] > 0) & ~f["has_inf"]).astype(float)
    g = f.groupby(["doctor_no", "dept_code"])
    out = pd.DataFrame(
        {
            "rx": g.size(),
            "drugs_per_rx": g["n_drugs"].mean(),
            "pct_antibiotic": g["abx"].mean() * 100,
            "pct_injection": g["inj"].mean() * 100,
            "pct_essential": g["n_ess"].sum() * 100 / g["n_lines"].sum(),
            "pct_over5": g["over5"].sum() * 100 / g["op_em"].sum().replace(0, np.nan),
            "pct_long_supply": g["long"].sum() * 100 / g["op_em"].sum().replace(0, np.nan),
            "pct_duplicate": g["dup"].mean() * 100,
            "pct_abx_no_infection": g["abx_noinf"].mean() * 100,
        }
    ).reset_index()
    secs = time.monotonic() - t
    out.to_parquet(data / "core_pandas.parquet")
    return {"pandas_s": round(secs, 2), "groups": len(out), "peak_mb": round(_peak_mb())}


PG_SQL = """
WITH le AS (
  SELECT l.rx_no, l.visit_no, l.visit_type, l.dept_code, l.doctor_no, l.drug_code, l.days,
         coalesce(l.long_supply_reason, '') AS reason, d.drug_class, d.is_antibiotic, d.is_injection,
         d.is_essential, coalesce(d.controlled_class, '') <> '' AS ctrl
  FROM bench_lines l JOIN bench_drugs d USING (drug_code)
), rx AS (
  SELECT rx_no, visit_no, visit_type, dept_code, doctor_no, count(*) AS n_lines,
         count(DISTINCT drug_code) AS n_drugs, bool_or(is_antibiotic) AS abx, bool_or(is_injection) AS inj,
         sum(is_essential::int) AS n_ess, max(days) FILTER (WHERE NOT ctrl) AS max_days, max(reason) AS reason
  FROM le GROUP BY 1, 2, 3, 4, 5
), sa AS (
  SELECT rx_no, count(*) AS n_same FROM (
    SELECT rx_no, drug_class FROM le WHERE drug_class = ANY(%(same)s)
    GROUP BY 1, 2 HAVING count(DISTINCT drug_code) > 1) x GROUP BY 1
), dv AS (
  SELECT visit_no, count(*) AS n_diag, bool_or(icd_code LIKE ANY(%(inf)s)) AS has_inf
  FROM bench_diag GROUP BY 1
), f AS (
  SELECT rx.*, coalesce(sa.n_same, 0) AS n_same, coalesce(dv.n_diag, 0) AS n_diag,
         coalesce(dv.has_inf, false) AS has_inf, coalesce(rx.max_days, 0) AS md
  FROM rx LEFT JOIN sa USING (rx_no) LEFT JOIN dv USING (visit_no)
)
SELECT doctor_no, dept_code, count(*) AS rx,
  avg(n_drugs)::float8 AS drugs_per_rx,
  avg(abx::int)::float8 * 100 AS pct_antibiotic,
  avg(inj::int)::float8 * 100 AS pct_injection,
  sum(n_ess)::float8 * 100 / sum(n_lines) AS pct_essential,
  sum((visit_type IN ('outpatient', 'emergency') AND n_drugs > 5)::int)::float8 * 100
    / nullif(sum((visit_type IN ('outpatient', 'emergency'))::int), 0) AS pct_over5,
  sum((reason = '' AND ((visit_type = 'outpatient' AND md > 7) OR (visit_type = 'emergency' AND md > 3)))::int)::float8 * 100
    / nullif(sum((visit_type IN ('outpatient', 'emergency'))::int), 0) AS pct_long_supply,
  avg((n_lines > n_drugs OR n_same > 0)::int)::float8 * 100 AS pct_duplicate,
  avg((abx AND n_diag > 0 AND NOT has_inf)::int)::float8 * 100 AS pct_abx_no_infection
FROM f GROUP BY 1, 2
"""


def stage_postgres(data: Path) -> dict[str, Any]:
    import pandas as pd
    import psycopg
    import pyarrow.parquet as pq

    url = os.environ.get("CLINICAL_BENCH_PG", "postgresql://hongfan:hongfan@127.0.0.1:5432/hongfan")
    store = data / "store"
    with psycopg.connect(url, autocommit=True) as con:
        t0 = time.monotonic()
        con.execute("DROP TABLE IF EXISTS bench_lines, bench_drugs, bench_diag")
        con.execute(
            "CREATE UNLOGGED TABLE bench_lines (rx_no text, visit_no text, visit_type text, dept_code text, doctor_no text, drug_code text, days int, long_supply_reason text)"
        )
        con.execute(
            "CREATE UNLOGGED TABLE bench_drugs (drug_code text, drug_class text, is_antibiotic bool, is_injection bool, is_essential bool, controlled_class text)"
        )
        con.execute("CREATE UNLOGGED TABLE bench_diag (visit_no text, icd_code text)")
        for table, path, cols in (
            (
                "bench_lines",
                "prescriptions",
                [
                    "rx_no",
                    "visit_no",
                    "visit_type",
                    "dept_code",
                    "doctor_no",
                    "drug_code",
                    "days",
                    "long_supply_reason",
                ],
            ),
            (
                "bench_drugs",
                "drugs",
                [
                    "drug_code",
                    "drug_class",
                    "is_antibiotic",
                    "is_injection",
                    "is_essential",
                    "controlled_class",
                ],
            ),
            ("bench_diag", "diagnoses", ["visit_no", "icd_code"]),
        ):
            for part in sorted((store / path).glob("*/part.parquet")):
                t = pq.read_table(part, columns=cols)
                with con.cursor().copy(f"COPY {table} ({', '.join(cols)}) FROM STDIN") as cp:
                    for batch in t.to_batches(200_000):
                        for row in zip(*[c.to_pylist() for c in batch.columns], strict=True):
                            cp.write_row(row)
        con.execute("ANALYZE bench_lines; ANALYZE bench_drugs; ANALYZE bench_diag")
        load_s = time.monotonic() - t0
        t = time.monotonic()
        cur = con.execute(PG_SQL, {"same": list(SAME_ACTION), "inf": [p + "%" for p in INFECTION]})
        rows = cur.fetchall()
        secs = time.monotonic() - t
        names = [d.name for d in cur.description]
        con.execute("DROP TABLE IF EXISTS bench_lines, bench_drugs, bench_diag")
    pd.DataFrame(rows, columns=names).to_parquet(data / "core_postgres.parquet")
    return {"postgres_s": round(secs, 2), "load_s": round(load_s, 1), "groups": len(rows)}


def compare(data: Path, names: list[str]) -> dict[str, bool]:
    import numpy as np
    import pandas as pd

    ref = (
        pd.read_parquet(data / "core_platform.parquet")
        .sort_values(["doctor_no", "dept_code"])
        .reset_index(drop=True)
    )
    out = {}
    for name in names:
        other = (
            pd.read_parquet(data / f"core_{name}.parquet")
            .sort_values(["doctor_no", "dept_code"])
            .reset_index(drop=True)
        )
        same = (
            len(ref) == len(other)
            and (
                ref[["doctor_no", "dept_code"]].values == other[["doctor_no", "dept_code"]].values
            ).all()
        )
        for c in CORE:
            a = ref[c].astype(float).to_numpy()
            b = other[c].astype(float).to_numpy()
            same = same and np.allclose(a, b, equal_nan=True, rtol=1e-9, atol=1e-9)
        out[name] = bool(same)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scale", type=float, default=1.0, help="1.0 = 3 million prescriptions a year")
    ap.add_argument("--data", default=str(ROOT / "var" / "bench_clinical"))
    ap.add_argument("--no-postgres", action="store_true")
    ap.add_argument("--regenerate", action="store_true")
    ap.add_argument(
        "--stages",
        default="import,screening,platform,polars,pandas,postgres",
        help="comma-separated subset of import,screening,platform,polars,pandas,postgres",
    )
    args = ap.parse_args()
    data = Path(args.data) / f"scale-{args.scale:g}"
    if args.regenerate:
        shutil.rmtree(data, ignore_errors=True)
    if not (data / "meta.json").exists():
        data.mkdir(parents=True, exist_ok=True)
        print("generating …", flush=True)
        meta = run_isolated("generate", data)
        if "error" in meta:
            raise SystemExit(f"generation failed: {meta['error']}")
    else:
        meta = json.loads((data / "meta.json").read_text())
    print(f"data: {meta}", flush=True)
    print(f"load average at start: {os.getloadavg()}", flush=True)
    results: dict[str, Any] = {}
    wanted = [s.strip() for s in args.stages.split(",") if s.strip()]
    if args.no_postgres and "postgres" in wanted:
        wanted.remove("postgres")
    for stage in wanted:
        results[stage] = run_isolated(f"stage_{stage}", data)
        print(f"stage_{stage}", results[stage], flush=True)
    print(f"load average at end: {os.getloadavg()}", flush=True)
    if "platform" in results:
        names = [n for n in ("polars", "pandas", "postgres") if n in results]
        print(f"results equal to the platform's: {compare(data, names)}")
        plat = results["platform"]["platform_s"]
        if "polars" in results:
            pol = results["polars"]["polars_s"]
            print(
                f"8 core indicators: platform {plat} s, Polars {pol} s (platform/Polars {plat / pol:.2f}×, target ≤ 1.5×)"
            )
        if "pandas" in results:
            print(f"  pandas {results['pandas']['pandas_s']} s")
        if "postgres" in results:
            pg = results["postgres"]["postgres_s"]
            print(f"  PostgreSQL {pg} s (PostgreSQL/platform {pg / plat:.1f}×, target ≥ 8×)")
    if "screening" in results:
        scr = results["screening"]
        ratio = (
            f" ({scr['screening_s'] / results['polars']['polars_s']:.2f}× Polars' 8 indicators, target ≤ 3×)"
            if "polars" in results
            else ""
        )
        print(
            f"full screening {scr['screening_s']} s{ratio}, peak {scr['peak_mb']} MB (target < 2048)"
        )
    if "import" in results:
        imp = results["import"]
        print(
            f"import of {imp['rows']} lines: {imp['import_s']} s (target < 30 s for 12 M), peak {imp['peak_mb']} MB"
        )


if __name__ == "__main__":
    main()
