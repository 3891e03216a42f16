"""The same Ibis rules give identical results on DuckDB and on Spark (local mode)."""

from __future__ import annotations

import numpy as np
import pytest

from hongfan.clinical import engine, generator, rules


@pytest.fixture(scope="module")
def spark():  # one small session for the module
    session = engine.spark_session()
    yield session
    session.stop()
    engine._SPARK.clear()


def test_duckdb_and_spark_find_the_same_violations_and_compute_the_same_indicators(spark) -> None:
    data = generator.generate(prescriptions=800, months=["2026-05"], seed=5, violation_rate=0.01)
    generator.store(data)
    _c1, duck = engine.tables("duckdb")
    _c2, sp = engine.tables("pyspark")
    f1, i1 = rules.evaluate(duck)
    f2, i2 = rules.evaluate(sp)
    labels = set(
        zip(data.labels["rx_no"].to_pylist(), data.labels["rule_code"].to_pylist(), strict=True)
    )
    key = ["rx_no", "rule_code"]
    assert set(zip(f1.rx_no, f1.rule_code, strict=True)) == labels
    assert f1[key].values.tolist() == f2.sort_values(key)[key].values.tolist()
    assert np.allclose(f1.value.to_numpy(), f2.sort_values(key).value.to_numpy())
    cols = ["month", "dept_code", "doctor_no", "indicator"]
    i2 = i2.sort_values(cols).reset_index(drop=True)
    assert i1[cols].values.tolist() == i2[cols].values.tolist()
    assert np.allclose(i1.num.to_numpy(), i2.num.to_numpy())
    assert np.allclose(i1.den.to_numpy(), i2.den.to_numpy())
