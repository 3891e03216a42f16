"""Where the rules run: embedded DuckDB (default) or Spark, over the analytic store.

``tables(backend)`` gives the Ibis tables of every dataset; a dataset without data yet is an
empty table of the right schema, so the rules always compile. Spark runs in local mode unless
``HONGFAN_SPARK_MASTER`` names a cluster (a regional health commission screening many
hospitals).
"""

from __future__ import annotations

from typing import Any

import pyarrow as pa

from hongfan.clinical import schema
from hongfan.core import analytics


class _LazyIbis:
    """Import Ibis on first use: it costs about a second, and every process loads this
    module at start-up (the app registers its indicators)."""

    def __getattr__(self, name: str) -> Any:
        import ibis as _ibis

        return getattr(_ibis, name)


ibis: Any = _LazyIbis()

_ARROW = {
    "str": pa.string(),
    "visit_type": pa.string(),
    "controlled": pa.string(),
    "int": pa.int32(),
    "float": pa.float64(),
    "date": pa.date32(),
    "bool": pa.bool_(),
}


def arrow_schema(dataset: str, *, with_partition: bool = True) -> pa.Schema:
    ds = schema.DATASETS[dataset]
    fields = [pa.field(c.name, _ARROW[c.kind]) for c in ds.columns]
    if with_partition:
        part = schema.SNAPSHOT if ds.date_column is None else schema.MONTH
        fields.append(pa.field(part, pa.string()))
    return pa.schema(fields)


def empty(dataset: str, *, with_partition: bool = False) -> pa.Table:
    return arrow_schema(dataset, with_partition=with_partition).empty_table()


def duckdb_tables(con: Any | None = None) -> tuple[Any, dict[str, Any]]:
    con = con or analytics.connect()
    out = {}
    for name in schema.DATASETS:
        if analytics.partitions(name):
            t = analytics.table(con, name)
            casts = {
                f.name: t[f.name].cast(ibis.dtype(f.type))
                for f in arrow_schema(name)
                if f.name in t.columns and str(t[f.name].type()) != str(ibis.dtype(f.type))
            }
            out[name] = t.mutate(**casts) if casts else t
        else:
            con.con.register(f"empty_{name}", empty(name, with_partition=True))
            out[name] = con.table(f"empty_{name}")
    return con, out


_SPARK: dict[str, Any] = {}


def spark_session() -> Any:
    """One small local Spark session per process (UI off, few shuffle partitions)."""
    if "session" not in _SPARK:
        from django.conf import settings
        from pyspark.sql import SparkSession

        master = getattr(settings, "HONGFAN_SPARK_MASTER", "") or "local[1]"
        _SPARK["session"] = (
            SparkSession.builder.master(master)
            .appName("hongfan-clinical")
            .config("spark.ui.enabled", "false")
            .config("spark.ui.showConsoleProgress", "false")
            .config("spark.sql.shuffle.partitions", "2")
            .config("spark.default.parallelism", "1")
            .config("spark.sql.sources.partitionColumnTypeInference.enabled", "false")
            .config("spark.sql.session.timeZone", "UTC")
            .config("spark.driver.memory", "1g")
            .getOrCreate()
        )
    return _SPARK["session"]


def spark_tables() -> tuple[Any, dict[str, Any]]:
    session = spark_session()
    con = ibis.pyspark.connect(session)
    out = {}
    for name in schema.DATASETS:
        if analytics.partitions(name):
            df = session.read.parquet(str(analytics.dataset_dir(name)))
            view = f"hf_{name}"
            df.createOrReplaceTempView(view)
            t = con.table(view)
        else:
            df = session.createDataFrame([], schema=_spark_schema(name))
            view = f"hf_{name}"
            df.createOrReplaceTempView(view)
            t = con.table(view)
        casts = {
            f.name: t[f.name].cast(ibis.dtype(f.type))
            for f in arrow_schema(name)
            if f.name in t.columns and str(t[f.name].type()) != str(ibis.dtype(f.type))
        }
        out[name] = t.mutate(**casts) if casts else t
    return con, out


def _spark_schema(dataset: str) -> Any:
    from pyspark.sql import types as T

    m = {
        pa.string(): T.StringType(),
        pa.int32(): T.IntegerType(),
        pa.float64(): T.DoubleType(),
        pa.date32(): T.DateType(),
        pa.bool_(): T.BooleanType(),
    }
    return T.StructType([T.StructField(f.name, m[f.type], True) for f in arrow_schema(dataset)])


def tables(backend: str = "duckdb") -> tuple[Any, dict[str, Any]]:
    if backend == "pyspark":
        return spark_tables()
    if backend != "duckdb":
        raise ValueError(f"unknown backend {backend!r}")
    return duckdb_tables()


def materialize(expr: Any, name: str) -> Any:
    """Compute ``expr`` once and return it as a table of its backend (a temporary table on
    DuckDB, a cached temporary view on Spark), for results read by several queries.

    (Ibis's own ``Table.cache()`` renders an invalid ``DROP VIEW`` with DuckDB 2.0.)"""
    con = ibis.get_backend(expr)
    if con.name == "pyspark":
        df = con._session.sql(str(ibis.to_sql(expr, dialect="pyspark"))).cache()
        df.createOrReplaceTempView(name)
    else:
        con.con.execute(f'CREATE OR REPLACE TEMP TABLE "{name}" AS {ibis.to_sql(expr)}')
    return con.table(name)


def release(table: Any, name: str) -> None:
    """Free what ``materialize`` kept."""
    con = ibis.get_backend(table)
    if con.name == "pyspark":
        con._session.catalog.uncacheTable(name)
        con._session.catalog.dropTempView(name)
    else:
        con.con.execute(f'DROP TABLE IF EXISTS "{name}"')
