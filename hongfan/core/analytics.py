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


def connect() -> Any:
    """An Ibis connection on embedded DuckDB (in memory; data stays in the Parquet files)."""
    import ibis

    return ibis.duckdb.connect()


def table(con: Any, dataset: str) -> Any:
    """Every partition of ``dataset`` as one Ibis table (with the partition column)."""
    return con.read_parquet(glob(dataset), table_name=dataset, hive_partitioning=True)
