"""HIS exports into the analytic store: all or nothing, row-numbered reasons, idempotent."""

from __future__ import annotations

from pathlib import Path

import pyarrow.parquet as pq
import pytest
from django.utils import translation

from hongfan.accounts.roles import Role
from hongfan.clinical import generator, importing, services
from hongfan.clinical.models import HisImport
from hongfan.core import analytics


@pytest.fixture(autouse=True)
def _chinese() -> None:
    translation.activate("zh-hans")


@pytest.fixture
def exports(tmp_path: Path) -> dict[str, Path]:
    data = generator.generate(prescriptions=400, months=["2026-01"], seed=2)
    return {p.stem: p for p in generator.export(data, tmp_path / "csv", "csv")}


def _load(path: Path, dataset: str, period: str = "2026-01", **kw: object) -> importing.Outcome:
    return importing.import_file(path, dataset=dataset, period=period, **kw)


def _rewrite(path: Path, target: Path, edit) -> Path:  # type: ignore[no-untyped-def]
    lines = path.read_text(encoding="utf-8").splitlines()
    edit(lines)
    target.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return target


def test_an_export_with_chinese_headers_loads_and_loading_it_again_changes_nothing(exports) -> None:
    assert _load(exports["drugs"], "drugs", "").created == len(generator.DRUGS)
    first = _load(exports["prescriptions"], "prescriptions")
    assert first.ok and first.created == first.rows > 0
    stored = analytics.partition_path("prescriptions", "month", "2026-01")
    before = stored.stat().st_mtime_ns
    again = _load(exports["prescriptions"], "prescriptions")
    assert (again.created, again.updated, again.unchanged) == (0, 0, first.rows)
    assert stored.stat().st_mtime_ns == before  # not even rewritten
    assert pq.read_table(stored).num_rows == first.rows


def test_a_changed_row_is_updated_by_its_natural_key(exports, tmp_path: Path) -> None:
    _load(exports["drugs"], "drugs", "")
    _load(exports["prescriptions"], "prescriptions")

    def edit(lines: list[str]) -> None:
        cells = lines[1].split(",")
        cells[-1] = "999.5"  # 金额 of 处方 1 line 1
        lines[1] = ",".join(cells)

    changed = _rewrite(exports["prescriptions"], tmp_path / "changed.csv", edit)
    out = _load(changed, "prescriptions")
    assert (out.created, out.updated) == (0, 1)
    amounts = pq.read_table(analytics.partition_path("prescriptions", "month", "2026-01"))["amount"]
    assert 999.5 in amounts.to_pylist()


def test_every_bad_row_is_reported_with_its_row_number_and_nothing_is_imported(
    exports, tmp_path: Path
) -> None:
    _load(exports["drugs"], "drugs", "")

    def edit(lines: list[str]) -> None:
        header = lines[0].split(",")
        col = {h.strip('"'): i for i, h in enumerate(header)}

        def put(n: int, name: str, value: str) -> None:
            cells = lines[n - 1].split(",")
            cells[col[name]] = value
            lines[n - 1] = ",".join(cells)

        put(3, "数量", "-2")
        put(4, "药品编码", "ZZ99")
        put(5, "开方日期", "2026-02-01")
        lines.append(lines[5])  # row 7 again as the last row

    bad = _rewrite(exports["prescriptions"], tmp_path / "bad.csv", edit)
    out = _load(bad, "prescriptions")
    assert not out.ok
    reasons = {(e["row"], e["column"]): e["reason"] for e in out.errors}
    assert reasons[(3, "数量")] == "不能为负数"
    assert reasons[(4, "药品编码")] == "“ZZ99”不在药品字典中"
    assert reasons[(5, "开方日期")] == "2026-02-01 不在导入期间 2026-01 内"
    last = len(bad.read_text(encoding="utf-8").splitlines())
    assert reasons[(last, "处方号+明细序号")] == "与第 6 行重复"
    assert analytics.partitions("prescriptions") == []


def _multi_line_row(lines: list[str]) -> int:
    """The row number (header = 1) of the first line of a prescription with several lines."""
    for n in range(2, len(lines)):
        if lines[n - 1].split(",")[0] == lines[n].split(",")[0]:
            return n
    raise AssertionError("no prescription with two lines")


# One defect alone must refuse the file: a good file is checked in one fast pass (a single
# "wrong" flag per row and one grouped pass over prescriptions), so each kind of defect is
# tried on its own — the fast pass must see it, and the detailed report must then name it.
SINGLE_DEFECTS = {
    "negative quantity": ("数量", "-2", "数量"),
    "drug not in the dictionary": ("药品编码", "ZZ99", "药品编码"),
    "date outside the period": ("开方日期", "2026-02-01", "开方日期"),
    "not a date": ("开方日期", "2026-13-45", "开方日期"),
    "days not a whole number": ("天数", "七", "天数"),
    "unknown visit type": ("就诊类型", "门急诊", "就诊类型"),
    "blank prescription number": ("处方号", "", "处方号"),
    "optional age in months not a number": ("年龄(月)", "x", "年龄(月)"),
    "lines of one prescription in different departments": ("科室编码", "K999", "处方号"),
    "a repeated line number": ("明细序号", "@next", "处方号+明细序号"),
    "a repeated line number above 63": ("明细序号", "@70", "处方号+明细序号"),
}


