"""The import framework: read a spreadsheet, validate every row, then upsert all or nothing.

An importer declares its columns (Chinese headers with aliases, a required flag and a parser
that turns a cell into a typed value or raises ``ValidationError`` with a Chinese reason), its
natural key, and two steps: ``plan(rows)`` (what would be created / updated / left unchanged,
no writes) and ``write()`` (bulk writes, audited by ``AuditedQuerySet``). ``apply(rows)`` does
both. ``hongfan.imports.services`` runs an importer over an uploaded file inside one
transaction and records an ``ImportRun``.

Reading: .xlsx with python-calamine (openpyxl as a fall-back), .csv in UTF-8 (with or without
BOM), UTF-16 or GB18030. Files are recognised by their content, never by the extension alone.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import logging
import re
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any, ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hongfan.accounts.roles import Cap

Parser = Callable[[Any], Any]
logger = logging.getLogger(__name__)


class FileRejected(Exception):
    """The file as a whole cannot be read (not a spreadsheet, too big, no header row...)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# --------------------------------------------------------------------------- reading


@dataclass
class Sheet:
    """The cells of one sheet; ``rows[i]`` is spreadsheet row ``i + 1``."""

    rows: list[list[Any]]
    name: str = ""


_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_BINARY_MAGICS = (
    b"%PDF",
    b"\x89PNG",
    b"\xff\xd8\xff",
    b"GIF8",
    b"\x1f\x8b",
    b"Rar!",
    b"7z\xbc\xaf",
    b"MZ",
    b"\x7fELF",
)
# Refuse zip bombs: a workbook may expand to at most this many times the upload limit.
_MAX_EXPANSION = 10


def max_bytes() -> int:
    return int(settings.HONGFAN_IMPORT_MAX_BYTES)


def _human_size(n: int) -> str:
    if n >= 1024 * 1024:
        return f"{n / 1024 / 1024:.0f} MB"
    return f"{n / 1024:.0f} KB"


def check_size(size: int) -> None:
    if size > max_bytes():
        raise FileRejected(
            _("The file is %(size)s; the limit is %(limit)s. Split it into smaller files.")
            % {"size": _human_size(size), "limit": _human_size(max_bytes())}
        )


def sniff(data: bytes) -> str:
    """Return "xlsx" or "csv" from the content, or raise FileRejected."""
    if not data.strip():
        raise FileRejected(_("The file is empty."))
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                names = set(zf.namelist())
                expanded = sum(i.file_size for i in zf.infolist())
        except zipfile.BadZipFile:
            raise FileRejected(
                _("The file is damaged: it is not a readable Excel workbook.")
            ) from None
        if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
            raise FileRejected(
                _("This is not an Excel workbook (it may be a Word or other document).")
            )
        if expanded > max_bytes() * _MAX_EXPANSION:
            raise FileRejected(_("The workbook expands to an implausible size and was refused."))
        return "xlsx"
    if data.startswith(_OLE_MAGIC):
        raise FileRejected(
            _("Old Excel 97-2003 (.xls) files are not accepted: save it as .xlsx and try again.")
        )
    if data.startswith(_BINARY_MAGICS):
        raise FileRejected(_("This is not a spreadsheet: upload an .xlsx or .csv file."))
    head = data[:65536]
    if not head.startswith((b"\xff\xfe", b"\xfe\xff")) and b"\x00" in head:
        raise FileRejected(_("This is not a spreadsheet: upload an .xlsx or .csv file."))
    return "csv"


