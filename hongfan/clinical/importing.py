"""Loading HIS exports (CSV, Excel, Parquet) into the analytic store.

Columnar and vectorised: the file is read by DuckDB (CSV) or pyarrow / calamine (Parquet,
Excel) into a table of text, every check is one SQL query over all rows, and each bad row is
reported with its row number (as a spreadsheet shows it: the header is row 1), the column and
a Chinese reason. A file with any bad row writes nothing. A good file is merged into its month
partitions by natural key (a row with a known key replaces the stored one, new keys are
added, other stored rows are kept), and a partition is rewritten only when something changed —
importing the same file twice changes nothing.

The row-at-a-time import framework (hongfan.imports) suits master data of a few thousand rows;
a year of prescriptions (12 million lines) needs this columnar path to load in seconds.
"""

# The checks are SQL built from the file's headers (always quoted with _q) and translated
# messages (quotes doubled); no value of the file enters the SQL text. The SQL fragments stay
# on one line each to be readable.
# ruff: noqa: S608, E501
from __future__ import annotations

import hashlib
import re
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
from django.conf import settings
from django.utils.translation import gettext as _

from hongfan.clinical import schema
from hongfan.core import analytics

MAX_ERRORS_KEPT = 2000
# The header fields every line of one prescription repeats (they must agree).
_RX_HEADER = ("visit_no", "visit_type", "rx_date", "dept_code", "doctor_no", "patient_id")
_PERIOD = re.compile(r"^\d{4}(-(0[1-9]|1[0-2]))?$")


class FileRefused(Exception):
    """The file as a whole cannot be read or does not match its profile."""


@dataclass
class Outcome:
    dataset: str
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)
    error_count: int = 0
    months: list[str] = field(default_factory=list)
    sha256: str = ""
    size: int = 0
    duration_ms: int = 0

    @property
    def ok(self) -> bool:
        return self.error_count == 0


def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _norm(header: str) -> str:
    return re.sub(r"[\s*＊]", "", str(header or ""))


def resolve_columns(
    dataset: schema.Dataset, headers: list[str], mapping: dict[str, str] | None
) -> dict[str, str]:
    """canonical column → the file's header; refuse the file when a required one is missing."""
    found = {_norm(h): h for h in headers}
    out: dict[str, str] = {}
    missing = []
    for col in dataset.columns:
        candidates = [mapping[col.name]] if mapping and mapping.get(col.name) else []
        candidates += [col.header, *col.aliases]
        hit = next((found[_norm(c)] for c in candidates if _norm(c) in found), None)
        if hit is not None:
            out[col.name] = hit
        elif col.required:
            missing.append(candidates[0])
    if missing:
        raise FileRefused(
            _(
                "The file's columns do not match the profile: missing %(cols)s. Columns found: %(found)s."
            )
            % {"cols": "、".join(missing), "found": "、".join(headers[:30])}
        )
    return out


def _sniff(path: Path) -> str:
    with open(path, "rb") as fh:
        head = fh.read(8)
    if head.startswith(b"PAR1"):
        return "parquet"
    if head.startswith(b"PK\x03\x04"):
        return "xlsx"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise FileRefused(_("Old .xls workbooks are not supported: save the file as .xlsx or CSV."))
    if head.startswith(b"%PDF") or head[:4] in (
        b"\x89PNG",
        b"\xff\xd8\xff\xe0",
        b"\xff\xd8\xff\xe1",
    ):
        raise FileRefused(_("This is not a spreadsheet: upload CSV, Excel (.xlsx) or Parquet."))
    return "csv"


def _utf8_csv(path: Path, workdir: Path) -> Path:
    """DuckDB reads UTF-8 only: re-encode a GB18030 / UTF-16 export once."""
    with open(path, "rb") as fh:
        head = fh.read(1 << 16)
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        enc = "utf-16"
    else:
        try:
            head.decode("utf-8")
            return path
        except UnicodeDecodeError as exc:
            if exc.start > len(head) - 4:  # a character cut at the end of the probe
                return path
            enc = "gb18030"
    target = workdir / "utf8.csv"
    with (
        open(path, encoding=enc, errors="strict") as src,
        open(target, "w", encoding="utf-8") as dst,
    ):
        for line in src:
            dst.write(line)
    return target