@pytest.mark.parametrize("defect", SINGLE_DEFECTS, ids=list(SINGLE_DEFECTS))
def test_each_kind_of_defect_alone_refuses_the_file(exports, tmp_path: Path, defect: str) -> None:
    _load(exports["drugs"], "drugs", "")
    column, value, reported = SINGLE_DEFECTS[defect]

    def edit(lines: list[str]) -> None:
        col = {h.strip('"'): i for i, h in enumerate(lines[0].split(","))}
        n = _multi_line_row(lines)
        cells = lines[n - 1].split(",")
        nxt = lines[n].split(",")
        if value == "@next":  # the second line repeats the first one's number
            nxt[col[column]] = cells[col[column]]
        elif value == "@70":
            cells[col[column]] = nxt[col[column]] = "70"
        else:
            cells[col[column]] = value
        lines[n - 1] = ",".join(cells)
        lines[n] = ",".join(nxt)

    bad = _rewrite(exports["prescriptions"], tmp_path / "bad.csv", edit)
    out = _load(bad, "prescriptions")
    assert not out.ok
    assert reported in {e["column"] for e in out.errors}, out.errors
    assert analytics.partitions("prescriptions") == []


def test_a_file_whose_columns_do_not_match_is_refused_until_a_profile_maps_them(
    exports, tmp_path: Path
) -> None:
    _load(exports["drugs"], "drugs", "")
    renamed = _rewrite(
        exports["prescriptions"],
        tmp_path / "his.csv",
        lambda lines: lines.__setitem__(0, lines[0].replace("开方医生", "医师编码")),
    )
    with pytest.raises(importing.FileRefused, match="开方医生"):
        _load(renamed, "prescriptions")
    assert analytics.partitions("prescriptions") == []
    assert _load(renamed, "prescriptions", mapping={"doctor_no": "医师编码"}).ok


def test_a_half_written_file_imports_nothing(exports, tmp_path: Path) -> None:
    _load(exports["drugs"], "drugs", "")
    text = exports["prescriptions"].read_text(encoding="utf-8")
    half = tmp_path / "half.csv"
    half.write_text(text[: len(text) // 2 - 7], encoding="utf-8")
    with pytest.raises(importing.FileRefused):
        _load(half, "prescriptions")
    assert analytics.partitions("prescriptions") == []


def test_prescriptions_need_the_drug_dictionary_first(exports) -> None:
    with pytest.raises(importing.FileRefused, match="药品字典"):
        _load(exports["prescriptions"], "prescriptions")


def test_excel_parquet_and_gb18030_exports_load_the_same_rows(tmp_path: Path) -> None:
    data = generator.generate(prescriptions=120, months=["2026-01"], seed=4)
    xlsx = {p.stem: p for p in generator.export(data, tmp_path / "x", "xlsx")}
    parquet = {p.stem: p for p in generator.export(data, tmp_path / "p", "parquet")}
    csv = {p.stem: p for p in generator.export(data, tmp_path / "c", "csv")}
    gbk = tmp_path / "diagnoses-gbk.csv"
    gbk.write_bytes(csv["diagnoses"].read_text(encoding="utf-8").encode("gb18030"))
    n = data.tables["diagnoses"].num_rows
    assert _load(xlsx["diagnoses"], "diagnoses").created == n
    assert _load(parquet["diagnoses"], "diagnoses").unchanged == n
    assert _load(gbk, "diagnoses").unchanged == n


@pytest.mark.django_db
def test_the_import_record_keeps_refusals_and_notes_a_file_imported_before(world, exports) -> None:
    office = world.user(Role.MEDICAL_AFFAIRS)
    ok = services.his_import(
        path=exports["drugs"], file_name="药品字典.csv", dataset="drugs", actor=office
    )
    assert ok.status == HisImport.Status.IMPORTED and ok.created == len(generator.DRUGS)
    again = services.his_import(
        path=exports["drugs"], file_name="药品字典.csv", dataset="drugs", actor=office
    )
    assert (again.created, again.updated) == (0, 0)
    assert again.message == "此文件以前导入过，本次没有任何变化。"
    refused = services.his_import(
        path=exports["diagnoses"],
        file_name="诊断.csv",
        dataset="diagnoses",
        period="2026-03",
        actor=office,
    )
    assert refused.status == HisImport.Status.REFUSED and refused.error_count > 0
    assert refused.errors[0]["row"] == 2
