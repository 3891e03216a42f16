"""Reading imports: all or nothing, every bad row with its number, idempotent."""

from __future__ import annotations

import pytest

from hongfan.core import analytics
from hongfan.core.testing import World
from hongfan.energy import services
from hongfan.energy.detection import DATASET
from hongfan.energy.models import ReadingImport
from hongfan.energy.tests.factories import csv_bytes, meter

pytestmark = pytest.mark.django_db

GOOD = [
    ("M001", "2026-07-01 00:15", "1000.5"),
    ("M001", "2026-07-01 00:30", "1001.25"),
    ("M001", "2026-07-01 00:45", "1002"),
]


def _stored_rows() -> int:
    if not analytics.partitions(DATASET):
        return 0
    con = analytics.connect()
    return int(analytics.table(con, DATASET).count().execute())


def _refused(data: bytes) -> list[tuple[int, str]]:
    with pytest.raises(services.ImportRefused) as exc:
        services.readings_import(data=data, file_name="x.csv", user=None)
    return [(e.row, e.message) for e in exc.value.errors]


def test_a_good_file_is_stored_and_importing_it_again_changes_nothing(world: World) -> None:
    meter(world)
    first = services.readings_import(data=csv_bytes(GOOD), file_name="7月.csv", user=None)
    assert (first.rows, first.new_rows, first.meters) == (3, 3, 1)
    again = services.readings_import(data=csv_bytes(GOOD), file_name="7月.csv", user=None)
    assert (again.rows, again.new_rows) == (3, 0)
    assert _stored_rows() == 3
    assert ReadingImport.objects.count() == 2


def test_a_gbk_file_with_other_header_names_is_read(world: World) -> None:
    meter(world)
    data = "电表编号,抄表时间,示数\nM001,2026/07/01 00:15,5\n".encode("gb18030")
    assert services.readings_import(data=data, file_name="gbk.csv", user=None).rows == 1


def test_a_reading_going_backwards_is_refused_with_its_row_and_nothing_is_saved(
    world: World,
) -> None:
    meter(world)
    rows = [*GOOD, ("M001", "2026-07-01 01:00", "1001.9")]
    errors = _refused(csv_bytes(rows))
    assert [row for row, _ in errors] == [5]
    assert "1001.9" in errors[0][1] and "1002" in errors[0][1]
    assert _stored_rows() == 0 and not ReadingImport.objects.exists()


def test_a_reading_lower_than_one_already_imported_is_refused(world: World) -> None:
    meter(world)
    services.readings_import(data=csv_bytes(GOOD), file_name="a.csv", user=None)
    errors = _refused(csv_bytes([("M001", "2026-07-01 01:00", "900")]))
    assert errors[0][0] == 2
    assert _stored_rows() == 3


def test_a_duplicated_reading_in_the_file_names_both_rows(world: World) -> None:
    meter(world)
    errors = _refused(csv_bytes([*GOOD, ("M001", "2026-07-01 00:30", "1001.25")]))
    assert errors[0][0] == 5 and "3" in errors[0][1]


def test_a_second_different_reading_for_a_stored_time_is_refused(world: World) -> None:
    meter(world)
    services.readings_import(data=csv_bytes(GOOD), file_name="a.csv", user=None)
    errors = _refused(csv_bytes([("M001", "2026-07-01 00:30", "1001.3")]))
    assert errors[0][0] == 2 and "1001.25" in errors[0][1]


def test_every_bad_row_is_reported_with_its_number(world: World) -> None:
    meter(world)
    rows = [
        ("M001", "2026-07-01 00:15", "1"),
        ("M999", "2026-07-01 00:15", "1"),  # unknown meter
        ("M001", "2026-07-01 00:20", "2"),  # not on a 15-minute mark
        ("M001", "七月一日", "2"),  # not a time
        ("M001", "2026-07-01 00:45", "-3"),  # negative
        ("M001", "2026-07-01 01:00", "abc"),  # not a number
    ]
    errors = _refused(csv_bytes(rows))
    assert [row for row, _ in errors] == [3, 4, 5, 6, 7]
    assert _stored_rows() == 0


def test_a_file_without_the_reading_column_or_not_a_csv_is_refused(world: World) -> None:
    meter(world)
    assert _refused(b"\xe8\xa1\xa8\xe5\x8f\xb7,time\nM001,2026-07-01 00:15\n")[0][0] == 1
    assert _refused(b"PK\x03\x04rest of a zip")[0][0] == 0
    assert _refused(b"")[0][0] == 0