def _csv_source(path: Path, workdir: Path) -> str:
    """The ``read_csv(...)`` table function reading a CSV export as text (UTF-8 first)."""
    src = _utf8_csv(path, workdir)
    with open(src, encoding="utf-8-sig", errors="replace") as fh:
        first = fh.readline()
    delim = "\t" if first.count("\t") > first.count(",") else ","
    name = str(src).replace("'", "''")
    return (
        f"read_csv('{name}', all_varchar=true, header=true, delim='{delim}', quote='\"', "
        "escape='\"', strict_mode=true, null_padding=false)"
    )


def _refusing_unreadable(fn: Any, *args: Any) -> Any:
    """Run ``fn``; a file DuckDB / Arrow cannot read becomes ``FileRefused``."""
    try:
        return fn(*args)
    except FileRefused:
        raise
    except UnicodeDecodeError as exc:
        raise FileRefused(
            _("The file's text encoding is not recognised (use UTF-8 or GB18030).")
        ) from exc
    except (duckdb.Error, pa.ArrowException, OSError, ValueError) as exc:
        raise FileRefused(
            _("The file is incomplete or damaged and cannot be read: %(why)s")
            % {"why": str(exc).splitlines()[0][:160]}
        ) from exc


def _load_raw(con: duckdb.DuckDBPyConnection, path: Path, workdir: Path) -> list[str]:
    """Read the file into the DuckDB table ``raw`` (all text, file order kept in rowid)."""
    kind = _sniff(path)
    try:
        if kind == "csv":
            con.execute(f"CREATE TABLE raw AS SELECT * FROM {_csv_source(path, workdir)}")
        elif kind == "parquet":
            import pyarrow.parquet as pq

            t = pq.read_table(path)
            t = pa.table({n: t[n].cast(pa.string()) for n in t.column_names})
            con.register("raw_arrow", t)
            con.execute("CREATE TABLE raw AS SELECT * FROM raw_arrow")
        else:
            con.register("raw_arrow", _read_xlsx(path))
            con.execute("CREATE TABLE raw AS SELECT * FROM raw_arrow")
    except FileRefused:
        raise
    except UnicodeDecodeError as exc:
        raise FileRefused(
            _("The file's text encoding is not recognised (use UTF-8 or GB18030).")
        ) from exc
    except (duckdb.Error, pa.ArrowException, OSError, ValueError) as exc:
        raise FileRefused(
            _("The file is incomplete or damaged and cannot be read: %(why)s")
            % {"why": str(exc).splitlines()[0][:160]}
        ) from exc
    headers = [r[0] for r in con.execute("DESCRIBE raw").fetchall()]
    if not headers:
        raise FileRefused(_("The file has no header row."))
    (n,) = con.execute("SELECT count(*) FROM raw").fetchall()[0]
    if n == 0:
        raise FileRefused(_("The file contains no data rows."))
    return headers


def _read_xlsx(path: Path) -> pa.Table:
    import datetime as dt

    from python_calamine import CalamineWorkbook

    try:
        wb = CalamineWorkbook.from_path(str(path))
        rows = wb.get_sheet_by_index(0).to_python(skip_empty_area=False)
    except Exception as exc:  # calamine raises its own error types
        raise FileRefused(_("The workbook is damaged or password-protected.")) from exc
    if not rows:
        raise FileRefused(_("The file has no header row."))
    headers = [str(h).strip() for h in rows[0]]

    def text(v: Any) -> str | None:
        if v is None or v == "":
            return None
        if isinstance(v, dt.datetime):
            return v.date().isoformat() if v.time() == dt.time() else v.isoformat(sep=" ")
        if isinstance(v, dt.date):
            return v.isoformat()
        if isinstance(v, float) and v.is_integer():
            return str(int(v))
        return str(v)

    cols = list(zip(*rows[1:], strict=False)) if len(rows) > 1 else [() for _ in headers]
    return pa.table(
        {
            h or f"列{i + 1}": pa.array(
                [text(v) for v in cols[i]] if i < len(cols) else [], pa.string()
            )
            for i, h in enumerate(headers)
        }
    )


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