def decode_text(data: bytes) -> str:
    """Decode CSV bytes: UTF-8 (BOM optional), UTF-16 with BOM, else GB18030."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError:
        raise FileRejected(
            _("The text file is neither UTF-8 nor GB18030 encoded; save it as UTF-8 CSV.")
        ) from None


def read_csv(data: bytes) -> list[Sheet]:
    text = decode_text(data)
    sample = text[:8192]
    try:
        dialect: Any = csv.Sniffer().sniff(sample, delimiters=",\t;，")
    except csv.Error:
        dialect = csv.excel
    rows = [list(r) for r in csv.reader(io.StringIO(text, newline=""), dialect)]
    if any("\x00" in cell for row in rows[:50] for cell in row):
        raise FileRejected(_("This is not a spreadsheet: upload an .xlsx or .csv file."))
    return [Sheet(rows=rows)]


def _read_xlsx_calamine(data: bytes) -> list[Sheet]:
    import python_calamine

    wb = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    sheets = []
    for index, name in enumerate(wb.sheet_names):
        sheet = wb.get_sheet_by_index(index)
        sheets.append(Sheet(rows=sheet.to_python(skip_empty_area=False), name=name))
    return sheets


def _read_xlsx_openpyxl(data: bytes) -> list[Sheet]:
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        sheets = []
        for ws in wb.worksheets:
            rows: list[list[Any]] = []
            for row in ws.iter_rows(values_only=True):
                rows.append(list(row))
            sheets.append(Sheet(rows=rows, name=ws.title))
        return sheets
    finally:
        wb.close()


def read_xlsx(data: bytes) -> list[Sheet]:
    try:
        return _read_xlsx_calamine(data)
    except ImportError:
        pass
    except Exception:  # calamine failed on an unusual file: let openpyxl try
        logger.info("calamine could not read a workbook; trying openpyxl", exc_info=True)
    try:
        return _read_xlsx_openpyxl(data)
    except Exception:
        raise FileRejected(
            _("The workbook could not be read (damaged or password-protected).")
        ) from None


def read_sheets(data: bytes) -> list[Sheet]:
    check_size(len(data))
    return read_xlsx(data) if sniff(data) == "xlsx" else read_csv(data)


# --------------------------------------------------------------------------- cells


def is_blank(value: Any) -> bool:
    return value is None or value == "" or (value.__class__ is str and not value.strip())


def cell_text(value: Any) -> str:
    """A cell as text: integral numbers without ".0", dates as ISO, strings stripped."""
    if value.__class__ is str:
        result = value.strip()
        return result.replace("\u3000", " ").strip() if "\u3000" in result else result
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip().replace("\u3000", " ").strip()


_DATE_PATTERNS = (
    re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:[ T].*)?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
)
_EXCEL_EPOCH = dt.date(1899, 12, 30)


def parse_date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and float(value).is_integer()
        and 1 <= value < 100000
    ):
        # An Excel serial date in a cell that was not formatted as a date.
        return _EXCEL_EPOCH + dt.timedelta(days=int(value))
    text = cell_text(value)
    for pattern in _DATE_PATTERNS:
        m = pattern.match(text)
        if m:
            try:
                return dt.date(int(m[1]), int(m[2]), int(m[3]))
            except ValueError:
                break
    raise ValidationError(
        _("“%(value)s” is not a date; write it as 2024-07-01.") % {"value": text},
        code="date",
    )


# --------------------------------------------------------------------------- parsers


def text(max_length: int | None = None, *, upper: bool = False) -> Parser:
    def parse(value: Any) -> str:
        result = cell_text(value)
        if upper:
            result = result.upper()
        if max_length is not None and len(result) > max_length:
            raise ValidationError(
                _("At most %(n)d characters (this one has %(m)d).")
                % {"n": max_length, "m": len(result)},
                code="max_length",
            )
        return result

    return parse


def date() -> Parser:
    return parse_date


_TRUE = {"是", "y", "yes", "true", "1", "√", "✓", "t"}
_FALSE = {"否", "n", "no", "false", "0", "×", "f"}


def boolean() -> Parser:
    def parse(value: Any) -> bool:
        if isinstance(value, bool):
            return value
        t = cell_text(value).lower()
        if t in _TRUE:
            return True
        if t in _FALSE:
            return False
        raise ValidationError(
            _("Write 是 or 否 (got “%(value)s”).") % {"value": cell_text(value)}, code="bool"
        )

    return parse


def choice(mapping: dict[str, str]) -> Parser:
    """Map Chinese labels (first label of each value is the canonical one) to values."""
    lookup = {re.sub(r"\s", "", k): v for k, v in mapping.items()}
    lookup.update({k.upper(): v for k, v in list(lookup.items())})
    lookup.update({v: v for v in mapping.values()})
    canonical: dict[str, str] = {}
    for k, v in mapping.items():
        canonical.setdefault(v, k)

    def parse(value: Any) -> str:
        t = cell_text(value)
        if t in lookup:
            return lookup[t]
        t = re.sub(r"\s", "", t).upper()
        if t in lookup:
            return lookup[t]
        raise ValidationError(
            _("“%(value)s” is not one of: %(allowed)s.")
            % {"value": cell_text(value), "allowed": "、".join(canonical.values())},
            code="choice",
        )

    parse.labels = list(canonical.values())  # type: ignore[attr-defined]
    return parse


def pattern(regex: str, message: str | Promise) -> Parser:
    compiled = re.compile(regex)

    def parse(value: Any) -> str:
        if isinstance(value, float) and not value.is_integer():
            raise ValidationError(str(message), code="pattern")
        t = cell_text(value)
        if not compiled.fullmatch(t):
            raise ValidationError(str(message), code="pattern")
        return t

    return parse


def decimal(max_digits: int = 12, places: int = 2) -> Parser:
    def parse(value: Any) -> Decimal:
        try:
            d = Decimal(cell_text(value).replace(",", ""))
        except InvalidOperation:
            raise ValidationError(
                _("“%(value)s” is not a number.") % {"value": cell_text(value)}, code="number"
            ) from None
        return d.quantize(Decimal(1).scaleb(-places))

    return parse


def code_list() -> Parser:
    """A list of codes separated by 、 , ， ; ； or spaces."""

    def parse(value: Any) -> list[str]:
        parts = re.split(r"[、,，;；\s]+", cell_text(value))
        return [p for p in parts if p]

    return parse


# --------------------------------------------------------------------------- declarations


@dataclass(frozen=True)
class Column:
    """One column of an import file."""

    header: str  # the Chinese header: part of the file format, not translated
    field: str
    required: bool = False
    aliases: tuple[str, ...] = ()
    parse: Parser = field(default_factory=text)
    help: str | Promise = ""
    example: Any = ""
    as_text: bool = False  # format the template column as text (codes, ID numbers, phones)

    @property
    def labels(self) -> list[str]:
        return list(getattr(self.parse, "labels", []))


@dataclass
class Row:
    """A data row: its spreadsheet row number, parsed values and the raw cells."""

    number: int
    values: dict[str, Any]
    raw: dict[str, Any]
    ok: bool = True
    extra: dict[str, Any] = field(default_factory=dict)

    def __getitem__(self, key: str) -> Any:
        return self.values.get(key)

    def get(self, key: str, default: Any = None) -> Any:
        value = self.values.get(key)
        return default if value is None else value


@dataclass
class RowError:
    row: int | None
    column: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "message": self.message}


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged


def messages_of(exc: ValidationError) -> list[str]:
    return [str(m) for m in exc.messages]


def _norm_header(value: Any) -> str:
    s = cell_text(value)
    s = re.sub(r"[（(][^）)]*[)）]$", "", s)
    return re.sub(r"[\s*＊:：]", "", s)


class Importer:
    """Base class. Subclasses set the class attributes and implement the hooks."""

    kind: ClassVar[str]
    label: ClassVar[str | Promise]
    columns: ClassVar[Sequence[Column]]
    natural_key: ClassVar[tuple[str, ...]]
    capability: ClassVar[str] = Cap.IMPORTS_RUN
    description: ClassVar[str | Promise] = ""
    order: ClassVar[int] = 100

    def __init__(self, user: Any = None) -> None:
        self.user = user
        self.errors: list[RowError] = []
        self.notes: list[str] = []

    # ---- reporting
    def column_header(self, field_or_header: str) -> str:
        for col in self.columns:
            if col.field == field_or_header:
                return col.header
        return field_or_header

    def error(self, row: Row | None, column: str, message: Any) -> None:
        """Report a problem; ``column`` is a field name or a header."""
        if row is not None:
            row.ok = False
        self.errors.append(
            RowError(row.number if row else None, self.column_header(column), str(message))
        )

    def error_from(self, row: Row, column: str, exc: ValidationError) -> None:
        if hasattr(exc, "error_dict"):
            for key, errs in exc.error_dict.items():
                for e in errs:
                    self.error(row, column if key == "__all__" else key, " ".join(e.messages))
        else:
            for msg in messages_of(exc):
                self.error(row, column, msg)

    # ---- hooks for subclasses
    def prepare(self, rows: list[Row]) -> None:
        """Load look-ups (existing records, references) once, before ``clean_row``."""

    def clean_row(self, row: Row) -> None:
        """Check one row across columns and against the database; report with ``error``."""

    def key_of(self, row: Row) -> tuple[Any, ...]:
        return tuple(row.values.get(f) for f in self.natural_key)

    def describe_key(self, row: Row) -> str:
        parts = (cell_text(row.raw.get(self.column_header(f))) for f in self.natural_key)
        return " / ".join(p for p in parts if p)

    def check_file(self, rows: list[Row]) -> None:
        """Checks across rows (cycles, references between rows)."""

    def plan(self, rows: list[Row]) -> Counts:
        """Decide what to create and update (no writes); return the counts."""
        raise NotImplementedError

    def write(self) -> None:
        """Perform the planned writes (called inside a transaction)."""
        raise NotImplementedError

    def apply(self, rows: list[Row]) -> Counts:
        counts = self.plan(rows)
        self.write()
        return counts

    # ---- the pipeline
    def locate_header(self, sheets: list[Sheet]) -> tuple[Sheet, int, dict[int, Column]]:
        known = {}
        for col in self.columns:
            for name in (col.header, *col.aliases):
                known[_norm_header(name)] = col
        best: tuple[int, Sheet, int, dict[int, Column]] | None = None
        for sheet in sheets:
            for index, cells in enumerate(sheet.rows[:20]):
                mapping: dict[int, Column] = {}
                for pos, cell in enumerate(cells):
                    col = known.get(_norm_header(cell))
                    if col is not None:
                        mapping[pos] = col
                if mapping and (best is None or len(mapping) > best[0]):
                    best = (len(mapping), sheet, index, mapping)
            if best is not None:
                break
        if best is None:
            raise FileRejected(
                _("No header row found: the first row must hold the column names, e.g. %(h)s.")
                % {"h": "、".join(c.header for c in self.columns[:4])}
            )
        _n, sheet, index, mapping = best
        seen: dict[str, int] = {}
        for pos, col in sorted(mapping.items()):
            if col.field in seen:
                self.error(None, col.header, _("The column appears twice in the header row."))
            seen[col.field] = pos
        missing = [c.header for c in self.columns if c.required and c.field not in seen]
        if missing:
            raise FileRejected(
                _("Required columns are missing: %(cols)s.") % {"cols": "、".join(missing)}
            )
        ignored = [
            cell_text(c)
            for pos, c in enumerate(sheet.rows[index])
            if pos not in mapping and not is_blank(c)
        ]
        if ignored:
            self.notes.append(_("Ignored columns: %(cols)s.") % {"cols": "、".join(ignored)})
        return sheet, index, mapping

    def _is_example(self, raw: dict[str, Any]) -> bool:
        examples = [(c.header, c.example) for c in self.columns if not is_blank(c.example)]
        return bool(examples) and all(cell_text(raw.get(h)) == cell_text(ex) for h, ex in examples)

    def parse_rows(self, sheets: list[Sheet]) -> list[Row]:
        sheet, header_index, mapping = self.locate_header(sheets)
        rows: list[Row] = []
        columns = sorted(mapping.items())
        for index in range(header_index + 1, len(sheet.rows)):
            cells = sheet.rows[index]
            if all(is_blank(c) for c in cells):
                continue
            number = index + 1
            raw = {col.header: (cells[pos] if pos < len(cells) else None) for pos, col in columns}
            if self._is_example(raw):
                self.notes.append(
                    _("Row %(n)d is the template's example row and was skipped.") % {"n": number}
                )
                continue
            row = Row(number=number, values={}, raw=raw)
            for pos, col in columns:
                value = cells[pos] if pos < len(cells) else None
                if is_blank(value):
                    if col.required:
                        self.error(row, col.header, _("This column is required."))
                    row.values[col.field] = None
                    continue
                try:
                    row.values[col.field] = col.parse(value)
                except ValidationError as exc:
                    row.values[col.field] = None
                    for msg in messages_of(exc):
                        self.error(row, col.header, msg)
            for col in self.columns:
                row.values.setdefault(col.field, None)
            rows.append(row)
        if not rows:
            raise FileRejected(_("The file has a header row but no data rows."))
        return rows

    def validate(self, sheets: list[Sheet]) -> list[Row]:
        """Parse and check every row; errors accumulate in ``self.errors``."""
        rows = self.parse_rows(sheets)
        self.prepare(rows)
        for row in rows:
            if row.ok:
                try:
                    self.clean_row(row)
                except ValidationError as exc:
                    self.error_from(row, self.natural_key[0], exc)
        self.check_duplicates(rows)
        self.check_file(rows)
        return rows

    def check_duplicates(self, rows: list[Row]) -> None:
        first: dict[tuple[Any, ...], int] = {}
        for row in rows:
            key = self.key_of(row)
            if any(part is None or part == "" for part in key):
                continue
            if key in first:
                self.error(
                    row,
                    self.natural_key[-1],
                    _("%(key)s already appears in row %(row)d of this file.")
                    % {"key": self.describe_key(row), "row": first[key]},
                )
            else:
                first[key] = row.number

    # ---- templates
    @classmethod
    def example_row(cls) -> list[Any]:
        return [c.example for c in cls.columns]


# --------------------------------------------------------------------------- helpers for writes


def changed_fields(obj: models.Model, values: dict[str, Any]) -> list[str]:
    """Return the names in ``values`` whose value differs from ``obj``'s."""
    changed = []
    for name, value in values.items():
        current = getattr(obj, name)
        if current != value:
            changed.append(name)
    return changed


def bulk_write(
    model: type[models.Model],
    creates: Sequence[models.Model],
    updates: Iterable[tuple[models.Model, Sequence[str]]],
    *,
    batch_size: int = 1000,
) -> None:
    """bulk_create the new objects, bulk_update the changed ones grouped by changed fields."""
    manager = model._default_manager
    if creates:
        for start in range(0, len(creates), batch_size):
            manager.bulk_create(creates[start : start + batch_size])
    groups: dict[tuple[str, ...], list[models.Model]] = {}
    for obj, fields in updates:
        groups.setdefault(tuple(sorted(fields)), []).append(obj)
    for fields, objs in groups.items():
        for start in range(0, len(objs), batch_size // 2 or 1):
            manager.bulk_update(objs[start : start + batch_size // 2], list(fields))


# A lazily translated, reusable label for importer descriptions.
HEADER_ROW_HELP = gettext_lazy(
    "Keep the header row; one record per row. Rows equal to the stored ones are skipped."
)
