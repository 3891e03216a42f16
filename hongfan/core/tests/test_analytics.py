"""The analytic store: partitions replace atomically and read back through Ibis on DuckDB."""

from __future__ import annotations

import pyarrow as pa
import pytest

from hongfan.core import analytics


@pytest.fixture(autouse=True)
def _store(settings, tmp_path):
    settings.HONGFAN_ANALYTICS_DIR = tmp_path / "analytics"


def test_writing_a_month_twice_leaves_one_copy_and_ibis_reads_every_month():
    jan = pa.table({"rx": ["A1", "A2"], "amount": [1.5, 2.0]})
    feb = pa.table({"rx": ["B1"], "amount": [4.0]})
    analytics.write_partition("rx", "month", "2026-01", jan)
    analytics.write_partition("rx", "month", "2026-01", jan)
    analytics.write_partition("rx", "month", "2026-02", feb)
    assert analytics.partitions("rx") == ["2026-01", "2026-02"]
    con = analytics.connect()
    t = analytics.table(con, "rx")
    assert t.count().execute() == 3
    by_month = t.group_by("month").agg(total=t.amount.sum()).order_by("month").execute()
    assert list(by_month["total"]) == [3.5, 4.0]


def test_a_dataset_name_with_a_path_in_it_is_refused():
    with pytest.raises(ValueError):
        analytics.partition_path("../etc", "month", "2026-01")