_DATE = (
    "COALESCE(TRY_STRPTIME({x}, '%Y-%m-%d'), TRY_STRPTIME({x}, '%Y/%m/%d'), "
    "TRY_STRPTIME({x}, '%Y%m%d'), TRY_STRPTIME({x}, '%Y年%m月%d日'), "
    "TRY_STRPTIME({x}, '%Y-%m-%d %H:%M:%S'), TRY_STRPTIME({x}, '%Y/%m/%d %H:%M:%S'))::DATE"
)
_TRUE = ("是", "Y", "y", "1", "true", "TRUE", "True", "√")
_FALSE = ("否", "N", "n", "0", "false", "FALSE", "False", "")


def _lit(values: Any) -> str:
    return ", ".join("'" + str(v).replace("'", "''") + "'" for v in values)


def _clean(x: str) -> str:
    """The text of a cell without surrounding spaces, NULL when blank. Trimming only the cells
    that need it keeps DuckDB from copying every string of a 12-million-line file."""
    return f"NULLIF(CASE WHEN {x} LIKE ' %' OR {x} LIKE '% ' THEN TRIM({x}) ELSE {x} END, '')"


def _typed_expr(col: schema.Col, x: str) -> str:
    """The typed value of a text cell: NULL when blank or when it does not parse (a blank
    optional text is '', a blank controlled class '', a blank flag false)."""
    v = _clean(x)
    if col.kind == "int":
        return f"TRY_CAST({x} AS INTEGER)"  # DuckDB's cast ignores surrounding spaces
    if col.kind == "float":
        return f"TRY_CAST(CASE WHEN contains({x}, ',') THEN REPLACE({x}, ',', '') ELSE {x} END AS DOUBLE)"
    if col.kind == "date":
        return f"COALESCE(TRY_CAST({x} AS DATE), {_DATE.format(x=v)})"
    if col.kind == "bool":
        return f"CASE WHEN {v} IN ({_lit(_TRUE)}) THEN true WHEN {v} IS NULL OR {v} IN ({_lit(_FALSE)}) THEN false END"
    if col.kind == "visit_type":
        cases = " ".join(f"WHEN {v} = '{k}' THEN '{c}'" for k, c in schema.VISIT_TYPES.items())
        codes = _lit(schema.VISIT_TYPES.values())
        return f"CASE {cases} WHEN {v} IN ({codes}) THEN {v} END"
    if col.kind == "controlled":
        cases = " ".join(
            f"WHEN {v} = '{k}' THEN '{c}'" for k, c in schema.CONTROLLED_CLASSES.items() if k
        )
        codes = _lit(c for c in schema.CONTROLLED_CLASSES.values() if c)
        return f"CASE WHEN {v} IS NULL THEN '' {cases} WHEN {v} IN ({codes}) THEN {v} END"
    return f"COALESCE({v}, '')" if not col.required else v


def _period_bounds(period: str) -> tuple[str, str]:
    if len(period) == 4:
        return f"{period}-01-01", f"{int(period) + 1}-01-01"
    y, m = (int(x) for x in period.split("-"))
    return f"{y}-{m:02d}-01", f"{y + (m == 12)}-{m % 12 + 1:02d}-01"


_DUCK_TYPES = {
    "str": "VARCHAR",
    "visit_type": "VARCHAR",
    "controlled": "VARCHAR",
    "int": "INTEGER",
    "float": "DOUBLE",
    "date": "DATE",
    "bool": "BOOLEAN",
}


def _typed_columns(ds: schema.Dataset, cols: dict[str, str]) -> str:
    """The SELECT list turning the file's text columns into the dataset's typed columns."""
    return ", ".join(
        f"{_typed_expr(c, _q(cols[c.name]))} AS {c.name}"
        if c.name in cols
        else (
            f"'' AS {c.name}"
            if c.kind in ("str", "controlled")
            else f"CAST(NULL AS {_DUCK_TYPES[c.kind]}) AS {c.name}"
        )
        for c in ds.columns
    )


