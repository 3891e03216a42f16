"""The downloadable .xlsx template of an importer: header row, one example row, explanations."""

from __future__ import annotations

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from hongfan.imports.framework import Importer, cell_text


def template_bytes(importer: type[Importer]) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = str(importer.label)[:31]
    required_font = Font(bold=True, color="C00000")
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="FDE9D9")
    for index, column in enumerate(importer.columns, start=1):
        letter = get_column_letter(index)
        cell = ws.cell(row=1, column=index, value=column.header)
        cell.font = required_font if column.required else bold
        cell.fill = fill
        example = column.example
        ex_cell = ws.cell(
            row=2, column=index, value=cell_text(example) if column.as_text else example
        )
        if column.as_text:
            ex_cell.number_format = "@"
        elif hasattr(example, "isoformat"):
            ex_cell.number_format = "yyyy-mm-dd"
        ws.column_dimensions[letter].width = max(12, len(column.header) * 2 + 4)
        if column.as_text:
            # Text format for the data rows, so that Excel keeps leading zeros and all 18
            # characters of an ID-card number.
            for row in range(3, 1003):
                ws.cell(row=row, column=index).number_format = "@"
    ws.freeze_panes = "A2"

    info = wb.create_sheet(_("Instructions")[:31])
    info.append([str(importer.label), str(importer.description)])
    info.append(
        [
            _("The first sheet is imported. Keep the header row, one record per row."),
        ]
    )
    info.append(
        [
            _(
                "Row 2 is an example: it is skipped if left unchanged; overwrite or delete it. "
                "A file with any bad row imports nothing; re-importing a file changes nothing."
            )
        ]
    )
    info.append([])
    header = [_("Column"), _("Required"), _("Allowed values"), _("Notes"), _("Example")]
    info.append(header)
    for cell in info[info.max_row]:
        cell.font = bold
        cell.fill = fill
    for column in importer.columns:
        info.append(
            [
                column.header + (" / " + " / ".join(column.aliases) if column.aliases else ""),
                _("yes") if column.required else "",
                "、".join(column.labels),
                str(column.help),
                cell_text(column.example),
            ]
        )
    for letter, width in zip("ABCDE", (28, 8, 40, 60, 22), strict=True):
        info.column_dimensions[letter].width = width
    for row in info.iter_rows(min_row=6):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
