"""Excel export of any list page (write-only workbook, streamed from a temporary file)."""

from __future__ import annotations

import tempfile
from collections.abc import Iterable, Sequence
from typing import Any
from urllib.parse import quote

from django.http import FileResponse, HttpRequest
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Font

from hongfan.audit import services as audit
from hongfan.audit.models import AuditEntry

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if hasattr(value, "isoformat") and hasattr(value, "tzinfo") and getattr(value, "tzinfo", None):
        return timezone.localtime(value).replace(tzinfo=None)
    if isinstance(value, str | int | float | bool) or hasattr(value, "isoformat"):
        return value
    return str(value)


def workbook_bytes(
    headers: Sequence[str], rows: Iterable[Sequence[Any]], *, sheet_title: str = "Sheet1"
) -> tempfile.SpooledTemporaryFile[bytes]:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title=sheet_title[:31])
    from openpyxl.cell import WriteOnlyCell

    header_cells = []
    for h in headers:
        cell = WriteOnlyCell(ws, value=str(h))
        cell.font = Font(bold=True)
        header_cells.append(cell)
    ws.append(header_cells)
    for row in rows:
        ws.append([_cell(v) for v in row])
    buffer: tempfile.SpooledTemporaryFile[bytes] = tempfile.SpooledTemporaryFile(  # noqa: SIM115 (returned open, closed by FileResponse)
        max_size=16 * 1024 * 1024
    )
    wb.save(buffer)
    buffer.seek(0)
    return buffer


def xlsx_response(
    request: HttpRequest,
    *,
    filename: str,
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    object_type: str,
    sheet_title: str = "Sheet1",
    detail: dict[str, Any] | None = None,
) -> FileResponse:
    """Return an .xlsx download and record the export in the audit log."""
    buffer = workbook_bytes(headers, rows, sheet_title=sheet_title)
    audit.record(
        AuditEntry.Action.EXPORT,
        object_type=object_type,
        object_repr=filename,
        detail={"query": request.GET.dict(), **(detail or {})},
    )
    stamp = timezone.localdate().strftime("%Y%m%d")
    name = f"{filename}-{stamp}.xlsx"
    response = FileResponse(buffer, content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response