def _flag_columns(ds: schema.Dataset, cols: dict[str, str]) -> list[str]:
    """Per-row flags over the file's text: a required value is empty (``_empty_x``), a value
    does not parse as its type (``_bad_x``)."""
    flags = []
    for c in ds.columns:
        if c.name not in cols:
            continue
        raw = _clean(_q(cols[c.name]))
        if c.required:
            flags.append(f"{raw} IS NULL AS _empty_{c.name}")
        if c.kind not in ("str",):
            flags.append(
                f"({raw} IS NOT NULL AND {_typed_expr(c, _q(cols[c.name]))} IS NULL) AS _bad_{c.name}"
            )
    return flags


def import_file(
    path: Path,
    *,
    dataset: str,
    period: str = "",
    mapping: dict[str, str] | None = None,
    dry_run: bool = False,
) -> Outcome:
    """Check ``path`` and, when every row is good and ``dry_run`` is false, store it.

    ``period`` is the import period (``YYYY-MM`` or a whole year ``YYYY``) that every date of a
    monthly dataset must fall into; the drug dictionary has none.

    A good file is read once: one pass parses and types every row and computes a single
    "something is wrong with this row" flag; two aggregate queries look for repeated keys and
    prescriptions whose lines disagree. Only when something is wrong is the file read again, as
    text, to report every bad row with its column, value and reason (``_report_errors``) — the
    same checks, the same verdict.
    """
    started = time.monotonic()
    ds = schema.DATASETS.get(dataset)
    if ds is None:
        raise FileRefused(_("Unknown dataset."))
    if ds.date_column and not _PERIOD.match(period or ""):
        raise FileRefused(_("Give the import period as YYYY-MM (a month) or YYYY (a year)."))
    size = path.stat().st_size
    limit = getattr(settings, "HONGFAN_CLINICAL_IMPORT_MAX_BYTES", 4 * 1024**3)
    if size > limit:
        raise FileRefused(_("The file is larger than the limit."))
    if size == 0:
        raise FileRefused(_("The file is empty."))
    out = Outcome(dataset=dataset, size=size)
    with (
        ThreadPoolExecutor(max_workers=1) as pool,
        tempfile.TemporaryDirectory(dir=analytics.root()) as tmp,
    ):
        digest = pool.submit(sha256_of, path)  # hashlib releases the GIL: hashed meanwhile
        con = duckdb.connect()
        try:
            analytics.configure(con)
            con.execute(f"SET temp_directory='{tmp}'")
            if _sniff(path) == "csv":
                source = _refusing_unreadable(_csv_source, path, Path(tmp))
                headers = _refusing_unreadable(
                    lambda: [
                        r[0] for r in con.execute(f"DESCRIBE SELECT * FROM {source}").fetchall()
                    ]
                )
                if not headers:
                    raise FileRefused(_("The file has no header row."))
            else:
                headers = _load_raw(con, path, Path(tmp))
                source = "raw"
            cols = resolve_columns(ds, headers, mapping)
            if dataset == "prescriptions":
                _load_dictionary(con)
            raws, conds = _wrong_conditions(ds, cols)
            wrong = " OR ".join([*conds, *_row_conditions(ds, cols, period)]) or "false"
            names = ", ".join(c.name for c in ds.columns)
            _refusing_unreadable(
                con.execute,
                f"CREATE TABLE typed_t AS SELECT {names}, COALESCE({wrong}, false) AS _wrong "
                f"FROM (SELECT {_typed_columns(ds, cols)}{''.join(', ' + r for r in raws)} FROM {source})",
            )
            out.rows = con.execute("SELECT count(*) FROM typed_t").fetchall()[0][0]
            if out.rows == 0:
                raise FileRefused(_("The file contains no data rows."))
            if _something_wrong(con, ds, cols):
                out.error_count, out.errors = _report_errors(con, ds, cols, period, source)
                if out.error_count:
                    out.sha256 = digest.result()
                    out.duration_ms = int((time.monotonic() - started) * 1000)
                    return out
            else:
                con.execute("CREATE VIEW typed AS SELECT rowid + 2 AS _row, * FROM typed_t")
            _merge(con, ds, out, dry_run=dry_run)
        finally:
            con.close()
        out.sha256 = digest.result()
    out.duration_ms = int((time.monotonic() - started) * 1000)
    return out


