"""The analytic store: columnar data (HIS exports, meter readings) kept out of the ORM.

Datasets are Parquet files under ``settings.HONGFAN_ANALYTICS_DIR``, partitioned by a key
(usually the month ``YYYY-MM``)::

    <root>/<dataset>/<partition_column>=<value>/part.parquet

Writes replace one partition atomically (write to a temporary file, then rename), so loading
the same month twice leaves the same files — idempotent by construction. Reads go through
Ibis: ``connect()`` gives an Ibis DuckDB connection (embedded default); ``table(con, name)``
reads every partition of a dataset as one Ibis table. Rules are written once as Ibis
expressions and run on DuckDB or, with ``backend="pyspark"``, on Spark (see
hongfan/clinical for the rules and docs/apps/clinical.md).
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
from django.conf import settings

_SAFE = re.compile(r"^[A-Za-z0-9_\-]+$")


def root() -> Path:
    path = Path(settings.HONGFAN_ANALYTICS_DIR)
    path.mkdir(parents=True, exist_ok=True)
    return path


def _check(name: str) -> str:
    if not _SAFE.match(name):
        raise ValueError(f"unsafe dataset or partition name: {name!r}")
    return name


def dataset_dir(dataset: str) -> Path:
    return root() / _check(dataset)


def partition_path(dataset: str, column: str, value: str) -> Path:
    return dataset_dir(dataset) / f"{_check(column)}={_check(value)}" / "part.parquet"


def write_partition(dataset: str, column: str, value: str, table: pa.Table) -> Path:
    """Replace one partition of ``dataset`` with ``table`` (atomic rename)."""
    target = partition_path(dataset, column, value)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, suffix=".tmp")
    os.close(fd)
    try:
        pq.write_table(table, tmp, compression="zstd")
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return target


def copy_partition(con: Any, dataset: str, column: str, value: str, select_sql: str) -> int:
    """Replace one partition of ``dataset`` with the rows of a DuckDB query, written by
    DuckDB itself (``COPY … TO``: no round trip through Python), with the same atomic rename.
    ``con`` is a raw DuckDB connection; the query's column types are the file's. Returns the
    number of rows written."""
    target = partition_path(dataset, column, value)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, suffix=".tmp")
    os.close(fd)
    try:
        quoted = tmp.replace("'", "''")
        (written,) = con.execute(
            f"COPY ({select_sql}) TO '{quoted}' (FORMAT parquet, COMPRESSION zstd)"
        ).fetchone()
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return int(written)


def read_partition(dataset: str, column: str, value: str) -> pa.Table | None:
    path = partition_path(dataset, column, value)
    return pq.read_table(path) if path.exists() else None


def drop_partition(dataset: str, column: str, value: str) -> None:
    shutil.rmtree(partition_path(dataset, column, value).parent, ignore_errors=True)


def partitions(dataset: str) -> list[str]:
    """The partition values present for ``dataset`` (sorted)."""
    base = dataset_dir(dataset)
    if not base.exists():
        return []
    return sorted(
        p.name.split("=", 1)[1] for p in base.iterdir() if "=" in p.name and any(p.iterdir())
    )


def glob(dataset: str) -> str:
    return str(dataset_dir(dataset) / "*" / "part.parquet")


def duckdb_settings() -> dict[str, str]:
    """DuckDB settings for every analytic connection: no progress bar on the console, a memory
    limit (``HONGFAN_ANALYTICS_MEMORY_LIMIT``, default 1 GB: larger work spills to a temporary
    directory under the store instead of growing the process) and that directory."""
    tmp = root() / "_tmp"
    tmp.mkdir(parents=True, exist_ok=True)
    return {
        "enable_progress_bar": "false",
        "memory_limit": getattr(settings, "HONGFAN_ANALYTICS_MEMORY_LIMIT", "1GB"),
        "temp_directory": str(tmp),
    }


def configure(con: Any) -> Any:
    """Apply ``duckdb_settings`` to a raw DuckDB connection."""
    for key, value in duckdb_settings().items():
        con.execute(f"SET {key} = '{value}'")
    return con


def connect() -> Any:
    """An Ibis connection on embedded DuckDB (in memory; data stays in the Parquet files)."""
    import ibis

    con = ibis.duckdb.connect()
    configure(con.con)
    return con


def table(con: Any, dataset: str) -> Any:
    """Every partition of ``dataset`` as one Ibis table (with the partition column)."""
    return con.read_parquet(glob(dataset), table_name=dataset, hive_partitioning=True)
