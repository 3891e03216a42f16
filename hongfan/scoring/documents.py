"""The printable ethics file (医德档案): Word (python-docx) and PDF (WeasyPrint, Noto CJK)."""

from __future__ import annotations

import io
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from hongfan.org.models import Staff
from hongfan.scoring.models import Assessment, LedgerEvent
from hongfan.scoring.selectors import YearTotal


def _context(
    staff: Staff, events: list[LedgerEvent], totals: list[YearTotal], assessments: list[Assessment]
) -> dict[str, Any]:
    return {
        "staff": staff,
        "events": events,
        "totals": totals,
        "assessments": assessments,
        "printed_at": timezone.localtime(),
    }


def ethics_file_docx(
    staff: Staff, events: list[LedgerEvent], totals: list[YearTotal], assessments: list[Assessment]
) -> bytes:
    from docx import Document
    from docx.oxml.ns import qn
    from docx.shared import Pt

    doc = Document()
    style = doc.styles["Normal"]
    style.font.name = "Noto Serif CJK SC"
    style.font.size = Pt(10.5)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), "Noto Serif CJK SC")
    doc.add_heading(_("Medical ethics file"), level=0)
    doc.add_paragraph(
        f"{_('name')}：{staff.name}    {_('employee number')}：{staff.employee_no}    "
        f"{_('department')}：{staff.department.name}    "
        f"{_('post')}：{staff.get_post_category_display()}"
    )
    doc.add_heading(_("Totals per year"), level=1)
    table = doc.add_table(rows=1, cols=6)
    table.style = "Table Grid"
    for cell, text in zip(
        table.rows[0].cells,
        [_("year"), _("events"), _("additions"), _("deductions"), _("net"), _("veto items")],
        strict=True,
    ):
        cell.text = str(text)
    for t in totals:
        row = table.add_row().cells
        for cell, value in zip(
            row, [t.year, t.events, t.additions, t.deductions, t.net, t.vetoes], strict=True
        ):
            cell.text = str(value)
    doc.add_heading(_("Annual assessments"), level=1)
    if assessments:
        for a in assessments:
            doc.add_paragraph(
                f"{a.period.name}：{_('score')} {a.score}，{_('grade')} "
                f"{a.grade.name if a.grade else '—'}",
                style="List Bullet",
            )
    else:
        doc.add_paragraph(_("No published assessment yet."))
    doc.add_heading(_("Timeline of events"), level=1)
    table = doc.add_table(rows=1, cols=5)
    table.style = "Table Grid"
    for cell, text in zip(
        table.rows[0].cells,
        [_("date"), _("event"), _("points"), _("status"), _("source")],
        strict=True,
    ):
        cell.text = str(text)
    for e in events:
        row = table.add_row().cells
        row[0].text = e.occurred_on.isoformat()
        row[1].text = f"{_(e.rule.name)}：{e.summary}"
        row[2].text = str(e.points)
        row[3].text = str(e.get_status_display())
        row[4].text = e.source_url or "—"
    doc.add_paragraph(_("Printed %(at)s") % {"at": timezone.localtime().strftime("%Y-%m-%d %H:%M")})
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def ethics_file_pdf(
    staff: Staff, events: list[LedgerEvent], totals: list[YearTotal], assessments: list[Assessment]
) -> bytes:
    from weasyprint import HTML

    html = render_to_string(
        "scoring/ethics_file_print.html", _context(staff, events, totals, assessments)
    )
    return HTML(string=html).write_pdf()