def _load_dictionary(con: duckdb.DuckDBPyConnection) -> None:
    if not analytics.partitions("drugs"):
        raise FileRefused(
            _("Import the drug dictionary first: prescriptions are checked against it.")
        )
    con.execute(
        f"CREATE TABLE dict AS SELECT drug_code FROM read_parquet('{analytics.glob('drugs')}')"
    )


def _wrong_conditions(ds: schema.Dataset, cols: dict[str, str]) -> tuple[list[str], list[str]]:
    """The per-cell conditions of ``_flag_columns`` folded into conditions over the typed
    values: a required cell is wrong when its typed value is NULL (blank or unparsable); an
    optional typed cell when its value is NULL although the text is not blank. Returns the raw
    text columns those need (``_raw_i``) and the conditions."""
    raws, conds = [], []
    for i, c in enumerate(ds.columns):
        if c.name not in cols:
            continue
        if c.required:
            conds.append(f"{c.name} IS NULL")
        elif c.kind != "str":
            raws.append(f"{_q(cols[c.name])} AS _raw_{i}")
            conds.append(f"({c.name} IS NULL AND {_clean(f'_raw_{i}')} IS NOT NULL)")
    return raws, conds


def _row_conditions(ds: schema.Dataset, cols: dict[str, str], period: str) -> list[str]:
    """What makes one row wrong on its own, over the typed columns (the flags aside): the same
    conditions ``_checks`` reports one by one."""
    conds = [f"{c.name} < 0" for c in ds.columns if c.non_negative and c.name in cols]
    if ds.date_column and ds.date_column in cols:
        lo, hi = _period_bounds(period)
        d = ds.date_column
        conds.append(f"({d} IS NOT NULL AND ({d} < DATE '{lo}' OR {d} >= DATE '{hi}'))")
    if ds.key == "prescriptions":
        conds.append(
            "(drug_code IS NOT NULL AND NOT COALESCE(drug_code IN (SELECT drug_code FROM dict), false))"
        )
    return conds


def _something_wrong(
    con: duckdb.DuckDBPyConnection, ds: schema.Dataset, cols: dict[str, str]
) -> bool:
    """Whether any check would report a row: the row flag, a repeated natural key, or (for
    prescriptions) lines of one prescription that disagree on a header field."""
    (wrong,) = con.execute("SELECT count(*) FROM typed_t WHERE _wrong").fetchone()
    if wrong:
        return True
    if ds.key == "prescriptions":
        # One pass grouped by prescription: its lines disagree on a header field when the
        # smallest and largest hash of the header differ, and a line number repeats when there
        # are more numbered lines than distinct numbers (counted as bits while the numbers are
        # in 0–63, as they are on real prescriptions; otherwise the generic check below runs).
        h = ", ".join(_RX_HEADER)
        disagree, repeated, big = con.execute(
            "SELECT count(*) FILTER (WHERE hmin <> hmax), count(*) FILTER (WHERE n <> nb), "
            "count(*) FILTER (WHERE big) FROM (SELECT min(hash(" + h + ")) AS hmin, "
            "max(hash(" + h + ")) AS hmax, count(line_no) AS n, "
            "bit_count(bit_or(CASE WHEN line_no BETWEEN 0 AND 63 THEN 1::UBIGINT << line_no "
            "ELSE 0::UBIGINT END)) AS nb, bool_or(line_no NOT BETWEEN 0 AND 63) AS big "
            "FROM typed_t WHERE rx_no IS NOT NULL GROUP BY rx_no)"
        ).fetchone()
        if disagree or repeated:
            return True
        if not big:
            return False
    key = ", ".join(ds.natural_key)
    not_null = " AND ".join(f"{k} IS NOT NULL" for k in ds.natural_key)
    (repeated,) = con.execute(
        f"SELECT count(*) FROM (SELECT 1 FROM typed_t WHERE {not_null} GROUP BY {key} HAVING count(*) > 1)"
    ).fetchone()
    return bool(repeated)


