"""Report templates: placeholders, checking, rendering to text, Word (python-docx) and PDF.

A template body is plain text. ``# `` starts a level-1 heading, ``## `` a level-2 heading,
blank lines separate paragraphs, and ``{{ panel.figure }}`` inserts a figure computed by the
cockpit's panel providers (``registry.known_figures()``), e.g. ``{{ membership.members_in_post }}``.
A few placeholders describe the report itself: ``{{ period.label }}``, ``{{ period.year }}``,
``{{ institution.name }}``, ``{{ report.date }}``.
"""

from __future__ import annotations

import html
import io
import re
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hongfan.cockpit import registry

PLACEHOLDER = re.compile(r"\{\{\s*([^{}]*?)\s*\}\}")
KEY = re.compile(r"^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$")

CONTEXT_FIGURES = {
    "period.label": gettext_lazy("Report period, e.g. 2025年"),
    "period.year": gettext_lazy("Year of the report"),
    "institution.name": gettext_lazy("Institution (or the whole deployment)"),
    "report.date": gettext_lazy("Date of generation"),
}


def available_figures() -> dict[str, str]:
    """Every placeholder a template may use, with its label."""
    return {**{k: str(v) for k, v in CONTEXT_FIGURES.items()}, **registry.known_figures()}


def placeholders(text: str) -> list[str]:
    """The figure names a text refers to, in order of first appearance."""
    seen: dict[str, None] = {}
    for m in PLACEHOLDER.finditer(text):
        seen.setdefault(m.group(1).strip(), None)
    return list(seen)


def check_template(*, title: str, body: str) -> None:
    """Refuse unknown figures (naming them) and unbalanced braces."""
    errors: list[ValidationError] = []
    known = available_figures()
    for field_name, text in (("title", title), ("body", body)):
        stripped = PLACEHOLDER.sub("", text)
        if "{{" in stripped or "}}" in stripped:
            errors.append(
                ValidationError(
                    {
                        field_name: _(
                            "A placeholder is not closed: write figures as {{ panel.figure }}."
                        )
                    }
                )
            )
        unknown = [n for n in placeholders(text) if n not in known]
        if unknown:
            errors.append(
                ValidationError(
                    {
                        field_name: _(
                            "The template refers to unknown figures: %(names)s. "
                            "See the list of available figures."
                        )
                        % {"names": "、".join(unknown)}
                    }
                )
            )
    if errors:
        raise _merge(errors)


def _merge(errors: list[ValidationError]) -> ValidationError:
    merged: dict[str, list[Any]] = {}
    for e in errors:
        for k, v in e.error_dict.items():
            merged.setdefault(k, []).extend(v)
    return ValidationError(merged)


def fill(text: str, values: dict[str, str]) -> str:
    return PLACEHOLDER.sub(lambda m: values.get(m.group(1).strip(), m.group(0)), text)


@dataclass
class Block:
    kind: str  # h1 / h2 / p
    text: str


def blocks(text: str) -> list[Block]:
    """Split a rendered body into headings and paragraphs."""
    out: list[Block] = []
    para: list[str] = []

    def flush() -> None:
        if para:
            out.append(Block("p", "".join(s.strip() for s in para)))
            para.clear()

    for line in text.splitlines():
        s = line.strip()
        if not s:
            flush()
        elif s.startswith("## "):
            flush()
            out.append(Block("h2", s[3:].strip()))
        elif s.startswith("# "):
            flush()
            out.append(Block("h1", s[2:].strip()))
        else:
            para.append(s)
    flush()
    return out


# --- Word ------------------------------------------------------------------------------------


def render_docx(title: str, body: list[Block], table: list[tuple[str, str, str]]) -> bytes:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Pt

    doc = Document()
    for style_name, size in (("Normal", 12), ("Heading 1", 15), ("Heading 2", 13), ("Title", 18)):
        style = doc.styles[style_name]
        style.font.name = "SimSun" if style_name == "Normal" else "SimHei"
        style.font.size = Pt(size)
        rpr = style.element.get_or_add_rPr()
        fonts = rpr.find(qn("w:rFonts"))
        if fonts is None:
            fonts = rpr.makeelement(qn("w:rFonts"), {})
            rpr.append(fonts)
        fonts.set(qn("w:eastAsia"), "宋体" if style_name == "Normal" else "黑体")
    heading = doc.add_heading(title, level=0)
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for b in body:
        if b.kind == "h1":
            doc.add_heading(b.text, level=1)
        elif b.kind == "h2":
            doc.add_heading(b.text, level=2)
        else:
            p = doc.add_paragraph(b.text)
            p.paragraph_format.first_line_indent = Pt(24)
            p.paragraph_format.line_spacing = 1.5
    if table:
        doc.add_heading(_("Appendix: figures used in this report"), level=1)
        t = doc.add_table(rows=1, cols=3)
        t.style = "Table Grid"
        for cell, text in zip(
            t.rows[0].cells, (_("Figure"), _("Placeholder"), _("Value")), strict=True
        ):
            cell.text = text
        for label, key, value in table:
            row = t.add_row().cells
            row[0].text, row[1].text, row[2].text = label, key, value
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


# --- PDF -------------------------------------------------------------------------------------

# One font face only (Noto Sans CJK SC, regular): WeasyPrint subsets every face it embeds, and
# each CJK face costs seconds (annual report: 9.9 s with serif + sans + bold, 3.7 s with one).
PDF_CSS = """
@page { size: A4; margin: 2.5cm 2.2cm; @bottom-center { content: counter(page); font-size: 9pt; } }
body { font-family: "Noto Sans CJK SC", sans-serif; font-size: 12pt; line-height: 1.7; }
h1, h2, th { font-weight: normal; }
h1.title { text-align: center; font-size: 20pt; margin-bottom: 1em; }
h1 { font-size: 15pt; margin: 1em 0 .4em; color: #a00; }
h2 { font-size: 13pt; margin: .8em 0 .3em; }
p { text-indent: 2em; margin: 0 0 .5em; }
table { border-collapse: collapse; width: 100%; font-size: 10pt; }
td, th { border: 1px solid #555; padding: 3px 6px; }
th { background: #eee; }
"""


def render_html(title: str, body: list[Block], table: list[tuple[str, str, str]]) -> str:
    e = html.escape
    parts = [f'<h1 class="title">{e(title)}</h1>']
    tags = {"h1": "h1", "h2": "h2", "p": "p"}
    for b in body:
        parts.append(f"<{tags[b.kind]}>{e(b.text)}</{tags[b.kind]}>")
    if table:
        parts.append(f"<h1>{e(_('Appendix: figures used in this report'))}</h1><table>")
        parts.append(
            f"<tr><th>{e(_('Figure'))}</th><th>{e(_('Placeholder'))}</th><th>{e(_('Value'))}</th></tr>"
        )
        for label, key, value in table:
            parts.append(f"<tr><td>{e(label)}</td><td>{e(key)}</td><td>{e(value)}</td></tr>")
        parts.append("</table>")
    return (
        '<!doctype html><html lang="zh-Hans"><head><meta charset="utf-8">'
        f"<title>{e(title)}</title><style>{PDF_CSS}</style></head><body>"
        + "".join(parts)
        + "</body></html>"
    )


def render_pdf(title: str, body: list[Block], table: list[tuple[str, str, str]]) -> bytes:
    from weasyprint import HTML

    return HTML(string=render_html(title, body, table)).write_pdf()