def _report_errors(
    con: duckdb.DuckDBPyConnection,
    ds: schema.Dataset,
    cols: dict[str, str],
    period: str,
    source: str,
) -> tuple[int, list[dict[str, Any]]]:
    """Every bad row with its row number, column, value and reason (the slow, thorough path)."""
    con.execute("DROP TABLE IF EXISTS typed_t")
    if source != "raw":
        con.execute(f"CREATE TABLE raw AS SELECT * FROM {source}")
    flags = _flag_columns(ds, cols)
    con.execute(
        f"CREATE TABLE typed AS SELECT rowid + 2 AS _row, {_typed_columns(ds, cols)}"
        f"{', ' if flags else ''}{', '.join(flags)} FROM raw"
    )
    checks = _checks(ds, cols, period)
    if ds.key == "prescriptions":
        checks += _prescription_checks(con, cols)
    sql = " UNION ALL ".join(checks)
    count = con.execute(f"SELECT count(*) FROM ({sql})").fetchall()[0][0]
    rows = con.execute(
        f"SELECT _row, col, reason FROM ({sql}) ORDER BY _row, col LIMIT {MAX_ERRORS_KEPT}"
    ).fetchall()
    return count, [{"row": r, "column": c, "reason": why} for r, c, why in rows]


def _checks(ds: schema.Dataset, cols: dict[str, str], period: str) -> list[str]:
    checks = []
    empty = _("is empty")
    negative = _("must not be negative")
    for c in ds.columns:
        if c.name not in cols:
            continue
        head = cols[c.name].replace("'", "''")
        if c.required:
            checks.append(
                f"SELECT _row, '{head}' AS col, '{empty}' AS reason FROM typed WHERE _empty_{c.name}"
            )
        if c.kind != "str":
            what = {
                "int": _("is not a whole number"),
                "float": _("is not a number"),
                "date": _("is not a date (use 2026-01-31)"),
                "bool": _("must be 是 or 否"),
                "visit_type": _("must be 门诊, 急诊 or 住院"),
                "controlled": _("must be blank, 麻醉药品, 第一类精神药品 or 第二类精神药品"),
            }[c.kind]
            checks.append(
                f"SELECT t._row, '{head}', '“' || r.{_q(cols[c.name])} || '”{what}' "
                f"FROM (SELECT _row FROM typed WHERE _bad_{c.name}) t JOIN raw r ON r.rowid + 2 = t._row"
            )
        if c.non_negative:
            checks.append(f"SELECT _row, '{head}', '{negative}' FROM typed WHERE {c.name} < 0")
    if ds.date_column and ds.date_column in cols:
        lo, hi = _period_bounds(period)
        head = cols[ds.date_column].replace("'", "''")
        msg = _("is outside the import period %(period)s") % {"period": period}
        checks.append(
            f"SELECT _row, '{head}', strftime({ds.date_column}, '%Y-%m-%d') || ' {msg}' FROM typed "
            f"WHERE {ds.date_column} IS NOT NULL AND ({ds.date_column} < DATE '{lo}' OR {ds.date_column} >= DATE '{hi}')"
        )
    key = ", ".join(ds.natural_key)
    key_heads = "+".join(cols.get(k, k) for k in ds.natural_key).replace("'", "''")
    msg = _("repeats row %(row)s").replace("'", "''")
    checks.append(
        f"SELECT _row, '{key_heads}', replace('{msg}', '%(row)s', first_row::VARCHAR) FROM (SELECT _row, min(_row) OVER (PARTITION BY {key}) AS first_row FROM typed "
        f"WHERE {' AND '.join(f'{k} IS NOT NULL' for k in ds.natural_key)}) WHERE _row > first_row"
    )
    return checks


def _prescription_checks(con: duckdb.DuckDBPyConnection, cols: dict[str, str]) -> list[str]:
    checks = []
    head = cols["drug_code"].replace("'", "''")
    msg = _("is not in the drug dictionary")
    checks.append(
        f"SELECT t._row, '{head}', '“' || t.drug_code || '”{msg}' FROM typed t "
        f"LEFT JOIN dict d ON d.drug_code = t.drug_code WHERE t.drug_code IS NOT NULL AND d.drug_code IS NULL"
    )
    sig = " || '|' || ".join(f"COALESCE(CAST({h} AS VARCHAR), '')" for h in _RX_HEADER)
    msg = _("header fields differ from row %(row)s").replace("'", "''")
    checks.append(
        f"SELECT _row, '{cols['rx_no']}', replace('{msg}', '%(row)s', first_row::VARCHAR) FROM ("
        f"SELECT _row, {sig} AS sig, first_value({sig}) OVER w AS first_sig, min(_row) OVER w AS first_row "
        f"FROM typed WHERE rx_no IS NOT NULL WINDOW w AS (PARTITION BY rx_no ORDER BY _row)) WHERE sig <> first_sig"
    )
    return checks


def _merge(
    con: duckdb.DuckDBPyConnection, ds: schema.Dataset, out: Outcome, *, dry_run: bool
) -> None:
    """Merge the checked rows (``typed``) into their partitions by natural key.

    A month with no stored partition yet is written straight from the checked rows by DuckDB;
    a stored month is compared row by row (new / changed / unchanged) and rewritten only when
    something changed."""
    names = [c.name for c in ds.columns]
    cast_names = ", ".join(
        f"CAST({c.name} AS {_DUCK_TYPES[c.kind]}) AS {c.name}" for c in ds.columns
    )
    key = ds.natural_key
    part_col = schema.MONTH if ds.date_column else schema.SNAPSHOT
    if ds.date_column:
        d = ds.date_column
        months = [
            r[0]
            for r in con.execute(
                f"SELECT DISTINCT strftime(date_trunc('month', {d}), '%Y-%m') FROM typed ORDER BY 1"
            ).fetchall()
        ]
        where = {}
        for m in months:
            lo, hi = _period_bounds(m)
            where[m] = f"{d} >= DATE '{lo}' AND {d} < DATE '{hi}'"
        out.months = months
    else:
        where = {schema.CURRENT: "true"}
    on = " AND ".join(f"i.{k} = e.{k}" for k in key)
    same = " AND ".join(f"i.{n} IS NOT DISTINCT FROM e.{n}" for n in names)
    cols = ", ".join(names)
    for part, cond in where.items():
        existing = analytics.partition_path(ds.key, part_col, part)
        incoming = f"(SELECT {cols} FROM typed WHERE {cond})"
        if not existing.exists():
            if dry_run:
                out.created += con.execute(f"SELECT count(*) FROM typed WHERE {cond}").fetchone()[0]
            else:
                out.created += analytics.copy_partition(
                    con, ds.key, part_col, part, f"SELECT {cast_names} FROM typed WHERE {cond}"
                )
            continue
        con.execute(
            f"CREATE OR REPLACE TEMP TABLE existing AS SELECT {cols} FROM read_parquet('{existing}')"
        )
        created, updated, unchanged = con.execute(
            f"SELECT count(*) FILTER (WHERE e.{key[0]} IS NULL), "
            f"count(*) FILTER (WHERE e.{key[0]} IS NOT NULL AND NOT ({same})), "
            f"count(*) FILTER (WHERE e.{key[0]} IS NOT NULL AND ({same})) "
            f"FROM {incoming} i LEFT JOIN existing e ON {on}"
        ).fetchall()[0]
        out.created += created
        out.updated += updated
        out.unchanged += unchanged
        if dry_run or (created == 0 and updated == 0):
            continue
        analytics.copy_partition(
            con,
            ds.key,
            part_col,
            part,
            f"SELECT {cast_names} FROM (SELECT {cols} FROM existing e WHERE NOT EXISTS (SELECT 1 FROM {incoming} i WHERE {on}) "
            f"UNION ALL SELECT {cols} FROM {incoming}) ORDER BY {', '.join(key)}",
        )
